/**
 * The local query engine: DuckDB over the local lake. The lake's tables are views over its Parquet
 * and NDJSON files, rebuilt when the file set changes; rewriteFiles() replaces a partition's files
 * (compaction and erasure, planned by use-cases/lake).
 * A paged result (a wave's audience) runs once into a Parquet file under the results dir, each row
 * numbered in the query's order, and is read by row-number ranges. Like an Athena result it outlives
 * the process (a restarted trigger reads on without running the query again) and is deleted when old;
 * a handle whose file is gone says QueryResultLostError, and the trigger runs the query again.
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { LAKE_TABLES, LATEST_TABLE, ROLLUP_TABLE, type DerivedTable, type LakeTable } from '../../domain/lake-schema';
import { QueryFailedError, QueryResultLostError } from '../../ports/query-engine';
import type { QueryEngine, QueryHandle, QueryOutcome, ResultPage, Row, SqlQuery } from '../../ports/query-engine';
import { trusted, type Frag } from '../../domain/segments/sql-fragment';
import { logger } from '../../logging/logger';
import type { LocalLake } from './local-lake';
import { RwLock } from './rw-lock';
import { DUCK_TYPES, fileSource, latestSource, lit, rollupSource, viewSource } from './lake-sql';

const TABLES = Object.keys(LAKE_TABLES) as LakeTable[];
/** Result files older than this are deleted (on open and when a result is made), so the data dir does not grow forever. */
const RESULT_MAX_AGE_MS = 2 * 24 * 3600 * 1000;
/** The row-number column of a result file (never a column of ours). */
const ROW_NUMBER = 'result_row_number__';
const RESULT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface DuckDbEngineOptions {
  threads?: number;
  /** Where paged results are kept; by default `results/` beside the lake root (the local world's data dir). */
  resultsDir?: string;
  /** Age past which a result file is deleted. */
  resultMaxAgeMs?: number;
}

