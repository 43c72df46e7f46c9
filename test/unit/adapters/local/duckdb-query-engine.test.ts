/**
 * The local engine's paged results: the members query runs once into a Parquet file under the results
 * dir, read in row-number chunks in the query's order; a new process (a restart) on the same dir reads
 * it on, and a result that is gone (deleted when old) says QueryResultLostError (the trigger re-runs once).
 */
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDbQueryEngine } from '../../../../lambdas/adapters/local/duckdb-query-engine';
import { LocalLake } from '../../../../lambdas/adapters/local/local-lake';
import { LocalLakeMaintenance } from '../../../../lambdas/adapters/local/local-lake-maintenance';
import { systemClock } from '../../../../lambdas/ports/clock';
import { compactTenant } from '../../../../lambdas/use-cases/lake/compact-lake';
import type { DeviceRow } from '../../../../lambdas/domain/lake-schema';
import { compileMembers, dialectFor } from '../../../../lambdas/domain/segments/compiler';
import { QueryResultLostError } from '../../../../lambdas/ports/query-engine';

const NOW = new Date('2026-11-28T10:00:00.000Z');
let dir: string;
let lake: LocalLake;
let engine: DuckDbQueryEngine;

const device = (i: number): DeviceRow => ({
  device_id: `d${String(i).padStart(5, '0')}`,
  platform: i % 2 ? 'ios' : 'android',
  opted_in: i % 10 !== 0,
  country: 'FR',
  timezone: i % 3 ? 'Europe/Paris' : null,
  locale: null,
  app_version: null,
  app_version_key: null,
  customer_id: null,
  updated_at: NOW.toISOString(),
});

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'duck-pages-'));
  lake = new LocalLake(path.join(dir, 'lake'));
  // Registered in reverse so the result's order comes from the query, not from the files.
  await lake.appendDevices(
    't1',
    Array.from({ length: 2345 }, (_, i) => device(2344 - i)),
  );
  engine = await DuckDbQueryEngine.open(lake);
});
afterAll(async () => {
  engine.close();
  await rm(dir, { recursive: true, force: true });
});

const members = () =>
  compileMembers({ match: 'all', criteria: [] }, { tenantId: 't1', now: NOW, segments: new Map() }, dialectFor('duckdb'));

async function readAll(e: DuckDbQueryEngine, handle: { id: string }, rows: number): Promise<{ ids: string[]; reads: number }> {
  const ids: string[] = [];
  let page: string | null = null;
  let reads = 0;
  do {
    const out = await e.readPage(handle, page, rows);
    expect(out.rows.length).toBeLessThanOrEqual(rows);
    ids.push(...out.rows.map((r) => String(r.device_id)));
    page = out.next;
    reads++;
  } while (page !== null);
  return { ids, reads };
}

const expected = Array.from({ length: 2345 }, (_, i) => i)
  .filter((i) => i % 10 !== 0)
  .map((i) => device(i).device_id);

test('one run read in chunks gives every member once, in device order', async () => {
  const handle = await engine.startResult(members());
  const { ids, reads } = await readAll(engine, handle, 500);
  expect(ids).toEqual(expected);
  expect(reads).toBe(Math.ceil(expected.length / 500));
  // Like an Athena result it stays after its last page: a re-fire that crashed there reads it again.
  expect((await readAll(engine, handle, 500)).ids).toEqual(expected);
});

test('a result whose size is a multiple of the page ends on its last full page', async () => {
  const handle = await engine.startResult(members());
  const { ids, reads } = await readAll(engine, handle, expected.length / 5);
  expect(ids).toEqual(expected);
  expect(reads).toBe(5);
});

test('an empty result is one empty last page', async () => {
  const handle = await engine.startResult({ sql: 'SELECT device_id FROM devices WHERE false', params: [] });
  expect(await engine.readPage(handle, null, 100)).toEqual({ rows: [], next: null });
});

test('a page read twice (a resumed page) gives the same rows', async () => {
  const handle = await engine.startResult(members());
  const first = await engine.readPage(handle, null, 300);
  const second = await engine.readPage(handle, first.next, 300);
  expect(await engine.readPage(handle, first.next, 300)).toEqual(second);
  expect(String(second.rows[0].device_id) > String(first.rows[299].device_id)).toBe(true);
});

test('a new engine on the same data dir (a restart) reads the result on: same rows, same order', async () => {
  const handle = await engine.startResult(members());
  const first = await engine.readPage(handle, null, 700);
  engine.close();
  engine = await DuckDbQueryEngine.open(lake);
  const rest: string[] = [];
  let page = first.next;
  while (page !== null) {
    const out = await engine.readPage(handle, page, 700);
    rest.push(...out.rows.map((r) => String(r.device_id)));
    page = out.next;
  }
  expect([...first.rows.map((r) => String(r.device_id)), ...rest]).toEqual(expected);
});

test('a result that is gone, or never was, says QueryResultLostError', async () => {
  const handle = await engine.startResult(members());
  await rm(path.join(dir, 'results', `${handle.id}.parquet`));
  await expect(engine.readPage(handle, null, 100)).rejects.toBeInstanceOf(QueryResultLostError);
  await expect(engine.readPage({ id: '00000000-0000-4000-8000-000000000000' }, null, 100)).rejects.toBeInstanceOf(QueryResultLostError);
  await expect(engine.readPage({ id: '../lake/x' }, null, 100)).rejects.toBeInstanceOf(QueryResultLostError);
});

