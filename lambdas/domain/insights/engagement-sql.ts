/**
 * The insights query, for one or more campaigns of one tenant (the insights page asks for one; the
 * campaigns table for up to 100 in one scan). It reads two lake tables and returns three kinds of
 * rows, all with the same columns (INSIGHTS_ROW_COLUMNS):
 *
 * - `delivery`: per (campaign, platform, outcome, reason) the number of devices (`devices`) the
 *   `deliveries` table recorded with that outcome;
 * - `open`: per (campaign, SENT device that reported a push_open for it) its first open (`ts`) and
 *   the platform it was sent on;
 * - `order`: per (campaign, opened device, order) the purchase of that device within the
 *   attribution window after its first open (`order_id`, `amount`, first `ts`), with its platform.
 *
 * Who was sent is joined in SQL (it can hold millions of ids, which fit neither Athena's query text
 * nor Lambda memory); only the openers (a small set next to the events scanned) travel back.
 * Nothing duplicated inflates a figure: the sender may append a retried chunk's rows again, so
 * deliveries reduce to one row per (campaign_id, device_id) (the latest; outcomes are identical);
 * duplicated events (same event_id) reduce to min(ts) per device for opens and one row per order_id
 * for purchases.
 */
import type { SqlQuery } from '../sql';
import type { SqlDialect } from '../segments/dialect';
import { constant, joinFrags, paramList, raw, sql, toQuery, type Frag } from '../segments/sql-fragment';

/** What one insights query covers. */
export interface EngagementQueryInput {
  tenantId: string;
  /** 1 to 100 campaign ids, bound as a parameter list. */
  campaignIds: readonly string[];
  /** No delivery or event of interest is older than this (campaign creation − 1 day): prunes day partitions. */
  since: Date;
  attributionWindowHours: number;
  /**
   * Campaigns counted with another window than `attributionWindowHours` (each campaign's is the one
   * recorded at launch), so one scan serves a page whose campaigns were launched under several.
   */
  windowHoursOf?: Readonly<Record<string, number>>;
}

/** Most campaigns one query may cover (the campaigns list is at most 100 long). */
export const MAX_CAMPAIGNS_PER_QUERY = 100;

/**
 * The columns of every row, in order. `kind` says which are set:
 * delivery: campaign_id, platform, outcome, reason, devices;
 * open: campaign_id, device_id, platform, ts (ISO);
 * order: campaign_id, device_id, platform, ts (ISO), order_id, amount.
 */
export const INSIGHTS_ROW_COLUMNS = [
  'campaign_id',
  'kind',
  'device_id',
  'platform',
  'outcome',
  'reason',
  'devices',
  'ts',
  'order_id',
  'amount',
] as const;

/**
 * `expr + hours` per engine. Kept here (not in the segment dialects) because only insights need
 * interval arithmetic; both forms take the hours as a bound integer parameter.
 */
const PLUS_HOURS: Record<SqlDialect['name'], (expr: Frag, hours: Frag | number) => Frag> = {
  duckdb: (expr, hours) => sql`(${expr} + to_hours(CAST(${hours} AS BIGINT)))`,
  trino: (expr, hours) => sql`date_add(${constant('hour')}, ${hours}, ${expr})`,
};

const NULL_TEXT = raw('CAST(NULL AS VARCHAR)');

/**
 * The push a delivery row belongs to beyond (campaign, device): an automated campaign pushes a device
 * once per occurrence, each in its own sweeper batch (wave `auto`), so its rows stay apart per batch; a
 * campaign's device has one outcome, whatever batch recorded it (null here).
 */
const AUTOMATION_PUSH = sql`CASE WHEN wave_id = ${constant('auto')} THEN batch_id END`;