export class DuckDbQueryEngine implements QueryEngine {
  readonly dialect = 'duckdb' as const;
  private readonly lock = new RwLock();
  private viewsGeneration = -1;
  /** The lake's `removals` when the views were planned. */
  private viewsRemovals = -1;
  private readonly outcomes = new Map<string, QueryOutcome>();

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly lake: LocalLake,
    private readonly resultsDir: string,
    private readonly resultMaxAgeMs: number,
  ) {}

  static async open(lake: LocalLake, options: DuckDbEngineOptions = {}): Promise<DuckDbQueryEngine> {
    const instance = await DuckDBInstance.create(':memory:', { threads: String(options.threads ?? 2) });
    const resultsDir = options.resultsDir ?? path.join(path.dirname(lake.root), 'results');
    const engine = new DuckDbQueryEngine(instance, lake, resultsDir, options.resultMaxAgeMs ?? RESULT_MAX_AGE_MS);
    await engine.deleteOldResults();
    return engine;
  }

  async run(query: SqlQuery): Promise<Row[]> {
    return this.readLake(() =>
      this.withConnection(async (conn) => {
        try {
          const reader = await conn.runAndReadAll(query.sql, query.params as any[]);
          return reader.getRowObjectsJS().map(toRow);
        } catch (err) {
          throw new QueryFailedError(`query failed: ${(err as Error).message}`);
        }
      }),
    );
  }

  async start(query: SqlQuery): Promise<QueryHandle> {
    const id = randomUUID();
    this.outcomes.set(id, { status: 'running' });
    this.run(query).then(
      (rows) => this.outcomes.set(id, { status: 'succeeded', rows }),
      (err) => this.outcomes.set(id, { status: 'failed', error: (err as Error).message }),
    );
    if (this.outcomes.size > 1000) this.outcomes.delete(this.outcomes.keys().next().value!);
    return { id };
  }

  async poll(handle: QueryHandle): Promise<QueryOutcome> {
    return this.outcomes.get(handle.id) ?? { status: 'failed', error: 'unknown query' };
  }

  async startResult(query: SqlQuery): Promise<QueryHandle> {
    const id = randomUUID();
    const table = `result_${id.replace(/-/g, '')}`;
    const file = this.resultFile(id);
    const tmp = path.join(this.resultsDir, `.${id}.parquet.tmp`);
    await fs.mkdir(this.resultsDir, { recursive: true });
    await this.readLake(() =>
      this.withConnection(async (conn) => {
        try {
          // Rows are inserted in the query's order, so rowid numbers them in that order; pages are row-number
          // ranges of the file (its row groups' min/max let a page skip the others), never an unordered scan.
          await conn.run(`CREATE TEMP TABLE ${table} AS ${query.sql}`, query.params as any[]);
          await conn.run(`COPY (SELECT rowid AS ${ROW_NUMBER}, * FROM ${table} ORDER BY rowid) TO ${lit(tmp)} (FORMAT PARQUET)`);
        } catch (err) {
          await fs.rm(tmp, { force: true });
          throw new QueryFailedError(`query failed: ${(err as Error).message}`);
        } finally {
          await conn.run(`DROP TABLE IF EXISTS ${table}`);
        }
      }),
    );
    // Written under a temporary name and renamed: a half-written result is never read.
    await fs.rename(tmp, file);
    await this.deleteOldResults();
    return { id };
  }

  async readPage(handle: QueryHandle, page: string | null, rows: number): Promise<ResultPage> {
    if (!RESULT_ID.test(handle.id)) throw new QueryResultLostError(`no result ${handle.id}`);
    const from = page === null ? 0 : Number(page);
    if (!Number.isSafeInteger(from) || from < 0) throw new QueryFailedError(`bad page token ${page}`);
    const file = this.resultFile(handle.id);
    let out: Row[];
    try {
      // One row more than asked tells whether another page follows, so the last page says so itself.
      const read = await this.withConnection((conn) =>
        conn.runAndReadAll(
          `SELECT * EXCLUDE (${ROW_NUMBER}) FROM read_parquet(${lit(file)}) WHERE ${ROW_NUMBER} >= ? AND ${ROW_NUMBER} < ? ORDER BY ${ROW_NUMBER}`,
          [from, from + rows + 1],
        ),
      );
      out = read.getRowObjectsJS().map(toRow);
    } catch (err) {
      if (!(await exists(file))) throw new QueryResultLostError(`no result ${handle.id} (deleted, or made before an upgrade): run again`);
      throw new QueryFailedError(`reading result ${handle.id} failed: ${(err as Error).message}`);
    }
    if (out.length <= rows) return { rows: out, next: null };
    return { rows: out.slice(0, rows), next: String(from + rows) };
  }

  private resultFile(id: string): string {
    return path.join(this.resultsDir, `${id}.parquet`);
  }

  /** Deletes result files (and temporaries of a crashed run) older than the maximum age. Best effort. */
  private async deleteOldResults(): Promise<void> {
    let names: string[];
    try {
      names = await fs.readdir(this.resultsDir);
    } catch (err) {
      // Best effort: a failure here must not fail the query that made a result; but say so, the dir will grow.
      if (!isGone(err)) logger.warn('could not list old query results to delete', { resultsDir: this.resultsDir, error: err as Error });
      return; // ENOENT: no results yet
    }
    const before = Date.now() - this.resultMaxAgeMs;
    await Promise.all(
      names
        .filter((n) => n.endsWith('.parquet') || n.endsWith('.parquet.tmp'))
        .map(async (n) => {
          const f = path.join(this.resultsDir, n);
          try {
            if ((await fs.stat(f)).mtimeMs < before) await fs.unlink(f);
          } catch (err) {
            // ENOENT: gone already (another engine on the same dir swept it). Anything else leaves the file for the next sweep.
            if (!isGone(err)) logger.warn('could not delete an old query result', { file: f, error: err as Error });
          }
        }),
    );
  }

  /**
   * Replace `files` (one partition's, in `dir`) by the rows `keep` selects from them, written as one
   * Parquet file; under the write lock, so no query is reading while files go and the views are
   * re-planned before the next one. `done: false` when a listed file is already gone (another
   * rewrite changed the partition since it was listed): nothing is written then.
   */
  async rewriteFiles(
    table: LakeTable,
    dir: string,
    files: readonly string[],
    keep: (src: Frag) => Frag,
  ): Promise<{ done: boolean; written: number }> {
    return this.lock.write(async () => {
      for (const f of files) if (!(await exists(f))) return { done: false, written: 0 };
      // `keep` may read the lake's own views (superseded device snapshots): plan them on today's files.
      await this.planViews();
      const src = trusted(
        `(${fileSource(
          table,
          files.filter((f) => f.endsWith('.parquet')),
          files.filter((f) => f.endsWith('.ndjson')),
        )})`,
      );
      const query = keep(src);
      const name = `part-c${Date.now()}-${randomUUID()}`;
      const tmp = path.join(dir, `.${name}.parquet.tmp`);
      const written = await this.withConnection(async (conn) => {
        const staged = `kept_${randomUUID().replace(/-/g, '')}`;
        await conn.run(`CREATE TEMP TABLE ${staged} AS ${query.sql}`, [...query.params] as any);
        try {
          const n = Number((await conn.runAndReadAll(`SELECT count(*) FROM ${staged}`)).getRows()[0][0]);
          if (n > 0) await conn.run(`COPY ${staged} TO ${lit(tmp)} (FORMAT PARQUET)`);
          return n > 0 ? 1 : 0;
        } finally {
          await conn.run(`DROP TABLE ${staged}`);
        }
      });
      try {
        // Rename first, then drop the sources: a crash in between leaves duplicates, which queries
        // de-duplicate (events by event_id, devices by latest updated_at), never a loss.
        if (written > 0) await fs.rename(tmp, path.join(dir, `${name}.parquet`));
        await Promise.all(files.map((f) => fs.unlink(f)));
      } finally {
        this.lake.changed({ removed: true });
      }
      return { done: true, written };
    });
  }

  /**
   * Write a derived table's file `name` in a partition from `query` (sorted by `order`), then remove
   * the partition's other files and `replaced`; under the write lock, so no query reads a file while it
   * goes (local-rollups.ts writes the rollups and latest registrations with it).
   */
  async writeDerived(
    table: DerivedTable,
    tenantId: string,
    day: string,
    name: string,
    query: SqlQuery,
    order: string,
    replaced: readonly string[] = [],
  ): Promise<void> {
    await this.lock.write(async () => {
      await this.planViews();
      const dir = this.lake.partitionDir(table, tenantId, day);
      await fs.mkdir(dir, { recursive: true });
      const before = (await fs.readdir(dir)).filter((f) => f.endsWith('.parquet')).map((f) => path.join(dir, f));
      const tmp = path.join(dir, `.${name}.tmp`);
      await this.withConnection(async (conn) => {
        const staged = `derived_${randomUUID().replace(/-/g, '')}`;
        await conn.run(`CREATE TEMP TABLE ${staged} AS ${query.sql}`, [...query.params] as any);
        try {
          await conn.run(`COPY (SELECT * FROM ${staged} ORDER BY ${order}) TO ${lit(tmp)} (FORMAT PARQUET, ROW_GROUP_SIZE 20480)`);
        } finally {
          await conn.run(`DROP TABLE ${staged}`);
        }
      });
      const target = path.join(dir, name);
      try {
        await fs.rename(tmp, target);
        await Promise.all([...before, ...replaced].filter((f) => f !== target).map((f) => fs.rm(f, { force: true })));
      } finally {
        this.lake.changed({ removed: true });
      }
    });
  }

  /** Delete lake files under the write lock (no query is reading them); missing ones are ignored. */
  async removeFiles(files: readonly string[]): Promise<void> {
    await this.lock.write(async () => {
      try {
        await Promise.all(files.map((f) => fs.rm(f, { force: true })));
      } finally {
        this.lake.changed({ removed: true });
      }
    });
  }

  /** Write rows of a table straight to Parquet partitions (bulk loads: demo data, benchmarks). */
  async bulkLoad(
    table: LakeTable,
    tenantId: string,
    rows: AsyncIterable<Record<string, unknown>[]>,
    onBatch?: (n: number) => void,
  ): Promise<void> {
    await this.withConnection(async (conn) => {
      const cols = LAKE_TABLES[table];
      const staging = `staging_${table}_${randomUUID().replace(/-/g, '')}`;
      await conn.run(`CREATE TEMP TABLE ${staging} (${cols.map((c) => `${c.name} ${DUCK_TYPES[c.type]}`).join(', ')}, dt VARCHAR)`);
      const appender = await conn.createAppender(staging);
      const tsCol = table === 'events' ? 'ts' : 'updated_at';
      for await (const batch of rows) {
        for (const r of batch) {
          for (const c of cols) {
            const v = r[c.name];
            if (v === null || v === undefined) appender.appendNull();
            else if (c.type === 'double') appender.appendDouble(v as number);
            else if (c.type === 'boolean') appender.appendBoolean(v as boolean);
            else appender.appendVarchar(String(v));
          }
          appender.appendVarchar(String(r[tsCol]).slice(0, 10));
          appender.endRow();
        }
        onBatch?.(batch.length);
      }
      appender.closeSync();
      const out = path.join(this.lake.root, table, `tenant_id=${tenantId}`);
      await fs.mkdir(out, { recursive: true });
      await conn.run(
        `COPY (SELECT * FROM ${staging} ORDER BY dt) TO ${lit(out)} (FORMAT PARQUET, PARTITION_BY (dt), FILENAME_PATTERN 'part-bulk-{uuid}', OVERWRITE_OR_IGNORE)`,
      );
      await conn.run(`DROP TABLE ${staging}`);
    });
    this.lake.changed();
  }

  close(): void {
    this.instance.closeSync();
  }

  private async withConnection<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    const conn = await this.instance.connect();
    try {
      return await fn(conn);
    } finally {
      conn.closeSync();
    }
  }

  /**
   * Run `fn` over the lake's views with compaction kept out (read lock), on views planned after the
   * last removal of files. Views that are out of date are planned again under the write lock, which
   * then turns into the read lock for `fn` with no writer in between: compaction cannot remove a file
   * between planning and reading (a view naming a removed file fails the query: "No files found").
   */
  private async readLake<T>(fn: () => Promise<T>): Promise<T> {
    if (this.viewsGeneration === this.lake.generation) {
      const out = await this.lock.read(async () => (this.viewsRemovals === this.lake.removals ? { value: await fn() } : undefined));
      if (out) return out.value;
    }
    return this.lock.writeThenRead(() => this.planViews(), fn);
  }

  /** (Re)plan the views over the lake's current files; the caller holds the write lock. */
  private async planViews(): Promise<void> {
    const generation = this.lake.generation;
    const removals = this.lake.removals;
    if (this.viewsGeneration === generation) return;
    await this.withConnection(async (conn) => {
      for (const table of TABLES) {
        const files = await this.lake.files(table);
        await conn.run(`CREATE OR REPLACE VIEW ${table} AS ${viewSource(table, files.parquet, files.ndjson)}`);
      }
      const rollups = await this.lake.files(ROLLUP_TABLE);
      await conn.run(`CREATE OR REPLACE VIEW ${ROLLUP_TABLE} AS ${rollupSource(rollups.parquet)}`);
      const latest = await this.lake.files(LATEST_TABLE);
      await conn.run(`CREATE OR REPLACE VIEW ${LATEST_TABLE} AS ${latestSource(latest.parquet)}`);
    });
    this.viewsGeneration = generation;
    this.viewsRemovals = removals;
  }
}

function isGone(err: unknown): boolean {
  return (err as NodeJS.ErrnoException)?.code === 'ENOENT';
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

function toRow(r: Record<string, unknown>): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(r)) {
    if (typeof v === 'bigint') out[k] = Number(v);
    else if (v instanceof Date) out[k] = v.toISOString();
    else if (v === undefined) out[k] = null;
    else if (typeof v === 'object' && v !== null) out[k] = JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? Number(x) : x));
    else out[k] = v as string | number | boolean | null;
  }
  return out;
}
