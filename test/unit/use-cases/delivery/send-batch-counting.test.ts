/**
 * A batch is one chunk of the ledger: claimed once, its outcomes recorded in one write, counted with
 * one update keyed by its id. So a batch applied twice counts once and pushes nobody twice; a batch
 * retried after a crash between recording and counting ends exact; a transient failure records what
 * is done and the retry sends only the rest; a sender that died holding the chunk is taken over and
 * the gateway's delivery record keeps a device from being pushed again. Every outcome reaches the
 * lake's deliveries table before the batch counts.
 */
import type { Device } from '../../../../lambdas/domain/devices/device';
import { deviceRecord } from '../../../support/devices';
import type { CampaignStore } from '../../../../lambdas/ports/campaign-store';
import { TransientPushError } from '../../../../lambdas/ports/push-gateway';
import { completeIfDone } from '../../../../lambdas/use-cases/delivery/complete-campaign';
import { sendBatch } from '../../../../lambdas/use-cases/delivery/send-batch';
import { benchCampaign, memorySenderDeps } from '../../../../scripts/bench/fakes';

const device = (id: string, over: Partial<Device> = {}) =>
  deviceRecord(id, { createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', ...over });

const fleet = [device('a'), device('b'), device('c', { optedIn: false }), device('d')];
const batch = { tenantId: 't1', campaignId: 'cmp_1', waveId: 'now', batchId: 'now:x:0:0', deviceIds: fleet.map((d) => d.deviceId) };

/** The gateway throws `error` for the first push to `deviceId`, then pushes normally. */
function failOnce(deps: ReturnType<typeof memorySenderDeps>, deviceId: string, error: Error): void {
  const send = deps.gateway.send.bind(deps.gateway);
  let failed = false;
  deps.gateway = {
    ...deps.gateway,
    send: async (push) => {
      if (push.deviceId === deviceId && !failed) {
        failed = true;
        throw error;
      }
      return send(push);
    },
  };
}

/** The first counter update of the campaign throws (the process dies before counting); `check` runs before every update. */
function crashBeforeCountingOnce(deps: ReturnType<typeof memorySenderDeps>, check: () => void = () => {}): void {
  const real = deps.campaigns.addBatchCounters.bind(deps.campaigns);
  let crash = true;
  deps.campaigns = {
    ...deps.campaigns,
    addBatchCounters: async (...args: Parameters<CampaignStore['addBatchCounters']>) => {
      check();
      if (crash) {
        crash = false;
        throw new Error('killed before the counter update');
      }
      return real(...args);
    },
  } as CampaignStore;
}

describe('sendBatch counts each batch once, from its own outcomes', () => {
  test('the same batch delivered twice is counted once and pushes nobody twice', async () => {
    const deps = memorySenderDeps(benchCampaign('t1', 'cmp_1'), fleet);
    await sendBatch(deps, batch);
    await sendBatch(deps, batch);
    expect(deps.pushes()).toBe(3);
    expect(deps.counters()).toEqual({ sent: 3, supOptedOut: 1, batchesDone: 1 });
  });

  test('a crash between recording the outcomes and counting them: the retry counts them, exactly', async () => {
    const deps = memorySenderDeps(benchCampaign('t1', 'cmp_1'), fleet);
    crashBeforeCountingOnce(deps);
    await expect(sendBatch(deps, batch)).rejects.toThrow('killed');
    expect(deps.counters()).toEqual({});
    await sendBatch(deps, batch); // the queue redelivers it: every device is done, by this batch
    await sendBatch(deps, batch); // and once more, after it was counted
    expect(deps.pushes()).toBe(3);
    expect(deps.counters()).toEqual({ sent: 3, supOptedOut: 1, batchesDone: 1 });
  });

  test('a batch with a transient failure counts nothing until its retry, then everything once', async () => {
    const deps = memorySenderDeps(benchCampaign('t1', 'cmp_1'), fleet);
    failOnce(deps, 'd', new TransientPushError('throttled'));
    await expect(sendBatch(deps, batch)).rejects.toThrow('transient');
    expect(deps.counters()).toEqual({});
    expect(deps.pushes()).toBe(2); // a and b went out; their outcomes are recorded in the chunk
    await sendBatch(deps, batch); // the retry sends d only
    expect(deps.pushes()).toBe(3);
    expect(deps.counters()).toEqual({ sent: 3, supOptedOut: 1, batchesDone: 1 });
  });

  test('a sender that died holding the chunk: the next one takes over once the lease ran out and pushes only what did not go out', async () => {
    const deps = memorySenderDeps(benchCampaign('t1', 'cmp_1'), fleet);
    const delivered = new Set<string>();
    const send = deps.gateway.send.bind(deps.gateway);
    let dieAfter = 2;
    deps.gateway = {
      send: async (push) => {
        if (dieAfter-- <= 0) throw new Error('SIGKILL');
        delivered.add(push.deviceId);
        return send(push);
      },
      deliveryRecord: async (_t, _c, deviceId) => (delivered.has(deviceId) ? 'delivered' : 'not_delivered'),
    };
    deps.concurrency = 1;
    // The process dies: nothing after the pushes runs, the chunk's outcomes are never recorded.
    const recordChunk = deps.ledger.recordChunk.bind(deps.ledger);
    deps.ledger = { ...deps.ledger, recordChunk: async () => Promise.reject(new Error('SIGKILL')) };
    await expect(sendBatch(deps, batch)).rejects.toThrow('SIGKILL'); // died: the chunk stays claimed, nothing recorded
    deps.ledger = { ...deps.ledger, recordChunk };
    dieAfter = Infinity;
    const clock = deps.clock;
    deps.clock = { now: () => new Date(clock.now().getTime() + 30_000) };
    await expect(sendBatch(deps, batch)).rejects.toThrow('held by another sender'); // its lease still runs
    deps.clock = { now: () => new Date(clock.now().getTime() + 61_000) };
    await sendBatch(deps, batch);
    expect(deps.pushes()).toBe(3);
    expect([...delivered].sort()).toEqual(['a', 'b', 'd']);
    expect(deps.counters()).toEqual({ sent: 3, supOptedOut: 1, batchesDone: 1 });
  });

  test('every outcome is in the lake before the batch counts, once per device even when a retry writes it again', async () => {
    const deps = memorySenderDeps(benchCampaign('t1', 'cmp_1'), fleet);
    crashBeforeCountingOnce(deps, () => expect(new Set(deps.lakeRows().map((r) => r.device_id))).toEqual(new Set(['a', 'b', 'c', 'd'])));
    await expect(sendBatch(deps, batch)).rejects.toThrow('killed');
    await sendBatch(deps, batch);
    const rows = deps.lakeRows();
    expect(rows).toHaveLength(8); // written twice; readers keep one per (campaign, device)
    expect(rows.filter((r) => r.device_id === 'c')[0]).toMatchObject({
      campaign_id: 'cmp_1',
      outcome: 'suppressed',
      reason: 'optedOut',
      batch_id: 'now:x:0:0',
      wave_id: 'now',
    });
    expect(
      rows
        .filter((r) => r.outcome === 'sent')
        .map((r) => r.device_id)
        .sort(),
    ).toEqual(['a', 'a', 'b', 'b', 'd', 'd']);
  });

  test('an unexpected error on one device (a throttled write) still records the others: the redelivery pushes only that one', async () => {
    const deps = memorySenderDeps(benchCampaign('t1', 'cmp_1'), fleet);
    failOnce(deps, 'b', new Error('ProvisionedThroughputExceededException'));
    await expect(sendBatch(deps, batch)).rejects.toThrow('ProvisionedThroughput');
    expect(deps.pushes()).toBe(2); // a and d
    await sendBatch(deps, batch); // not interrupted: the chunk was given back with a and d recorded
    expect(deps.pushes()).toBe(3);
    expect(deps.counters()).toEqual({ sent: 3, supOptedOut: 1, batchesDone: 1 });
  });

  test('completion comes from the counters', async () => {
    const deps = memorySenderDeps(benchCampaign('t1', 'cmp_1'), fleet);
    let asked = 0;
    deps.campaigns = { ...deps.campaigns, completeIfDone: async () => (asked++, true) } as CampaignStore;
    await sendBatch(deps, batch);
    expect(asked).toBe(1);
    await expect(completeIfDone(deps, 't1', 'cmp_1')).resolves.toBe(true);
  });
});
