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
  latestCoverageOf,
  planLatest,
  planRollups,
  type RollupBuild,
} from '../../domain/lake/rollup-builds';
import { compileRollupDay, latestThrough, type LatestCoverage, type RollupCoverage } from '../../domain/segments/rollups';
import { toQuery } from '../../domain/segments/sql-fragment';
import type { RollUpOptions, RollUpReport, RollupBuilder, RollupCatalog } from '../../ports/rollups';
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

  async rollUp(tenantId: string, today: string, options: RollUpOptions = {}): Promise<RollUpReport> {
    const { events, builds } = await this.state(tenantId);
    const latestState = await this.latestState(tenantId);
    const plan = planRollups(events, builds, today, options);
    const latest = planLatest(latestState.devices, latestState.builds, today);
    // Removal is always at once here: the engine's write lock keeps readers out while files go.
    await this.engine.removeFiles([...latest.obsolete, ...plan.obsolete]);
    if (latest.build) {
      // One file per tenant: `device_latest/tenant_id=<t>/dt=<through>/latest-<tag>.parquet`, replacing the earlier one.
      const { day, tag } = latest.build;
      const older = latestState.builds.flatMap((b) => b.keys);
      await this.engine.writeDerived(
        LATEST_TABLE,
        tenantId,
        day,
        `latest-${tag}.parquet`,
        toQuery(latestThrough(tenantId, day)),
        'device_id',
        older,
      );
    }
    // `event_rollups/tenant_id=<t>/dt=<day>/rollup-<tag>.parquet`, replacing the day's older rollup in one step; sorted
    // by type, row groups hold one type each, so a query's `type IN (...)` skips the others by their statistics.
    for (const { day, tag } of plan.build)
      await this.engine.writeDerived(
        ROLLUP_TABLE,
        tenantId,
        day,
        `rollup-${tag}.parquet`,
        compileRollupDay(tenantId, day),
        'type, device_id',
      );
    return { rolled: plan.build.map((b) => b.day), remaining: plan.remaining };
  }
}
