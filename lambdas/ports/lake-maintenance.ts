/**
 * Rewriting the event lake's files (compaction and erasure). Locally the lake's directory and
 * DuckDB; in AWS S3 and Athena UNLOAD. Which rows a rewrite keeps is decided by the use case
 * (domain/lake/maintenance.ts), the same plan in both worlds; the adapter only knows how to list,
 * write and remove files so that readers never see a half-moved partition.
 */
import type { LakeFile, LakePartition } from '../domain/lake/files';
import type { LakeTable } from '../domain/lake-schema';
import type { Frag } from '../domain/segments/sql-fragment';

// The file and partition shapes are the maintenance plans' (domain); re-exported for the port's users.
export type { LakeFile, LakePartition } from '../domain/lake/files';

export interface RewriteRequest {
  /** The partition, as listed. */
  partition: LakePartition;
  /** The files of the partition to replace (all or some of `partition.files`); no other file is read or touched. */
  files: LakeFile[];
  /**
   * The rows to write instead: a SELECT of the table's columns over `src`, the relation holding
   * exactly the rows of `files` (see domain/lake/maintenance.ts keepRows()).
   */
  keep: (src: Frag) => Frag;
  /**
   * `now`: the replaced files are gone when the call returns (erasure). `deferred`: they are removed
   * only once no query that may have listed them can still be reading (compaction); readers
   * de-duplicate the rows they see twice meanwhile.
   */
  removal: 'now' | 'deferred';
}

export interface RewriteOutcome {
  /** False when a file to replace is gone (another rewrite got there first): nothing was done. */
  done: boolean;
  /** Files written (0 when no row was kept). */
  written: number;
}

export interface LakeMaintenance {
  /** Every tenant with files in the lake. */
  tenants(): Promise<string[]>;
  /** A tenant's partitions of a table with their files; only the days in `days` when given. */
  partitions(table: LakeTable, tenantId: string, days?: readonly string[]): Promise<LakePartition[]>;
  /** Replace some of a partition's files by the rows `keep` selects from them. */
  rewrite(request: RewriteRequest): Promise<RewriteOutcome>;
  /** Remove a partition's listed files (retention by day): as a compaction's replaced files are (deferred in AWS). */
  remove(partition: LakePartition): Promise<void>;
  /** Remove replaced files whose deferred removal is due; returns how many went. */
  sweep(now: Date): Promise<number>;
  /**
   * Remove now every file of the tenant replaced and waiting for its deferred removal (an erasure:
   * such a file still holds the subject's rows, and a reader or a rollup build would still read it).
   * Returns how many went. Call while holding the tenant (exclusive).
   */
  purgeReplaced(tenantId: string): Promise<number>;
  /**
   * Run `fn` while no other maintenance of this tenant's lake runs (a compaction must never write
   * back rows an erasure has just removed). Resolves `{ ran: false }` when another holds the tenant.
   */
  exclusive<T>(tenantId: string, now: Date, fn: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }>;
  /** Objects the lake's writers could not deliver (Firehose's error prefix) written since `since`. */
  failedDeliveries(since: Date): Promise<number>;
}
