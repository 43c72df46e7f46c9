/**
 * Test sends and duplicates on the local world (API.md v1.1): a test push reaches the recording
 * gateway with data.test and changes nothing of the campaign (status, version, progress, insights,
 * lake deliveries, frequency-cap counts); opted-out test devices are skipped; a cancelled campaign
 * refuses; a duplicate of a sent campaign is a draft named "(copy)" whose past schedule became now.
 */
import { getCampaignInsights } from '../../lambdas/use-cases/insights/campaign-insights';
import { campaignBody, countrySegment, expectError, registerDevices, TestWorld, waitFor, waitSent, wallClock } from './harness';

describe('test sends and duplicates on the local world', () => {
  const t = new TestWorld();
  const [shop, other] = t.tenants('test-send-shop', 'test-send-other');
  let sentId: string;
  const api = t.as(() => shop);
  const outbox = async (campaignId: string) => (await api('GET', `/local/outbox?campaignId=${campaignId}`)).body.items as any[];
  const dataOf = (item: any) => {
    if (item.message.GCM) return JSON.parse(item.message.GCM).fcmV1Message.message.data;
    return JSON.parse(item.message.APNS).data;
  };
  const deliveryRows = (campaignId: string) =>
    t.world.engine.run({
      sql: 'SELECT device_id, outcome FROM deliveries WHERE tenant_id = ? AND campaign_id = ? ORDER BY ALL',
      params: [shop.tenantId, campaignId],
    });
  const freshInsights = async (id: string) => {
    const out = await getCampaignInsights({ ...t.world.deps, insightsTtlMs: 0 } as any, shop.tenantId, id);
    return { ...out.result, asOf: null };
  };

  t.forSuite(async () => {
    await registerDevices(t, shop, [
      ['buyer-1', { platform: 'ios', country: 'IS' }],
      ['phone-ios', { platform: 'ios', country: 'IS' }], // a test device that is also in the audience
      ['phone-and', { platform: 'android', country: 'NO' }],
      ['phone-old', { platform: 'ios', country: 'NO', optedIn: false }],
    ]);
    await registerDevices(t, other, [['theirs', { platform: 'ios' }]]);
    // One push a day: a test push that counted against the cap would hold back the next real one.
    const settings = await api('PUT', '/v1/settings', {
      frequencyCap: { maxPerDevice: 1, windowHours: 24 },
      testDevices: ['phone-ios', 'phone-and', 'phone-old'],
    });
    expect(settings.status).toBe(200);
    const iceland = await countrySegment(t, shop, 'Iceland', ['IS']);
    // A campaign at a moment a few seconds ahead: once sent, its schedule is in the past.
    const at = wallClock(new Date(Date.now() + 3_000), 'UTC');
    const created = await api(
      'POST',
      '/v1/campaigns',
      campaignBody({ name: 'Winter sale', segmentId: iceland.id, schedule: { type: 'at', at, timezone: 'UTC' } }),
    );
    expect(created.status).toBe(201);
    sentId = created.body.id;
    expect((await api('POST', `/v1/campaigns/${sentId}/launch`)).status).toBe(200);
    await waitSent(t, shop, sentId);
  }, 60_000);

  test('settings keep the test devices (default none); unknown or foreign ids are a 400 naming each', async () => {
    expect((await api('GET', '/v1/settings')).body.testDevices).toEqual(['phone-ios', 'phone-and', 'phone-old']);
    expect((await api('GET', '/v1/settings', undefined, other)).body.testDevices).toEqual([]);
    const bad = await api('PUT', '/v1/settings', { testDevices: ['phone-ios', 'theirs', 'nope'] });
    expectError(bad, 400, 'validation_error');
    expect(bad.body.error.details.map((d: any) => d.path)).toEqual(['testDevices[1]', 'testDevices[2]']);
    expect((await api('GET', '/v1/settings')).body.testDevices).toEqual(['phone-ios', 'phone-and', 'phone-old']); // unchanged
  });

  test('a test send reaches only the test devices, marked test, and changes nothing of the campaign', async () => {
    const before = (await api('GET', `/v1/campaigns/${sentId}`)).body;
    const insightsBefore = await freshInsights(sentId);
    const rowsBefore = await deliveryRows(sentId);
    const outboxBefore = await outbox(sentId);
    expect(outboxBefore.map((i) => i.deviceId).sort()).toEqual(['buyer-1', 'phone-ios']);

    const res = await api('POST', `/v1/campaigns/${sentId}/test`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ sent: 2, skipped: [{ deviceId: 'phone-old', reason: 'optedOut' }] });

    const tests = (await outbox(sentId)).slice(outboxBefore.length);
    expect(tests.map((i) => i.deviceId).sort()).toEqual(['phone-and', 'phone-ios']);
    for (const item of tests) expect(dataOf(item)).toMatchObject({ test: 'true' });
    for (const item of outboxBefore) expect(dataOf(item)?.test).toBeUndefined();

    const after = (await api('GET', `/v1/campaigns/${sentId}`)).body;
    expect(after).toEqual(before); // status, version, progress, waves, updatedAt
    expect(await deliveryRows(sentId)).toEqual(rowsBefore);
    expect(await freshInsights(sentId)).toEqual(insightsBefore);
  });

  test('a test push counts against no frequency cap: the next real campaign still reaches the test device', async () => {
    const draft = await api('POST', '/v1/campaigns', campaignBody({ segmentId: null }));
    expect((await api('POST', `/v1/campaigns/${draft.body.id}/test`, { deviceIds: ['phone-and'] })).body).toEqual({ sent: 1, skipped: [] });
    expect((await api('GET', `/v1/campaigns/${draft.body.id}`)).body).toMatchObject({ status: 'draft', version: 1 });
    expect((await api('POST', `/v1/campaigns/${draft.body.id}/launch`)).status).toBe(200);
    const done = await waitSent(t, shop, draft.body.id);
    // phone-and had no real push today: the real one goes out (buyer-1 and phone-ios are capped by the winter sale).
    expect(done.progress).toMatchObject({ sent: 1, suppressedBy: { frequencyCap: 2 } });
    const real = (await outbox(draft.body.id)).filter((i) => dataOf(i)?.test === undefined);
    expect(real.map((i) => i.deviceId)).toEqual(['phone-and']);
  });

  test('bad input, a cancelled campaign, nobody to test on, another tenant', async () => {
    const scheduled = await api(
      'POST',
      '/v1/campaigns',
      campaignBody({ schedule: { type: 'at', at: '2099-01-01T09:00', timezone: 'UTC' } }),
    );
    const id = scheduled.body.id;
    expect((await api('POST', `/v1/campaigns/${id}/launch`)).status).toBe(200);
    expect((await api('POST', `/v1/campaigns/${id}/test`, { deviceIds: ['phone-ios'] })).status).toBe(200); // scheduled: fine
    expect((await api('POST', `/v1/campaigns/${id}/cancel`)).status).toBe(200);
    expectError(await api('POST', `/v1/campaigns/${id}/test`, { deviceIds: ['phone-ios'] }), 409, 'invalid_state');

    const bad = await api('POST', `/v1/campaigns/${sentId}/test`, { deviceIds: ['ok', 'not ok'] });
    expectError(bad, 400, 'validation_error');
    expect(bad.body.error.details.map((d: any) => d.path)).toEqual(['deviceIds[1]']);
    expectError(await api('POST', `/v1/campaigns/${sentId}/test`, { deviceIds: Array.from({ length: 21 }, (_, i) => `d${i}`) }), 400);
    expectError(
      await t.request('POST', `/v1/campaigns/${sentId}/test`, {
        token: shop.token,
        raw: '{',
        headers: { 'content-type': 'application/json' },
      }),
      400,
      'invalid_json',
    );

    const nobody = await api('POST', `/v1/campaigns/${sentId}/test`, undefined, other);
    expectError(nobody, 404, 'not_found'); // another tenant's campaign
    const theirs = await api('POST', '/v1/campaigns', campaignBody(), other);
    const none = await api('POST', `/v1/campaigns/${theirs.body.id}/test`, {}, other);
    expectError(none, 400, 'validation_error');
    expect(none.body.error.message).toMatch(/testDevices/);
    // A device id of another tenant is simply not a device here.
    expect((await api('POST', `/v1/campaigns/${sentId}/test`, { deviceIds: ['theirs'] })).body).toEqual({
      sent: 0,
      skipped: [{ deviceId: 'theirs', reason: 'notFound' }],
    });
  });

  test('a duplicate of a sent campaign is a fresh draft named "(copy)", its past schedule now', async () => {
    const source = (await api('GET', `/v1/campaigns/${sentId}`)).body;
    const res = await api('POST', `/v1/campaigns/${sentId}/duplicate`);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'Winter sale (copy)',
      kind: 'campaign',
      segmentId: source.segmentId,
      message: source.message,
      schedule: { type: 'now' },
      status: 'draft',
      version: 1,
      launchedAt: null,
      completedAt: null,
      progress: { targeted: 0, sent: 0, failed: 0, suppressed: 0 },
      waves: [],
    });
    expect(res.body.id).not.toBe(sentId);
    expect((await api('GET', `/v1/campaigns/${res.body.id}`)).body).toEqual(res.body);
    expect((await api('GET', `/v1/campaigns/${sentId}`)).body).toEqual(source);
    // The copy launches like any draft.
    expect((await api('POST', `/v1/campaigns/${res.body.id}/launch`)).body.status).toMatch(/sending|sent/);
    await waitFor(async () => (await api('GET', `/v1/campaigns/${res.body.id}`)).body.status === 'sent', 20_000, 'copy sent');
  });

  test('duplicate: unknown id 404, another tenant 404, a deleted segment 409', async () => {
    expectError(await api('POST', '/v1/campaigns/cmp_nope/duplicate'), 404, 'not_found');
    expectError(await api('POST', `/v1/campaigns/${sentId}/duplicate`, undefined, other), 404, 'not_found');
    const seg = await countrySegment(t, shop, 'Norway', ['NO']);
    const c = await api(
      'POST',
      '/v1/campaigns',
      campaignBody({ segmentId: seg.id, schedule: { type: 'at', at: '2099-01-01T09:00', timezone: 'UTC' } }),
    );
    expect((await api('POST', `/v1/campaigns/${c.body.id}/duplicate`)).status).toBe(201);
    expect((await api('POST', `/v1/campaigns/${c.body.id}/launch`)).status).toBe(200);
    expect((await api('POST', `/v1/campaigns/${c.body.id}/cancel`)).status).toBe(200);
    // The copy made above is a draft that uses the segment: remove it so the segment may go.
    const copies = (await api('GET', '/v1/campaigns?status=draft')).body.items.filter((x: any) => x.segmentId === seg.id);
    for (const x of copies) expect((await api('DELETE', `/v1/campaigns/${x.id}`)).status).toBe(204);
    expect((await api('DELETE', `/v1/segments/${seg.id}`)).status).toBe(204);
    const gone = await api('POST', `/v1/campaigns/${c.body.id}/duplicate`);
    expectError(gone, 409, 'conflict');
    expect(gone.body.error.message).toMatch(/segment .* was deleted/);
  });
});
