/**
 * Fault: the push gateway fails 20 % of provider calls and goes through throttling bursts (latency
 * spikes) during a send → every targeted device is pushed exactly once.
 */
import { campaignBody, outboxDevices, TestWorld, waitFor } from '../integration/harness';
import { duplicates, fleet, FULL, registerFleet, sleep } from './support';

describe('faults: a flaky, throttling push gateway', () => {
  const t = new TestWorld({ queue: { concurrency: 4 } });
  const [shop] = t.tenants('fault-gateway');
  t.forSuite();

  test('20 % transient failures plus latency bursts: each device pushed exactly once', async () => {
    const n = FULL ? 3000 : 400;
    const devices = fleet(shop.tenantId, n, 'gw');
    await registerFleet(t, devices);
    const api = t.as(() => shop);
    await api('PUT', '/local/push-gateway', { failureRate: 0.2 });
    const c = (await api('POST', '/v1/campaigns', campaignBody())).body;
    expect((await api('POST', `/v1/campaigns/${c.id}/launch`)).status).toBe(200);

    // Throttling bursts: every 400 ms flip between a slow provider and a fast one, failures throughout.
    let bursting = true;
    const bursts = (async () => {
      for (let i = 0; bursting; i++) {
        await api('PUT', '/local/push-gateway', { failureRate: 0.2, latencyMs: i % 2 === 0 ? 120 : 0 });
        await sleep(400);
      }
    })();
    const done = await waitFor(
      async () => {
        const cur = (await api('GET', `/v1/campaigns/${c.id}`)).body;
        return cur.status === 'sent' ? cur : undefined;
      },
      FULL ? 300_000 : 90_000,
      'campaign sent',
    );
    bursting = false;
    await bursts;

    const pushed = await outboxDevices(t, shop, c.id);
    expect(duplicates(pushed)).toEqual([]);
    expect(pushed).toEqual(devices.map((d) => d.deviceId).sort());
    expect(done.progress).toMatchObject({ targeted: n, sent: n, failed: 0, suppressed: 0 });
  }, 400_000);
});