test('a half-written result (a crash during COPY) is never read', async () => {
  const id = '11111111-1111-4111-8111-111111111111';
  await writeFile(path.join(dir, 'results', `.${id}.parquet.tmp`), 'PAR1 torn');
  await expect(engine.readPage({ id }, null, 100)).rejects.toBeInstanceOf(QueryResultLostError);
});

test('result files older than the maximum age are deleted when an engine opens', async () => {
  const old = await engine.startResult(members());
  const recent = await engine.startResult(members());
  const threeDaysAgo = new Date(Date.now() - 3 * 24 * 3600 * 1000);
  await utimes(path.join(dir, 'results', `${old.id}.parquet`), threeDaysAgo, threeDaysAgo);
  await utimes(path.join(dir, 'results', '.11111111-1111-4111-8111-111111111111.parquet.tmp'), threeDaysAgo, threeDaysAgo);
  const other = await DuckDbQueryEngine.open(lake);
  try {
    const files = await readdir(path.join(dir, 'results'));
    expect(files).not.toContain(`${old.id}.parquet`);
    expect(files).not.toContain('.11111111-1111-4111-8111-111111111111.parquet.tmp');
    await expect(other.readPage(old, null, 10)).rejects.toBeInstanceOf(QueryResultLostError);
    expect((await other.readPage(recent, null, 10)).rows).toHaveLength(10);
  } finally {
    other.close();
  }
});

describe('queries never see a half-moved lake', () => {
  // Compaction removes the NDJSON files it merged. A query whose views were planned before that
  // (the window between planning views and taking the read lock) used to fail: "No files found".
  test('compaction that slips in between planning the views and reading: the query re-plans and counts exactly', async () => {
    const qdir = await mkdtemp(path.join(os.tmpdir(), 'duck-race-'));
    const qlake = new LocalLake(path.join(qdir, 'lake'));
    const e = await DuckDbQueryEngine.open(qlake);
    try {
      await qlake.appendDevices('t2', [device(1), device(2)]);
      const count = { sql: "SELECT count(*) AS n FROM devices WHERE tenant_id = 't2'", params: [] };
      expect(await e.run(count)).toEqual([{ n: 2 }]);
      await qlake.appendDevices('t2', [device(3)]); // new files: the next query plans its views again
      const query = e.run(count); // takes the lock to plan the views ...
      // ... and compaction is queued right behind it, before the query reads
      const compaction = compactTenant({ maintenance: new LocalLakeMaintenance(qlake, e), queryEngine: e, clock: systemClock }, 't2');
      const [rows, report] = await Promise.all([query, compaction]);
      expect(report.filesIn).toBeGreaterThan(1);
      expect(rows).toEqual([{ n: 3 }]);
      expect(await e.run(count)).toEqual([{ n: 3 }]);
    } finally {
      e.close();
      await rm(qdir, { recursive: true, force: true });
    }
  });
});

test('a deliveries file written before the variant column existed reads with variant null, beside newer rows', async () => {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const day = path.join(dir, 'lake', 'deliveries', 'tenant_id=t-old', 'dt=2026-11-27');
  await import('node:fs/promises').then((fs) => fs.mkdir(day, { recursive: true }));
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  // The columns of the table before variants: no `variant`.
  await conn.run(
    `COPY (SELECT 'c1' AS campaign_id, 'd-old' AS device_id, 'w' AS wave_id, 'b1' AS batch_id, 'sent' AS outcome, CAST(NULL AS VARCHAR) AS reason, 'ios' AS platform, TIMESTAMP '2026-11-27 10:00:00' AS ts) TO '${path.join(day, 'part-old.parquet')}' (FORMAT PARQUET)`,
  );
  conn.closeSync();
  db.closeSync();
  await lake.appendDeliveries('t-old', [
    {
      campaign_id: 'c2',
      device_id: 'd-new',
      wave_id: 'w',
      batch_id: 'b1',
      outcome: 'held_out',
      reason: null,
      platform: 'ios',
      ts: '2026-11-28T09:00:00.000Z',
      variant: null,
    },
    {
      campaign_id: 'c2',
      device_id: 'd-a',
      wave_id: 'w',
      batch_id: 'b1',
      outcome: 'sent',
      reason: null,
      platform: 'ios',
      ts: '2026-11-28T09:00:00.000Z',
      variant: 'A',
    },
  ]);
  lake.changed();
  const rows = await engine.run({
    sql: `SELECT device_id, outcome, variant FROM deliveries WHERE tenant_id = ? ORDER BY device_id`,
    params: ['t-old'],
  });
  expect(rows).toEqual([
    { device_id: 'd-a', outcome: 'sent', variant: 'A' },
    { device_id: 'd-new', outcome: 'held_out', variant: null },
    { device_id: 'd-old', outcome: 'sent', variant: null },
  ]);
  // Compaction rewrites the old file with the new column (null) and the rows stay the same.
  await compactTenant({ maintenance: new LocalLakeMaintenance(lake, engine), queryEngine: engine, clock: systemClock }, 't-old');
  expect(
    await engine.run({
      sql: `SELECT device_id, outcome, variant FROM deliveries WHERE tenant_id = ? ORDER BY device_id`,
      params: ['t-old'],
    }),
  ).toEqual(rows);
});
