/**
 * The local query engine: DuckDB over the local lake. The lake's tables are views over its Parquet
 * and NDJSON files, rebuilt when the file set changes; compaction turns NDJSON into Parquet.
 * A paged result (a wave's audience) runs once into a table of the in-memory database, read by
 * rowid ranges; it lives until its last page is read (or it is among the oldest beyond a few), and a
 * restart forgets it: readPage then says QueryResultLostError and the trigger runs the query again.
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { LAKE_TABLES, type LakeColumnType, type LakeTable } from '../../domain/lake-schema';
import { QueryFailedError, QueryResultLostError, type QueryEngine, type QueryHandle, type QueryOutcome, type ResultPage, type Row, type SqlQuery } from '../../ports/query-engine';
import type { LocalLake } from './local-lake';
import { RwLock } from './rw-lock';

const DUCK_TYPES: Record<LakeColumnType, string> = { string: 'VARCHAR', timestamp: 'TIMESTAMP', double: 'DOUBLE', boolean: 'BOOLEAN' };
const TABLES = Object.keys(LAKE_TABLES) as LakeTable[];
/** Paged results kept at once (each a table in memory); the oldest goes first. */
const MAX_RESULTS = 8;

export class DuckDbQueryEngine implements QueryEngine {
  readonly dialect = 'duckdb' as const;
  private readonly lock = new RwLock();
  private viewsGeneration = -1;
  private readonly outcomes = new Map<string, QueryOutcome>();
  /** Paged results: handle id → table name, oldest first. */
  private readonly results = new Map<string, string>();

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly lake: LocalLake,
  ) {}

  static async open(lake: LocalLake, options: { threads?: number } = {}): Promise<DuckDbQueryEngine> {
    const instance = await DuckDBInstance.create(':memory:', { threads: String(options.threads ?? 2) });
    return new DuckDbQueryEngine(instance, lake);
  }

  async run(query: SqlQuery): Promise<Row[]> {
    await this.refreshViews();
    return this.lock.read(() =>
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
    await this.refreshViews();
    const id = randomUUID();
    const table = `result_${id.replace(/-/g, '')}`;
    await this.lock.read(() =>
      this.withConnection(async (conn) => {
        try {
          // Rows are inserted in the query's order, so rowid ranges read it in that order.
          await conn.run(`CREATE TABLE ${table} AS ${query.sql}`, query.params as any[]);
        } catch (err) {
          throw new QueryFailedError(`query failed: ${(err as Error).message}`);
        }
      }),
    );
    this.results.set(id, table);
    while (this.results.size > MAX_RESULTS) await this.dropResult(this.results.keys().next().value!);
    return { id };
  }

  async readPage(handle: QueryHandle, page: string | null, rows: number): Promise<ResultPage> {
    const table = this.results.get(handle.id);
    if (!table) throw new QueryResultLostError(`no result ${handle.id} in this process (run again)`);
    const from = page === null ? 0 : Number(page);
    const read = await this.withConnection((conn) => conn.runAndReadAll(`SELECT * FROM ${table} WHERE rowid >= ? AND rowid < ? ORDER BY rowid`, [from, from + rows]));
    const out = read.getRowObjectsJS().map(toRow);
    if (out.length < rows) {
      await this.dropResult(handle.id); // read to the end: a re-fire that needs it again runs the query again
      return { rows: out, next: null };
    }
    return { rows: out, next: String(from + rows) };
  }

  private async dropResult(id: string): Promise<void> {
    const table = this.results.get(id);
    this.results.delete(id);
    if (table) await this.withConnection((conn) => conn.run(`DROP TABLE IF EXISTS ${table}`));
  }

  /** Turn every partition's NDJSON files into one Parquet file. Safe to run while queries come in. */
  async compact(): Promise<number> {
    let compacted = 0;
    await this.lock.write(async () => {
      for (const table of TABLES) {
        const { ndjson } = await this.lake.files(table);
        const byDir = new Map<string, string[]>();
        for (const f of ndjson) {
          const dir = path.dirname(f);
          byDir.set(dir, [...(byDir.get(dir) ?? []), f]);
        }
        for (const [dir, files] of byDir) {
          const name = `part-c${Date.now()}-${randomUUID()}`;
          const tmp = path.join(dir, `.${name}.parquet.tmp`);
          await this.withConnection((conn) =>
            conn.run(`COPY (SELECT ${columnList(table)} FROM ${readJson(table, files, false)}) TO ${lit(tmp)} (FORMAT PARQUET)`),
          );
          // Rename first, then drop the sources: a crash in between leaves duplicates, which queries
          // de-duplicate (events by event_id, devices by latest updated_at), never a loss.
          await fs.rename(tmp, path.join(dir, `${name}.parquet`));
          await Promise.all(files.map((f) => fs.unlink(f)));
          compacted += files.length;
        }
      }
      if (compacted > 0) this.lake.changed();
    });
    return compacted;
  }

  /** Write rows of a table straight to Parquet partitions (bulk loads: demo data, benchmarks). */
  async bulkLoad(table: LakeTable, tenantId: string, rows: AsyncIterable<Record<string, unknown>[]>, onBatch?: (n: number) => void): Promise<void> {
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

  private async refreshViews(): Promise<void> {
    if (this.viewsGeneration === this.lake.generation) return;
    await this.lock.write(async () => {
      const generation = this.lake.generation;
      if (this.viewsGeneration === generation) return;
      await this.withConnection(async (conn) => {
        for (const table of TABLES) {
          const files = await this.lake.files(table);
          await conn.run(`CREATE OR REPLACE VIEW ${table} AS ${viewSource(table, files.parquet, files.ndjson)}`);
        }
      });
      this.viewsGeneration = generation;
    });
  }
}

function viewSource(table: LakeTable, parquet: string[], ndjson: string[]): string {
  const parts: string[] = [];
  const hive = `hive_partitioning = true, hive_types = {'tenant_id': VARCHAR, 'dt': VARCHAR}`;
  if (parquet.length > 0) {
    parts.push(`SELECT ${columnList(table)}, tenant_id, dt FROM read_parquet([${parquet.map(lit).join(', ')}], ${hive}, union_by_name = true)`);
  }
  if (ndjson.length > 0) parts.push(`SELECT ${columnList(table)}, tenant_id, dt FROM ${readJson(table, ndjson, true)}`);
  if (parts.length === 0) {
    const cols = LAKE_TABLES[table].map((c) => `CAST(NULL AS ${DUCK_TYPES[c.type]}) AS ${c.name}`);
    parts.push(`SELECT ${cols.join(', ')}, CAST(NULL AS VARCHAR) AS tenant_id, CAST(NULL AS VARCHAR) AS dt WHERE false`);
  }
  return parts.join(' UNION ALL ');
}

function columnList(table: LakeTable): string {
  return LAKE_TABLES[table].map((c) => `CAST(${c.name} AS ${DUCK_TYPES[c.type]}) AS ${c.name}`).join(', ');
}

function readJson(table: LakeTable, files: string[], hive: boolean): string {
  const columns = LAKE_TABLES[table].map((c) => `${lit(c.name)}: ${lit(c.type === 'timestamp' ? 'VARCHAR' : DUCK_TYPES[c.type])}`).join(', ');
  const hiveOpts = hive ? `, hive_partitioning = true, hive_types = {'tenant_id': VARCHAR, 'dt': VARCHAR}` : '';
  return `read_json([${files.map(lit).join(', ')}], format = 'newline_delimited', columns = {${columns}}${hiveOpts})`;
}

/** A SQL string literal for our own file paths (never user input). */
function lit(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
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