/** Rows as INSIGHTS_ROW_COLUMNS describes, ordered by campaign, kind, then the rest; all values bound. */
export function compileEngagement(input: EngagementQueryInput, dialect: SqlDialect): SqlQuery {
  const ids = input.campaignIds;
  if (ids.length === 0 || ids.length > MAX_CAMPAIGNS_PER_QUERY)
    throw new Error(`1 to ${MAX_CAMPAIGNS_PER_QUERY} campaign ids, got ${ids.length}`);
  const hours = input.attributionWindowHours;
  const others = Object.entries(input.windowHoursOf ?? {}).filter(([id, h]) => ids.includes(id) && h !== hours);
  for (const h of [hours, ...others.map(([, h]) => h)])
    if (!Number.isSafeInteger(h) || h < 0) throw new Error(`attribution window must be a non-negative integer, got ${h}`);
  if (Number.isNaN(input.since.getTime())) throw new Error('invalid since');
  const sinceDay = input.since.toISOString().slice(0, 10);
  // Each campaign's window: one CASE over the campaign id (bound values, inside the WHERE clause).
  const windowOf =
    others.length === 0
      ? hours
      : sql`CASE o.campaign_id ${joinFrags(
          others.map(([id, h]) => sql`WHEN ${id} THEN ${h}`),
          ' ',
        )} ELSE ${hours} END`;
  const windowEnd = PLUS_HOURS[dialect.name](raw('o.first_open'), windowOf);
  // Every `?` sits in a WHERE clause: Athena substitutes execution parameters only there. Constants
  // elsewhere are allowlisted literals (`constant`), never parameters.
  const recorded = sql`recorded AS (SELECT campaign_id, device_id, outcome, reason, platform, row_number() OVER (PARTITION BY campaign_id, device_id, ${AUTOMATION_PUSH} ORDER BY ts DESC, batch_id DESC) AS nth FROM deliveries WHERE tenant_id = ${input.tenantId} AND dt >= ${sinceDay} AND campaign_id IN ${paramList(ids)} AND device_id IS NOT NULL AND outcome IS NOT NULL)`;
  const outcomes = sql`outcomes AS (SELECT campaign_id, device_id, outcome, reason, platform FROM recorded WHERE nth = 1)`;
  const opens = sql`opens AS (SELECT e.campaign_id, e.device_id, s.platform, min(e.ts) AS first_open FROM events e JOIN outcomes s ON s.campaign_id = e.campaign_id AND s.device_id = e.device_id WHERE e.tenant_id = ${input.tenantId} AND e.dt >= ${sinceDay} AND e.type = ${constant('push_open')} AND e.campaign_id IN ${paramList(ids)} AND s.outcome = ${constant('sent')} GROUP BY e.campaign_id, e.device_id, s.platform)`;
  const buys = sql`buys AS (SELECT o.campaign_id, o.device_id, o.platform, p.order_id, min(p.ts) AS first_ts, max(p.amount) AS amount FROM opens o JOIN events p ON p.device_id = o.device_id WHERE p.tenant_id = ${input.tenantId} AND p.dt >= ${sinceDay} AND p.type = ${constant('purchase')} AND p.order_id IS NOT NULL AND p.ts >= o.first_open AND p.ts <= ${windowEnd} GROUP BY o.campaign_id, o.device_id, o.platform, p.order_id)`;
  const deliveryRows = sql`SELECT campaign_id, ${constant('delivery')} AS kind, ${NULL_TEXT} AS device_id, platform, outcome, reason, count(*) AS devices, ${NULL_TEXT} AS ts, ${NULL_TEXT} AS order_id, CAST(NULL AS DOUBLE) AS amount FROM outcomes GROUP BY campaign_id, platform, outcome, reason`;
  const openRows = sql`SELECT campaign_id, ${constant('open')} AS kind, device_id, platform, ${NULL_TEXT} AS outcome, ${NULL_TEXT} AS reason, CAST(NULL AS BIGINT) AS devices, ${dialect.isoText(raw('first_open'))} AS ts, ${NULL_TEXT} AS order_id, CAST(NULL AS DOUBLE) AS amount FROM opens`;
  const orderRows = sql`SELECT campaign_id, ${constant('order')} AS kind, device_id, platform, ${NULL_TEXT} AS outcome, ${NULL_TEXT} AS reason, CAST(NULL AS BIGINT) AS devices, ${dialect.isoText(raw('first_ts'))} AS ts, order_id, amount FROM buys`;
  return toQuery(
    sql`WITH ${recorded},\n${outcomes},\n${opens},\n${buys}\n${deliveryRows}\nUNION ALL\n${openRows}\nUNION ALL\n${orderRows}\nORDER BY campaign_id, kind, platform, outcome, reason, device_id, order_id`,
  );
}
