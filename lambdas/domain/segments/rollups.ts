/**
 * Device-day rollups of the event lake (issue 19): per tenant, device and closed UTC day, one row per
 * (type, custom event name, product, order) with its distinct events, first and last time and the
 * order's amount. Segment facts read rolled days from these rows and raw events only where they must
 * (days not rolled yet, today, out-of-date days, and each window's boundary day: "within N days" is
 * N×24 hours back from now, so its first day is partly in, partly out), so the answer stays exact.
 *
 * Why exact: every fact is a max, a min, a count of distinct events or an any-of over events, and each
 * decomposes over disjoint sets of days: max/min of the days' max/min, sum of the days' distinct
 * counts (an event id lives on one day: a re-delivery carries the same time), any of the days' any.
 * A windowed condition tests a rolled row's `last_ts`, and a rolled day is never a boundary day, so
 * its rows lie wholly inside or wholly outside the window.
 */
import { DEVICE_COLUMNS, LATEST_TABLE } from '../lake-schema';
import type { SqlQuery } from '../sql';
import type { FactRegistry } from './facts';

export { dayOf as rollupDayOf };
import { constant, joinFrags, paramList, raw, sql, toQuery, type Frag } from './sql-fragment';

const DAY_MS = 86_400_000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Which days of a tenant the rollups hold up to date: every day from `from` through `through` but `stale`. */
export interface RollupCoverage {
  /** First rolled UTC day (YYYY-MM-DD). */
  from: string;
  /** Last rolled UTC day (a closed day: before today). */
  through: string;
  /** Days in that range whose rollup is out of date (late events, or not rolled yet): read raw. */
  stale: readonly string[];
  /**
   * Where the rollup rows of each rolled day live, when they are kept per build (AWS: the table's
   * `build` partition, injected, so a query reads exactly the builds it names and never an older
   * build still waiting for its removal). Absent: one current rollup per day (the local lake).
   */
  builds?: Readonly<Record<string, string>>;
}

/**
 * The latest registrations a tenant's estimates may read: one row per device, made from every devices
 * partition up to `through` (a closed day); snapshots of later days are read raw and win (a
 * snapshot's partition is the day of its `updated_at`, so they are newer than any before).
 */
export interface LatestCoverage {
  through: string;
  /** The build holding the rows, when kept per build (AWS); absent: one current file (the local lake). */
  build?: string;
}

/** The columns of a rollup row (the lake table `event_rollups`, partitioned by tenant and day like the events). */
export const ROLLUP_SELECT =
  'device_id, type, name, product_id, order_id, CAST(count(*) AS DOUBLE) AS events, min(ts) AS first_ts, max(ts) AS last_ts, max(amount) AS amount';

/**
 * The rollup rows of one closed day of a tenant, from its raw events: one row per (device, type,
 * name, product, order), each event counted once (a re-delivered event id is one event).
 */
export function rollupDay(tenantId: string, day: string, options: { withDay?: boolean; paths?: readonly string[] } = {}): Frag {
  if (!DAY.test(day)) throw new Error(`invalid day ${day}`);
  // withDay: the day as a column of the rows (AWS keeps rollups per build, not per day partition).
  const dt = options.withDay ? ', dt' : '';
  // paths: exactly these objects of the day (`"$path"`, Athena), the ones the build's tag names.
  const only = options.paths ? sql` AND "$path" IN ${paramList(options.paths)}` : raw('');
  return sql`SELECT ${raw(ROLLUP_SELECT)}${raw(dt)} FROM (SELECT device_id, type, name, product_id, order_id, ts, amount${raw(dt)}, row_number() OVER (PARTITION BY device_id, event_id ORDER BY ts) AS rn FROM events WHERE tenant_id = ${tenantId} AND dt = ${day} AND device_id IS NOT NULL${only}) r WHERE rn = 1 GROUP BY device_id, type, name, product_id, order_id${raw(dt)}`;
}

export const compileRollupDay = (tenantId: string, day: string): SqlQuery => toQuery(rollupDay(tenantId, day));

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The days read from rollups for these facts at `now`: the coverage up to yesterday, without its
 * stale days and without the boundary day of every window the facts use. Null when no day is left.
 */
export interface RolledDays {
  from: string;
  through: string;
  excluded: string[];
  /** The builds holding the rolled rows (RollupCoverage.builds), when rollups are kept per build. */
  builds?: Readonly<Record<string, string>>;
}

export function rolledDays(coverage: RollupCoverage, facts: Pick<FactRegistry, 'windows'>, now: Date): RolledDays | null {
  if (!DAY.test(coverage.from) || !DAY.test(coverage.through)) throw new Error('invalid rollup coverage');
  const yesterday = dayOf(now.getTime() - DAY_MS);
  const through = coverage.through < yesterday ? coverage.through : yesterday;
  if (through < coverage.from) return null;
  const boundaries = [...facts.windows].map((days) => dayOf(now.getTime() - days * DAY_MS));
  const excluded = [...new Set([...coverage.stale, ...boundaries])].filter((d) => DAY.test(d) && d >= coverage.from && d <= through).sort();
  return { from: coverage.from, through, excluded, ...(coverage.builds ? { builds: coverage.builds } : {}) };
}

