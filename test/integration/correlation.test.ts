/**
 * The correlation id in the local world: the gateway's request id (or the caller's x-correlation-id)
 * comes back on each response, and a launch's id travels with its waves to every send batch the
 * sender receives (through the persisted local scheduler and queue).
 */
import type { SendBatch } from '../../lambdas/ports/send-queue';
import { campaignBody, outboxDevices, registerDevices, TestWorld, waitFor } from './harness';

describe('correlation id, HTTP request → trigger → send batches (local world)', () => {
  const t = new TestWorld();
  const [shop] = t.tenants('corr-shop');
  let segmentId: string;

  t.forSuite(async () => {
    await registerDevices(t, shop, [
      ['d-1', { timezone: 'Europe/Paris' }],
      ['d-2', { timezone: 'America/New_York' }],
    ]);
    segmentId = (
      await t.request('POST', '/v1/segments', {
        token: shop.token,
        body: { name: 'All', match: 'all', criteria: [{ filter: 'platform', operator: 'in', value: ['ios'] }] },
      })
    ).body.id;
  });

  test('each response names its correlation id: the caller’s when valid, else the gateway’s request id', async () => {
    const given = await t.request('GET', '/v1/segments', { token: shop.token, headers: { 'x-correlation-id': 'support-ticket-42' } });
    expect(given.status).toBe(200);
    expect(given.headers.get('x-correlation-id')).toBe('support-ticket-42');
    const replaced = await t.request('GET', '/v1/segments', { token: shop.token, headers: { 'x-correlation-id': 'not valid!' } });
    expect(replaced.headers.get('x-correlation-id')).toBe(replaced.headers.get('x-request-id'));
    const failed = await t.request('GET', '/v1/segments/seg_nope', { token: shop.token });
    expect(failed.status).toBe(404);
    expect(failed.headers.get('x-correlation-id')).toBe(failed.headers.get('x-request-id'));
  });

  test('a launch’s correlation id rides on every batch the sender gets', async () => {
    const received: SendBatch[] = [];
    const enqueue = t.world.queue.enqueue.bind(t.world.queue);
    const spy = jest.spyOn(t.world.queue, 'enqueue').mockImplementation(async (batches) => {
      received.push(...batches);
      return enqueue(batches);
    });
    try {
      const c = (await t.request('POST', '/v1/campaigns', { token: shop.token, body: campaignBody({ segmentId }) })).body;
      const launched = await t.request('POST', `/v1/campaigns/${c.id}/launch`, {
        token: shop.token,
        headers: { 'x-correlation-id': 'launch-corr-7' },
      });
      expect(launched.status).toBe(200);
      expect(launched.headers.get('x-correlation-id')).toBe('launch-corr-7');
      await waitFor(
        async () => (await t.request('GET', `/v1/campaigns/${c.id}`, { token: shop.token })).body.status === 'sent',
        20_000,
        'campaign sent',
      );
      expect(await outboxDevices(t, shop, c.id)).toEqual(['d-1', 'd-2']);
      expect(received.length).toBeGreaterThan(0);
      for (const b of received) expect(b.correlationId).toBe('launch-corr-7');
    } finally {
      spy.mockRestore();
    }
  });
});
