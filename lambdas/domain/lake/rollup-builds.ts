/**
 * Which device-day rollup of a day is current, the same rule in both worlds. A rollup is named after
 * the events files it was made from (their tag, a hash of their names): a late event (a new file), a
 * compaction or an erasure (files rewritten under new names) change a day's files, so its rollup no
 * longer matches and the day is read raw until maintenance rolls it again. Nothing but file names:
 * a crash anywhere leaves at worst a day read raw, or an unfinished build nobody reads.
 *
 * Locally a day has one rollup file (`dt=<day>/rollup-<tag>.parquet`, replaced under the engine's
 * write lock). In AWS a query may still be reading an older build while a new one is written, so
 * every build has its own prefix (`build=<day>.<tag>.<run>/part-<i>-of-<n>.parquet`, or `_empty`
 * when the day has no device rows): coverage names the current build of each day, the query reads
 * only those (the `build` partition is injected), and older builds go after the removal grace.
 */
import { createHash } from 'node:crypto';
import type { LatestCoverage, RollupCoverage } from '../segments/rollups';

/** One rollup of one day: its files, and whether all of them are there. */
export interface RollupBuild {
  day: string;
  /** The tag of the events files it was made from. */
  tag: string;
  /** Its name: the `build` partition value in AWS, the tag locally. */
  id: string;
  /** Every object of the build (AWS: the parts and the `_empty` marker). */
  keys: string[];
  /** All its parts are written (a build cut short by a crash is never read). */
  complete: boolean;
}

/** The tag of a day's events files: a short hash of their names (order does not matter). */
export function eventsTag(names: readonly string[]): string {
  return createHash('sha256')
    .update([...names].sort().join('\n'))
    .digest('base64url')
    .slice(0, 16)
    .replace(/[^A-Za-z0-9]/g, 'x');
}

/** `.../tenant_id=<t>/dt=<day>/<file>` → tenant, day, file name. */
export function dayPartOf(key: string): { tenantId: string; day: string; name: string } | undefined {
  const m = /(?:^|[\\/])tenant_id=([^\\/]+)[\\/]dt=(\d{4}-\d{2}-\d{2})[\\/]([^\\/]+)$/.exec(key);
  return m ? { tenantId: m[1], day: m[2], name: m[3] } : undefined;
}

/** A data file of a partition (Athena and the engines skip names starting with `_` or `.`). */
export const isDataFile = (name: string) => !name.startsWith('_') && !name.startsWith('.');

/** The events file names of each day, from keys or paths (`.../dt=<day>/<name>`); other files ignored. */
export function eventsByDay(keys: Iterable<string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const key of keys) {
    const p = dayPartOf(key);
    if (p && isDataFile(p.name)) out.set(p.day, [...(out.get(p.day) ?? []), p.name]);
  }
  return out;
}

/** The partition value of a new AWS build: the day, the tag of its events, and a run id. */
export function buildId(day: string, tag: string, run: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || !/^[A-Za-z0-9]+$/.test(tag) || !/^[A-Za-z0-9]+$/.test(run)) throw new Error('invalid build');
  return `${day}.${tag}.${run}`;
}

/** The name of part i of n of a build (UNLOAD's files, renamed so a reader can tell the build is whole). */
export const buildPartName = (i: number, n: number) => `part-${i}-of-${n}.parquet`;
/** The marker of a build with no rows (UNLOAD writes no file then); hidden from Athena by its `_`. */
export const EMPTY_BUILD_MARKER = '_empty';

/** AWS builds from the keys under `event_rollups/tenant_id=<t>/`; keys of other shapes are ignored. */
export function parseBuilds(keys: Iterable<string>): RollupBuild[] {
  const byId = new Map<string, { day: string; tag: string; keys: string[]; parts: Set<number>; of: Set<number> }>();
  for (const key of keys) {
    const m = /build=((\d{4}-\d{2}-\d{2})\.([A-Za-z0-9]+)\.[A-Za-z0-9]+)\/(?:part-(\d+)-of-(\d+)\.parquet|(_empty))$/.exec(key);
    if (!m) continue;
    const b = byId.get(m[1]) ?? { day: m[2], tag: m[3], keys: [], parts: new Set<number>(), of: new Set<number>() };
    b.keys.push(key);
    if (m[6]) b.of.add(0);
    else {
      b.parts.add(Number(m[4]));
      b.of.add(Number(m[5]));
    }
    byId.set(m[1], b);
  }
  return [...byId].map(([id, b]) => {
    const n = b.of.size === 1 ? [...b.of][0] : -1;
    const complete = n >= 0 && b.parts.size === n && [...b.parts].every((i) => i < n);
    return { day: b.day, tag: b.tag, id, keys: b.keys.sort(), complete };
  });
}

/** The build a day is read from: the first (by id) complete build of the day's current tag. */
export function currentBuild(builds: readonly RollupBuild[], day: string, tag: string | undefined): RollupBuild | undefined {
  if (tag === undefined) return undefined;
  return builds.filter((b) => b.day === day && b.tag === tag && b.complete).sort((a, b) => a.id.localeCompare(b.id))[0];
}

