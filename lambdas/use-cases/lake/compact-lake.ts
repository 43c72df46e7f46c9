/**
 * Compaction of one tenant's lake, in both worlds: a partition's small files (appends, compacted files
 * under the target size) are merged into large Parquet without duplicates; with `dropSuperseded`, devices
 * partitions holding snapshots a later registration superseded are rewritten without them. The
 * replaced files go once no reader can still hold them (LakeMaintenance.rewrite, `deferred`).
 */
import { LAKE_TABLES, type LakeTable } from '../../domain/lake-schema';
import { keepRows, rewriteGroups, supersededDevicesDays } from '../../domain/lake/maintenance';
import { toQuery } from '../../domain/segments/sql-fragment';
import type { Clock } from '../../ports/clock';
import type { LakeFile, LakeMaintenance, LakePartition } from '../../ports/lake-maintenance';
import type { QueryEngine } from '../../ports/query-engine';

export interface CompactDeps {
  maintenance: LakeMaintenance;
  queryEngine: QueryEngine;
  clock: Clock;
}

export interface CompactOptions {
  /** Only partitions of days before this one (AWS compacts closed days; today's keeps receiving files). */
  before?: string;
  /** Also rewrite devices partitions holding superseded snapshots (one query over the tenant's devices). */
  dropSuperseded?: boolean;
  /**
   * Retention by day: events and deliveries partitions of days before this one are removed (S3's
   * lifecycle counts from an object's creation, which a rewrite resets). Devices never expire.
   */
  expireBefore?: string;
}

export interface CompactReport {
  /** False when another maintenance of the tenant held it (the next run does the work). */
  ran: boolean;
  partitions: number;
  filesIn: number;
  /** Partitions skipped because they changed while being compacted (rewritten on the next run). */
  changed: number;
  /** Partitions removed by retention. */
  expired: number;
}

const TABLES = Object.keys(LAKE_TABLES) as LakeTable[];

export async function compactTenant(deps: CompactDeps, tenantId: string, options: CompactOptions = {}): Promise<CompactReport> {
  const report: CompactReport = { ran: true, partitions: 0, filesIn: 0, changed: 0, expired: 0 };
  const out = await deps.maintenance.exclusive(tenantId, deps.clock.now(), async () => {
    const superseded = options.dropSuperseded ? await supersededDays(deps, tenantId) : new Set<string>();
    for (const table of TABLES) {
      for (const p of await deps.maintenance.partitions(table, tenantId)) {
        if (options.expireBefore && table !== 'devices' && p.dt < options.expireBefore) {
          await deps.maintenance.remove(p);
          report.expired++;
          continue;
        }
        if (options.before && p.dt >= options.before) continue;
        const supersede = table === 'devices' && superseded.has(p.dt);
        const groups = rewriteGroups(p, supersede);
        for (const files of groups) await rewrite(deps, p, files, supersede, report);
        if (groups.length > 0) report.partitions++;
      }
    }
  });
  return out.ran ? report : { ...report, ran: false };
}

async function rewrite(
  deps: CompactDeps,
  p: LakePartition,
  files: LakeFile[],
  dropSuperseded: boolean,
  report: CompactReport,
): Promise<void> {
  const outcome = await deps.maintenance.rewrite({
    partition: p,
    files,
    keep: (src) => keepRows(src, { table: p.table, tenantId: p.tenantId, dropSuperseded }),
    removal: 'deferred',
  });
  if (!outcome.done) {
    report.changed++;
    return;
  }
  report.filesIn += files.length;
}

async function supersededDays(deps: CompactDeps, tenantId: string): Promise<Set<string>> {
  const rows = await deps.queryEngine.run(toQuery(supersededDevicesDays(tenantId)));
  return new Set(rows.map((r) => String(r.dt)));
}
