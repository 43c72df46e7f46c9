/**
 * Compiles a segment definition to ONE parameterised SQL query over the lake tables `events`
 * and `devices`. Shape: latest registration per device → one GROUP BY pass over the tenant's
 * events for the device-level facts → (only if needed) one pass over orders per owner → join,
 * then the predicate. No correlated subqueries, no window over events.
 */
import type { SqlQuery } from '../sql';
import type { SegmentDefinition } from './criteria';
import type { SqlDialect } from './dialect';
import { duckdbDialect } from './dialect-duckdb';
import { trinoDialect } from './dialect-trino';
import { FactRegistry } from './facts';
import { treePredicate, type PredicateContext } from './predicate';
import { registrationsCte, rolledDays, rollupDayOf, sourceCte, type LatestCoverage, type RollupCoverage } from './rollups';
import { constant, joinFrags, paramList, raw, sql, toQuery, trusted, type Frag } from './sql-fragment';

/** What a compilation needs besides the definition. */
export interface CompileContext {
  tenantId: string;
  now: Date;
  /** Definitions for in_segment, already loaded; a missing id matches nothing. */
  segments: ReadonlyMap<string, SegmentDefinition>;
  /** The days the tenant's device-day rollups hold up to date: facts read those from `event_rollups` (rollups.ts). */
  rollups?: RollupCoverage;
  /** The tenant's latest registrations made up to a closed day: read instead of ranking every snapshot (rollups.ts). */
  latest?: LatestCoverage;
}

/** Options of the members query: the whole audience (one run read in pages), or one keyset page of it. */
export interface MembersOptions {
  afterDeviceId?: string;
  /** Rows at most; absent = every member (the trigger reads that one result in pages). */
  limit?: number;
  /**
   * Only devices in this time zone (or these zones), plus (includeMissing) devices with no time
   * zone, plus (includeOthersThan) devices whose zone is none of the listed ones (zones no wave planned).
   */
  zone?:
    | { timezone: string; includeMissing: boolean }
    | { timezones: readonly string[]; includeMissing: boolean; includeOthersThan?: readonly string[] };
  /**
   * Under a frequency cap: a `recent_sends` column carries each device's pushes since this instant
   * from the deliveries table, as JSON text of `"<campaign id>@<ISO time>"` strings (null when none).
   */
  sendsSince?: Date;
  /** Leave out devices this campaign already has an outcome for in the deliveries table (since `since`). */
  notReachedBy?: { campaignId: string; since: Date };
}

/** The `recent_sends` column of a members query: a join on the deliveries table, or null. */
function recentSends(opts: MembersOptions, ctx: CompileContext, dialect: SqlDialect): { column: Frag; join: Frag } {
  if (opts.sendsSince === undefined) return { column: raw(''), join: raw('') };
  const since = opts.sendsSince;
  const value = sql`concat(campaign_id, ${trusted("'@'")}, ${dialect.isoText(raw('ts'))})`;
  return {
    column: raw(', h.recent_sends'),
    join: sql` LEFT JOIN (SELECT device_id AS sent_device, ${dialect.jsonArrayAgg(value, raw('TRUE'))} AS recent_sends FROM deliveries WHERE tenant_id = ${ctx.tenantId} AND dt >= ${dayOf(since)} AND ts >= ${dialect.timestamp(since)} AND outcome = ${constant('sent')} GROUP BY device_id) h ON h.sent_device = facts.device_id`,
  };
}

/** ` AND NOT EXISTS (...)`: devices the campaign has no outcome for yet. */
function notReached(opts: MembersOptions, ctx: CompileContext): Frag {
  if (opts.notReachedBy === undefined) return raw('');
  const { campaignId, since } = opts.notReachedBy;
  return sql` AND NOT EXISTS (SELECT 1 FROM deliveries r WHERE r.tenant_id = ${ctx.tenantId} AND r.dt >= ${dayOf(since)} AND r.campaign_id = ${campaignId} AND r.device_id = facts.device_id)`;
}

const dayOf = (at: Date) => at.toISOString().slice(0, 10);

