/**
 * History that never rewrites itself, and insights that are fresh (issue 16 items 4 and 5), on the
 * local world: the launch snapshot survives segment edits and deletion and settings changes, and
 * events that arrive after the figures were counted show on the very next GET.
 */
import { countrySegment, expectError, registerDevices, TestWorld, launchNow, waitSent } from './harness';

const MIN = 60_000;

describe('campaign history and fresh insights on the local world', () => {
  const t = new TestWorld({ queue: { concurrency: 2 } });
  const [shop] = t.tenants('history-shop');
  let segmentId: string;
  let campaignId: string;
  const api = t.as(() => shop);

  t.forSuite(async () => {
    expect((await api('PUT', '/v1/settings', { attributionWindowHours: 2 })).status).toBe(200);
    await registerDevices(t, shop, [
      ['hs-1', { platform: 'ios', country: 'IS' }],
      ['hs-2', { platform: 'android', country: 'IS' }],
    ]);
    segmentId = (await countrySegment(t, shop, 'Iceland', ['IS'])).id;
    campaignId = await launchNow(t, shop, { segmentId });
    await waitSent(t, shop, campaignId, 20_000);
  });

  test('a launched campaign carries its snapshot: the audience as launched and the attribution window', async () => {
    const c = (await api('GET', `/v1/campaigns/${campaignId}`)).body;
    expect(c).toMatchObject({
      audience: {
        segmentId,
        segmentName: 'Iceland',
        match: 'all',
        criteria: [{ filter: 'device_country', operator: 'in', value: ['IS'] }],
      },
      attributionWindowHours: 2,
    });
    const listed = (await api('GET', '/v1/campaigns?status=sent')).body.items.find((x: any) => x.id === campaignId);
    expect(listed).toMatchObject({ audience: { segmentName: 'Iceland' }, attributionWindowHours: 2 });
  });

  test('a draft has no snapshot; "all subscribers" is snapshotted with a null segment', async () => {
    const draft = (
      await api('POST', '/v1/campaigns', { name: 'Draft', kind: 'campaign', message: { title: 't', body: 'b' }, schedule: { type: 'now' } })
    ).body;
    expect(draft).toMatchObject({ status: 'draft', audience: null, attributionWindowHours: null });
    const everyone = await launchNow(t, shop, { segmentId: null });
    expect((await api('GET', `/v1/campaigns/${everyone}`)).body).toMatchObject({
      audience: { segmentId: null, segmentName: null, match: 'all', criteria: [] },
      attributionWindowHours: 2,
    });
    await waitSent(t, shop, everyone, 20_000);
  });

  test('events arriving after the figures were counted show on the next GET, with a later asOf', async () => {
    const before = await api('GET', `/v1/campaigns/${campaignId}/insights`);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ sent: 2, opened: 0, conversions: 0, revenue: 0 });
    expect((await api('GET', `/v1/campaigns/${campaignId}/insights`)).body.asOf).toBe(before.body.asOf); // cached

    const T = Date.now();
    const events = [
      { eventId: 'hs-open', deviceId: 'hs-1', type: 'push_open', ts: new Date(T).toISOString(), campaignId },
      // 90 minutes after the open: inside the 2 h window of the launch, outside a 1 h one.
      { eventId: 'hs-buy', deviceId: 'hs-1', type: 'purchase', ts: new Date(T + 90 * MIN).toISOString(), orderId: 'o-1', amount: 40 },
    ];
    expect((await t.request('POST', '/v1/events', { appKey: shop.appKey, body: { events } })).body).toEqual({ accepted: 2, rejected: [] });

    const after = await api('GET', `/v1/campaigns/${campaignId}/insights`);
    expect(after.body).toMatchObject({ opened: 1, conversions: 1, revenue: 40, attributionWindowHours: 2 });
    expect(Date.parse(after.body.asOf)).toBeGreaterThan(Date.parse(before.body.asOf));
  });

  test('changing the settings after the launch never recounts the launched campaign', async () => {
    expect((await api('PUT', '/v1/settings', { attributionWindowHours: 1 })).status).toBe(200);
    const res = await api('GET', `/v1/campaigns/${campaignId}/insights`);
    expect(res.body).toMatchObject({ attributionWindowHours: 2, conversions: 1, revenue: 40 });
    expect((await api('GET', `/v1/campaigns/${campaignId}`)).body.attributionWindowHours).toBe(2);
  });

  test('editing, then deleting the segment leaves the sent campaign’s audience and insights intact', async () => {
    const seg = (await api('GET', `/v1/segments/${segmentId}`)).body;
    const renamed = {
      name: 'Iceland and Norway',
      match: 'any',
      criteria: [{ filter: 'device_country', operator: 'in', value: ['IS', 'NO'] }],
    };
    expect((await api('PUT', `/v1/segments/${segmentId}`, { ...renamed, description: seg.description })).status).toBe(200);
    expect((await api('GET', `/v1/campaigns/${campaignId}`)).body.audience).toMatchObject({ segmentName: 'Iceland', match: 'all' });

    // A draft that refers to it still blocks the deletion.
    const draft = (
      await api('POST', '/v1/campaigns', {
        name: 'Later',
        kind: 'campaign',
        segmentId,
        message: { title: 't', body: 'b' },
        schedule: { type: 'now' },
      })
    ).body;
    const blocked = await api('DELETE', `/v1/segments/${segmentId}`);
    expectError(blocked, 409, 'segment_in_use');
    expect((await api('DELETE', `/v1/campaigns/${draft.id}`)).status).toBe(204);

    // Referred to only by sent campaigns: it may go; their snapshot keeps the history.
    expect((await api('DELETE', `/v1/segments/${segmentId}`)).status).toBe(204);
    const c = (await api('GET', `/v1/campaigns/${campaignId}`)).body;
    expect(c).toMatchObject({ segmentId, audience: { segmentId, segmentName: 'Iceland', match: 'all' }, attributionWindowHours: 2 });
    expect((await api('GET', `/v1/campaigns/${campaignId}/insights`)).body).toMatchObject({ opened: 1, conversions: 1, revenue: 40 });
  });

  test('a record launched before snapshots existed falls back to the current settings, never a 500', async () => {
    const legacy = await launchNow(t, shop, { segmentId: null });
    await waitSent(t, shop, legacy, 20_000);
    const stored = await t.world.deps.campaigns.get('history-shop', legacy);
    await t.world.deps.campaigns.update('history-shop', legacy, stored!.version, { audience: null, attributionWindowHours: null });
    expect((await api('GET', `/v1/campaigns/${legacy}`)).body).toMatchObject({ audience: null, attributionWindowHours: null });
    const res = await api('GET', `/v1/campaigns/${legacy}/insights`);
    expect(res.status).toBe(200);
    expect(res.body.attributionWindowHours).toBe(1);
  });
});
