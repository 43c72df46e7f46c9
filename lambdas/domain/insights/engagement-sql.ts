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
 *   attribution window after its first open (`order_id`, `amount`, first `ts`), with its platform;
 * - `arm` (campaigns with variants or a control group only): per (campaign, variant; null = the
 *   control group) the devices meant for it at send time (`devices`: pushed, failed or with a dead
 *   token in a variant; held out or with a dead token in the control: intention to treat, so tokens
 *   found dead by the push do not leave the variants only) and those with a purchase within the
 *   attribution window after the moment of their outcome (`converted`): the measure a variant is
 *   compared with the control by.
 *
 * Every row carries the device's `variant` (null for the control group and for campaigns without variants).
 *
 * Who was sent is joined in SQL (it can hold millions of ids, which fit neither Athena's query text
 * nor Lambda memory); only the openers (a small set next to the events scanned) travel back.
 * Nothing duplicated inflates a figure: the sender may append a retried chunk's rows again, so
 * deliveries reduce to one row per (campaign_id, device_id) (the latest outcome; the trigger's
 * `queued` row only when there is none, since it may be stamped after a fast sender's outcome);
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
   * Campaigns with variants or a control group (a subset of campaignIds): for these the query also
   * returns `arm` rows, each arm's measured devices and how many purchased within the window after
   * their push (or hold-out). Absent/empty: no arm rows, and no second look at the purchases.
   */
  armCampaignIds?: readonly string[];
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
 * order: campaign_id, device_id, platform, ts (ISO), order_id, amount;
 * arm: campaign_id, outcome, devices, converted;
 * every kind: variant.
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
  'variant',
  'converted',
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
  const windowOf = (alias: string) =>
    others.length === 0
      ? hours
      : sql`CASE ${raw(alias)}.campaign_id ${joinFrags(
          others.map(([id, h]) => sql`WHEN ${id} THEN ${h}`),
          ' ',
        )} ELSE ${hours} END`;
  const windowEnd = PLUS_HOURS[dialect.name](raw('o.first_open'), windowOf('o'));
  const armIds = (input.armCampaignIds ?? []).filter((id) => ids.includes(id));
  // Every `?` sits in a WHERE clause: Athena substitutes execution parameters only there. Constants
  // elsewhere are allowlisted literals (`constant`), never parameters.
  const recorded = sql`recorded AS (SELECT campaign_id, device_id, outcome, reason, platform, variant, ts, row_number() OVER (PARTITION BY campaign_id, device_id, ${AUTOMATION_PUSH} ORDER BY CASE WHEN outcome = ${constant('queued')} THEN 1 ELSE 0 END, ts DESC, batch_id DESC) AS nth FROM deliveries WHERE tenant_id = ${input.tenantId} AND dt >= ${sinceDay} AND campaign_id IN ${paramList(ids)} AND device_id IS NOT NULL AND outcome IS NOT NULL)`;
  const outcomes = sql`outcomes AS (SELECT campaign_id, device_id, outcome, reason, platform, variant, ts FROM recorded WHERE nth = 1)`;
  const opens = sql`opens AS (SELECT e.campaign_id, e.device_id, s.platform, s.variant, min(e.ts) AS first_open FROM events e JOIN outcomes s ON s.campaign_id = e.campaign_id AND s.device_id = e.device_id WHERE e.tenant_id = ${input.tenantId} AND e.dt >= ${sinceDay} AND e.type = ${constant('push_open')} AND e.campaign_id IN ${paramList(ids)} AND s.outcome = ${constant('sent')} GROUP BY e.campaign_id, e.device_id, s.platform, s.variant)`;
  const buys = sql`buys AS (SELECT o.campaign_id, o.device_id, o.platform, o.variant, p.order_id, min(p.ts) AS first_ts, max(p.amount) AS amount FROM opens o JOIN events p ON p.device_id = o.device_id WHERE p.tenant_id = ${input.tenantId} AND p.dt >= ${sinceDay} AND p.type = ${constant('purchase')} AND p.order_id IS NOT NULL AND p.ts >= o.first_open AND p.ts <= ${windowEnd} GROUP BY o.campaign_id, o.device_id, o.platform, o.variant, p.order_id)`;
  const NULL_COUNT = raw('CAST(NULL AS BIGINT)');
  const deliveryRows = sql`SELECT campaign_id, ${constant('delivery')} AS kind, ${NULL_TEXT} AS device_id, platform, outcome, reason, count(*) AS devices, ${NULL_TEXT} AS ts, ${NULL_TEXT} AS order_id, CAST(NULL AS DOUBLE) AS amount, variant, ${NULL_COUNT} AS converted FROM outcomes GROUP BY campaign_id, platform, outcome, reason, variant`;
  const openRows = sql`SELECT campaign_id, ${constant('open')} AS kind, device_id, platform, ${NULL_TEXT} AS outcome, ${NULL_TEXT} AS reason, ${NULL_COUNT} AS devices, ${dialect.isoText(raw('first_open'))} AS ts, ${NULL_TEXT} AS order_id, CAST(NULL AS DOUBLE) AS amount, variant, ${NULL_COUNT} AS converted FROM opens`;
  const orderRows = sql`SELECT campaign_id, ${constant('order')} AS kind, device_id, platform, ${NULL_TEXT} AS outcome, ${NULL_TEXT} AS reason, ${NULL_COUNT} AS devices, ${dialect.isoText(raw('first_ts'))} AS ts, order_id, amount, variant, ${NULL_COUNT} AS converted FROM buys`;
  const ctes = [recorded, outcomes, opens, buys];
  const parts = [deliveryRows, openRows, orderRows];
  if (armIds.length > 0) {
    // Each arm's devices from the moment of their outcome (push or hold-out): purchases in the window
    // after it, opened or not (the control has nothing to open), one per device.
    const armEnd = PLUS_HOURS[dialect.name](raw('a.at'), windowOf('a'));
    ctes.push(
      sql`arms AS (SELECT campaign_id, device_id, variant, ts AS at FROM outcomes WHERE campaign_id IN ${paramList(armIds)} AND (outcome IN (${constant('sent')}, ${constant('failed')}, ${constant('held_out')}) OR (outcome = ${constant('suppressed')} AND reason = ${'invalidToken'})))`,
      sql`arm_buys AS (SELECT DISTINCT a.campaign_id, a.device_id FROM arms a JOIN events p ON p.device_id = a.device_id WHERE p.tenant_id = ${input.tenantId} AND p.dt >= ${sinceDay} AND p.type = ${constant('purchase')} AND p.order_id IS NOT NULL AND p.ts >= a.at AND p.ts <= ${armEnd})`,
    );
    parts.push(
      sql`SELECT a.campaign_id, ${constant('arm')} AS kind, ${NULL_TEXT} AS device_id, ${NULL_TEXT} AS platform, ${NULL_TEXT} AS outcome, ${NULL_TEXT} AS reason, count(*) AS devices, ${NULL_TEXT} AS ts, ${NULL_TEXT} AS order_id, CAST(NULL AS DOUBLE) AS amount, a.variant, count(b.device_id) AS converted FROM arms a LEFT JOIN arm_buys b ON b.campaign_id = a.campaign_id AND b.device_id = a.device_id GROUP BY a.campaign_id, a.variant`,
    );
  }
  return toQuery(
    sql`WITH ${joinFrags(ctes, ',\n')}\n${joinFrags(parts, '\nUNION ALL\n')}\nORDER BY campaign_id, kind, platform, outcome, reason, variant, device_id, order_id`,
  );
}
