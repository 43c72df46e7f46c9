/**
 * The engagement query behind campaign insights, for one or more campaigns of one tenant (the
 * insights page asks for one; the campaigns table for up to 100 in one scan). One row per
 * (campaign, device that reported a push_open for it) with its first open, and one row per
 * (campaign, opened device, order) for the purchases of that device within the attribution
 * window after its first open.
 *
 * The set of devices the campaign was SENT to is not passed in: it can hold millions of ids, which
 * fit neither Athena's query text nor its parameter list. The query returns every reported opener
 * (a small set next to the events scanned) and the caller intersects with the ledger's sent set
 * (figures.ts). Duplicated events (same event_id) cannot inflate anything: opens reduce to min(ts)
 * per device, purchases to one row per order_id.
 */
import type { SqlQuery } from '../../ports/query-engine';
import type { SqlDialect } from '../segments/dialect';
import { constant, paramList, raw, sql, toQuery, type Frag } from '../segments/sql-fragment';

/** What one engagement query covers. */
export interface EngagementQueryInput {
  tenantId: string;
  /** 1 to 100 campaign ids, bound as a parameter list. */
  campaignIds: readonly string[];
  /** No event of interest is older than this (campaign creation − 1 day): prunes day partitions. */
  since: Date;
  attributionWindowHours: number;
}

/** Most campaigns one query may cover (the campaigns list is at most 100 long). */
export const MAX_CAMPAIGNS_PER_QUERY = 100;

/**
 * `expr + hours` per engine. Kept here (not in the segment dialects) because only insights need
 * interval arithmetic; both forms take the hours as a bound integer parameter.
 */
const PLUS_HOURS: Record<SqlDialect['name'], (expr: Frag, hours: number) => Frag> = {
  duckdb: (expr, hours) => sql`(${expr} + to_hours(CAST(${hours} AS BIGINT)))`,
  trino: (expr, hours) => sql`date_add(${constant('hour')}, ${hours}, ${expr})`,
};

/** Rows `{campaign_id, kind: 'open'|'order', device_id, ts (ISO), order_id, amount}`, all values bound. */
export function compileEngagement(input: EngagementQueryInput, dialect: SqlDialect): SqlQuery {
  const ids = input.campaignIds;
  if (ids.length === 0 || ids.length > MAX_CAMPAIGNS_PER_QUERY) throw new Error(`1 to ${MAX_CAMPAIGNS_PER_QUERY} campaign ids, got ${ids.length}`);
  const hours = input.attributionWindowHours;
  if (!Number.isSafeInteger(hours) || hours < 0) throw new Error(`attribution window must be a non-negative integer, got ${hours}`);
  if (Number.isNaN(input.since.getTime())) throw new Error('invalid since');
  const sinceDay = input.since.toISOString().slice(0, 10);
  const windowEnd = PLUS_HOURS[dialect.name](raw('o.first_open'), hours);
  // Every `?` sits in a WHERE clause: Athena substitutes execution parameters only there reliably.
  const opens = sql`opens AS (SELECT campaign_id, device_id, min(ts) AS first_open FROM events WHERE tenant_id = ${input.tenantId} AND dt >= ${sinceDay} AND type = ${constant('push_open')} AND campaign_id IN ${paramList(ids)} AND device_id IS NOT NULL GROUP BY campaign_id, device_id)`;
  const buys = sql`buys AS (SELECT o.campaign_id, o.device_id, p.order_id, min(p.ts) AS first_ts, max(p.amount) AS amount FROM opens o JOIN events p ON p.device_id = o.device_id WHERE p.tenant_id = ${input.tenantId} AND p.dt >= ${sinceDay} AND p.type = ${constant('purchase')} AND p.order_id IS NOT NULL AND p.ts >= o.first_open AND p.ts <= ${windowEnd} GROUP BY o.campaign_id, o.device_id, p.order_id)`;
  const openRows = sql`SELECT campaign_id, ${constant('open')} AS kind, device_id, ${dialect.isoText(raw('first_open'))} AS ts, CAST(NULL AS VARCHAR) AS order_id, CAST(NULL AS DOUBLE) AS amount FROM opens`;
  const orderRows = sql`SELECT campaign_id, ${constant('order')} AS kind, device_id, ${dialect.isoText(raw('first_ts'))} AS ts, order_id, amount FROM buys`;
  return toQuery(sql`WITH ${opens},\n${buys}\n${openRows}\nUNION ALL\n${orderRows}\nORDER BY campaign_id, kind, device_id, order_id`);
}
