/**
 * The product catalog of GET /v1/catalog/products: the products a tenant's shoppers viewed,
 * favourited or carted in the last 90 days, most viewed first, optionally those whose id starts
 * with a typed prefix. It lets the segment builder offer real product ids. One GROUP BY pass over
 * the window's partitions; written once for both engines (the dialect only formats `lastSeen`).
 */
import * as z from 'zod';
import type { Row, SqlQuery } from '../sql';
import type { SqlDialect } from './dialect';
import { constant, joinFrags, raw, sql, toQuery, type Frag } from './sql-fragment';

const DAY_MS = 86_400_000;

/** How far back the catalog looks (API.md: last 90 days). */
export const CATALOG_WINDOW_DAYS = 90;
export const CATALOG_DEFAULT_LIMIT = 20;
export const CATALOG_MAX_LIMIT = 100;
export const CATALOG_MAX_QUERY_LENGTH = 100;

/** The product event types and the count each one feeds. */
const COUNTED = [
  ['product_view', 'views'],
  ['product_favorite', 'favorites'],
  ['add_to_cart', 'carts'],
] as const;

const LIMIT_MESSAGE = `must be an integer from 1 to ${CATALOG_MAX_LIMIT}`;

/** The query string of GET /v1/catalog/products (values arrive as text; other keys are ignored). */
export const catalogRequestSchema = z.object({
  query: z.string().max(CATALOG_MAX_QUERY_LENGTH, `must be at most ${CATALOG_MAX_QUERY_LENGTH} characters long`).default(''),
  limit: z
    .string()
    .regex(/^\d{1,3}$/, LIMIT_MESSAGE)
    .transform(Number)
    .refine((n) => n >= 1 && n <= CATALOG_MAX_LIMIT, LIMIT_MESSAGE)
    .optional()
    .transform((n) => n ?? CATALOG_DEFAULT_LIMIT),
});

export type CatalogRequest = z.output<typeof catalogRequestSchema>;

/** One product of the catalog (API.md). */
export interface CatalogProduct {
  productId: string;
  views: number;
  favorites: number;
  carts: number;
  /** ISO time of the product's latest event of the window. */
  lastSeen: string;
}

export interface CatalogQueryInput extends CatalogRequest {
  tenantId: string;
  now: Date;
}

function checkedLimit(n: number): number {
  // Spliced as text (Athena takes no parameter in LIMIT): only a validated integer may get there.
  if (!Number.isSafeInteger(n) || n < 1 || n > CATALOG_MAX_LIMIT)
    throw new Error(`catalog limit must be an integer from 1 to ${CATALOG_MAX_LIMIT}, got ${n}`);
  return n;
}

/**
 * Rows `{ product_id, views, favorites, carts, last_seen }`. Counts are distinct event ids, so an
 * event the lake holds twice (an SDK retry, a re-run compaction) counts once. Every user value
 * (tenant, window, prefix) is a bound parameter of the WHERE clause; the select list holds only
 * our own constants, so the Trino form satisfies Athena (`?` only in WHERE) as it is.
 */
export function compileProductCatalog(input: CatalogQueryInput, dialect: SqlDialect): SqlQuery {
  const since = new Date(input.now.getTime() - CATALOG_WINDOW_DAYS * DAY_MS);
  const counts = COUNTED.map(([type, alias]) => sql`count(DISTINCT CASE WHEN type = ${constant(type)} THEN event_id END) AS ${raw(alias)}`);
  const types = joinFrags(
    COUNTED.map(([type]) => type)
      .sort()
      .map(constant),
    ', ',
  );
  // starts_with: the prefix is compared as plain text (no LIKE, so `%` and `_` are no wildcards); both engines have it.
  const prefix: Frag = input.query === '' ? raw('') : sql` AND starts_with(product_id, ${input.query})`;
  return toQuery(
    sql`SELECT product_id, ${joinFrags(counts, ', ')}, ${dialect.isoText(raw('max(ts)'))} AS last_seen FROM events WHERE tenant_id = ${input.tenantId} AND dt >= ${since.toISOString().slice(0, 10)} AND ts >= ${dialect.timestamp(since)} AND type IN (${types}) AND product_id IS NOT NULL${prefix} GROUP BY product_id ORDER BY views DESC, product_id ASC LIMIT ${raw(String(checkedLimit(input.limit)))}`,
  );
}

/** The API items of the query's rows (counts arrive as numbers or, from Athena, as text). */
export function catalogProducts(rows: readonly Row[]): CatalogProduct[] {
  return rows.map((r) => ({
    productId: String(r.product_id),
    views: Number(r.views ?? 0),
    favorites: Number(r.favorites ?? 0),
    carts: Number(r.carts ?? 0),
    lastSeen: String(r.last_seen),
  }));
}