/**
 * The coverage of a tenant's rollups: a day is rolled when a complete build of its current events
 * tag exists; every other day between the first and the last rolled day (events without a current
 * build, a build whose events are gone) is stale and read raw. `perBuild`: name each rolled day's
 * build (AWS). Undefined when no day is rolled.
 */
export function coverageOf(
  events: ReadonlyMap<string, readonly string[]>,
  builds: readonly RollupBuild[],
  perBuild: boolean,
): RollupCoverage | undefined {
  const days = [...new Set([...events.keys(), ...builds.map((b) => b.day)])].sort();
  const current = new Map<string, string>();
  for (const day of days) {
    const names = events.get(day);
    const b = currentBuild(builds, day, names ? eventsTag(names) : undefined);
    if (b) current.set(day, b.id);
  }
  if (current.size === 0) return undefined;
  const rolled = [...current.keys()];
  const from = rolled[0];
  const through = rolled[rolled.length - 1];
  const stale = days.filter((d) => d >= from && d <= through && !current.has(d));
  return { from, through, stale, ...(perBuild ? { builds: Object.fromEntries(current) } : {}) };
}

/** The tag of the devices partitions up to `through` (every file name, with its day). */
export function tagThrough(byDay: ReadonlyMap<string, readonly string[]>, through: string): string | undefined {
  const names = [...byDay].filter(([day]) => day <= through).flatMap(([day, list]) => list.map((n) => `${day}/${n}`));
  return names.length === 0 ? undefined : eventsTag(names);
}

/**
 * The latest registrations a query may read: the newest whole build (its day is the `through` it
 * was made up to) whose tag is still that of the devices partitions up to that day; undefined when
 * none is (a partition rewritten since, by compaction or erasure, or none made yet). `perBuild`: name
 * the build (AWS).
 */
export function latestCoverageOf(
  devices: ReadonlyMap<string, readonly string[]>,
  builds: readonly RollupBuild[],
  perBuild: boolean,
): LatestCoverage | undefined {
  const newest = [...builds].filter((b) => b.complete).sort((a, b) => b.day.localeCompare(a.day) || a.id.localeCompare(b.id));
  const b = newest.find((x) => x.tag === tagThrough(devices, x.day));
  return b ? { through: b.day, ...(perBuild ? { build: b.id } : {}) } : undefined;
}

/** What a maintenance run does to a tenant's rollups: the same plan in both worlds. */
export interface RollupPlan {
  /** Days to build, newest first, within the budget. */
  build: { day: string; tag: string }[];
  /** Objects of builds no query may read any more: out of date, cut short, second builds of a day, days without events. */
  obsolete: string[];
  /** Out-of-date days left for a later run (over the budget). */
  remaining: number;
}

/**
 * The rollup plan for closed days (before `today`): every day without a current build is built,
 * newest first, at most `maxBuilds`, and only days before `olderThan` when given (a continuation
 * builds strictly older days than the run before it, so a chain of runs ends).
 */
export function planRollups(
  events: ReadonlyMap<string, readonly string[]>,
  builds: readonly RollupBuild[],
  today: string,
  options: { maxBuilds?: number; olderThan?: string } = {},
): RollupPlan {
  const plan: RollupPlan = { build: [], obsolete: [], remaining: 0 };
  let budget = options.maxBuilds ?? Number.POSITIVE_INFINITY;
  for (const day of [...new Set([...events.keys(), ...builds.map((b) => b.day)])].sort().reverse()) {
    if (day >= today) continue;
    const names = events.get(day);
    const tag = names ? eventsTag(names) : undefined;
    const keep = currentBuild(builds, day, tag)?.id;
    plan.obsolete.push(...builds.filter((b) => b.day === day && b.id !== keep).flatMap((b) => b.keys));
    if (tag === undefined || keep !== undefined || (options.olderThan !== undefined && day >= options.olderThan)) continue;
    if (budget > 0) {
      plan.build.push({ day, tag });
      budget--;
    } else plan.remaining++;
  }
  return plan;
}

/**
 * The latest-registrations plan as of yesterday: keep the newest build while no devices object was
 * added or rewritten since the day it was made up to (nothing to rank again), else build anew; every
 * other build is obsolete.
 */
export function planLatest(
  devices: ReadonlyMap<string, readonly string[]>,
  builds: readonly RollupBuild[],
  today: string,
): { build?: { day: string; tag: string }; obsolete: string[] } {
  const through = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  const tag = tagThrough(devices, through);
  const current = tag === undefined ? undefined : latestCoverageOf(devices, builds, false);
  const keep =
    current && tagThrough(devices, current.through) === tag
      ? [...builds].filter((b) => b.complete && b.day === current.through && b.tag === tag).sort((a, b) => a.id.localeCompare(b.id))[0]
      : undefined;
  const obsolete = builds.filter((b) => b !== keep).flatMap((b) => b.keys);
  return { ...(tag !== undefined && keep === undefined ? { build: { day: through, tag } } : {}), obsolete };
}
