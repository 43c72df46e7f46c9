/**
 * The delivery stores on dynalite (real conditional writes): a sharded ledger that keeps claim/lease
 * semantics, per-batch counters applied once, completion from counters, and a send history (the
 * ledger's sends-by-device index) that a cap switched on later counts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deliveryKeys } from '../../lambdas/adapters/dynamo/keys';
import { DynamoTable } from '../../lambdas/adapters/dynamo/table';
import { openLocalDeps } from '../../lambdas/composition/local';
import { benchCampaign } from '../../scripts/bench/fakes';

describe('delivery stores on dynalite', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'spush-stores-'));
  let local: Awaited<ReturnType<typeof openLocalDeps>>;
  let deliveries: DynamoTable;
  const now = new Date('2026-06-01T12:00:00Z');
  const later = (ms: number) => new Date(now.getTime() + ms);

  beforeAll(async () => {
    local = await openLocalDeps(dir);
    deliveries = new DynamoTable(local.records.client, 'deliveries');
  });
  afterAll(async () => {
    await local.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('ledger: devices of one campaign in different partitions; claim, busy, finish, done, expired takeover', async () => {
    const { ledger } = local.deps;
    const a = await ledger.claim('t1', 'cmp_l', 'device-a', now, 60_000);
    const b = await ledger.claim('t1', 'cmp_l', 'device-b', now, 60_000);
    expect(a.outcome).toBe('claimed');
    expect(b.outcome).toBe('claimed');
    const [itemA, itemB] = await Promise.all([deliveries.get(deliveryKeys.ledger('t1', 'cmp_l', 'device-a')), deliveries.get(deliveryKeys.ledger('t1', 'cmp_l', 'device-b'))]);
    expect(itemA!.pk).not.toBe(itemB!.pk);
    expect(itemA!.expiresAt).toBe(Math.floor(now.getTime() / 1000) + 90 * 86_400);

    expect(await ledger.claim('t1', 'cmp_l', 'device-a', later(1000), 60_000)).toEqual({ outcome: 'busy' });
    if (a.outcome !== 'claimed') throw new Error('unreachable');
    expect(await ledger.finish('t1', 'cmp_l', 'device-a', 'not-my-lease', { state: 'sent', reason: null, platform: 'ios', at: now.toISOString(), batchId: 'w:0:0' })).toBe(false);
    expect(await ledger.finish('t1', 'cmp_l', 'device-a', a.lease, { state: 'sent', reason: null, platform: 'ios', at: now.toISOString(), batchId: 'w:0:0' })).toBe(true);
    expect(await ledger.claim('t1', 'cmp_l', 'device-a', later(2000), 60_000)).toEqual({ outcome: 'done', state: 'sent', reason: null, batchId: 'w:0:0' });

    // b's holder died: after its lease, one sender takes it over; the old holder can no longer finish.
    const taken = await ledger.claim('t1', 'cmp_l', 'device-b', later(61_000), 60_000);
    expect(taken.outcome).toBe('expired');
    expect(await ledger.claim('t1', 'cmp_l', 'device-b', later(61_500), 60_000)).toEqual({ outcome: 'busy' });
    if (b.outcome !== 'claimed' || taken.outcome !== 'expired') throw new Error('unreachable');
    expect(await ledger.finish('t1', 'cmp_l', 'device-b', b.lease, { state: 'sent', reason: null, platform: 'ios', at: now.toISOString(), batchId: 'w:0:0' })).toBe(false);
    expect(await ledger.finish('t1', 'cmp_l', 'device-b', taken.lease, { state: 'suppressed', reason: 'optedOut', platform: 'ios', at: now.toISOString(), batchId: 'w:0:1' })).toBe(true);

    // Released claims can be claimed again.
    const c = await ledger.claim('t1', 'cmp_l', 'device-c', now, 60_000);
    if (c.outcome !== 'claimed') throw new Error('unreachable');
    await ledger.release('t1', 'cmp_l', 'device-c', c.lease);
    expect((await ledger.claim('t1', 'cmp_l', 'device-c', now, 60_000)).outcome).toBe('claimed');

    const entries = await ledger.entries('t1', 'cmp_l');
    expect(entries.map((e) => [e.deviceId, e.state, e.batchId]).sort()).toEqual([['device-a', 'sent', 'w:0:0'], ['device-b', 'suppressed', 'w:0:1'], ['device-c', 'sending', null]]);
  });

  test('counters: a batch applied twice counts once; completion comes from the counters and folds them', async () => {
    const { campaigns } = local.deps;
    await campaigns.create({ ...benchCampaign('t1', 'cmp_c'), targeted: 150, batchesEnqueued: 2, wavesPending: 0 });
    expect(await campaigns.addBatchCounters('t1', 'cmp_c', 'done:now:0:0', { sent: 90, supOptedOut: 10, batchesDone: 1 })).toBe(true);
    expect(await campaigns.addBatchCounters('t1', 'cmp_c', 'done:now:0:0', { sent: 90, supOptedOut: 10, batchesDone: 1 })).toBe(false);
    expect(await campaigns.get('t1', 'cmp_c')).toMatchObject({ status: 'sending', sent: 90, supOptedOut: 10, batchesDone: 1, batchesEnqueued: 2 });
    expect(await campaigns.get('t1', 'cmp_c', { liveCounters: false })).toMatchObject({ sent: 0, batchesDone: 0 });
    expect(await campaigns.completeIfDone('t1', 'cmp_c', now.toISOString())).toBe(false);

    // A quiet-hours deferral is counted enqueued (once) before its parent batch is done.
    expect(await campaigns.addBatchCounters('t1', 'cmp_c', 'enqueued:now:0:1>qabc', { batchesEnqueued: 1 })).toBe(true);
    expect(await campaigns.addBatchCounters('t1', 'cmp_c', 'enqueued:now:0:1>qabc', { batchesEnqueued: 1 })).toBe(false);
    expect(await campaigns.addBatchCounters('t1', 'cmp_c', 'done:now:0:1', { sent: 49, batchesDone: 1 })).toBe(true);
    expect(await campaigns.completeIfDone('t1', 'cmp_c', now.toISOString())).toBe(false);
    expect(await campaigns.addBatchCounters('t1', 'cmp_c', 'done:now:0:1>qabc', { sent: 1, batchesDone: 1 })).toBe(true);
    expect(await campaigns.completeIfDone('t1', 'cmp_c', now.toISOString())).toBe(true);
    expect(await campaigns.completeIfDone('t1', 'cmp_c', now.toISOString())).toBe(false);

    const done = await campaigns.get('t1', 'cmp_c', { liveCounters: false });
    expect(done).toMatchObject({ status: 'sent', targeted: 150, sent: 140, supOptedOut: 10, batchesEnqueued: 3, batchesDone: 3 });
    expect(await campaigns.addBatchCounters('t1', 'cmp_c', 'done:now:0:0', { sent: 90, batchesDone: 1 })).toBe(false);
    expect(await campaigns.get('t1', 'cmp_c')).toMatchObject({ sent: 140, batchesDone: 3 });
  });

  test('send history: every sent ledger item is in the sends-by-device index, which a cap switched on later counts', async () => {
    const { caps, ledger } = local.deps;
    const push = async (campaignId: string, deviceId: string, at: Date, state: 'sent' | 'suppressed' = 'sent') => {
      const claim = await ledger.claim('t1', campaignId, deviceId, at, 60_000);
      if (claim.outcome !== 'claimed') throw new Error(claim.outcome);
      expect(await ledger.finish('t1', campaignId, deviceId, claim.lease, { state, reason: null, platform: 'ios', at: at.toISOString() })).toBe(true);
    };
    await push('cmp_a', 'dev-h', now); // no cap: no write besides the ledger's own
    await push('cmp_x', 'dev-h', later(500), 'suppressed'); // not a push: not in the history
    expect(await deliveries.get(deliveryKeys.cap('t1', 'dev-h'))).toBeUndefined();

    const cap = { maxPerDevice: 1, windowHours: 24 };
    expect(await caps.reserve('t1', 'dev-h', 'cmp_b', later(3_600_000), cap)).toBe(false);
    expect(await caps.reserve('t1', 'dev-h', 'cmp_a', later(3_600_000), cap)).toBe(true); // its own push
    expect(await caps.reserve('t1', 'dev-h', 'cmp_b', later(25 * 3_600_000), cap)).toBe(true); // cmp_a left the window
    await push('cmp_c', 'dev-h', later(26 * 3_600_000)); // sent while the cap was off again
    expect(await caps.reserve('t1', 'dev-h', 'cmp_d', later(27 * 3_600_000), { maxPerDevice: 2, windowHours: 24 })).toBe(false);
    expect(await caps.reserve('t1', 'dev-h', 'cmp_d', later(27 * 3_600_000), { maxPerDevice: 3, windowHours: 24 })).toBe(true);
  });

});
