/**
 * Fault: the query engine fails once in the middle of a campaign's fan-out (after some pages were
 * enqueued and are being sent) → the trigger fires again, reads on from its stored page, and the campaign
 * completes with every device pushed exactly once and counted once.
 *
 * The local world's deps are a plain object the scheduler and queue read at call time, so the test
 * wraps the engine (and shrinks the trigger's page size) on the running world without touching code.
 */
import { QueryFailedError, type QueryEngine } from '../../lambdas/ports/query-engine';
import type { FireWaveDeps } from '../../lambdas/use-cases/delivery/fire-wave';
import { campaignBody, outboxDevices, TestWorld, waitFor } from '../integration/harness';
import { duplicates, fleet, FULL, registerFleet } from './support';

describe('faults: the query engine fails once mid-campaign', () => {
  const t = new TestWorld({ queue: { concurrency: 4 } });
  const [shop] = t.tenants('fault-engine');
  t.forSuite();

  test('the campaign still completes, each device pushed exactly once', async () => {
    const n = FULL ? 2000 : 300;
    const pageSize = FULL ? 200 : 50;
    const devices = fleet(shop.tenantId, n, 'qe');
    await registerFleet(t, devices);

    const real = t.world.deps.queryEngine;
    let memberPages = 0;
    let memberRuns = 0;
    let injected = 0;
    const flaky: QueryEngine = {
      dialect: real.dialect,
      run: (q) => real.run(q),
      start: (q) => real.start(q),
      poll: (h) => real.poll(h),
      startResult: (q) => {
        memberRuns++;
        return real.startResult(q);
      },
      // The wave's one members result is read in pages; fail the third read once.
      readPage: async (h, page, rows) => {
        if (++memberPages === 3) {
          injected++;
          throw new QueryFailedError('injected engine failure');
        }
        return real.readPage(h, page, rows);
      },
    };
    Object.assign(t.world.deps as unknown as FireWaveDeps, { queryEngine: flaky, pageSize });

    const api = t.as(() => shop);
    const c = (await api('POST', '/v1/campaigns', campaignBody())).body;
    expect((await api('POST', `/v1/campaigns/${c.id}/launch`)).status).toBe(200);
    const done = await waitFor(
      async () => {
        const cur = (await api('GET', `/v1/campaigns/${c.id}`)).body;
        return cur.status === 'sent' || cur.status === 'failed' ? cur : undefined;
      },
      120_000,
      'campaign done',
    );

    expect(injected).toBe(1);
    expect(memberRuns).toBe(1); // the re-fired wave read on from its stored page, without running the query again
    expect(done.status).toBe('sent');
    const pushed = await outboxDevices(t, shop, c.id);
    expect(duplicates(pushed)).toEqual([]);
    expect(pushed).toEqual(devices.map((d) => d.deviceId).sort());
    expect(done.progress).toMatchObject({ targeted: n, sent: n, failed: 0 });
  }, 200_000);
});
