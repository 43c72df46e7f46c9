/**
 * GET /v1/catalog/products: the products seen in the tenant's events, for the segment builder's
 * product picker. The builder asks as the merchant types, so answers are kept a few minutes per
 * (tenant, query, limit) in the function's memory, and identical requests in flight share one query.
 */
import { dialectFor } from '../../domain/segments/compiler';
import { catalogProducts, compileProductCatalog, type CatalogProduct, type CatalogRequest } from '../../domain/segments/product-catalog';
import type { Clock } from '../../ports/clock';
import type { QueryEngine } from '../../ports/query-engine';
import { runWithinBudget, type QueryBudget } from './query-budget';

export interface ProductCatalogDeps extends QueryBudget {
  queryEngine: QueryEngine;
  clock: Clock;
}

/** How long an answer is reused: new products show up within this time. */
export const CATALOG_CACHE_TTL_MS = 5 * 60_000;
const CATALOG_CACHE_MAX_ENTRIES = 1000;

interface Entry {
  at: number;
  items: Promise<CatalogProduct[]>;
}

/** Catalog answers by tenant, query and limit, in memory, for `ttlMs`; the oldest go first beyond `maxEntries`. */
export class ProductCatalogCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs = CATALOG_CACHE_TTL_MS,
    private readonly maxEntries = CATALOG_CACHE_MAX_ENTRIES,
  ) {}

  /** The fresh entry's answer, or `load()`'s (stored at once, so concurrent callers share it; dropped if it fails). */
  get(key: string, nowMs: number, load: () => Promise<CatalogProduct[]>): Promise<CatalogProduct[]> {
    const hit = this.entries.get(key);
    if (hit && nowMs - hit.at < this.ttlMs && nowMs >= hit.at) return hit.items;
    this.entries.delete(key);
    const items = load();
    const entry = { at: nowMs, items };
    this.entries.set(key, entry);
    // A failure (timeout, engine error) is not remembered: the next request tries again.
    items.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return items;
  }

  get size(): number {
    return this.entries.size;
  }
}

/** GET /v1/catalog/products?query&limit → `{ items }`; QueryTimeoutError (503 `query_timeout`) when the lake is too slow. */
export async function listCatalogProducts(
  deps: ProductCatalogDeps,
  cache: ProductCatalogCache,
  tenantId: string,
  request: CatalogRequest,
): Promise<{ items: CatalogProduct[] }> {
  const now = deps.clock.now();
  const key = JSON.stringify([tenantId, request.query, request.limit]);
  const items = await cache.get(key, now.getTime(), async () => {
    const query = compileProductCatalog({ ...request, tenantId, now }, dialectFor(deps.queryEngine.dialect));
    // Inside an HTTP request: wait within its budget (the engine stops the query when it gives up).
    return catalogProducts(await runWithinBudget(deps.queryEngine, query, deps));
  });
  return { items };
}
