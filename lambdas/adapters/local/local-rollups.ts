/**
 * Device-day rollups on the local lake. A day's rollup file is named after the events files it was
 * made from (`rollup-<tag>.parquet`, the tag a hash of their names): a late event (a new NDJSON file),
 * a compaction or an erasure (files rewritten under new names) change the day's files, so its rollup
 * no longer matches and the day is read raw until the next maintenance run rolls it again. No state
 * outside the lake's own file names, so a crash anywhere leaves at worst a day read raw.
 */
import { LATEST_TABLE, ROLLUP_TABLE } from '../../domain/lake-schema';
import {
  coverageOf,
  dayPartOf,
  eventsByDay,
  eventsTag,
  latestCoverageOf,
  tagThrough,
  type RollupBuild,
} from '../../domain/lake/rollup-builds';
import type { LatestCoverage, RollupCoverage } from '../../domain/segments/rollups';
import type { RollUpOptions, RollupBuilder, RollupCatalog } from '../../ports/rollups';
import type { DuckDbQueryEngine } from './duckdb-query-engine';
import type { LocalLake } from './local-lake';

export class LocalRollups implements RollupCatalog, RollupBuilder {
  constructor(
    private readonly lake: LocalLake,
    private readonly engine: DuckDbQueryEngine,
  ) {}

  /** The tenant's events file names by day, and its rollup files (one build per day, named by its tag). */
  private async state(tenantId: string): Promise<{ events: Map<string, string[]>; builds: RollupBuild[] }> {
    const files = await this.lake.files('events');
    const events = eventsByDay([...files.parquet, ...files.ndjson].filter((f) => dayPartOf(f)?.tenantId === tenantId));
    const builds: RollupBuild[] = [];
    for (const f of (await this.lake.files(ROLLUP_TABLE)).parquet) {
      const p = dayPartOf(f);
      const m = p?.tenantId === tenantId ? /^rollup-([A-Za-z0-9]+)\.parquet$/.exec(p.name) : null;
      if (p && m) builds.push({ day: p.day, tag: m[1], id: m[1], keys: [f], complete: true });
    }
    return { events, builds };
  }

  /** The tenant's devices file names by day, and its latest-registrations files (one build, named by its day and tag). */
  private async latestState(tenantId: string): Promise<{ devices: Map<string, string[]>; builds: RollupBuild[] }> {
    const files = await this.lake.files('devices');
    const devices = eventsByDay([...files.parquet, ...files.ndjson].filter((f) => dayPartOf(f)?.tenantId === tenantId));
    const builds: RollupBuild[] = [];
    for (const f of (await this.lake.files(LATEST_TABLE)).parquet) {
      const p = dayPartOf(f);
      const m = p?.tenantId === tenantId ? /^latest-([A-Za-z0-9]+)\.parquet$/.exec(p.name) : null;
      if (p && m) builds.push({ day: p.day, tag: m[1], id: m[1], keys: [f], complete: true });
    }
    return { devices, builds };
  }

  async latest(tenantId: string): Promise<LatestCoverage | undefined> {
    const { devices, builds } = await this.latestState(tenantId);
    return latestCoverageOf(devices, builds, false);
  }

  async coverage(tenantId: string): Promise<RollupCoverage | undefined> {
    const { events, builds } = await this.state(tenantId);
    return coverageOf(events, builds, false);
  }

  async rollUp(tenantId: string, today: string, options: RollUpOptions = {}): Promise<{ rolled: string[]; remaining: number }> {
    const { events, builds } = await this.state(tenantId);
    const rolled: string[] = [];
    let budget = options.maxBuilds ?? Number.POSITIVE_INFINITY;
    let remaining = 0;
    // Newest first, as in AWS. (Removal is always at once here: the engine's write lock keeps readers out.)
    for (const day of [...new Set([...events.keys(), ...builds.map((b) => b.day)])].sort().reverse()) {
      if (day >= today) continue;
      const names = events.get(day);
      const mine = builds.filter((b) => b.day === day);
      if (!names) {
        // Every event of the day is gone (erasure, retention): its rollup goes too.
        await this.engine.removeFiles(mine.flatMap((b) => b.keys));
        continue;
      }
      const tag = eventsTag(names);
      if (mine.some((b) => b.tag === tag)) continue;
      if (budget <= 0) {
        // Out of date and not built again in this run: it goes (the day is read raw).
        await this.engine.removeFiles(mine.flatMap((b) => b.keys));
        remaining++;
        continue;
      }
      // Written under the engine's write lock, replacing the day's older rollup in one step.
      await this.engine.writeRollup(tenantId, day, tag);
      rolled.push(day);
      budget--;
    }
    await this.rollLatest(tenantId, today);
    return { rolled, remaining };
  }

  /** The latest registrations as of yesterday, made again when the devices partitions up to it changed. */
  private async rollLatest(tenantId: string, today: string): Promise<void> {
    const { devices, builds } = await this.latestState(tenantId);
    const through = dayBefore(today);
    const tag = tagThrough(devices, through);
    if (tag === undefined) {
      await this.engine.removeFiles(builds.flatMap((b) => b.keys));
      return;
    }
    if (!builds.some((b) => b.day === through && b.tag === tag)) await this.engine.writeLatest(tenantId, through, tag);
  }
}

const dayBefore = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
