/** The chunk ledger's compact outcome form survives free-text reasons (SNS error text may hold '|'). */
import { decodeOutcomes, encodeOutcomes } from '../../../../lambdas/adapters/dynamo/delivery-ledger';
import type { ChunkOutcomes } from '../../../../lambdas/ports/delivery-ledger';

test('outcomes round-trip, whatever the reason text', () => {
  const outcomes: ChunkOutcomes = {
    a: { state: 'sent', reason: null, platform: 'ios', at: '2026-11-29T10:00:00.000Z' },
    b: {
      state: 'failed',
      reason: 'InvalidParameter: Invalid parameter: Message | too long || x|',
      platform: 'android',
      at: '2026-11-29T10:00:01.000Z',
    },
    c: { state: 'suppressed', reason: 'optedOut', platform: null, at: '2026-11-29T10:00:02.000Z' },
    d: { state: 'deferred', reason: 'quietHours', platform: 'ios', at: '2026-11-30T07:00:00.000Z' },
    'odd|id': { state: 'sent', reason: '', platform: 'ios', at: '2026-11-29T10:00:03.000Z' },
  };
  const back = decodeOutcomes(encodeOutcomes(outcomes));
  expect(back).toEqual({ ...outcomes, 'odd|id': { ...outcomes['odd|id'], reason: null } });
});

test('unreadable entries are skipped, not taken for outcomes', () => {
  expect(decodeOutcomes({ a: 'z|x|i|2026-11-29T10:00:00.000Z', b: 's|', c: 7 })).toEqual({});
  expect(decodeOutcomes(undefined)).toEqual({});
});
