/**
 * Device-day rollups on the local lake. A day's rollup file is named after the events files it was
 * made from (`rollup-<tag>.parquet`, the tag a hash of their names): a late event (a new NDJSON file),
 * a compaction or an erasure (files rewritten under new names) change the day's files, so its rollup
 * no longer matches and the day is read raw until the next maintenance run rolls it again. No state
 * outside the lake's own file names, so a crash anywhere leaves at worst a day read raw.
 */
import { LATEST_TABLE, ROLLUP_TABLE, type DerivedTable } from '../../domain/lake-schema';
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

  /**
   * A source table's file names of the tenant by day, and the files of the table derived from it
   * (locally one build per day, or per tenant for the latest registrations: `<prefix>-<tag>.parquet`).
   */
  private async listed(source: 'events' | 'devices', derived: DerivedTable, prefix: string, tenantId: string) {
    const files = await this.lake.files(source);
    const byDay = eventsByDay([...files.parquet, ...files.ndjson].filter((f) => dayPartOf(f)?.tenantId === tenantId));
    const name = new RegExp(`^${prefix}-([A-Za-z0-9]+)\\.parquet$`);
    const builds: RollupBuild[] = [];
    for (const f of (await this.lake.files(derived)).parquet) {
      const p = dayPartOf(f);
      const m = p?.tenantId === tenantId ? name.exec(p.name) : null;
      if (p && m) builds.push({ day: p.day, tag: m[1], id: m[1], keys: [f], complete: true });
    }
    return { byDay, builds };
  }

  private state = (tenantId: string) => this.listed('events', ROLLUP_TABLE, 'rollup', tenantId);
  private latestState = (tenantId: string) => this.listed('devices', LATEST_TABLE, 'latest', tenantId);

  async latest(tenantId: string): Promise<LatestCoverage | undefined> {
    const { byDay, builds } = await this.latestState(tenantId);
    return latestCoverageOf(byDay, builds, false);
  }

  async coverage(tenantId: string): Promise<RollupCoverage | undefined> {
    const { byDay, builds } = await this.state(tenantId);
    return coverageOf(byDay, builds, false);
  }

  async rollUp(tenantId: string, today: string, options: RollUpOptions = {}): Promise<RollUpReport> {
    const { byDay, builds } = await this.state(tenantId);
    const latestState = await this.latestState(tenantId);
    const plan = planRollups(byDay, builds, today, options);
    const latest = planLatest(latestState.byDay, latestState.builds, today);
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
