/** GET /v1/catalog/products through the HTTP API on the local world: events in, products out; bad input is a 400. */
import { TestWorld, expectError, isoDaysAgo, registerDevices, type Caller } from './harness';

describe('product catalog through the HTTP API', () => {
  const t = new TestWorld();
  let shop: Caller;
  let other: Caller;
  let cartTs = '';
  const catalog = (qs = '', who: Caller = shop) => t.request('GET', `/v1/catalog/products${qs}`, { token: who.token });

  beforeAll(async () => {
    await t.start();
    shop = await t.tenant('catalog-shop');
    other = await t.tenant('catalog-other');
    await registerDevices(t, shop, [
      ['d1', {}],
      ['d2', { platform: 'android' }],
    ]);
    await registerDevices(t, other, [['d1', {}]]);
    cartTs = isoDaysAgo(0.5);
    const events = [
      { eventId: 'v-1', deviceId: 'd1', type: 'product_view', productId: 'sku-1', ts: isoDaysAgo(1) },
      { eventId: 'v-1', deviceId: 'd1', type: 'product_view', productId: 'sku-1', ts: isoDaysAgo(1) }, // a retry: counted once
      { deviceId: 'd2', type: 'product_view', productId: 'sku-1', ts: isoDaysAgo(2) },
      { deviceId: 'd2', type: 'product_favorite', productId: 'sku-1', ts: isoDaysAgo(3) },
      { deviceId: 'd1', type: 'add_to_cart', productId: 'sku-1', ts: cartTs },
      { deviceId: 'd1', type: 'product_view', productId: 'sku-10', ts: isoDaysAgo(4) },
      { deviceId: 'd2', type: 'add_to_cart', productId: 'sku-2', ts: isoDaysAgo(5) },
      { deviceId: 'd1', type: 'product_view', productId: '50%_off', ts: isoDaysAgo(6) },
      { deviceId: 'd1', type: 'product_view', productId: '50-off', ts: isoDaysAgo(6) },
      { deviceId: 'd1', type: 'product_view', productId: 'sku-old', ts: isoDaysAgo(100) },
    ];
    expect((await t.request('POST', '/v1/events', { appKey: shop.appKey, body: { events } })).body.accepted).toBe(events.length);
    const theirs = [{ deviceId: 'd1', type: 'product_view', productId: 'their-sku', ts: isoDaysAgo(1) }];
    expect((await t.request('POST', '/v1/events', { appKey: other.appKey, body: { events: theirs } })).body.accepted).toBe(1);
  });
  afterAll(() => t.stop());

  test('products of the last 90 days, most viewed first, with their counts', async () => {
    const res = await catalog();
    expect(res.status).toBe(200);
    expect(res.body.items.map((p: { productId: string }) => p.productId)).toEqual(['sku-1', '50%_off', '50-off', 'sku-10', 'sku-2']);
    expect(res.body.items[0]).toEqual({ productId: 'sku-1', views: 2, favorites: 1, carts: 1, lastSeen: cartTs });
  });

  test('prefix match (wildcards literal) and limit', async () => {
    const ids = async (qs: string) => (await catalog(qs)).body.items.map((p: { productId: string }) => p.productId);
    expect(await ids('?query=sku-1')).toEqual(['sku-1', 'sku-10']);
    expect(await ids(`?query=${encodeURIComponent('50%_')}`)).toEqual(['50%_off']);
    expect(await ids('?query=sku&limit=1')).toEqual(['sku-1']);
    expect(await ids('?query=nope')).toEqual([]);
    // Odd text is a prefix like any other, never SQL and never a 5xx.
    for (const q of ["' OR 1=1 --", '\u0000', 'a\u0000b', '\\', '?', '%', '😀'])
      expect([q, await ids(`?query=${encodeURIComponent(q)}`)]).toEqual([q, []]);
  });

  test('another tenant sees only its own products', async () => {
    const res = await catalog('', other);
    expect(res.body.items.map((p: { productId: string }) => p.productId)).toEqual(['their-sku']);
  });

  test.each([
    ['?limit=0', 'limit'],
    ['?limit=101', 'limit'],
    ['?limit=ten', 'limit'],
    ['?limit=2.5', 'limit'],
    [`?query=${'x'.repeat(101)}`, 'query'],
  ])('%s is a 400 validation_error naming %s', async (qs, path) => {
    const res = await catalog(qs);
    expectError(res, 400, 'validation_error');
    expect(res.body.error.details).toEqual([{ path, message: expect.any(String) }]);
  });

  test('needs a merchant token', async () => {
    expectError(await t.request('GET', '/v1/catalog/products'), 401, 'unauthorized');
    expectError(await t.request('GET', '/v1/catalog/products', { appKey: shop.appKey }), 401, 'unauthorized');
  });
});
