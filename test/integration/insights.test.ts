/**
 * Campaign insights on the local world: a campaign goes out through the real sender, the SDK reports
 * opens and purchases, and GET /v1/campaigns/{id}/insights equals the figures computed by hand.
 */
import type { DeliveryRow } from '../../lambdas/domain/lake-schema';
import { getCampaignInsights } from '../../lambdas/use-cases/insights/campaign-insights';
import { countrySegment, expectError, registerDevices, TestWorld, launchNow as launchNowOn, waitSent } from './harness';

const HOUR = 3_600_000;
const MIN = 60_000;

describe('campaign insights on the local world', () => {
  const t = new TestWorld({ queue: { concurrency: 4 } });
  const [shop, other] = t.tenants('insights-shop', 'insights-other');
  let mainId: string;
  let warmId: string;
  let T: number;
  const api = t.as(() => shop);
  const launchNow = (segmentId: string) => launchNowOn(t, shop, { segmentId });
  const sent = (id: string) => waitSent(t, shop, id, 20_000);
  const at = (ms: number) => new Date(T + ms).toISOString();

  t.forSuite(async () => {
    // A 2-hour attribution window, and a cap of one push a day so the warm-up campaign caps one device.
    expect(
      (await api('PUT', '/v1/settings', { attributionWindowHours: 2, frequencyCap: { maxPerDevice: 1, windowHours: 24 } })).status,
    ).toBe(200);
    await registerDevices(t, shop, [
      ['in-i1', { platform: 'ios', country: 'IS' }],
      ['in-i2', { platform: 'ios', country: 'IS' }],
      ['in-i3', { platform: 'ios', country: 'IS' }],
      ['in-i4', { platform: 'ios', country: 'IS' }],
      ['in-a1', { platform: 'android', country: 'IS' }],
      ['in-a2', { platform: 'android', country: 'IS' }],
      ['in-a3', { platform: 'android', country: 'IS' }],
      ['in-capped', { platform: 'android', country: 'GL' }],
      ['in-stranger', { platform: 'ios', country: 'NO' }],
    ]);
    const greenland = await countrySegment(t, shop, 'Greenland', ['GL']);
    const nordic = await countrySegment(t, shop, 'Iceland and Greenland', ['IS', 'GL']);
    warmId = await launchNow(greenland.id);
    await sent(warmId);
    // in-a3's token is rejected by the provider: suppressed as invalidToken; in-capped is over the cap.
    await api('PUT', '/local/push-gateway', { unregisteredTokens: ['tok-in-a3'] });
    mainId = await launchNow(nordic.id);
    await sent(mainId);
    await api('PUT', '/local/push-gateway', {});
    T = Date.now();

    const open = (eventId: string, deviceId: string, ms: number, campaignId = mainId) => ({
      eventId,
      deviceId,
      type: 'push_open',
      ts: at(ms),
      campaignId,
    });
    const buy = (eventId: string, deviceId: string, ms: number, orderId: string, amount: number) => ({
      eventId,
      deviceId,
      type: 'purchase',
      ts: at(ms),
      orderId,
      amount,
      currency: 'USD',
    });
    const events = [
      open('e-i1-open', 'in-i1', 1 * MIN),
      open('e-i1-open', 'in-i1', 1 * MIN), // the same event reported twice
      buy('e-i1-buy1', 'in-i1', 30 * MIN, 'o-100', 50),
      buy('e-i1-buy2', 'in-i1', 40 * MIN, 'o-100', 50), // the same order reported again
      buy('e-i1-buy3', 'in-i1', 3 * HOUR, 'o-101', 20), // outside the 2 h window
      buy('e-i2-early', 'in-i2', -10 * MIN, 'o-200', 15), // before the open
      open('e-i2-open', 'in-i2', 5 * MIN),
      open('e-i2-open2', 'in-i2', 70 * MIN), // a later open: the first one counts
      buy('e-i2-buy', 'in-i2', 2 * HOUR + 4 * MIN, 'o-201', 30.25), // 1 min before the window closes
      open('e-i3-other', 'in-i3', 2 * MIN, warmId), // an open for another campaign
      buy('e-i3-buy', 'in-i3', 10 * MIN, 'o-300', 99),
      open('e-a1-open', 'in-a1', 10 * MIN),
      buy('e-a1-buy', 'in-a1', 20 * MIN, 'o-400', 12.5),
      open('e-i4-open', 'in-i4', 3 * HOUR),
      open('e-stranger-open', 'in-stranger', 1 * MIN), // never sent this campaign
      buy('e-stranger-buy', 'in-stranger', 5 * MIN, 'o-500', 1000),
      open('e-capped-open', 'in-capped', 1 * MIN), // suppressed for this campaign
      open('e-capped-warm', 'in-capped', 1 * MIN, warmId),
    ];
    const res = await t.request('POST', '/v1/events', { appKey: shop.appKey, body: { events } });
    expect(res.body).toEqual({ accepted: events.length, rejected: [] });
  });

  test('the insights equal the hand-computed figures', async () => {
    const res = await api('GET', `/v1/campaigns/${mainId}/insights`);
    expect(res.status).toBe(200);
    const none = { optedOut: 0, frequencyCap: 0, invalidToken: 0 };
    expect(res.body).toMatchObject({
      campaignId: mainId,
      targeted: 8,
      sent: 6,
      failed: 0,
      suppressed: { optedOut: 0, frequencyCap: 1, invalidToken: 1 },
      opened: 4, // i1, i2, a1, i4
      openRate: 0.6667,
      conversions: 3, // i1 (o-100), i2 (o-201), a1 (o-400)
      conversionRate: 0.5,
      revenue: 92.75,
      attributionWindowHours: 2,
      byPlatform: {
        ios: { sent: 4, failed: 0, suppressed: none, opened: 3, openRate: 0.75, conversions: 2, conversionRate: 0.5, revenue: 80.25 },
        android: {
          sent: 2,
          failed: 0,
          suppressed: { optedOut: 0, frequencyCap: 1, invalidToken: 1 },
          opened: 1,
          openRate: 0.5,
          conversions: 1,
          conversionRate: 0.5,
          revenue: 12.5,
        },
      },
    });
    expect(Date.parse(res.body.asOf)).toBeGreaterThanOrEqual(T);

    // The timeline starts at the hour of the campaign's first wave: 72 hourly buckets of first opens / first conversions.
    const campaign = (await api('GET', `/v1/campaigns/${mainId}`)).body;
    const start = Math.floor(Date.parse(campaign.waves[0].fireAt) / HOUR) * HOUR;
    const expected = Array.from({ length: 72 }, (_, i) => ({ hour: new Date(start + i * HOUR).toISOString(), opens: 0, conversions: 0 }));
    const bucket = (ms: number) => expected[Math.floor((T + ms - start) / HOUR)];
    for (const ms of [1 * MIN, 5 * MIN, 10 * MIN, 3 * HOUR]) bucket(ms).opens++;
    for (const ms of [30 * MIN, 2 * HOUR + 4 * MIN, 20 * MIN]) bucket(ms).conversions++;
    expect(res.body.timeline).toEqual(expected);
  });

  test('another campaign counts only its own opens; a second read is served from the cache', async () => {
    const warm = await api('GET', `/v1/campaigns/${warmId}/insights`);
    expect(warm.status).toBe(200);
    expect(warm.body).toMatchObject({ campaignId: warmId, targeted: 1, sent: 1, opened: 1, openRate: 1, conversions: 0, revenue: 0 });
    const first = await api('GET', `/v1/campaigns/${mainId}/insights`);
    const second = await api('GET', `/v1/campaigns/${mainId}/insights`);
    expect(second.body).toEqual(first.body); // same asOf: not counted again
  });

  test('the list of sent campaigns carries headline figures', async () => {
    const res = await api('GET', '/v1/campaigns?status=sent');
    expect(res.status).toBe(200);
    const byId = new Map(res.body.items.map((c: any) => [c.id, c.insights]));
    expect(byId.get(mainId)).toEqual({ sent: 6, opened: 4, openRate: 0.6667, conversions: 3, revenue: 92.75 });
    expect(byId.get(warmId)).toEqual({ sent: 1, opened: 1, openRate: 1, conversions: 0, revenue: 0 });
    const all = await api('GET', '/v1/campaigns');
    expect(all.body.items.every((c: any) => !('insights' in c))).toBe(true);
  });

  test('a chunk whose deliveries rows are appended again (a retried batch) inflates no figure', async () => {
    const before = await api('GET', `/v1/campaigns/${mainId}/insights`);
    const rows = await t.world.engine.run({
      sql: 'SELECT * EXCLUDE (tenant_id, dt) FROM deliveries WHERE tenant_id = ? AND campaign_id = ? ORDER BY device_id, ts',
      params: ['insights-shop', mainId],
    });
    // The trigger's `queued` row of each device comes before the sender's outcome.
    expect(rows.filter((r) => r.outcome === 'queued').map((r) => r.device_id)).toEqual([
      'in-a1',
      'in-a2',
      'in-a3',
      'in-capped',
      'in-i1',
      'in-i2',
      'in-i3',
      'in-i4',
    ]);
    expect(rows.filter((r) => r.outcome !== 'queued').map((r) => [r.device_id, r.outcome, r.reason])).toEqual([
      ['in-a1', 'sent', null],
      ['in-a2', 'sent', null],
      ['in-a3', 'suppressed', 'invalidToken'],
      ['in-capped', 'suppressed', 'frequencyCap'],
      ['in-i1', 'sent', null],
      ['in-i2', 'sent', null],
      ['in-i3', 'sent', null],
      ['in-i4', 'sent', null],
    ]);
    await t.world.lake.appendDeliveries('insights-shop', rows as unknown as DeliveryRow[]);
    // Counted again from the lake (no cache), not served from the cache.
    const again = await getCampaignInsights({ ...t.world.deps, insightsTtlMs: 0 }, 'insights-shop', mainId);
    expect(again.ready).toBe(true);
    expect({ ...again.result, asOf: null }).toEqual({ ...before.body, asOf: null });
  });

  test('unknown ids and other tenants’ campaigns are 404', async () => {
    expectError(await api('GET', '/v1/campaigns/cmp_nope/insights'), 404, 'not_found');
    expectError(await api('GET', `/v1/campaigns/${'x'.repeat(300)}/insights`), 404, 'not_found');
    expectError(await api('GET', `/v1/campaigns/${mainId}/insights`, undefined, other), 404, 'not_found');
    expect((await t.request('GET', `/v1/campaigns/${mainId}/insights`)).status).toBe(401);
  });
});
