/**
 * Segment sizing on the benchmark lake (1 M devices / ~20 M events, made by the demo generator):
 * the median time of an estimate through DuckDbQueryEngine + compileEstimate, against the floor —
 * a bare DuckDB scan of the same columns of the same files, with no grouping or joining.
 */
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { DuckDbQueryEngine } from '../../lambdas/adapters/local/duckdb-query-engine';
import { LocalLake } from '../../lambdas/adapters/local/local-lake';
import { LocalRollups } from '../../lambdas/adapters/local/local-rollups';
import { ROLLUP_TABLE } from '../../lambdas/domain/lake-schema';
import type { RollupCoverage } from '../../lambdas/domain/segments/rollups';
import { openLocalDeps } from '../../lambdas/composition/local';
import type { SegmentDefinition } from '../../lambdas/domain/segments/criteria';
import { compileEstimate, compileTree, dialectFor, type CompileContext } from '../../lambdas/domain/segments/compiler';
import { seedTenant } from '../seed-tenant';
import { median, progress, timed } from './common';

export const BENCH_TENANT = 'demo';

/** The VIP segment of issue 3. */
export const VIP: SegmentDefinition = {
  match: 'all',
  criteria: [
    { filter: 'total_spend', operator: 'gte', value: 500 },
    { filter: 'last_app_open', operator: 'within_last_days', value: 7 },
    { filter: 'device_country', operator: 'in', value: ['US', 'CA'] },
  ],
};

/** Six conditions, two nested groups (one negated), device- and customer-level facts. */
export const NESTED: SegmentDefinition = {
  match: 'all',
  criteria: [
    { filter: 'platform', operator: 'in', value: ['ios'] },
    { filter: 'app_version', operator: 'gte', value: '5.1' },
    {
      match: 'any',
      criteria: [
        { filter: 'product_viewed', operator: 'any_of', value: ['sku-1', 'sku-2', 'sku-3', 'sku-4', 'sku-5'], withinDays: 30 },
        { filter: 'abandoned_cart', operator: 'is', value: true },
        { filter: 'total_orders', operator: 'gte', value: 2 },
      ],
    },
    { match: 'all', negate: true, criteria: [{ filter: 'last_push_open', operator: 'within_last_days', value: 3 }] },
  ],
};

/** What the floor scan reads for a segment: the event columns and types its facts read, and the device columns. */
const FLOORS: Record<string, { eventColumns: string[]; types: string[] }> = {
  vip: { eventColumns: ['device_id', 'ts', 'order_id', 'amount'], types: ['app_open', 'purchase'] },
  nested: {
    eventColumns: ['device_id', 'ts', 'event_id', 'product_id', 'order_id', 'amount'],
    types: ['add_to_cart', 'product_view', 'purchase', 'push_open'],
  },
};
const DEVICE_COLUMNS = [
  'device_id',
  'platform',
  'opted_in',
  'country',
  'timezone',
  'app_version',
  'app_version_key',
  'customer_id',
  'updated_at',
];

export interface LakeInfo {
  dir: string;
  devices: number;
  events: number;
  parquetFiles: number;
  bytes: number;
  generatedIn: number | null;
}

export interface SegmentResult {
  name: string;
  conditions: number;
  runs: number;
  /** The estimate as the service runs it: over device-day rollups for the rolled days. */
  medianMs: number;
  minMs: number;
  floorMs: number;
  ratio: number;
  matched: number;
  total: number;
  /** The same estimate over raw events only (no rollups), same runs. */
  rawMedianMs?: number;
  /** Compressed bytes of the column chunks each path's query reads (Parquet metadata), and the raw events' for the same segment. */
  bytesRollup?: number;
  bytesRaw?: number;
  /** Each condition alone (over rollups, median of 3): where an estimate's time goes. */
  parts?: { label: string; medianMs: number }[];
}

/** Building the rollups of the benchmark lake. */
export interface RollupBuild {
  days: number;
  seconds: number | null;
  events: number;
  bytes: number;
}

