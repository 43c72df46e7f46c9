/**
 * GET /v1/campaigns/{id}/recipients on the local world: a campaign goes out through the real sender
 * to a few devices (one opted out by the time it is sent, one over the frequency cap), one device
 * reports a push_open, and the list shows each device once with its outcome, reason and first open.
 */
import {
  countrySegment,
  expectError,
  registerDevices,
  TestWorld,
  type Caller,
  launchNow as launchNowOn,
  waitSent,
  campaignBody,
} from './harness';

describe('campaign recipients on the local world', () => {
  const t = new TestWorld({ queue: { concurrency: 4 } });
  const [shop, other] = t.tenants('recipients-shop', 'recipients-other');
  let mainId: string;
  let openedAt: string;
  const api = t.as(() => shop);
  const recipients = (id: string, query = '', who: Caller = shop) => api('GET', `/v1/campaigns/${id}/recipients${query}`, undefined, who);

  t.forSuite(async () => {
    expect((await api('PUT', '/v1/settings', { frequencyCap: { maxPerDevice: 1, windowHours: 24 } })).status).toBe(200);
    await registerDevices(t, shop, [
      ['rc-1', { platform: 'ios', country: 'PT' }],
      ['rc-2', { platform: 'android', country: 'PT' }],
      ['rc-3', { platform: 'ios', country: 'PT' }],
      ['rc-out', { platform: 'ios', country: 'PT' }],
      ['rc-capped', { platform: 'android', country: 'GL' }],
    ]);
    // A first campaign reaches rc-capped: at the cap of one push a day for the next one.
    const warm = await launchNowOn(t, shop, { segmentId: (await countrySegment(t, shop, 'Greenland', ['GL'])).id });
    await waitSent(t, shop, warm, 20_000);
    // rc-out opts out after the lake's snapshot the audience reads: the sender finds it opted out.
    const devices = t.world.deps.devices;
    const before = await devices.get('recipients-shop', 'rc-out');
    expect(await devices.put({ ...before!, optedIn: false, updatedAt: new Date().toISOString() }, before)).toBe(true);

    const both = await countrySegment(t, shop, 'Portugal and Greenland', ['PT', 'GL']);
    mainId = await launchNowOn(t, shop, { segmentId: both.id });
    await waitSent(t, shop, mainId, 20_000);
    openedAt = new Date().toISOString();
    const events = [
      { eventId: 'rc-open-1', deviceId: 'rc-1', type: 'push_open', ts: openedAt, campaignId: mainId },
      { eventId: 'rc-open-2', deviceId: 'rc-2', type: 'push_open', ts: openedAt, campaignId: warm }, // another campaign's open
    ];
    expect((await t.request('POST', '/v1/events', { appKey: shop.appKey, body: { events } })).body).toEqual({ accepted: 2, rejected: [] });
  });

  test('each device once, with its outcome, reason, wave and first open', async () => {
    const res = await recipients(mainId);
    expect(res.status).toBe(200);
    const campaign = (await api('GET', `/v1/campaigns/${mainId}`)).body;
    const waveId = campaign.waves[0].id;
    const row = (deviceId: string, platform: string, outcome: string, reason: string | null, opened: string | null = null) => ({
      deviceId,
      platform,
      waveId,
      outcome,
      reason,
      at: expect.any(String),
      openedAt: opened,
      variant: null,
    });
    expect(res.body).toEqual({
      items: [
        row('rc-1', 'ios', 'sent', null, new Date(openedAt).toISOString()),
        row('rc-2', 'android', 'sent', null),
        row('rc-3', 'ios', 'sent', null),
        row('rc-capped', 'android', 'suppressed', 'frequencyCap'),
        row('rc-out', 'ios', 'suppressed', 'optedOut'),
      ],
      nextCursor: null,
    });
    for (const r of res.body.items) expect(Date.parse(r.at)).toBeGreaterThanOrEqual(Date.parse(campaign.launchedAt));
  });

  test('paging by 2 walks every device exactly once', async () => {
    const seen: string[] = [];
    let query = '?limit=2';
    for (let pages = 0; pages < 5; pages++) {
      const res = await recipients(mainId, query);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((r: { deviceId: string }) => r.deviceId));
      if (res.body.nextCursor === null) break;
      query = `?limit=2&cursor=${encodeURIComponent(res.body.nextCursor)}`;
    }
    expect(seen).toEqual(['rc-1', 'rc-2', 'rc-3', 'rc-capped', 'rc-out']);
  });

  test('the outcome filter', async () => {
    const ids = async (outcome: string) =>
      ((await recipients(mainId, `?outcome=${outcome}`)).body.items as { deviceId: string }[]).map((r) => r.deviceId);
    expect(await ids('opened')).toEqual(['rc-1']);
    expect(await ids('sent')).toEqual(['rc-1', 'rc-2', 'rc-3']);
    expect(await ids('suppressed')).toEqual(['rc-capped', 'rc-out']);
    expect(await ids('failed')).toEqual([]);
    expect(await ids('queued')).toEqual([]);
  });

  test('400 on a bad outcome, limit or cursor, naming the parameter', async () => {
    for (const [query, path] of [
      ['?outcome=bounced', 'outcome'],
      ['?limit=0', 'limit'],
      ['?limit=101', 'limit'],
      ['?limit=ten', 'limit'],
      ['?cursor=not-a-cursor', 'cursor'],
      [`?cursor=${Buffer.from("r1:x' OR 1=1").toString('base64url')}`, 'cursor'],
    ]) {
      const res = await recipients(mainId, query);
      expectError(res, 400, 'validation_error');
      expect(res.body.error.details).toEqual([expect.objectContaining({ path })]);
    }
  });

  test('404 for another tenant’s campaign or an unknown id; a draft has no recipients', async () => {
    expectError(await recipients(mainId, '', other), 404, 'not_found');
    expectError(await recipients('cmp_0mwot7c9d8e7f6a5b4c3d2e'), 404, 'not_found');
    const draft = (await api('POST', '/v1/campaigns', campaignBody())).body;
    expect((await recipients(draft.id, '?outcome=sent')).body).toEqual({ items: [], nextCursor: null });
  });
});
