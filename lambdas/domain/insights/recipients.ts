/**
 * The recipients of a campaign (GET /v1/campaigns/{id}/recipients): one row per device the campaign
 * reached or held back, read from the lake's `deliveries` table, with the device's first push_open
 * of the campaign from the `events` table (counted as insights count opens: only a SENT device's
 * open). A page is a keyset on device id: the cursor carries the last device id of the page and
 * reaches the SQL as a bound parameter of a WHERE clause, never as text.
 *
 * A device may have several rows (the trigger's `queued`, then the sender's outcome; a retried chunk
 * writes its rows again): its final outcome is the latest non-`queued` row, else its `queued` row.
 * Partition pruning: tenant, and days from the launch day to the completion day (still sending:
 * today) plus the attribution window, so a page scans only the campaign's days, never the tenant's
 * whole history. An open later than that is not shown (insights stop attributing it as well).
 */
import { DEVICE_ID_PATTERN } from '../devices/device';
import { ValidationError } from '../errors';
import type { SqlDialect } from '../segments/dialect';
import { constant, raw, sql, toQuery, type Frag } from '../segments/sql-fragment';
import type { Row, SqlQuery } from '../sql';

export const RECIPIENT_OUTCOMES = ['sent', 'failed', 'suppressed', 'queued', 'heldOut'] as const;
export type RecipientOutcome = (typeof RECIPIENT_OUTCOMES)[number];
/** What `?outcome=` may ask for: a final outcome, or `opened` (sent and opened). */
export const RECIPIENT_FILTERS = ['sent', 'failed', 'suppressed', 'opened', 'queued', 'heldOut'] as const;
/** The API's outcome names that the deliveries table spells otherwise. */
const LAKE_OUTCOME: Partial<Record<RecipientOutcome, string>> = { heldOut: 'held_out' };
export type RecipientFilter = (typeof RECIPIENT_FILTERS)[number];

export const RECIPIENTS_DEFAULT_LIMIT = 50;
export const RECIPIENTS_MAX_LIMIT = 100;

/** One recipient as the API answers it. */
export interface Recipient {
  deviceId: string;
  platform: string | null;
  waveId: string | null;
  outcome: RecipientOutcome;
  reason: string | null;
  /** ISO time the final outcome was recorded. */
  at: string;
  /** ISO time of the device's first push_open of the campaign (sent devices only), else null. */
  openedAt: string | null;
  /** A campaign with variants or a control group: the device's variant (null in the control group and otherwise). */
  variant: string | null;
}

/** The parsed query string. */
export interface RecipientsRequest {
  outcome: RecipientFilter | null;
  limit: number;
  /** Device id the page starts after (decoded from the cursor), null for the first page. */
  after: string | null;
}

const CURSOR_PREFIX = 'r1:';

/** The opaque cursor of a page that ends at `deviceId`. */
export function encodeRecipientsCursor(deviceId: string): string {
  return Buffer.from(`${CURSOR_PREFIX}${deviceId}`, 'utf8').toString('base64url');
}

/** The device id a cursor carries, or null when it is not one this API returned. */
export function decodeRecipientsCursor(cursor: string): string | null {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith(CURSOR_PREFIX)) return null;
  const deviceId = text.slice(CURSOR_PREFIX.length);
  return DEVICE_ID_PATTERN.test(deviceId) ? deviceId : null;
}

function invalid(path: string, message: string): never {
  throw new ValidationError(`${path}: ${message}`, [{ path, message }]);
}

/** `?outcome&limit&cursor` (values arrive as text); a bad one is a 400 naming the parameter. */
export function parseRecipientsRequest(query: Record<string, string | undefined>): RecipientsRequest {
  const { outcome, limit, cursor } = query;
  if (outcome !== undefined && !(RECIPIENT_FILTERS as readonly string[]).includes(outcome))
    invalid('outcome', `must be one of ${RECIPIENT_FILTERS.join(', ')}`);
  let n = RECIPIENTS_DEFAULT_LIMIT;
  if (limit !== undefined) {
    n = Number(limit);
    if (!/^\d{1,3}$/.test(limit) || n < 1 || n > RECIPIENTS_MAX_LIMIT)
      invalid('limit', `must be an integer from 1 to ${RECIPIENTS_MAX_LIMIT}`);
  }
  let after: string | null = null;
  if (cursor !== undefined) {
    after = decodeRecipientsCursor(cursor);
    if (after === null) invalid('cursor', 'is not a cursor this API returned');
  }
  return { outcome: (outcome as RecipientFilter | undefined) ?? null, limit: n, after };
}