/**
 * `<name> AS (...)`: the rows facts aggregate over rollups: rolled rows of the rolled days, and the
 * raw events of every other day as rows of one event each (re-deliveries dropped), with the same
 * columns, of these event types. `fromDay`: no day before it is read (every fact is windowed).
 */
export function sourceCte(
  name: 'src_ev' | 'src_ord',
  tenantId: string,
  types: readonly string[],
  days: RolledDays | null,
  fromDay: string | null,
): Frag {
  const typeIn = sql`type IN (${joinFrags([...new Set(types)].sort().map(constant), ', ')})`;
  const since = fromDay === null ? raw('') : sql` AND dt >= ${fromDay}`;
  const dedup = (where: Frag) =>
    sql`SELECT device_id, dt, type, name, product_id, order_id, CAST(1 AS DOUBLE) AS events, ts AS first_ts, ts AS last_ts, amount FROM (SELECT device_id, dt, type, name, product_id, order_id, ts, amount, row_number() OVER (PARTITION BY device_id, event_id ORDER BY ts) AS rn FROM events WHERE tenant_id = ${tenantId} AND ${typeIn}${since}${where}) r WHERE rn = 1`;
  const builds = days?.builds ? buildsRead(days, fromDay) : undefined;
  // Per build and none left to read (every rolled day excluded or before the window): all raw.
  if (days === null || builds?.length === 0) return sql`${raw(name)} AS (${dedup(raw(''))})`;
  const inBuilds = builds ? sql` AND build IN ${paramList(builds)}` : raw('');
  const notExcluded = days.excluded.length > 0 ? sql` AND dt NOT IN ${paramList(days.excluded)}` : raw('');
  const excluded = days.excluded.length > 0 ? sql` OR dt IN ${paramList(days.excluded)}` : raw('');
  const rolled = sql`SELECT device_id, dt, type, name, product_id, order_id, events, first_ts, last_ts, amount FROM event_rollups WHERE tenant_id = ${tenantId} AND ${typeIn} AND dt >= ${days.from} AND dt <= ${days.through}${since}${notExcluded}${inBuilds}`;
  const rawRows = dedup(sql` AND (dt < ${days.from} OR dt > ${days.through}${excluded})`);
  return sql`${raw(name)} AS (${rolled} UNION ALL ${rawRows})`;
}

/** The builds of the rolled days a query reads: in range, not excluded, not before `fromDay`; sorted. */
function buildsRead(days: RolledDays, fromDay: string | null): string[] {
  const excluded = new Set(days.excluded);
  return Object.entries(days.builds ?? {})
    .filter(([day]) => day >= days.from && day <= days.through && !excluded.has(day) && (fromDay === null || day >= fromDay))
    .map(([, build]) => build)
    .sort();
}

const REG_COLUMNS = 'device_id, platform, opted_in, country, timezone, app_version, app_version_key, customer_id';
const rankedRegistrations = (tenantId: string, where: Frag) =>
  sql`SELECT ${raw(REG_COLUMNS)}, row_number() OVER (PARTITION BY device_id ORDER BY updated_at DESC) AS rn FROM devices WHERE tenant_id = ${tenantId}${where}`;

/**
 * `reg AS (...)`: every registration snapshot of the tenant's devices with its rank (rn = 1: the
 * latest). With `latest`, the made rows of devices not registered since (rank 1 each) and the ranked
 * snapshots of the days after it: no ranking of the whole history at query time.
 */
export function registrationsCte(tenantId: string, latest: LatestCoverage | undefined): Frag {
  if (latest === undefined) return sql`reg AS (${rankedRegistrations(tenantId, raw(''))})`;
  if (!DAY.test(latest.through)) throw new Error('invalid latest coverage');
  // Per build (AWS), or the one file made up to `through` (locally a tenant has one; a second left by a crash is not read).
  const inBuild = latest.build === undefined ? sql` AND dt = ${latest.through}` : sql` AND build = ${latest.build}`;
  return sql`reg_new AS (${rankedRegistrations(tenantId, sql` AND dt > ${latest.through}`)}), reg AS (SELECT ${raw(REG_COLUMNS)}, 1 AS rn FROM ${raw(LATEST_TABLE)} WHERE tenant_id = ${tenantId}${inBuild} AND device_id NOT IN (SELECT device_id FROM reg_new WHERE device_id IS NOT NULL) UNION ALL SELECT ${raw(REG_COLUMNS)}, rn FROM reg_new)`;
}

/** The rows of the latest-registrations table as of `through`: each device's latest snapshot among the partitions up to that day. */
export function latestThrough(tenantId: string, through: string): Frag {
  if (!DAY.test(through)) throw new Error(`invalid day ${through}`);
  const cols = raw(DEVICE_COLUMNS.map((c) => c.name).join(', '));
  return sql`SELECT ${cols} FROM (SELECT ${cols}, row_number() OVER (PARTITION BY device_id ORDER BY updated_at DESC) AS rn FROM devices WHERE tenant_id = ${tenantId} AND dt <= ${through}) r WHERE rn = 1`;
}
