/** The insights freshness mark of POST /v1/events: written after the append, for opens and purchases only; a failure is logged, never fails the batch. */
import { logger } from '../../../lambdas/logging/logger';
import type { AutomationStore } from '../../../lambdas/ports/automation-store';
import type { EventLake } from '../../../lambdas/ports/event-lake';
import { ingestEvents } from '../../../lambdas/use-cases/events/ingest-events';

const NOW = new Date('2026-11-28T10:00:00.000Z');
const event = (type: string, extra: Record<string, unknown> = {}) => ({ deviceId: 'd-1', type, ts: '2026-11-28T09:59:00.000Z', ...extra });

function deps(noteEvents: (t: string, at: Date) => Promise<void>) {
  const appended: string[] = [];
  const lake = { appendEvents: async (_t: string, rows: { type: string }[]) => void appended.push(...rows.map((r) => r.type)) };
  // No automation is active: the automations' event path reads the active set and stops there.
  const automations = { activeOf: async () => [] } as unknown as AutomationStore;
  const devices = { getMany: async () => new Map() };
  return {
    appended,
    deps: { lake: lake as unknown as EventLake, clock: { now: () => NOW }, insightsCache: { noteEvents }, automations, devices },
  };
}

afterEach(() => jest.restoreAllMocks());

test('an open is appended, then noted; app opens alone are not noted', async () => {
  const notes: string[] = [];
  const w = deps(async (t, at) => void notes.push(`${t}@${at.toISOString()}`));
  await ingestEvents(w.deps, { tenantId: 't1', body: { events: [event('app_open')] } });
  expect(notes).toEqual([]);
  await ingestEvents(w.deps, { tenantId: 't1', body: { events: [event('push_open', { campaignId: 'cmp_1' })] } });
  expect(notes).toEqual([`t1@${NOW.toISOString()}`]);
  expect(w.appended).toEqual(['app_open', 'push_open']);
});

test('a failed mark is logged with the tenant and the batch is still accepted', async () => {
  const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
  const w = deps(async () => {
    throw new Error('AccessDeniedException: not authorized to perform dynamodb:UpdateItem');
  });
  const out = await ingestEvents(w.deps, {
    tenantId: 't1',
    body: { events: [event('purchase', { orderId: 'o-1', amount: 10, currency: 'USD' })] },
  });
  expect(out.accepted).toBe(1);
  expect(w.appended).toEqual(['purchase']);
  expect(warn).toHaveBeenCalledWith(
    'insights freshness mark not written',
    expect.objectContaining({ tenantId: 't1', error: expect.any(Error) }),
  );
});