/** The lake for a size; generated with a progress bar when missing (marker file written last). */
export async function ensureLake(root: string, devices: number): Promise<{ dir: string; generatedIn: number | null }> {
  const dir = path.join(root, devices >= 1_000_000 ? `${devices / 1_000_000}m` : `${devices / 1000}k`);
  const marker = path.join(dir, 'BENCH-LAKE.json');
  const lakeDone = existsSync(path.join(dir, 'lake', 'events', `tenant_id=${BENCH_TENANT}`));
  if (
    existsSync(marker) ||
    (lakeDone && existsSync(path.join(dir, 'lake', 'devices')) && devices >= 1_000_000 && (await adoptExisting(dir, marker)))
  )
    return { dir, generatedIn: null };
  await fs.rm(dir, { recursive: true, force: true });
  console.error(`generating the benchmark lake: ${devices.toLocaleString('en-US')} devices, 90 days → ${dir}`);
  const started = Date.now();
  const opened = await openLocalDeps(dir);
  try {
    await seedTenant(opened, { tenantId: BENCH_TENANT, devices, days: 90, seed: 42, now: new Date(), lakeOnly: true });
  } finally {
    await opened.close();
  }
  await fs.writeFile(
    marker,
    JSON.stringify({
      devices,
      generatedAt: new Date().toISOString(),
      command: `npm run seed -- --devices ${devices} --days 90 --data-dir ${dir} --lake-only`,
    }),
  );
  return { dir, generatedIn: (Date.now() - started) / 1000 };
}

/** A lake made earlier by `npm run seed` (no marker): adopt it when it holds data. */
async function adoptExisting(dir: string, marker: string): Promise<boolean> {
  await fs.writeFile(marker, JSON.stringify({ adopted: true, at: new Date().toISOString() }));
  return true;
}

async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    total += e.isDirectory() ? await dirBytes(p) : (await fs.stat(p)).size;
  }
  return total;
}

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

