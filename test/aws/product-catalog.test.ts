/**
 * GET /v1/catalog/products in the AWS world: the `segments` function's real entry, its template
 * environment and IAM role, against the DuckDB-backed Athena stand-in (execution parameters only in
 * WHERE). Distinct event ids, a literal prefix, the tenant's own products only.
 */
import { AwsWorld } from './support/world';

const HOUR = 3600_000;

describe('product catalog (AWS world)', () => {
  let world: AwsWorld;
  let latestView = '';

  beforeAll(async () => {
    world = await AwsWorld.start();
    for (const tenant of ['acme', 'rival']) {
      const appKey = await world.issueAppKey(tenant);
      const reg = await world.http.request(
        'PUT',
        '/v1/devices/d-1',
        { appKey },
        { platform: 'ios', token: `tok-${tenant}`, optedIn: true },
      );
      expect(reg.status).toBe(200);
      const at = (h: number) => new Date(world.now() - h * HOUR).toISOString();
      if (tenant === 'acme') latestView = at(1);
      const events =
        tenant === 'acme'
          ? [
              { eventId: 'v-1', deviceId: 'd-1', type: 'product_view', productId: 'sku-1', ts: latestView },
              { eventId: 'v-1', deviceId: 'd-1', type: 'product_view', productId: 'sku-1', ts: latestView },
              { deviceId: 'd-1', type: 'product_view', productId: 'sku-1', ts: at(2) },
              { deviceId: 'd-1', type: 'product_favorite', productId: 'sku-1', ts: at(3) },
              { deviceId: 'd-1', type: 'add_to_cart', productId: "sku-'2", ts: at(4) },
              { deviceId: 'd-1', type: 'product_view', productId: '50%_off', ts: at(5) },
              { deviceId: 'd-1', type: 'product_view', productId: '50-off', ts: at(5) },
            ]
          : [{ deviceId: 'd-1', type: 'product_view', productId: 'sku-rival', ts: at(1) }];
      expect((await world.http.request('POST', '/v1/events', { appKey }, { events })).body.accepted).toBe(events.length);
    }
  }, 120_000);
  afterAll(async () => world?.stop());

  const catalog = (qs: string, tenant = 'acme') => world.http.request('GET', `/v1/catalog/products${qs}`, { tenant });

  test('runs on Athena within the role: counts, order, literal prefix, own tenant only', async () => {
    const before = world.athena.executions.size;
    const all = await catalog('');
    expect(all.status).toBe(200);
    expect(
      all.body.items.map((p: { productId: string; views: number; favorites: number; carts: number }) => [
        p.productId,
        p.views,
        p.favorites,
        p.carts,
      ]),
    ).toEqual([
      ['sku-1', 2, 1, 0],
      ['50%_off', 1, 0, 0],
      ['50-off', 1, 0, 0],
      ["sku-'2", 0, 0, 1],
    ]);
    expect(all.body.items[0].lastSeen).toBe(latestView);
    const wild = await catalog(`?query=${encodeURIComponent('50%_')}&limit=5`);
    expect(wild.body.items.map((p: { productId: string }) => p.productId)).toEqual(['50%_off']);
    const quote = await catalog(`?query=${encodeURIComponent("sku-'")}`);
    expect(quote.body.items.map((p: { productId: string }) => p.productId)).toEqual(["sku-'2"]);
    const rival = await catalog('', 'rival');
    expect(rival.body.items.map((p: { productId: string }) => p.productId)).toEqual(['sku-rival']);
    const failed = [...world.athena.executions.values()].slice(before).filter((e) => e.state === 'FAILED');
    expect(failed.map((e) => e.reason)).toEqual([]);
    expect(world.box.denials).toEqual([]);
  });

  test('bad input is a 400 before any query', async () => {
    const before = world.athena.executions.size;
    const res = await catalog('?limit=0');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'validation_error',
      details: [{ path: 'limit', message: 'must be an integer from 1 to 100' }],
    });
    expect(world.athena.executions.size).toBe(before);
  });
});
