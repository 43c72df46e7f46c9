/**
 * The delivery stores on dynalite (real conditional writes): a sharded chunk ledger with claim/lease
 * semantics, per-batch counters applied once, completion from counters, and cap reservations that
 * count the pushes the lake knew of (made with or without a cap) and stay strict across campaigns.
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

  test('ledger: chunks of one campaign in different partitions; claim, busy, part-done, done, interrupted takeover', async () => {
    const { ledger } = local.deps;
    const sent = (at: Date) => ({ state: 'sent' as const, reason: null, platform: 'ios' as const, at: at.toISOString() });
    const a = await ledger.claimChunk('t1', 'cmp_l', 'now:e:0:0', now, 60_000);
    const b = await ledger.claimChunk('t1', 'cmp_l', 'now:e:0:1', now, 60_000);
    if (a.outcome !== 'claimed' || b.outcome !== 'claimed') throw new Error('not claimed');
    expect(a).toMatchObject({ recorded: {}, interrupted: false });
    const [itemA, itemB] = await Promise.all([
      deliveries.get(deliveryKeys.chunk('t1', 'cmp_l', 'now:e:0:0')),
      deliveries.get(deliveryKeys.chunk('t1', 'cmp_l', 'now:e:0:1')),
    ]);
    expect(itemA?.pk).not.toBe(itemB?.pk);
    expect(itemA?.expiresAt).toBeGreaterThan(now.getTime() / 1000 + 80 * 86_400);
    expect(await ledger.claimChunk('t1', 'cmp_l', 'now:e:0:0', later(1000), 60_000)).toEqual({ outcome: 'busy' });

    // Part-done (a transient failure): the outcomes so far are kept, the chunk is free again.
    expect(await ledger.recordChunk('t1', 'cmp_l', 'now:e:0:0', 'not-my-lease', { x: sent(now) }, true, now)).toBe(false);
    expect(await ledger.recordChunk('t1', 'cmp_l', 'now:e:0:0', a.lease, { 'device-a': sent(now) }, false, now)).toBe(true);
    const again = await ledger.claimChunk('t1', 'cmp_l', 'now:e:0:0', later(2000), 60_000);
    expect(again).toMatchObject({ outcome: 'claimed', recorded: { 'device-a': sent(now) }, interrupted: false });
    if (again.outcome !== 'claimed') throw new Error('not claimed');
    const outcomes = {
      'device-a': sent(now),
      'device-z': { state: 'suppressed' as const, reason: 'optedOut', platform: null, at: later(2000).toISOString() },
    };
    expect(await ledger.recordChunk('t1', 'cmp_l', 'now:e:0:0', again.lease, outcomes, true, later(2000))).toBe(true);
    expect(await ledger.claimChunk('t1', 'cmp_l', 'now:e:0:0', later(3000), 60_000)).toEqual({ outcome: 'done', recorded: outcomes });

    // A holder that died: busy until its lease runs out, then taken over as interrupted; the dead holder cannot record any more.
    expect(await ledger.claimChunk('t1', 'cmp_l', 'now:e:0:1', later(59_000), 60_000)).toEqual({ outcome: 'busy' });
    const taken = await ledger.claimChunk('t1', 'cmp_l', 'now:e:0:1', later(61_000), 60_000);
    expect(taken).toMatchObject({ outcome: 'claimed', recorded: {}, interrupted: true });
    expect(await ledger.recordChunk('t1', 'cmp_l', 'now:e:0:1', b.lease, {}, true, later(61_000))).toBe(false);
  });

  test('counters: a batch applied twice counts once; completion comes from the counters and folds them', async () => {
    const { campaigns } = local.deps;
    await campaigns.create({ ...benchCampaign('t1', 'cmp_c'), targeted: 150, batchesEnqueued: 2, wavesPending: 0 });
    expect(await campaigns.addBatchCounters('t1', 'cmp_c', 'done:now:0:0', { sent: 90, supOptedOut: 10, batchesDone: 1 })).toBe(true);
    expect(await campaigns.addBatchCounters('t1', 'cmp_c', 'done:now:0:0', { sent: 90, supOptedOut: 10, batchesDone: 1 })).toBe(false);
    expect(await campaigns.get('t1', 'cmp_c')).toMatchObject({
      status: 'sending',
      sent: 90,
      supOptedOut: 10,
      batchesDone: 1,
      batchesEnqueued: 2,
    });
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

  test("cap reservations count the lake's pushes (made with or without a cap), one per campaign, and their own", async () => {
    const { caps } = local.deps;
    const reserve = async (
      t: string,
      deviceId: string,
      campaignId: string,
      at: Date,
      cap: { maxPerDevice: number; windowHours: number },
      sent: { campaignId: string; at: string }[],
    ) => (await caps.reserveMany(t, campaignId, at, cap, [{ deviceId, sent }])).has(deviceId);
    const cap = { maxPerDevice: 1, windowHours: 24 };
    const lake = [
      { campaignId: 'cmp_a', at: now.toISOString() },
      { campaignId: 'cmp_a', at: now.toISOString() },
    ]; // a chunk written twice
    expect(await reserve('t1', 'dev-h', 'cmp_b', later(3_600_000), cap, lake)).toBe(false);
    expect(await deliveries.get(deliveryKeys.cap('t1', 'dev-h'))).toBeUndefined(); // refusing writes nothing
    expect(await reserve('t1', 'dev-h', 'cmp_b', later(3_600_000), { maxPerDevice: 2, windowHours: 24 }, lake)).toBe(true); // counted once
    expect(await reserve('t1', 'dev-h', 'cmp_b', later(3_600_000), { maxPerDevice: 2, windowHours: 24 }, lake)).toBe(true); // a retry finds its reservation
    // cmp_b's reservation counts for the next campaign even before the lake has it.
    expect(await reserve('t1', 'dev-h', 'cmp_c', later(4 * 3_600_000), { maxPerDevice: 2, windowHours: 24 }, lake)).toBe(false);
    expect(await reserve('t1', 'dev-h', 'cmp_c', later(26 * 3_600_000), cap, lake)).toBe(true); // both left the window
  });

  test("an automation's push reserved per batch counts once, not again from the lake's row of it", async () => {
    const { caps } = local.deps;
    const cap = { maxPerDevice: 2, windowHours: 24 };
    const one = (campaignId: string, at: Date, sent: { campaignId: string; at: string }[]) =>
      caps.reserveMany('t1', campaignId, at, cap, [{ deviceId: 'dev-auto', sent }]).then((s) => s.has('dev-auto'));
    // The cart reminder pushed it (reserved as automation/batch); later its lake row (automation id) comes with a wave.
    expect(await one('cmp_auto/auto:b1', now, [])).toBe(true);
    const lake = [{ campaignId: 'cmp_auto', at: now.toISOString() }];
    expect(await one('cmp_x', later(3_600_000), lake)).toBe(true); // 1 push so far: under a cap of 2
    expect(await one('cmp_y', later(2 * 3_600_000), lake)).toBe(false); // now 2
    // A second occurrence of the automation is its own reservation (not "already pushed by this campaign").
    expect(await one('cmp_auto/auto:b2', later(25 * 3_600_000), lake)).toBe(true);
  });

  test('cap reservations stay strict when campaigns reserve the same device at once', async () => {
    const { caps } = local.deps;
    const cap = { maxPerDevice: 2, windowHours: 24 };
    // Six campaigns' chunks, each with the same two devices and one of their own, at the same moment.
    const results = await Promise.all(
      ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'].map((c) =>
        caps.reserveMany(
          't1',
          c,
          now,
          cap,
          ['dev-race', 'dev-race-2', `own-${c}`].map((deviceId) => ({ deviceId, sent: [] })),
        ),
      ),
    );
    expect(results.filter((r) => r.has('dev-race'))).toHaveLength(2);
    expect(results.filter((r) => r.has('dev-race-2'))).toHaveLength(2);
    expect(results.every((r, i) => r.has(`own-c${i + 1}`))).toBe(true);
  });
});