/** The time-zone restriction of a members page, as ` AND (...)` (empty lists select nothing). */
function zoneCondition(zone: MembersOptions['zone']): Frag {
  if (zone === undefined) return raw('');
  const zones = 'timezone' in zone ? [zone.timezone] : [...zone.timezones];
  const parts: Frag[] = zones.length > 0 ? [sql`timezone IN ${paramList(zones)}`] : [];
  if (zone.includeMissing) parts.push(raw('timezone IS NULL'));
  if ('timezones' in zone && zone.includeOthersThan !== undefined) {
    const others = zone.includeOthersThan;
    parts.push(others.length > 0 ? sql`(timezone IS NOT NULL AND timezone NOT IN ${paramList(others)})` : raw('timezone IS NOT NULL'));
  }
  return parts.length === 0 ? raw(' AND FALSE') : sql` AND (${joinFrags(parts, ' OR ')})`;
}

/** The dialect module for an engine's dialect name. */
export function dialectFor(name: 'duckdb' | 'trino'): SqlDialect {
  return name === 'trino' ? trinoDialect : duckdbDialect;
}

/** A compiled tree: its predicate over the `facts` relation, and the facts it needs. */
export interface CompiledTree {
  facts: FactRegistry;
  predicate: Frag;
  pctx: PredicateContext;
}

/** Compiles the predicate first, because it decides which fact columns the CTEs must compute. */
export function compileTree(def: SegmentDefinition, ctx: CompileContext, dialect: SqlDialect): CompiledTree {
  const facts = new FactRegistry(dialect, ctx.now, ctx.rollups !== undefined);
  const pctx: PredicateContext = { facts, dialect, segments: ctx.segments };
  return { facts, pctx, predicate: treePredicate(def.match, def.criteria, pctx) };
}

/**
 * The `WITH ...` part ending in a relation `facts` with one row per registered device:
 * its latest registration columns plus the fact columns. `deviceId` narrows the event scan
 * (explain); owner facts still read every device of the owner.
 */
export function factsCtes(tree: CompiledTree, ctx: CompileContext, deviceId?: string): Frag {
  const { facts } = tree;
  // Latest registration: a window over devices only (small next to events), one row per device.
  const ctes: Frag[] = [
    registrationsCte(ctx.tenantId, ctx.latest),
    // The purchase owner is the customer when the latest registration names one, else the device.
    raw(
      'dev AS (SELECT device_id, platform, opted_in, country, timezone, app_version, app_version_key, ' +
        'COALESCE(length(customer_id) > 0, FALSE) AS by_customer, ' +
        'CASE WHEN length(customer_id) > 0 THEN customer_id ELSE device_id END AS owner FROM reg WHERE rn = 1)',
    ),
  ];
  const joins: Frag[] = [];
  const deviceColumns = facts.deviceColumns();
  const ownerColumns = facts.ownerColumns();
  if (facts.rolled && ctx.rollups && (deviceColumns.length > 0 || ownerColumns.length > 0)) {
    // Over rollups: rolled days and raw events, one relation for the device facts (their types, their
    // window's days only) and one for the owners' orders (every purchase), each aggregated as over events.
    const days = rolledDays(ctx.rollups, facts, ctx.now);
    if (deviceColumns.length > 0) {
      const start = facts.windowStart();
      ctes.push(sourceCte('src_ev', ctx.tenantId, [...facts.eventTypes], days, start === null ? null : rollupDayOf(start.getTime())));
      ctes.push(
        sql`ev AS (SELECT device_id, ${joinFrags(deviceColumns, ', ')} FROM src_ev WHERE ${facts.typeFilter()}${facts.windowFilter()} GROUP BY device_id)`,
      );
      joins.push(raw(' LEFT JOIN ev e ON e.device_id = d.device_id'));
    }
    if (ownerColumns.length > 0) {
      ctes.push(
        sourceCte('src_ord', ctx.tenantId, ['purchase'], days, null),
        sql`ord AS (SELECT d.by_customer, d.owner, p.order_id, min(p.first_ts) AS ots, max(p.amount) AS amt FROM src_ord p JOIN dev d ON d.device_id = p.device_id WHERE p.order_id IS NOT NULL GROUP BY d.by_customer, d.owner, p.order_id)`,
        sql`own AS (SELECT by_customer, owner, ${joinFrags(ownerColumns, ', ')} FROM ord GROUP BY by_customer, owner)`,
      );
      joins.push(raw(' LEFT JOIN own o ON o.owner = d.owner AND o.by_customer = d.by_customer'));
    }
  } else {
    if (deviceColumns.length > 0) {
      const onlyDevice = deviceId === undefined ? raw('') : sql` AND device_id = ${deviceId}`;
      ctes.push(
        sql`ev AS (SELECT device_id, ${joinFrags(deviceColumns, ', ')} FROM events WHERE tenant_id = ${ctx.tenantId} AND ${facts.typeFilter()}${facts.windowFilter()}${onlyDevice} GROUP BY device_id)`,
      );
      joins.push(raw(' LEFT JOIN ev e ON e.device_id = d.device_id'));
    }
    if (ownerColumns.length > 0) {
      // An order is a distinct order_id per owner: its time is its first purchase event, its amount the largest.
      ctes.push(
        sql`ord AS (SELECT d.by_customer, d.owner, p.order_id, min(p.ts) AS ots, max(p.amount) AS amt FROM events p JOIN dev d ON d.device_id = p.device_id WHERE p.tenant_id = ${ctx.tenantId} AND p.type = ${constant('purchase')} AND p.order_id IS NOT NULL GROUP BY d.by_customer, d.owner, p.order_id)`,
        sql`own AS (SELECT by_customer, owner, ${joinFrags(ownerColumns, ', ')} FROM ord GROUP BY by_customer, owner)`,
      );
      joins.push(raw(' LEFT JOIN own o ON o.owner = d.owner AND o.by_customer = d.by_customer'));
    }
  }
  const carried = [...facts.deviceAliases().map((a) => `e.${a}`), ...facts.ownerAliases().map((a) => `o.${a}`)];
  const columns = [
    'd.device_id',
    'd.platform',
    'd.opted_in',
    'd.country',
    'd.timezone',
    'd.app_version',
    'd.app_version_key',
    ...carried,
  ].join(', ');
  ctes.push(sql`facts AS (SELECT ${raw(columns)} FROM dev d${joinFrags(joins, '')})`);
  return sql`WITH ${joinFrags(ctes, ',\n')}\n`;
}