export async function benchSegments(o: {
  root: string;
  devices: number;
  runs: number;
}): Promise<{ lake: LakeInfo; results: SegmentResult[]; rollups: RollupBuild }> {
  const { dir, generatedIn } = await ensureLake(o.root, o.devices);
  const lake = new LocalLake(path.join(dir, 'lake'));
  const engine = await DuckDbQueryEngine.open(lake);
  try {
    // The rollups of every closed day, as the maintenance run makes them (reused when the lake did not change).
    const rollups = new LocalRollups(lake, engine);
    const today = new Date().toISOString().slice(0, 10);
    const builtAt = Date.now();
    const { rolled: rolledDays } = await rollups.rollUp(BENCH_TENANT, today);
    const buildSeconds = rolledDays.length > 0 ? (Date.now() - builtAt) / 1000 : null;
    const coverage = await rollups.coverage(BENCH_TENANT);
    // The latest registrations as of yesterday (made by the same run); the raw path ranks every snapshot.
    const latest = await rollups.latest(BENCH_TENANT);
    const derived = coverage ? { rollups: coverage, ...(latest ? { latest } : {}) } : {};
    const files = { events: await lake.files('events'), devices: await lake.files('devices') };
    const [counts] = await engine.run({
      sql: 'SELECT (SELECT count(*) FROM events) AS events, (SELECT count(DISTINCT device_id) FROM devices) AS devices',
      params: [],
    });
    const info: LakeInfo = {
      dir,
      devices: Number(counts.devices),
      events: Number(counts.events),
      parquetFiles: files.events.parquet.length + files.devices.parquet.length,
      bytes: await dirBytes(path.join(dir, 'lake')),
      generatedIn,
    };
    const parquet = (t: 'events' | 'devices') =>
      `read_parquet([${files[t].parquet.map(lit).join(', ')}], hive_partitioning = true, hive_types = {'tenant_id': VARCHAR, 'dt': VARCHAR})`;
    const results: SegmentResult[] = [];
    const defs: [string, string, SegmentDefinition, number][] = [
      ['VIP (3 conditions)', 'vip', VIP, 3],
      ['nested (6 conditions, 2 groups)', 'nested', NESTED, 6],
    ];
    for (const [name, key, def, conditions] of defs) {
      const floorSpec = FLOORS[key];
      // The floor: read every value of the same columns of the same rows (same tenant and type pruning), aggregate trivially.
      const evAggs = floorSpec.eventColumns.map((c) => `count(${c})`).join(' + ');
      const devAggs = DEVICE_COLUMNS.map((c) => `count(${c})`).join(' + ');
      const floorSql = `SELECT (SELECT ${evAggs} FROM ${parquet('events')} WHERE tenant_id = ? AND type IN (${floorSpec.types.map(lit).join(', ')})) AS e, (SELECT ${devAggs} FROM ${parquet('devices')} WHERE tenant_id = ?) AS d`;
      // One instant for both paths in a round: "within N days" moves with now, and a second holds a few events of this lake.
      let now = new Date();
      const ctxAt = (rolled: boolean) => ({
        tenantId: BENCH_TENANT,
        now,
        segments: new Map(),
        ...(rolled ? derived : {}),
      });
      const estimate = () => engine.run(compileEstimate(def, ctxAt(true), dialectFor('duckdb')));
      const rawEstimate = () => engine.run(compileEstimate(def, ctxAt(false), dialectFor('duckdb')));
      const floor = () => engine.run({ sql: floorSql, params: [BENCH_TENANT, BENCH_TENANT] });
      const bar = progress(`estimate ${key}`, o.runs * 3 + 3, 'queries');
      await estimate(); // warm-up: views, file metadata, page cache
      bar.increment();
      await rawEstimate();
      bar.increment();
      await floor();
      bar.increment();
      const est: number[] = [];
      const raws: number[] = [];
      const flo: number[] = [];
      let last: { total: number; matched: number } = { total: 0, matched: 0 };
      for (let i = 0; i < o.runs; i++) {
        // Interleaved, so a burst of load on the machine hits both alike.
        now = new Date();
        const e = await timed(estimate);
        est.push(e.ms);
        last = { total: Number(e.value[0].total), matched: Number(e.value[0].matched) };
        bar.increment(1, `est ${Math.round(e.ms)} ms`);
        const f = await timed(floor);
        flo.push(f.ms);
        bar.increment(1, `floor ${Math.round(f.ms)} ms`);
        const r = await timed(rawEstimate);
        raws.push(r.ms);
        if (Number(r.value[0].matched) !== last.matched) throw new Error(`${key}: the raw and rolled estimates differ`);
        bar.increment(1, `raw ${Math.round(r.ms)} ms`);
      }
      bar.stop();
      const m = median(est);
      const fm = median(flo);
      results.push({
        name,
        conditions,
        runs: o.runs,
        medianMs: m,
        minMs: Math.min(...est),
        floorMs: fm,
        ratio: m / fm,
        matched: last.matched,
        total: last.total,
        rawMedianMs: median(raws),
        parts: await conditionTimes(engine, def, derived),
        ...(await bytesOf(engine, lake, coverage, compileTree(def, ctxAt(true), dialectFor('duckdb')))),
      });
    }
    const rollupFiles = (await lake.files(ROLLUP_TABLE)).parquet;
    const rollupBuild: RollupBuild = {
      days: rollupFiles.length,
      seconds: buildSeconds,
      events: info.events,
      bytes: (await Promise.all(rollupFiles.map((f) => fs.stat(f)))).reduce((n, st) => n + st.size, 0),
    };
    return { lake: info, results, rollups: rollupBuild };
  } finally {
    engine.close();
  }
}

/**
 * Bytes each path reads, as Athena would bill them: the compressed column chunks of the row groups it
 * cannot skip (a row group whose `type` statistics hold none of the types read is skipped, by DuckDB
 * and Athena alike). Two reads, as the query makes them: the device facts' event types over their
 * window's days, and every purchase (owners' orders). The raw path reads them from the event files;
 * the rollup path from the rollup files of the rolled days and from the event files of the others
 * (today, each window's boundary day, out-of-date days).
 */
