/**
 * Lake maintenance on the local lake: partitions are directories, a rewrite is DuckDB writing one
 * Parquet file under the engine's write lock (no query reads while files go, so `deferred` removal
 * is immediate here), and one maintenance at a time per tenant in this process.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { LakeTable } from '../../domain/lake-schema';
import type { LakeFile, LakeMaintenance, LakePartition, RewriteOutcome, RewriteRequest } from '../../ports/lake-maintenance';
import type { DuckDbQueryEngine } from './duckdb-query-engine';
import type { LocalLake } from './local-lake';

export class LocalLakeMaintenance implements LakeMaintenance {
  private readonly held = new Set<string>();

  constructor(
    private readonly lake: LocalLake,
    private readonly engine: DuckDbQueryEngine,
  ) {}

  async tenants(): Promise<string[]> {
    const out = new Set<string>();
    for (const table of ['events', 'devices', 'deliveries'] as LakeTable[]) {
      for (const name of await entries(path.join(this.lake.root, table))) {
        if (name.startsWith('tenant_id=')) out.add(name.slice('tenant_id='.length));
      }
    }
    return [...out].sort();
  }

  async partitions(table: LakeTable, tenantId: string, days?: readonly string[]): Promise<LakePartition[]> {
    const tenantDir = path.dirname(this.lake.partitionDir(table, tenantId, 'x'));
    const wanted = days ? new Set(days) : undefined;
    const out: LakePartition[] = [];
    for (const name of (await entries(tenantDir)).sort()) {
      if (!name.startsWith('dt=')) continue;
      const dt = name.slice(3);
      if (wanted && !wanted.has(dt)) continue;
      const dir = path.join(tenantDir, name);
      const files: LakeFile[] = [];
      for (const f of (await entries(dir)).sort()) {
        if (f.startsWith('.') || !(f.endsWith('.parquet') || f.endsWith('.ndjson'))) continue;
        // ENOENT: a rewrite removed the file since the listing; it is simply not part of the partition any more.
        const stat = await fs.stat(path.join(dir, f)).catch((err: NodeJS.ErrnoException) => {
          if (err.code === 'ENOENT') return undefined;
          throw err;
        });
        if (stat) files.push({ key: path.join(dir, f), bytes: stat.size, compacted: f.endsWith('.parquet') });
      }
      if (files.length > 0) out.push({ table, tenantId, dt, files });
    }
    return out;
  }

  async rewrite(request: RewriteRequest): Promise<RewriteOutcome> {
    const { partition } = request;
    const dir = this.lake.partitionDir(partition.table, partition.tenantId, partition.dt);
    return this.engine.rewriteFiles(
      partition.table,
      dir,
      request.files.map((f) => f.key),
      request.keep,
    );
  }

  async remove(partition: LakePartition): Promise<void> {
    await this.engine.removeFiles(partition.files.map((f) => f.key));
  }

  async sweep(): Promise<number> {
    return 0; // rewrites remove their files under the engine's write lock: nothing is ever left to sweep
  }

  async purgeReplaced(): Promise<number> {
    return 0; // as for sweep: nothing waits for its removal here
  }

  async exclusive<T>(tenantId: string, _now: Date, fn: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
    if (this.held.has(tenantId)) return { ran: false };
    this.held.add(tenantId);
    try {
      return { ran: true, value: await fn() };
    } finally {
      this.held.delete(tenantId);
    }
  }

  async failedDeliveries(): Promise<number> {
    return 0; // local appends are synchronous: a failed one fails the request instead
  }
}

async function entries(dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch (err: any) {
    if (err.code === 'ENOENT') return [];
    throw err;
  }
}
