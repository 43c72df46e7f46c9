import { TestWorld, expectError, isoDaysAgo, type Caller } from './harness';

const reg = (over: Record<string, unknown>) => ({ platform: 'ios', token: `tok-${Math.random()}`, optedIn: true, ...over });

describe('segments through the HTTP API', () => {
  const t = new TestWorld();
  let shop: Caller;
  let other: Caller;
  const post = (path: string, body: unknown, who: Caller = shop, headers?: Record<string, string>) =>
    t.request('POST', path, { token: who.token, body, headers });
  const estimate = async (def: unknown) => {
    const res = await post('/v1/segment-estimates', def);
    expect(res.status).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    await t.start();
    shop = await t.tenant('shop');
    other = await t.tenant('other-shop');
    const devices: [string, Record<string, unknown>][] = [
      ['d1', { platform: 'ios', country: 'US', appVersion: '5.10.0', customerId: 'cust-A', timezone: 'America/New_York' }],
      ['d2', { platform: 'android', country: 'CA', appVersion: '5.2.0', customerId: 'cust-A' }],
      ['d3', { platform: 'ios', country: 'GB', appVersion: '4.9.1' }],
      ['d4', { platform: 'android' }],
      ['d5', { platform: 'ios', country: 'US', optedIn: false }],
    ];
    for (const [id, over] of devices)
      expect((await t.request('PUT', `/v1/devices/${id}`, { appKey: shop.appKey, body: reg(over) })).status).toBe(200);
    // The other tenant has a look-alike device that must never show up.
    await t.request('PUT', '/v1/devices/d1', { appKey: other.appKey, body: reg({ country: 'US' }) });
    const events = [
      { eventId: 'o-1', deviceId: 'd1', type: 'app_open', ts: isoDaysAgo(1) },
      { eventId: 'o-1', deviceId: 'd1', type: 'app_open', ts: isoDaysAgo(1) },
      { deviceId: 'd1', type: 'purchase', orderId: 'ord-1', amount: 300, ts: isoDaysAgo(2) },
      { deviceId: 'd2', type: 'purchase', orderId: 'ord-2', amount: 250, ts: isoDaysAgo(10) },
      { deviceId: 'd2', type: 'purchase', orderId: 'ord-2', amount: 250, ts: isoDaysAgo(10) },
      { deviceId: 'd3', type: 'app_open', ts: isoDaysAgo(20) },
      { deviceId: 'd3', type: 'add_to_cart', productId: 'sku-9', ts: isoDaysAgo(1) },
      { deviceId: 'd3', type: 'product_view', productId: "sku-1' OR 1=1 --", ts: isoDaysAgo(1) },
      { deviceId: 'd4', type: 'product_view', productId: 'sku-2', ts: isoDaysAgo(3) },
      { deviceId: 'd4', type: 'custom', name: 'wishlist_shared', ts: isoDaysAgo(3) },
      { deviceId: 'd4', type: 'custom', name: 'wishlist_shared', ts: isoDaysAgo(4) },
      { deviceId: 'd5', type: 'app_open', ts: isoDaysAgo(0.1) },
      { deviceId: 'd5', type: 'purchase', orderId: 'ord-5', amount: 1000, ts: isoDaysAgo(0.1) },
    ];
    expect((await t.request('POST', '/v1/events', { appKey: shop.appKey, body: { events } })).body.accepted).toBe(events.length);
    await t.request('POST', '/v1/events', {
      appKey: other.appKey,
      body: { events: [{ deviceId: 'd1', type: 'purchase', orderId: 'x', amount: 9999, ts: isoDaysAgo(1) }] },
    });
  });
  afterAll(() => t.stop());

  test('the filter catalog lists every filter with its operators', async () => {
    const res = await t.request('GET', '/v1/segment-filters', { token: shop.token });
    expect(res.status).toBe(200);
    const text = JSON.stringify(res.body);
    for (const f of [
      'last_app_open',
      'total_spend',
      'abandoned_cart',
      'product_viewed',
      'device_country',
      'app_version',
      'in_segment',
      'custom_event',
    ])
      expect(text).toContain(f);
  });

  test.each([
    ['everyone opted in', { match: 'all', criteria: [] }, 4],
    ["spend across the shopper's devices", { match: 'all', criteria: [{ filter: 'total_spend', operator: 'gte', value: 500 }] }, 2],
    ['orders by distinct orderId', { match: 'all', criteria: [{ filter: 'total_orders', operator: 'eq', value: 2 }] }, 2],
    [
      'VIP in North America, active this week',
      {
        match: 'all',
        criteria: [
          { filter: 'total_spend', operator: 'gte', value: 500 },
          { filter: 'device_country', operator: 'in', value: ['US', 'CA'] },
          { filter: 'last_app_open', operator: 'within_last_days', value: 7 },
        ],
      },
      1,
    ],
    ['a repeated eventId counts once', { match: 'all', criteria: [{ filter: 'app_opens', operator: 'eq', value: 1 }] }, 2],
    ['abandoned cart', { match: 'all', criteria: [{ filter: 'abandoned_cart', operator: 'is', value: true }] }, 1],
    [
      'not_in matches devices without a country',
      { match: 'all', criteria: [{ filter: 'device_country', operator: 'not_in', value: ['us'] }] },
      3,
    ],
    ['version compared part by part', { match: 'all', criteria: [{ filter: 'app_version', operator: 'gt', value: '5.9' }] }, 1],
    ['no version never matches', { match: 'all', criteria: [{ filter: 'app_version', operator: 'neq', value: '5.2' }] }, 2],
    [
      'custom event count',
      { match: 'all', criteria: [{ filter: 'custom_event', event: 'wishlist_shared', operator: 'gte', value: 2 }] },
      1,
    ],
    ['none_of', { match: 'all', criteria: [{ filter: 'product_viewed', operator: 'none_of', value: ["sku-1' OR 1=1 --"] }] }, 3],
    [
      'an injection string is matched literally',
      { match: 'all', criteria: [{ filter: 'product_viewed', operator: 'any_of', value: ["sku-1' OR 1=1 --"] }] },
      1,
    ],
    ['never-purchasers', { match: 'all', criteria: [{ filter: 'total_orders', operator: 'eq', value: 0 }] }, 2],
    [
      'nested ANY with a negated group',
      {
        match: 'any',
        criteria: [
          { filter: 'platform', operator: 'in', value: ['android'] },
          { match: 'all', negate: true, criteria: [{ filter: 'device_country', operator: 'in', value: ['US'] }] },
        ],
      },
      3,
    ],
  ])('estimate: %s', async (_name, def, matched) => {
    const body = await estimate(def);
    expect(body).toMatchObject({ status: 'succeeded', matched, total: 4, percent: Math.round((10000 * matched) / 4) / 100 });
    expect(body.recommendation).toBe(matched / 4 > 0.5 ? 'too_broad' : matched / 4 < 0.05 ? 'too_narrow' : 'ok');
    expect(Date.parse(body.asOf)).not.toBeNaN();
  });

  test('an estimate can carry a sample of device ids', async () => {
    const body = await estimate({ match: 'all', criteria: [{ filter: 'platform', operator: 'in', value: ['ios'] }], sampleSize: 5 });
    expect(body.sample).toEqual(['d1', 'd3']);
  });

  test('create, list, get, update with If-Match, in-use delete, explain', async () => {
    const vip = await post('/v1/segments', {
      name: 'VIP',
      match: 'all',
      criteria: [{ filter: 'total_spend', operator: 'gte', value: 500 }],
    });
    expect(vip.status).toBe(201);
    expect(vip.body).toMatchObject({ name: 'VIP', version: 1, description: null });
    expectError(await post('/v1/segments', { name: 'vip ', match: 'all', criteria: [] }), 409, 'conflict');

    const iosVip = await post('/v1/segments', {
      name: 'iOS VIP',
      match: 'all',
      criteria: [
        { filter: 'in_segment', operator: 'is_member', value: vip.body.id },
        { filter: 'platform', operator: 'in', value: ['ios'] },
      ],
    });
    expect(iosVip.status).toBe(201);
    expect(await estimate({ segmentId: iosVip.body.id })).toMatchObject({ matched: 1, total: 4 });

    const page1 = await t.request('GET', '/v1/segments?limit=1', { token: shop.token });
    expect(page1.body.items).toHaveLength(1);
    const page2 = await t.request('GET', `/v1/segments?limit=1&cursor=${page1.body.nextCursor}`, { token: shop.token });
    expect(page2.body.items[0].id).not.toBe(page1.body.items[0].id);
    expectError(await t.request('GET', '/v1/segments?cursor=garbage', { token: shop.token }), 400, 'validation_error');
    expectError(await t.request('GET', '/v1/segments?limit=0', { token: shop.token }), 400, 'validation_error');

    const got = await t.request('GET', `/v1/segments/${vip.body.id}`, { token: shop.token });
    expect(got.body).toEqual(vip.body);

    // A stale If-Match loses; the current one wins and bumps the version. The edit applies to every later estimate.
    const edited = { name: 'VIP', match: 'all', criteria: [{ filter: 'total_spend', operator: 'gte', value: 200 }] };
    expectError(
      await t.request('PUT', `/v1/segments/${vip.body.id}`, { token: shop.token, body: edited, headers: { 'if-match': '7' } }),
      409,
      'version_mismatch',
    );
    const put = await t.request('PUT', `/v1/segments/${vip.body.id}`, { token: shop.token, body: edited, headers: { 'if-match': '"1"' } });
    expect(put.body.version).toBe(2);
    expect(await estimate({ segmentId: vip.body.id })).toMatchObject({ matched: 2 });

    // A cycle through in_segment is rejected.
    const cyclic = { name: 'VIP', match: 'all', criteria: [{ filter: 'in_segment', operator: 'is_member', value: iosVip.body.id }] };
    const cyc = await t.request('PUT', `/v1/segments/${vip.body.id}`, { token: shop.token, body: cyclic });
    expectError(cyc, 400, 'validation_error');
    expect(cyc.body.error.message).toMatch(/cycle/);

    // Explain: each condition, whether it held, the value behind it.
    const why = await t.request('GET', `/v1/segments/${iosVip.body.id}/explain/d1`, { token: shop.token });
    expect(why.status).toBe(200);
    expect(why.body).toMatchObject({ member: true, deviceId: 'd1' });
    expect(why.body.conditions).toEqual(
      expect.arrayContaining([expect.objectContaining({ filter: 'platform', held: true, actual: 'ios' })]),
    );
    const whyNot = await t.request('GET', `/v1/segments/${vip.body.id}/explain/d3`, { token: shop.token });
    expect(whyNot.body).toMatchObject({
      member: false,
      conditions: [expect.objectContaining({ filter: 'total_spend', held: false, actual: 0 })],
    });
    const spend = await t.request('GET', `/v1/segments/${vip.body.id}/explain/d2`, { token: shop.token });
    expect(spend.body.conditions[0]).toMatchObject({ held: true, actual: 550 });
    expectError(await t.request('GET', `/v1/segments/${vip.body.id}/explain/nobody`, { token: shop.token }), 404, 'not_found');

    // In use by another segment → 409 listing the referrer; free once the referrer is gone.
    const refused = await t.request('DELETE', `/v1/segments/${vip.body.id}`, { token: shop.token });
    expectError(refused, 409, 'segment_in_use');
    expect(refused.body.error.referrers).toEqual([expect.objectContaining({ type: 'segment', id: iosVip.body.id })]);
    expect((await t.request('DELETE', `/v1/segments/${iosVip.body.id}`, { token: shop.token })).status).toBe(204);
    expect((await t.request('DELETE', `/v1/segments/${vip.body.id}`, { token: shop.token })).status).toBe(204);
    expectError(await t.request('GET', `/v1/segments/${vip.body.id}`, { token: shop.token }), 404, 'not_found');
    // The name is free again.
    expect((await post('/v1/segments', { name: 'VIP', match: 'all', criteria: [] })).status).toBe(201);
  });

  test("another tenant's segment ids answer 404 and nothing changes", async () => {
    const mine = await post('/v1/segments', { name: 'Mine', match: 'all', criteria: [] });
    const id = mine.body.id;
    expectError(await t.request('GET', `/v1/segments/${id}`, { token: other.token }), 404, 'not_found');
    expectError(
      await t.request('PUT', `/v1/segments/${id}`, { token: other.token, body: { name: 'x', match: 'all', criteria: [] } }),
      404,
      'not_found',
    );
    expectError(await t.request('DELETE', `/v1/segments/${id}`, { token: other.token }), 404, 'not_found');
    expectError(await t.request('GET', `/v1/segments/${id}/explain/d1`, { token: other.token }), 404, 'not_found');
    expectError(await post('/v1/segment-estimates', { segmentId: id }, other), 404, 'not_found');
    expectError(
      await post(
        '/v1/segments',
        { name: 'Ref', match: 'all', criteria: [{ filter: 'in_segment', operator: 'is_member', value: id }] },
        other,
      ),
      400,
      'validation_error',
    );
    expect((await t.request('GET', `/v1/segments/${id}`, { token: shop.token })).body).toEqual(mine.body);
    // The other tenant's lake data never leaks into this one's estimate.
    expect(await estimate({ match: 'all', criteria: [{ filter: 'total_spend', operator: 'gte', value: 9000 }] })).toMatchObject({
      matched: 0,
    });
  });

  test.each([
    ['bad operator', { match: 'all', criteria: [{ filter: 'total_spend', operator: 'approx', value: 1 }] }, 'criteria[0].operator'],
    [
      'nested bad value',
      {
        match: 'all',
        criteria: [
          {
            match: 'any',
            criteria: [
              { filter: 'last_app_open', operator: 'within_last_days', value: 7 },
              { filter: 'device_country', operator: 'in', value: ['XX'] },
            ],
          },
        ],
      },
      'criteria[0].criteria[1].value[0]',
    ],
    ['empty group', { match: 'all', criteria: [{ match: 'any', criteria: [] }] }, 'criteria[0].criteria'],
    ['bad match', { match: 'some', criteria: [] }, 'match'],
  ])('invalid definition: %s → 400 with the path', async (_n, def, path) => {
    const res = await post('/v1/segments', { name: `bad-${path}`, ...def });
    expectError(res, 400, 'validation_error');
    expect(res.body.error.details.map((d: any) => d.path)).toContain(path);
    expectError(await post('/v1/segment-estimates', def), 400, 'validation_error');
  });

  test('missing or foreign tokens are refused', async () => {
    expectError(await t.request('GET', '/v1/segments'), 401, 'unauthorized');
    expectError(await t.request('GET', '/v1/segments', { token: shop.token + 'x' }), 401, 'unauthorized');
    const none =
      Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url') +
      '.' +
      Buffer.from(JSON.stringify({ tenant_id: 'shop' })).toString('base64url') +
      '.';
    expectError(await t.request('GET', '/v1/segments', { token: none }), 401, 'unauthorized');
  });
});
