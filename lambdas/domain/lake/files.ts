/** The lake's files as maintenance plans see them (listed by the lake maintenance port, ports/lake-maintenance.ts). */
import type { LakeTable } from '../lake-schema';

/** One data file of a partition. `key` is the adapter's own name for it (a path, an S3 key). */
export interface LakeFile {
  key: string;
  bytes: number;
  /** Written by a rewrite (large, already de-duplicated), as opposed to an append. */
  compacted: boolean;
}

/** A (table, tenant, day) partition and the files it holds at listing time. */
export interface LakePartition {
  table: LakeTable;
  tenantId: string;
  dt: string;
  files: LakeFile[];
}
