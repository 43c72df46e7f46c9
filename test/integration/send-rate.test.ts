/**
 * Throttling (API.md v1.1 `sendRate`) through the local world: validated on create and PUT, shown
 * on the campaign, and a wave paced by the queue (batch notBefore), not by sleeping: 300 devices at
 * 100 a minute go out one 100-device batch per minute of the world's clock.
 */
import { offsetClock } from '../../lambdas/ports/clock';
import { DEVICES_PER_BATCH } from '../../lambdas/ports/send-queue';
import { campaignBody, expectError, registerDevices, TestWorld, waitFor, type Caller } from './harness';

describe('sendRate on the local world', () => {
  const clock = offsetClock();
  const t = new TestWorld({ clock, queue: { concurrency: 4 } });
  let shop: Caller;
  const api = t.as(() => shop);
  const campaign = async (id: string) => (await api('GET', `/v1/campaigns/${id}`)).body;

  beforeAll(async () => {
    await t.start();
    shop = await t.tenant('rate-shop');
  });
  afterAll(async () => {
    clock.setOffset(0);
    await t.stop();
  });

  test('sendRate is optional, validated with its path, and kept on create and PUT', async () => {
    const plain = await api('POST', '/v1/campaigns', campaignBody());
    expect(plain.status).toBe(201);
    expect(plain.body.sendRate).toBeNull();

    for (const [sendRate, message] of [
      [{ perMinute: 99 }, 'must be at least 100'],
      [{ perMinute: 1_000_001 }, 'must be at most 1000000'],
      [{ perMinute: 250.5 }, 'must be an integer'],
    ] as const) {
      const res = await api('POST', '/v1/campaigns', campaignBody({ sendRate }));
      expectError(res, 400, 'validation_error');
      expect(res.body.error.details).toEqual([{ path: 'sendRate.perMinute', message }]);
    }
    const extra = await api('POST', '/v1/campaigns', campaignBody({ sendRate: { perMinute: 500, burst: 10 } }));
    expectError(extra, 400, 'validation_error');
    expect(extra.body.error.details[0].path).toBe('sendRate.burst');

    const created = await api('POST', '/v1/campaigns', campaignBody({ sendRate: { perMinute: 6000 } }));
    expect(created.status).toBe(201);
    expect(created.body.sendRate).toEqual({ perMinute: 6000 });
    const put = await api('PUT', `/v1/campaigns/${created.body.id}`, campaignBody({ name: 'Slower', sendRate: { perMinute: 300 } }));
    expect(put.status).toBe(200);
    expect((await campaign(created.body.id)).sendRate).toEqual({ perMinute: 300 });
    const badPut = await api('PUT', `/v1/campaigns/${created.body.id}`, campaignBody({ sendRate: { perMinute: 50 } }));
    expectError(badPut, 400, 'validation_error');
    expect((await api('PUT', `/v1/campaigns/${created.body.id}`, campaignBody({ sendRate: null }))).body.sendRate).toBeNull();
  });

  test('300 devices at 100 a minute: one batch a minute, held in the queue, sent as the clock moves', async () => {
    expect(DEVICES_PER_BATCH).toBe(100); // the arithmetic below: 3 batches, 1 minute apart
    await api('PUT', '/v1/settings', {});
    const ids = Array.from({ length: 300 }, (_, i) => `r-${String(i).padStart(3, '0')}`);
    for (let i = 0; i < ids.length; i += 25) {
      await Promise.all(
        ids.slice(i, i + 25).map((id) => registerDevices(t, shop, [[id, { country: 'SE', platform: i % 2 ? 'ios' : 'android' }]])),
      );
    }
    const c = (await api('POST', '/v1/campaigns', campaignBody({ sendRate: { perMinute: 100 } }))).body;
    expect((await api('POST', `/v1/campaigns/${c.id}/launch`)).status).toBe(200);
    const sentCount = (n: number) =>
      waitFor(async () => ((await campaign(c.id)).progress.sent === n ? true : undefined), 20_000, `${n} sent`);
    // A message leaves the queue just after its batch is counted: wait for the deletion, then insist nothing is dead.
    const queueDepth = async (queued: number) => {
      await waitFor(async () => ((await t.world.queue.depth()).queued === queued ? true : undefined), 5_000, `${queued} queued`);
      expect(await t.world.queue.depth()).toEqual({ queued, dead: 0 });
    };

    // The first batch goes at once; the other two wait in the queue with their notBefore.
    await sentCount(100);
    await queueDepth(2);
    // A few polls of the queue later nothing more has gone: nothing is due yet on the world's clock.
    await new Promise((r) => setTimeout(r, 800));
    expect((await campaign(c.id)).progress.sent).toBe(100);

    clock.advance(60_000);
    await sentCount(200);
    await queueDepth(1);

    clock.advance(60_000);
    await sentCount(300);
    const done = await waitFor(
      async () => {
        const now = await campaign(c.id);
        return now.status === 'sent' ? now : undefined;
      },
      20_000,
      'campaign sent',
    );
    expect(done.progress).toMatchObject({ targeted: 300, sent: 300, failed: 0 });

    // Each device once (the outbox records every push, so a duplicate would show).
    const items = (await t.request('GET', `/local/outbox?campaignId=${c.id}`, { token: shop.token })).body.items as { deviceId: string }[];
    expect(items).toHaveLength(300);
    expect(new Set(items.map((i) => i.deviceId))).toEqual(new Set(ids));
  });
});
