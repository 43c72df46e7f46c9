/**
 * A retried chunk never puts a device in two quiet-hours chunks: the first attempt defers a device
 * and hands it to a child chunk; the retry defers another device to the same instant (its zone
 * changed meanwhile). Each device goes in exactly one child, pushed once; `deferred` counts it once.
 */
import type { Device } from '../../../../lambdas/domain/devices/device';
import { defaultSettings, type Settings } from '../../../../lambdas/domain/settings';
import { fixedClock } from '../../../../lambdas/ports/clock';
import { TransientPushError } from '../../../../lambdas/ports/push-gateway';
import type { SendBatch } from '../../../../lambdas/ports/send-queue';
import { isDeferredChunk, RetryBatchError, sendBatch } from '../../../../lambdas/use-cases/delivery/send-batch';
import { decodeOutcomes, encodeOutcomes } from '../../../../lambdas/adapters/dynamo/delivery-ledger';
import { benchCampaign, memorySenderDeps } from '../../../../scripts/bench/fakes';
import { deviceRecord } from '../../../support/devices';

// 10:00 UTC: 19:00 in Tokyo, inside quiet hours 18:00–20:00 (held until 11:00 UTC); 05:00 in New York, outside.
const NOW = '2026-11-28T10:00:00.000Z';
const QUIET_ENDS = '2026-11-28T11:00:00.000Z';

test('a retried chunk re-sends the child of its earlier deferrals and gives new deferrals their own; no device is pushed twice', async () => {
  const devices: Device[] = [deviceRecord('tk-1', { timezone: 'Asia/Tokyo' }), deviceRecord('mv-1', { timezone: 'America/New_York' })];
  const c = { ...benchCampaign('t1', 'cmp_retry'), status: 'sending' as const };
  const deps = memorySenderDeps(c, devices);
  const clock = fixedClock(NOW);
  const settings: Settings = { ...defaultSettings(), quietHours: { start: '18:00', end: '20:00' } };
  const enqueued: SendBatch[] = [];
  const pushed: string[] = [];
  let failMv = true;
  Object.assign(deps, {
    clock,
    settings: { get: async () => settings, put: async () => undefined },
    queue: { enqueue: async (batches: SendBatch[]) => void enqueued.push(...batches) },
    gateway: {
      send: async (m: { deviceId: string }) => {
        if (m.deviceId === 'mv-1' && failMv) throw new TransientPushError('throttled');
        pushed.push(m.deviceId);
        return { outcome: 'sent' };
      },
      deliveryRecord: async () => 'not_delivered',
    },
  });
  const parent: SendBatch = { tenantId: 't1', campaignId: c.id, waveId: 'now', batchId: 'now:exec:0:0', deviceIds: ['tk-1', 'mv-1'] };

  // Attempt 1: tk-1 is held by quiet hours, mv-1 hits a transient failure.
  await expect(sendBatch(deps, parent)).rejects.toBeInstanceOf(RetryBatchError);
  // Meanwhile mv-1 moved to Tokyo: the retry defers it to the same instant as tk-1.
  devices[1].timezone = 'Asia/Tokyo';
  failMv = false;
  await sendBatch(deps, parent);
  await sendBatch(deps, parent); // and the queue delivers the finished chunk once more

  const children = new Map(enqueued.filter((b) => isDeferredChunk(b.batchId)).map((b) => [b.batchId, b]));
  const members = [...children.values()].flatMap((b) => b.deviceIds).sort();
  expect(members).toEqual(['mv-1', 'tk-1']); // each device in exactly one child
  expect([...children.values()].every((b) => b.notBefore === QUIET_ENDS)).toBe(true);
  expect(deps.counters()).toMatchObject({ deferred: 2, batchesEnqueued: children.size });

  clock.set(QUIET_ENDS);
  for (const child of children.values()) await sendBatch(deps, child);
  expect(pushed.sort()).toEqual(['mv-1', 'tk-1']);
  expect(deps.counters()).toMatchObject({ sent: 2, deferred: 0 });
});

test("the ledger keeps a deferred device's child chunk, and still reads outcomes stored without one", () => {
  const withChild = {
    tk: {
      state: 'deferred' as const,
      reason: 'quietHours',
      platform: 'ios' as const,
      at: QUIET_ENDS,
      child: 'now:exec:0:0>qabc.0123456789',
    },
    old: { state: 'deferred' as const, reason: 'quietHours', platform: 'android' as const, at: QUIET_ENDS },
  };
  expect(decodeOutcomes(encodeOutcomes(withChild))).toEqual(withChild);
});
