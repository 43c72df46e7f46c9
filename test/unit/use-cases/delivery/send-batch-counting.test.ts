/**
 * Counting without the ledger: each batch adds its counts with one update keyed by its id, so a
 * batch applied twice counts once, and a batch retried after a crash between recording outcomes and
 * counting them ends exact (the devices its id finished are counted by the retry). The in-memory
 * ledger of the bench throws on `entries`: the sender and completion never read it.
 */
import type { Device } from '../../../../lambdas/domain/devices/device';
import type { CampaignStore } from '../../../../lambdas/ports/campaign-store';
import { TransientPushError } from '../../../../lambdas/ports/push-gateway';
import { completeIfDone } from '../../../../lambdas/use-cases/delivery/complete-campaign';
import { sendBatch } from '../../../../lambdas/use-cases/delivery/send-batch';
import { benchCampaign, memorySenderDeps } from '../../../../scripts/bench/fakes';

const device = (id: string, over: Partial<Device> = {}): Device => ({
  tenantId: 't1', deviceId: id, platform: 'ios', token: `tok-${id}`, optedIn: true, country: null, timezone: null, locale: null,
  appVersion: null, customerId: null, tokenState: 'valid', endpointArn: null, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', ...over,
});

const fleet = [device('a'), device('b'), device('c', { optedIn: false }), device('d')];
const batch = { tenantId: 't1', campaignId: 'cmp_1', waveId: 'now', batchId: 'now:0:0', deviceIds: fleet.map((d) => d.deviceId) };

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
    const real = deps.campaigns.addBatchCounters.bind(deps.campaigns);
    let crash = true;
    deps.campaigns = {
      ...deps.campaigns,
      addBatchCounters: async (...args: Parameters<CampaignStore['addBatchCounters']>) => {
        if (crash) {
          crash = false;
          throw new Error('killed before the counter update');
        }
        return real(...args);
      },
    } as CampaignStore;
    await expect(sendBatch(deps, batch)).rejects.toThrow('killed');
    expect(deps.counters()).toEqual({});
    await sendBatch(deps, batch); // the queue redelivers it: every device is done, by this batch
    await sendBatch(deps, batch); // and once more, after it was counted
    expect(deps.pushes()).toBe(3);
    expect(deps.counters()).toEqual({ sent: 3, supOptedOut: 1, batchesDone: 1 });
  });

  test('a device finished by another batch (a duplicate page) is counted by that batch only', async () => {
    const deps = memorySenderDeps(benchCampaign('t1', 'cmp_1'), fleet);
    await sendBatch(deps, { ...batch, batchId: 'now:0:0', deviceIds: ['a', 'b'] });
    await sendBatch(deps, { ...batch, batchId: 'now:1:0', deviceIds: ['b', 'c', 'd'] });
    expect(deps.pushes()).toBe(3);
    expect(deps.counters()).toEqual({ sent: 3, supOptedOut: 1, batchesDone: 2 });
  });

  test('a batch with a transient failure counts nothing until its retry, then everything once', async () => {
    const deps = memorySenderDeps(benchCampaign('t1', 'cmp_1'), fleet);
    const send = deps.gateway.send.bind(deps.gateway);
    let failD = true;
    deps.gateway = {
      ...deps.gateway,
      send: async (push) => {
        if (push.deviceId === 'd' && failD) {
          failD = false;
          throw new TransientPushError('throttled');
        }
        return send(push);
      },
    };
    await expect(sendBatch(deps, batch)).rejects.toThrow('transient');
    expect(deps.counters()).toEqual({});
    await sendBatch(deps, batch);
    expect(deps.pushes()).toBe(3);
    expect(deps.counters()).toEqual({ sent: 3, supOptedOut: 1, batchesDone: 1 });
  });

  test('completion never reads the ledger', async () => {
    const deps = memorySenderDeps(benchCampaign('t1', 'cmp_1'), fleet);
    await expect(deps.ledger.entries('t1', 'cmp_1')).rejects.toThrow();
    let asked = 0;
    deps.campaigns = { ...deps.campaigns, completeIfDone: async () => (asked++, true) } as CampaignStore;
    await sendBatch(deps, batch);
    expect(asked).toBe(1);
    await expect(completeIfDone(deps, 't1', 'cmp_1')).resolves.toBe(true);
  });
});
