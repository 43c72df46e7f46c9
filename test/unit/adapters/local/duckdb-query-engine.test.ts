/**
 * The local engine's paged results: the members query runs once into a table, read in rowid chunks
 * in the query's order; a new process (restart) no longer has it and says so (the trigger re-runs once).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDbQueryEngine } from '../../../../lambdas/adapters/local/duckdb-query-engine';
import { LocalLake } from '../../../../lambdas/adapters/local/local-lake';
import type { DeviceRow } from '../../../../lambdas/domain/lake-schema';
import { compileMembers, dialectFor } from '../../../../lambdas/domain/segments/compiler';
import { QueryResultLostError } from '../../../../lambdas/ports/query-engine';

const NOW = new Date('2026-11-28T10:00:00.000Z');
let dir: string;
let lake: LocalLake;
let engine: DuckDbQueryEngine;

const device = (i: number): DeviceRow => ({
  device_id: `d${String(i).padStart(5, '0')}`, platform: i % 2 ? 'ios' : 'android', opted_in: i % 10 !== 0, country: 'FR',
  timezone: i % 3 ? 'Europe/Paris' : null, locale: null, app_version: null, app_version_key: null, customer_id: null, updated_at: NOW.toISOString(),
});

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'duck-pages-'));
  lake = new LocalLake(path.join(dir, 'lake'));
  // Registered in reverse so the result's order comes from the query, not from the files.
  await lake.appendDevices('t1', Array.from({ length: 2345 }, (_, i) => device(2344 - i)));
  engine = await DuckDbQueryEngine.open(lake);
});
afterAll(async () => {
  engine.close();
  await rm(dir, { recursive: true, force: true });
});

const members = () => compileMembers({ match: 'all', criteria: [] }, { tenantId: 't1', now: NOW, segments: new Map() }, dialectFor('duckdb'));

test('one run read in chunks gives every member once, in device order', async () => {
  const handle = await engine.startResult(members());
  const seen: string[] = [];
  let page: string | null = null;
  let reads = 0;
  do {
    const out = await engine.readPage(handle, page, 500);
    expect(out.rows.length).toBeLessThanOrEqual(500);
    seen.push(...out.rows.map((r) => String(r.device_id)));
    page = out.next;
    reads++;
  } while (page !== null);
  const expected = Array.from({ length: 2345 }, (_, i) => i).filter((i) => i % 10 !== 0).map((i) => device(i).device_id);
  expect(seen).toEqual(expected);
  expect(reads).toBe(Math.ceil(expected.length / 500));
  // Read to its end the result is dropped (memory); a re-fire that needs it again runs the query again.
  await expect(engine.readPage(handle, null, 500)).rejects.toBeInstanceOf(QueryResultLostError);
});

test('a page read twice (a resumed page) gives the same rows', async () => {
  const handle = await engine.startResult(members());
  const first = await engine.readPage(handle, null, 300);
  const second = await engine.readPage(handle, first.next, 300);
  expect(await engine.readPage(handle, first.next, 300)).toEqual(second);
  expect(String(second.rows[0].device_id) > String(first.rows[299].device_id)).toBe(true);
});

test('another process (a restart) does not know the result: QueryResultLostError', async () => {
  const handle = await engine.startResult(members());
  const other = await DuckDbQueryEngine.open(lake);
  try {
    await expect(other.readPage(handle, null, 100)).rejects.toBeInstanceOf(QueryResultLostError);
  } finally {
    other.close();
  }
});

test('only a few results are kept: the oldest goes first', async () => {
  const handles = [];
  for (let i = 0; i < 9; i++) handles.push(await engine.startResult(members()));
  await expect(engine.readPage(handles[0], null, 10)).rejects.toBeInstanceOf(QueryResultLostError);
  expect((await engine.readPage(handles[8], null, 10)).rows).toHaveLength(10);
});
