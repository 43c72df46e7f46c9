/**
 * The product catalog query in both dialects (DuckDB bound; Trino through the Athena stand-in,
 * whose rules say `?` only in WHERE clauses): distinct event ids per type, the 90-day window
 * (partition and time), the tenant's own events only, a literal prefix match, the limit.
 */
import fc from 'fast-check';
import { convertValue } from '../../../../lambdas/adapters/aws/athena-query-engine';
import { eventRow, type EventRow } from '../../../../lambdas/domain/lake-schema';
import { athenaLiteral } from '../../../../lambdas/domain/segments/athena-literal';
import { duckdbDialect } from '../../../../lambdas/domain/segments/dialect-duckdb';
import { trinoDialect } from '../../../../lambdas/domain/segments/dialect-trino';
import {
  catalogProducts,
  catalogRequestSchema,
  compileProductCatalog,
  type CatalogProduct,
} from '../../../../lambdas/domain/segments/product-catalog';
import { parseWith } from '../../../../lambdas/domain/validation';
import { ValidationError } from '../../../../lambdas/domain/errors';
import { checkAthenaSql, installTrinoCompat, runAthenaQuery } from '../../../aws/support/athena-sql';
import { TestLake } from './duckdb-harness';

const NOW = new Date('2026-06-01T12:00:00.000Z');
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY).toISOString();

let seq = 0;
const ev = (type: string, productId: string | null, daysAgo: number, eventId = `ev-${++seq}`): EventRow =>
  eventRow({ event_id: eventId, device_id: `d-${seq % 3}`, type, ts: ago(daysAgo), received_at: ago(daysAgo) }, { product_id: productId });

/** Product ids with LIKE wildcards, a quote and a backslash: all must be matched as plain text. */
const ODD_IDS = ['a%b', 'axb', 'a_c', 'abc', "it's", 'it-s', 'back\\slash', 'backXslash'];

let lake: TestLake;
beforeAll(async () => {
  lake = await TestLake.create();
  await installTrinoCompat(lake.connection);
  await lake.addEvents('t1', [
    // sku-1: 3 views, one of them written twice (same event id); 1 favourite; 1 cart written twice.
    ev('product_view', 'sku-1', 1, 'v-dup'),
    ev('product_view', 'sku-1', 1, 'v-dup'),
    ev('product_view', 'sku-1', 2),
    ev('product_view', 'sku-1', 30),
    ev('product_favorite', 'sku-1', 3),
    ev('add_to_cart', 'sku-1', 0.5, 'c-dup'),
    ev('add_to_cart', 'sku-1', 0.5, 'c-dup'),
    // sku-10: 2 views, 2 favourites.
    ev('product_view', 'sku-10', 5),
    ev('product_view', 'sku-10', 6),
    ev('product_favorite', 'sku-10', 4),
    ev('product_favorite', 'sku-10', 7),
    // sku-2: carted only (0 views).
    ev('add_to_cart', 'sku-2', 2),
    // The window: 89 days ago is in; 91 days ago is out; on the boundary day but before now − 90 days is out.
    ev('product_view', 'sku-edge', 89),
    ev('product_view', 'sku-old', 91),
    ev('product_view', 'sku-edge', 90.2),
    eventRow(
      { event_id: 'boundary', device_id: 'd-b', type: 'product_view', ts: '2026-03-03T06:00:00.000Z', received_at: ago(0) },
      { product_id: 'sku-boundary' },
    ),
    // Not product events: never in the catalog.
    ev('custom', 'sku-custom', 1),
    ev('purchase', 'sku-purchase', 1),
    ev('app_open', null, 1),
    ...ODD_IDS.map((id) => ev('product_view', id, 10)),
  ]);
  // Another tenant: its products (and its views of sku-1) never show.
  await lake.addEvents('t2', [
    ...Array.from({ length: 5 }, () => ev('product_view', 'sku-1', 1)),
    ...Array.from({ length: 5 }, () => ev('product_view', 'sku-other', 1)),
  ]);
});
afterAll(() => lake.close());

async function both(query = '', limit = 100, tenantId = 't1'): Promise<CatalogProduct[]> {
  const input = { tenantId, now: NOW, query, limit };
  const duck = catalogProducts(await lake.run(compileProductCatalog(input, duckdbDialect)));
  const trino = compileProductCatalog(input, trinoDialect);
  const params = trino.params.map(athenaLiteral);
  checkAthenaSql(trino.sql, params); // throws what Athena would refuse
  const { columns, rows } = await runAthenaQuery(lake.connection, trino.sql, params);
  const athena = catalogProducts(
    rows.map((cells) => Object.fromEntries(columns.map((c, i) => [c.name, convertValue(cells[i] ?? undefined, c.type)]))),
  );
  expect(athena).toEqual(duck);
  return duck;
}

const ids = (items: CatalogProduct[]) => items.map((p) => p.productId);

