/**
 * The local event lake: files under <root>/<table>/tenant_id=<t>/dt=<YYYY-MM-DD>/, the same layout
 * Firehose writes in S3. Appends are NDJSON files written whole, fsynced and renamed into place, so an
 * acknowledged append survives a crash and a half-written file is never read. The DuckDB engine
 * compacts NDJSON into Parquet.
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { dayPartition, type DeliveryRow, type DerivedTable, type DeviceRow, type EventRow, type LakeTable } from '../../domain/lake-schema';
import type { EventLake } from '../../ports/event-lake';

export interface LakeFiles {
  parquet: string[];
  ndjson: string[];
}

export class LocalLake implements EventLake {
  /** Bumped on every change of the file set; readers cache on it. */
  generation = 0;
  private cache = new Map<LakeTable | DerivedTable, { generation: number; files: LakeFiles }>();

  constructor(readonly root: string) {}

  async appendEvents(tenantId: string, rows: EventRow[]): Promise<void> {
    await this.append('events', tenantId, rows, (r) => dayPartition(r.ts));
  }

  async appendDevices(tenantId: string, rows: DeviceRow[]): Promise<void> {
    await this.append('devices', tenantId, rows, (r) => dayPartition(r.updated_at));
  }

  async appendDeliveries(tenantId: string, rows: DeliveryRow[]): Promise<void> {
    await this.append('deliveries', tenantId, rows, (r) => dayPartition(r.ts));
  }

  /** Directory of one partition. tenantId is validated upstream (^[a-z0-9-]+$), dt is derived. */
  partitionDir(table: LakeTable | DerivedTable, tenantId: string, dt: string): string {
    return path.join(this.root, table, `tenant_id=${tenantId}`, `dt=${dt}`);
  }

  private async append<R>(table: LakeTable, tenantId: string, rows: R[], dtOf: (r: R) => string): Promise<void> {
    const byDay = new Map<string, R[]>();
    for (const r of rows) {
      const dt = dtOf(r);
      const day = byDay.get(dt);
      if (day) day.push(r);
      else byDay.set(dt, [r]);
    }
    await Promise.all(
      [...byDay].map(async ([dt, dayRows]) => {
        const dir = this.partitionDir(table, tenantId, dt);
        await fs.mkdir(dir, { recursive: true });
        const name = `part-${Date.now()}-${randomUUID()}`;
        const tmp = path.join(dir, `.${name}.tmp`);
        const handle = await fs.open(tmp, 'w');
        try {
          await handle.writeFile(dayRows.map((r) => JSON.stringify(r)).join('\n') + '\n');
          await handle.sync();
        } finally {
          await handle.close();
        }
        await fs.rename(tmp, path.join(dir, `${name}.ndjson`));
      }),
    );
    this.changed();
  }

  /**
   * Bumped when files are removed (compaction): a query planned over an older file list may name a
   * file that is gone, so the engine re-plans (its views) before reading.
   */
  removals = 0;

  /** Call after files were added or removed outside append (compaction, bulk load). */
  changed(opts: { removed?: boolean } = {}): void {
    this.generation++;
    if (opts.removed) this.removals++;
  }

  /** Data files of a table, cached until the next change. */
  async files(table: LakeTable | DerivedTable): Promise<LakeFiles> {
    const hit = this.cache.get(table);
    if (hit && hit.generation === this.generation) return hit.files;
    const generation = this.generation;
    const files: LakeFiles = { parquet: [], ndjson: [] };
    for (const file of await walk(path.join(this.root, table))) {
      if (path.basename(file).startsWith('.')) continue;
      if (file.endsWith('.parquet')) files.parquet.push(file);
      else if (file.endsWith('.ndjson')) files.ndjson.push(file);
    }
    files.parquet.sort();
    files.ndjson.sort();
    this.cache.set(table, { generation, files });
    return files;
  }
}

async function walk(dir: string): Promise<string[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (err: any) {
    if (err.code === 'ENOENT') return [];
    throw err;
  }
  const out: string[] = [];
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(full)));
    else out.push(full);
  }
  return out;
}
