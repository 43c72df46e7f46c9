/**
 * The lake maintenance plan, one for both worlds: which partitions a compaction rewrites and which
 * rows any rewrite keeps.
 *
 * - events: one row per (device, event_id) (an SDK retry or a re-run append wrote it twice; ids are
 *   the SDK's, so two devices may use the same one);
 * - devices: the latest snapshot of each (device, customer): a snapshot superseded by a later
 *   registration of the same device with the same customer id (in any partition) goes, so the table
 *   converges to one row per device and shopper it was used by (an erasure of a shopper finds every
 *   device they used, even after a logout), and the latest registration of every device is kept for
 *   ever (nothing expires devices by age);
 * - deliveries: one row per (campaign, device, chunk, outcome): what a retried chunk wrote twice
 *   (readers take the latest row per campaign and device; every distinct outcome is kept);
 * - erasure: no row of the erased devices, in any table.
 * Rows come out sorted by device (and time), so Parquet row-group statistics let the engines skip
 * most of a file when they look for one device (explain, erasure).
 */
import { LAKE_TABLES, type LakeTable } from '../lake-schema';
import { joinFrags, paramList, raw, sql, type Frag } from '../segments/sql-fragment';
import type { LakeFile, LakePartition } from './files';

/** What a rewrite of one partition must drop besides duplicates. */
export interface KeepRule {
  table: LakeTable;
  tenantId: string;
  /** Devices being erased: none of their rows is kept. */
  eraseDevices?: readonly string[];
  /** Devices only: drop snapshots a later registration of the same device supersedes (reads the devices table). */
  dropSuperseded?: boolean;
}

const WINDOW: Record<LakeTable, { partitionBy: string; orderBy: string; sortBy: string }> = {
  events: { partitionBy: 'device_id, event_id', orderBy: 'received_at, ts', sortBy: 'device_id, ts' },
  devices: { partitionBy: 'device_id, customer_id', orderBy: 'updated_at DESC', sortBy: 'device_id, updated_at' },
  deliveries: { partitionBy: 'campaign_id, device_id, batch_id, outcome', orderBy: 'ts DESC', sortBy: 'campaign_id, device_id, ts' },
};

/** A later registration of the same device by the same shopper (or both anonymous) supersedes a snapshot. */
const SUPERSEDED_BY = 'l.device_id = s.device_id AND l.customer_id IS NOT DISTINCT FROM s.customer_id AND l.updated_at > s.updated_at';

export function columnsOf(table: LakeTable): string[] {
  return LAKE_TABLES[table].map((c) => c.name);
}

/** The SELECT a rewrite writes: the kept rows of `src` (a relation with the table's columns), in the table's column order. */
export function keepRows(src: Frag, rule: KeepRule): Frag {
  const cols = raw(columnsOf(rule.table).join(', '));
  const w = WINDOW[rule.table];
  const where: Frag[] = [];
  if (rule.eraseDevices && rule.eraseDevices.length > 0) where.push(sql`s.device_id NOT IN ${paramList([...rule.eraseDevices])}`);
  if (rule.table === 'devices' && rule.dropSuperseded) {
    where.push(sql`NOT EXISTS (SELECT 1 FROM devices l WHERE l.tenant_id = ${rule.tenantId} AND ${raw(SUPERSEDED_BY)})`);
  }
  const filter = where.length > 0 ? sql` WHERE ${joinFrags(where, ' AND ')}` : raw('');
  return sql`SELECT ${cols} FROM (SELECT ${cols}, row_number() OVER (PARTITION BY ${raw(w.partitionBy)} ORDER BY ${raw(w.orderBy)}) AS keep_rank FROM ${src} s${filter}) k WHERE keep_rank = 1 ORDER BY ${raw(w.sortBy)}`;
}

/** A compacted file this large is left alone: compaction merges small files, it never re-copies big ones. */
export const COMPACTED_TARGET_BYTES = 128 * 1024 * 1024;
/** Files one rewrite replaces at most (Athena names each in a bound parameter). */
export const MAX_FILES_PER_REWRITE = 100;

/**
 * The groups of files compaction rewrites in a partition: its small files (appends, and compacted
 * files under the target size), when there are several or one is not compacted yet; at most
 * MAX_FILES_PER_REWRITE per group. `all` (dropping superseded snapshots, erasure): every file.
 */
export function rewriteGroups(p: LakePartition, all = false): LakeFile[][] {
  const small = all ? p.files : p.files.filter((f) => !f.compacted || f.bytes < COMPACTED_TARGET_BYTES);
  if (!all && !(small.length > 1 || small.some((f) => !f.compacted))) return [];
  const groups: LakeFile[][] = [];
  for (let i = 0; i < small.length; i += MAX_FILES_PER_REWRITE) groups.push(small.slice(i, i + MAX_FILES_PER_REWRITE));
  return groups;
}

/** The days of a tenant's devices partitions that hold a superseded snapshot (dialect-neutral). */
export function supersededDevicesDays(tenantId: string): Frag {
  return sql`SELECT DISTINCT s.dt AS dt FROM devices s WHERE s.tenant_id = ${tenantId} AND EXISTS (SELECT 1 FROM devices l WHERE l.tenant_id = ${tenantId} AND ${raw(SUPERSEDED_BY)})`;
}

/** The days of a table's partitions that hold rows of these devices. */
export function daysHoldingDevices(table: LakeTable, tenantId: string, deviceIds: readonly string[]): Frag {
  return sql`SELECT DISTINCT dt FROM ${raw(table)} WHERE tenant_id = ${tenantId} AND device_id IN ${paramList([...deviceIds])}`;
}

/** Every device a logged-in shopper ever registered (any snapshot). */
export function devicesOfCustomer(tenantId: string, customerId: string): Frag {
  return sql`SELECT DISTINCT device_id FROM devices WHERE tenant_id = ${tenantId} AND customer_id = ${customerId}`;
}

/** Distinct events of these devices (what an erasure removes). */
export function countEventsOf(tenantId: string, deviceIds: readonly string[]): Frag {
  return sql`SELECT count(DISTINCT event_id) AS n FROM events WHERE tenant_id = ${tenantId} AND device_id IN ${paramList([...deviceIds])}`;
}