test('counts distinct event ids per type, most viewed first then by id, lastSeen the latest event', async () => {
  const items = await both();
  expect(items.slice(0, 2)).toEqual([
    { productId: 'sku-1', views: 3, favorites: 1, carts: 1, lastSeen: ago(0.5) },
    { productId: 'sku-10', views: 2, favorites: 2, carts: 0, lastSeen: ago(4) },
  ]);
  const oneView = [...ODD_IDS, 'sku-edge'].sort();
  expect(ids(items)).toEqual(['sku-1', 'sku-10', ...oneView, 'sku-2']);
  expect(items.at(-1)).toEqual({ productId: 'sku-2', views: 0, favorites: 0, carts: 1, lastSeen: ago(2) });
});

test('the 90-day window: by time, not only by partition', async () => {
  const items = await both('sku-');
  expect(ids(items)).not.toEqual(expect.arrayContaining(['sku-old']));
  expect(ids(items)).not.toContain('sku-boundary');
  expect(items.find((p) => p.productId === 'sku-edge')).toEqual({
    productId: 'sku-edge',
    views: 1,
    favorites: 0,
    carts: 0,
    lastSeen: ago(89),
  });
});

test('only product events with a product id, of this tenant only', async () => {
  const mine = ids(await both());
  for (const id of ['sku-custom', 'sku-purchase', 'sku-other']) expect(mine).not.toContain(id);
  expect(await both('', 100, 't2')).toEqual([
    { productId: 'sku-1', views: 5, favorites: 0, carts: 0, lastSeen: ago(1) },
    { productId: 'sku-other', views: 5, favorites: 0, carts: 0, lastSeen: ago(1) },
  ]);
  expect(await both('', 100, 'nobody')).toEqual([]);
});

test.each([
  ['sku-1', ['sku-1', 'sku-10']],
  ['sku-10', ['sku-10']],
  ['a%', ['a%b']],
  ['a_', ['a_c']],
  ['%', []],
  ['_', []],
  ["it'", ["it's"]],
  ['back\\', ['back\\slash']],
  ['SKU', []],
  ['nothing', []],
])('prefix %j matches literally', async (query, expected) => {
  expect(ids(await both(query))).toEqual(expected);
});

test('the limit keeps the first n', async () => {
  expect(ids(await both('', 1))).toEqual(['sku-1']);
  expect(ids(await both('sku', 2))).toEqual(['sku-1', 'sku-10']);
});

test('any prefix selects exactly the ids that start with it (both engines)', async () => {
  const all = ids(await both());
  await fc.assert(
    fc.asyncProperty(
      fc.string({ unit: fc.constantFrom('a', 'b', 'x', 's', 'k', 'u', '-', '1', '%', '_', "'", '\\', '"', '?'), maxLength: 4 }),
      async (prefix) => {
        const got = ids(await both(prefix)).sort();
        expect(got).toEqual(all.filter((id) => id.startsWith(prefix)).sort());
      },
    ),
    { numRuns: 40 },
  );
});

test("the select list holds no parameter; the only values are the WHERE clause's", () => {
  const q = compileProductCatalog({ tenantId: "t'1", now: NOW, query: 'a%', limit: 20 }, trinoDialect);
  expect(q.params).toEqual(["t'1", '2026-03-03', '2026-03-03 12:00:00.000', 'a%']);
  expect(q.sql).toMatch(/ LIMIT 20$/);
  expect(q.sql).not.toMatch(/LIKE/i);
  expect(compileProductCatalog({ tenantId: 't', now: NOW, query: '', limit: 5 }, duckdbDialect).params).toHaveLength(3);
});

test.each([0, 101, 1.5, Number.NaN])('a limit of %p never reaches the SQL', (limit) => {
  expect(() => compileProductCatalog({ tenantId: 't', now: NOW, query: '', limit }, duckdbDialect)).toThrow(/limit/);
});

describe('request validation', () => {
  const parse = (q: Record<string, string | undefined>) => parseWith(catalogRequestSchema, q);
  const problem = (q: Record<string, string | undefined>) => {
    try {
      parse(q);
    } catch (err) {
      if (err instanceof ValidationError) return err.details;
      throw err;
    }
    return undefined;
  };

  test('defaults: no query, 20 products', () => {
    expect(parse({})).toEqual({ query: '', limit: 20 });
    expect(parse({ query: 'sku', limit: '100', other: 'ignored' })).toEqual({ query: 'sku', limit: 100 });
    expect(parse({ limit: '1', query: 'x'.repeat(100) })).toEqual({ query: 'x'.repeat(100), limit: 1 });
  });

  test.each(['0', '101', '1.5', '-1', 'abc', '', ' 5', '1e1', '0x10', '0100'])('limit=%j is refused', (limit) => {
    expect(problem({ limit })).toEqual([{ path: 'limit', message: 'must be an integer from 1 to 100' }]);
  });

  test('a query over 100 characters is refused', () => {
    expect(problem({ query: 'x'.repeat(101) })).toEqual([{ path: 'query', message: 'must be at most 100 characters long' }]);
  });
});