function checkedLimit(n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`limit must be a non-negative integer, got ${n}`);
  return n;
}

/** One row `{ total, matched }`: the opted-in universe and how many of it match. */
export function compileEstimate(def: SegmentDefinition, ctx: CompileContext, dialect: SqlDialect): SqlQuery {
  const tree = compileTree(def, ctx, dialect);
  // The predicate sits in the select list (one pass counts both), outside any WHERE clause.
  return toQuery(
    sql`${factsCtes(tree, ctx)}SELECT count(*) AS total, count(CASE WHEN ${dialect.outsideWhere(tree.predicate)} THEN 1 END) AS matched FROM facts WHERE opted_in = TRUE`,
  );
}

/** Rows `{ device_id }` of up to n matching devices, ordered by device id. */
export function compileSample(def: SegmentDefinition, ctx: CompileContext, dialect: SqlDialect, n: number): SqlQuery {
  const tree = compileTree(def, ctx, dialect);
  // LIMIT is a validated integer spliced in: Athena does not accept a parameter there.
  return toQuery(
    sql`${factsCtes(tree, ctx)}SELECT device_id FROM facts WHERE opted_in = TRUE AND ${tree.predicate} ORDER BY device_id LIMIT ${raw(String(checkedLimit(n)))}`,
  );
}

/** Rows `{ device_id, platform, timezone }` of matching devices ordered by device id (after a keyset cursor, up to a limit). */
export function compileMembers(def: SegmentDefinition, ctx: CompileContext, dialect: SqlDialect, opts: MembersOptions = {}): SqlQuery {
  const tree = compileTree(def, ctx, dialect);
  const after = opts.afterDeviceId === undefined ? raw('') : sql` AND device_id > ${opts.afterDeviceId}`;
  const zone = zoneCondition(opts.zone);
  const limit = opts.limit === undefined ? raw('') : raw(` LIMIT ${checkedLimit(opts.limit)}`);
  const sends = recentSends(opts, ctx, dialect);
  return toQuery(
    sql`${factsCtes(tree, ctx)}SELECT device_id, platform, timezone${sends.column} FROM facts${sends.join} WHERE opted_in = TRUE AND ${tree.predicate}${after}${zone}${notReached(opts, ctx)} ORDER BY device_id${limit}`,
  );
}

/** Rows `{ timezone, devices }`: matching devices per time zone (null = none registered). */
export function compileMemberZones(def: SegmentDefinition, ctx: CompileContext, dialect: SqlDialect): SqlQuery {
  const tree = compileTree(def, ctx, dialect);
  return toQuery(
    sql`${factsCtes(tree, ctx)}SELECT timezone, count(*) AS devices FROM facts WHERE opted_in = TRUE AND ${tree.predicate} GROUP BY timezone ORDER BY timezone NULLS FIRST`,
  );
}
