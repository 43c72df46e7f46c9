/**
 * The product catalog use case: input validated as the handler does, the query compiled for the engine's dialect, a
 * 5-minute in-memory cache per (tenant, query, limit) that shares a query in flight and forgets
 * failures, and the HTTP query budget (503 `query_timeout`) when the lake is too slow.
 */
import { QueryTimeoutError, ValidationError } from '../../../lambdas/domain/errors';
import { errorResponse } from '../../../lambdas/handlers/http/error-body';
import { catalogRequestSchema } from '../../../lambdas/domain/segments/product-catalog';
import { parseWith } from '../../../lambdas/domain/validation';
import { fixedClock } from '../../../lambdas/ports/clock';
import { QueryFailedError, type Row, type SqlQuery } from '../../../lambdas/ports/query-engine';
import { CATALOG_CACHE_TTL_MS, listCatalogProducts, ProductCatalogCache } from '../../../lambdas/use-cases/segments/product-catalog';
import { UnusedQueryEngine } from '../../support/query-engine';

const NOW = '2026-11-28T12:00:00.000Z';
const ROW: Row = { product_id: 'sku-1', views: 3, favorites: 1, carts: 0, last_seen: '2026-11-27T10:00:00.000Z' };

/** An engine that answers run() as told (rows, a failure, or a promise the test settles) and records each query. */
class FakeEngine extends UnusedQueryEngine {
  queries: SqlQuery[] = [];
  next: () => Promise<Row[]> = async () => [ROW];
  override run(query: SqlQuery): Promise<Row[]> {
    this.queries.push(query);
    return this.next();
  }
}

function setup(dialect: 'duckdb' | 'trino' = 'duckdb') {
  const engine = new FakeEngine(dialect);
  const clock = fixedClock(NOW);
  const cache = new ProductCatalogCache();
  // The query string parsed as GET /v1/catalog/products' handler parses it.
  const list = async (tenantId: string, q: Record<string, string | undefined> = {}) =>
    listCatalogProducts(
      { queryEngine: engine, clock },
      cache,
      tenantId,
      parseWith(catalogRequestSchema, { query: q.query, limit: q.limit }),
    );
  return { engine, clock, cache, list };
}

test("answers the items and compiles for the engine's dialect", async () => {
  for (const dialect of ['duckdb', 'trino'] as const) {
    const { engine, list } = setup(dialect);
    expect(await list('acme', { query: 'sku', limit: '5' })).toEqual({
      items: [{ productId: 'sku-1', views: 3, favorites: 1, carts: 0, lastSeen: '2026-11-27T10:00:00.000Z' }],
    });
    expect(engine.queries).toHaveLength(1);
    expect(engine.queries[0].params[0]).toBe('acme');
    expect(engine.queries[0].params.at(-1)).toBe('sku');
    expect(engine.queries[0].sql).toMatch(/ LIMIT 5$/);
    expect(engine.queries[0].sql).toContain(dialect === 'trino' ? 'format_datetime' : 'strftime');
  }
});

test('bad input is a 400 validation_error before any query', async () => {
  const { engine, list } = setup();
  const err = await list('acme', { limit: '500' }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ValidationError);
  expect(errorResponse(err)).toEqual({
    status: 400,
    body: {
      error: {
        code: 'validation_error',
        message: 'limit: must be an integer from 1 to 100',
        details: [{ path: 'limit', message: 'must be an integer from 1 to 100' }],
      },
    },
  });
  await expect(list('acme', { query: 'q'.repeat(101) })).rejects.toBeInstanceOf(ValidationError);
  expect(engine.queries).toHaveLength(0);
});

test('the same tenant, query and limit within 5 minutes is answered from memory', async () => {
  const { engine, clock, list } = setup();
  await list('acme', { query: 'sku' });
  clock.advance(CATALOG_CACHE_TTL_MS - 1);
  await list('acme', { query: 'sku', limit: '20' }); // the default limit spelled out: the same request
  expect(engine.queries).toHaveLength(1);
  await list('other', { query: 'sku' });
  await list('acme', { query: 'sku', limit: '21' });
  await list('acme', { query: 'sk' });
  expect(engine.queries).toHaveLength(4);
  expect(engine.queries.map((q) => q.params[0])).toEqual(['acme', 'other', 'acme', 'acme']);
  clock.advance(1);
  await list('acme', { query: 'sku' });
  expect(engine.queries).toHaveLength(5);
});

test('identical requests in flight share one query', async () => {
  const { engine, list } = setup();
  let answer!: (rows: Row[]) => void;
  engine.next = () => new Promise<Row[]>((resolve) => (answer = resolve));
  const a = list('acme', { query: 'sku' });
  const b = list('acme', { query: 'sku' });
  await Promise.resolve();
  answer([ROW]);
  expect(await a).toEqual(await b);
  expect(engine.queries).toHaveLength(1);
});

test('a failure is not remembered: the next request queries again', async () => {
  const { engine, list } = setup();
  engine.next = () => Promise.reject(new QueryFailedError('boom'));
  await expect(list('acme')).rejects.toBeInstanceOf(QueryFailedError);
  engine.next = async () => [ROW];
  expect((await list('acme')).items).toHaveLength(1);
  expect(engine.queries).toHaveLength(2);
});

test('a query past the HTTP budget ends in 503 query_timeout, and is not cached', async () => {
  const engine = new FakeEngine('trino');
  engine.next = () => new Promise<Row[]>(() => {}); // a hung Athena wait
  const clock = fixedClock(NOW);
  const slept: number[] = [];
  const deps = { queryEngine: engine, clock, queryBudgetMs: 25_000, sleep: async (ms: number) => void slept.push(ms) };
  const cache = new ProductCatalogCache();
  const err = await listCatalogProducts(deps, cache, 'acme', { query: '', limit: 20 }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(QueryTimeoutError);
  expect(errorResponse(err).status).toBe(503);
  expect(slept).toEqual([25_000]);
  expect(cache.size).toBe(0);
});

test('the cache holds at most its number of entries, dropping the oldest', async () => {
  const cache = new ProductCatalogCache(60_000, 2);
  const loads: string[] = [];
  const load = (k: string) => async () => {
    loads.push(k);
    return [];
  };
  for (const k of ['a', 'b', 'c']) await cache.get(k, 0, load(k));
  expect(cache.size).toBe(2);
  await cache.get('c', 1, load('c'));
  await cache.get('a', 1, load('a'));
  expect(loads).toEqual(['a', 'b', 'c', 'a']);
});