async function bytesOf(
  engine: DuckDbQueryEngine,
  lake: LocalLake,
  coverage: RollupCoverage | undefined,
  tree: ReturnType<typeof compileTree>,
): Promise<{ bytesRaw: number; bytesRollup: number }> {
  const { facts } = tree;
  const boundaries = new Set([...facts.windows].map((d) => new Date(Date.now() - d * 86_400_000).toISOString().slice(0, 10)));
  const dayOf = (f: string) => /dt=(\d{4}-\d{2}-\d{2})/.exec(f)?.[1] ?? '';
  const mine = (f: string) => f.includes(`tenant_id=${BENCH_TENANT}`);
  const events = (await lake.files('events')).parquet.filter(mine);
  const rollupFiles = (await lake.files(ROLLUP_TABLE)).parquet.filter(mine);
  const rolled = (d: string) =>
    coverage !== undefined && d >= coverage.from && d <= coverage.through && !coverage.stale.includes(d) && !boundaries.has(d);
  const sizeOf = async (files: string[], cols: string[], types: string[]) => {
    if (files.length === 0 || types.length === 0) return 0;
    const [row] = await engine.run({
      sql: `WITH m AS (SELECT * FROM parquet_metadata([${files.map(lit).join(', ')}])), keep AS (SELECT file_name, row_group_id FROM m WHERE path_in_schema = 'type' AND EXISTS (SELECT 1 FROM (VALUES ${types.map((t) => `(${lit(t)})`).join(', ')}) v(t) WHERE v.t BETWEEN m.stats_min_value AND m.stats_max_value)) SELECT coalesce(sum(total_compressed_size), 0) AS n FROM m JOIN keep USING (file_name, row_group_id) WHERE path_in_schema IN (${cols.map(lit).join(', ')})`,
      params: [],
    });
    return Number(row.n);
  };
  const start = facts.windowStart()?.toISOString().slice(0, 10) ?? '0000-00-00';
  const reads = [
    {
      types: [...facts.eventTypes],
      from: start,
      raw: ['device_id', 'event_id', 'type', 'ts', 'name', 'product_id'],
      rolled: ['device_id', 'type', 'events', 'last_ts', 'name', 'product_id'],
    },
    ...(facts.ownerColumns().length > 0
      ? [
          {
            types: ['purchase'],
            from: '0000-00-00',
            raw: ['device_id', 'event_id', 'type', 'ts', 'order_id', 'amount'],
            rolled: ['device_id', 'type', 'first_ts', 'order_id', 'amount'],
          },
        ]
      : []),
  ];
  let bytesRaw = 0;
  let bytesRollup = 0;
  for (const r of reads) {
    const inWindow = (f: string) => dayOf(f) >= r.from;
    bytesRaw += await sizeOf(events.filter(inWindow), r.raw, r.types);
    bytesRollup += await sizeOf(
      rollupFiles.filter((f) => inWindow(f) && rolled(dayOf(f))),
      r.rolled,
      r.types,
    );
    bytesRollup += await sizeOf(
      events.filter((f) => inWindow(f) && !rolled(dayOf(f))),
      r.raw,
      r.types,
    );
  }
  return { bytesRaw, bytesRollup };
}

/** Each top-level condition of a segment estimated alone, as the service runs it (median of 3): which fact costs what. */
async function conditionTimes(
  engine: DuckDbQueryEngine,
  def: SegmentDefinition,
  derived: Pick<CompileContext, 'rollups' | 'latest'>,
): Promise<{ label: string; medianMs: number }[]> {
  const out: { label: string; medianMs: number }[] = [];
  for (const c of def.criteria) {
    if (!('filter' in c)) continue;
    const q = compileEstimate(
      { match: 'all', criteria: [c] },
      { tenantId: BENCH_TENANT, now: new Date(), segments: new Map(), ...derived },
      dialectFor('duckdb'),
    );
    await engine.run(q);
    const ms: number[] = [];
    for (let i = 0; i < 3; i++) ms.push((await timed(() => engine.run(q))).ms);
    out.push({ label: `${c.filter} ${c.operator} ${JSON.stringify(c.value)}`, medianMs: median(ms) });
  }
  return out;
}