/** What one page query covers. */
export interface RecipientsQueryInput extends RecipientsRequest {
  tenantId: string;
  campaignId: string;
  /** First and last UTC day (YYYY-MM-DD) whose partitions may hold the campaign's rows. */
  fromDay: string;
  toDay: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The day partitions of a campaign: from its launch day to the day its sending ended (completion or
 * cancellation; `now` while it still sends) plus the attribution window (the opens insights count).
 */
export function recipientDays(
  c: { launchedAt: string; completedAt: string | null; cancelledAt: string | null },
  windowHours: number,
  now: Date,
): { fromDay: string; toDay: string } {
  const launched = Date.parse(c.launchedAt);
  const ended = Date.parse(c.completedAt ?? c.cancelledAt ?? now.toISOString());
  const to = Math.max(launched, ended) + windowHours * 3_600_000;
  return { fromDay: new Date(launched).toISOString().slice(0, 10), toDay: new Date(to).toISOString().slice(0, 10) };
}

/**
 * Rows `{device_id, platform, wave_id, outcome, reason, variant, recorded_at, opened_at}` ordered by device id, at most
 * `limit + 1` (the extra row says whether a next page exists). Every `?` sits in a WHERE clause
 * (Athena substitutes execution parameters only there); LIMIT is a validated integer spliced as text.
 */
export function compileRecipients(input: RecipientsQueryInput, dialect: SqlDialect): SqlQuery {
  if (!Number.isSafeInteger(input.limit) || input.limit < 1 || input.limit > RECIPIENTS_MAX_LIMIT)
    throw new Error(`limit must be an integer from 1 to ${RECIPIENTS_MAX_LIMIT}, got ${input.limit}`);
  if (!DAY.test(input.fromDay) || !DAY.test(input.toDay) || input.fromDay > input.toDay)
    throw new Error(`invalid day range ${input.fromDay}..${input.toDay}`);
  if (input.after !== null && !DEVICE_ID_PATTERN.test(input.after)) throw new Error('invalid keyset device id');
  const after = (column: string): Frag => (input.after === null ? raw('') : sql` AND ${raw(column)} > ${input.after}`);
  const { tenantId, campaignId, fromDay, toDay } = input;
  // Final outcome: a non-queued row before any queued one, the latest first (batch id breaks ties of a retried chunk).
  const recorded = sql`recorded AS (SELECT device_id, wave_id, outcome, reason, platform, ts, variant, row_number() OVER (PARTITION BY device_id ORDER BY CASE WHEN outcome = ${constant('queued')} THEN 1 ELSE 0 END, ts DESC, batch_id DESC) AS nth FROM deliveries WHERE tenant_id = ${tenantId} AND dt >= ${fromDay} AND dt <= ${toDay} AND campaign_id = ${campaignId} AND device_id IS NOT NULL AND outcome IS NOT NULL${after('device_id')})`;
  const outcomeFilter: Frag =
    input.outcome === null
      ? raw('')
      : input.outcome === 'opened'
        ? sql` AND outcome = ${constant('sent')}`
        : sql` AND outcome = ${LAKE_OUTCOME[input.outcome] ?? input.outcome}`;
  const latest = sql`latest AS (SELECT device_id, wave_id, outcome, reason, platform, ts, variant FROM recorded WHERE nth = 1${outcomeFilter})`;
  const opens = sql`opens AS (SELECT device_id, min(ts) AS first_open FROM events WHERE tenant_id = ${tenantId} AND dt >= ${fromDay} AND dt <= ${toDay} AND type = ${constant('push_open')} AND campaign_id = ${campaignId} AND device_id IS NOT NULL${after('device_id')} GROUP BY device_id)`;
  const openedOnly = input.outcome === 'opened' ? raw(' WHERE o.first_open IS NOT NULL') : raw('');
  return toQuery(
    sql`WITH ${recorded},\n${latest},\n${opens}\nSELECT f.device_id, f.platform, f.wave_id, f.outcome, f.reason, f.variant, ${dialect.isoText(raw('f.ts'))} AS recorded_at, ${dialect.isoText(raw('o.first_open'))} AS opened_at FROM latest f LEFT JOIN opens o ON o.device_id = f.device_id AND f.outcome = ${constant('sent')}${openedOnly}\nORDER BY f.device_id LIMIT ${raw(String(input.limit + 1))}`,
  );
}

const text = (v: Row[string] | undefined): string | null => (v === null || v === undefined || v === '' ? null : String(v));

/** The page of the query's rows: at most `limit` items and the cursor after the last (null at the end). */
export function recipientsPage(rows: readonly Row[], limit: number): { items: Recipient[]; nextCursor: string | null } {
  const items = rows.slice(0, limit).map((r): Recipient => ({
    deviceId: String(r.device_id),
    platform: text(r.platform),
    waveId: text(r.wave_id),
    outcome: (String(r.outcome) === 'held_out' ? 'heldOut' : String(r.outcome)) as RecipientOutcome,
    reason: text(r.reason),
    at: String(r.recorded_at),
    openedAt: text(r.opened_at),
    variant: text(r.variant),
  }));
  const nextCursor = rows.length > limit && items.length > 0 ? encodeRecipientsCursor(items[items.length - 1].deviceId) : null;
  return { items, nextCursor };
}
