/**
 * In-memory DuckDB with the lake tables `events`, `devices` and `deliveries` (lake columns + tenant_id, dt),
 * for running compiled segment SQL in unit tests.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import {
  DELIVERY_COLUMNS,
  DEVICE_COLUMNS,
  EVENT_COLUMNS,
  ROLLUP_COLUMNS,
  type DeliveryRow,
  type DeviceRow,
  type EventRow,
  type LakeColumn,
} from '../../../../lambdas/domain/lake-schema';
import type { SqlQuery } from '../../../../lambdas/ports/query-engine';

const SQL_TYPE = { string: 'VARCHAR', timestamp: 'TIMESTAMP', double: 'DOUBLE', boolean: 'BOOLEAN' } as const;

export type TestRow = Record<string, string | number | boolean | null>;

function columnsDdl(columns: LakeColumn[]): string {
  return [...columns.map((c) => `${c.name} ${SQL_TYPE[c.type]}`), 'tenant_id VARCHAR', 'dt VARCHAR'].join(', ');
}

/** Lake timestamps are ISO strings; DuckDB's TIMESTAMP takes them without the zone letter. */
const tsText = (iso: string) => new Date(iso).toISOString().replace('T', ' ').replace('Z', '');

/** A throwaway DuckDB database holding lake rows of any number of tenants. */
export class TestLake {
  private constructor(private readonly conn: DuckDBConnection) {}

  static async create(): Promise<TestLake> {
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    await conn.run(`CREATE TABLE events (${columnsDdl(EVENT_COLUMNS)})`);
    await conn.run(`CREATE TABLE devices (${columnsDdl(DEVICE_COLUMNS)})`);
    await conn.run(`CREATE TABLE deliveries (${columnsDdl(DELIVERY_COLUMNS)})`);
    // `build`: the AWS table's partition (one prefix per build of a day); null for rows rolled as one rollup per day.
    await conn.run(`CREATE TABLE rollup_rows (${columnsDdl(ROLLUP_COLUMNS)}, build VARCHAR)`);
    await conn.run(`CREATE TABLE latest_rows (${columnsDdl(DEVICE_COLUMNS)}, build VARCHAR)`);
    const lake = new TestLake(conn);
    await lake.rollupLayout('day');
    return lake;
  }

  /** Which rollups and latest registrations `event_rollups` and `device_latest` show: one per day or tenant (the local lake), or every build (AWS). */
  async rollupLayout(layout: 'day' | 'build'): Promise<void> {
    const which = `build IS ${layout === 'day' ? '' : 'NOT '}NULL`;
    await this.conn.run(`CREATE OR REPLACE VIEW event_rollups AS SELECT * FROM rollup_rows WHERE ${which}`);
    await this.conn.run(`CREATE OR REPLACE VIEW device_latest AS SELECT * FROM latest_rows WHERE ${which}`);
  }

  /**
   * Makes a tenant's latest registrations as of `through` from its devices as they are now
   * (latestThrough), replacing the earlier ones; with `build`, as AWS does, beside them. The build id.
   */
  async buildLatest(tenantId: string, through: string, build?: string): Promise<string | undefined> {
    const { latestThrough } = await import('../../../../lambdas/domain/segments/rollups');
    const { toQuery } = await import('../../../../lambdas/domain/segments/sql-fragment');
    if (build === undefined) await this.conn.run('DELETE FROM latest_rows WHERE tenant_id = ? AND build IS NULL', [tenantId]);
    const id = build === undefined ? null : `${through}.${build}`;
    const q = toQuery(latestThrough(tenantId, through));
    await this.conn.run(`INSERT INTO latest_rows SELECT *, ? AS tenant_id, ? AS dt, ? AS build FROM (${q.sql})`, [
      tenantId,
      through,
      id,
      ...q.params,
    ]);
    return id ?? undefined;
  }

  private async insert(table: string, columns: LakeColumn[], rows: Record<string, unknown>[], tenantId: string): Promise<void> {
    const names = [...columns.map((c) => c.name), 'tenant_id', 'dt'];
    const chunk = 200;
    for (let i = 0; i < rows.length; i += chunk) {
      const part = rows.slice(i, i + chunk);
      const params: (string | number | boolean | null)[] = [];
      const tuples = part.map((row) => {
        for (const c of columns) {
          const v = row[c.name] as string | number | boolean | null | undefined;
          params.push(v === undefined || v === null ? null : c.type === 'timestamp' ? tsText(String(v)) : v);
        }
        const tsCol = table === 'devices' ? 'updated_at' : 'ts';
        params.push(tenantId, new Date(String(row[tsCol])).toISOString().slice(0, 10));
        return `(${names.map(() => '?').join(', ')})`;
      });
      await this.conn.run(`INSERT INTO ${table} (${names.join(', ')}) VALUES ${tuples.join(', ')}`, params);
    }
  }

  async addDevices(tenantId: string, rows: DeviceRow[]): Promise<void> {
    await this.insert('devices', DEVICE_COLUMNS, rows as unknown as Record<string, unknown>[], tenantId);
  }

  async addEvents(tenantId: string, rows: EventRow[]): Promise<void> {
    await this.insert('events', EVENT_COLUMNS, rows as unknown as Record<string, unknown>[], tenantId);
  }

  async addDeliveries(tenantId: string, rows: DeliveryRow[]): Promise<void> {
    await this.insert('deliveries', DELIVERY_COLUMNS, rows as unknown as Record<string, unknown>[], tenantId);
  }

  /**
   * Rolls up these closed days of a tenant from its events as they are now (compileRollupDay),
   * replacing earlier rollups of them; with `build`, as AWS does: a new build of each day
   * (`<day>.<build>`) beside the earlier ones, which stay until removed. The build ids by day.
   */
  async rollUp(tenantId: string, days: readonly string[], build?: string): Promise<Record<string, string>> {
    const { compileRollupDay } = await import('../../../../lambdas/domain/segments/rollups');
    const builds: Record<string, string> = {};
    for (const day of days) {
      if (build === undefined)
        await this.conn.run('DELETE FROM rollup_rows WHERE tenant_id = ? AND dt = ? AND build IS NULL', [tenantId, day]);
      const id = build === undefined ? null : `${day}.${build}`;
      const q = compileRollupDay(tenantId, day);
      await this.conn.run(`INSERT INTO rollup_rows SELECT *, ? AS tenant_id, ? AS dt, ? AS build FROM (${q.sql})`, [
        tenantId,
        day,
        id,
        ...q.params,
      ]);
      if (id) builds[day] = id;
    }
    return builds;
  }

  /** Runs a compiled query; BigInts come back as numbers, other non-JSON values as text. */
  async run(query: SqlQuery): Promise<TestRow[]> {
    const reader = await this.conn.runAndReadAll(query.sql, query.params);
    return reader.getRowObjects().map((row) => {
      const out: TestRow = {};
      for (const [k, v] of Object.entries(row)) {
        out[k] =
          typeof v === 'bigint'
            ? Number(v)
            : v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
              ? v
              : String(v);
      }
      return out;
    });
  }

  /** The DuckDB connection itself, for the Athena stand-in (test/aws/support/athena-sql.ts). */
  get connection(): DuckDBConnection {
    return this.conn;
  }

  close(): void {
    this.conn.closeSync();
  }
}
