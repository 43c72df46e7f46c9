/**
 * The lake maintenance plan, run on DuckDB: which rows a rewrite keeps (the readers' identities,
 * never fewer), which files compaction picks, and the maintenance job's handling of a busy lake
 * and of retention by day.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import {
  COMPACTED_TARGET_BYTES,
  keepRows,
  MAX_FILES_PER_REWRITE,
  rewriteGroups,
  type KeepRule,
} from '../../../../lambdas/domain/lake/maintenance';
import { trusted } from '../../../../lambdas/domain/segments/sql-fragment';
import {
  BUSY_RETRY_SECONDS,
  ROLLUP_BUILDS_PER_JOB,
  runMaintenanceJob,
  type MaintenanceDeps,
} from '../../../../lambdas/handlers/maintenance';
import type { LakeMaintenance, LakePartition } from '../../../../lambdas/ports/lake-maintenance';
import type { MaintenanceJob } from '../../../../lambdas/ports/maintenance-jobs';
import { noMetrics } from '../../../../lambdas/ports/metrics';
import { compactTenant } from '../../../../lambdas/use-cases/lake/compact-lake';

let db: DuckDBInstance;
let conn: DuckDBConnection;

beforeAll(async () => {
  db = await DuckDBInstance.create(':memory:');
  conn = await db.connect();
});
afterAll(() => conn.closeSync());

/** Load rows as table `src_rows` (and as the lake's `devices` view for the superseded check), run keepRows, return the kept rows. */
async function kept(rule: KeepRule, columns: string, rows: string): Promise<Record<string, unknown>[]> {
  await conn.run(`CREATE OR REPLACE TABLE src_rows AS SELECT * FROM (VALUES ${rows}) t(${columns})`);
  if (rule.table === 'devices') await conn.run(`CREATE OR REPLACE VIEW devices AS SELECT *, '${rule.tenantId}' AS tenant_id FROM src_rows`);
  const q = keepRows(trusted('(SELECT * FROM src_rows)'), rule);
  const reader = await conn.runAndReadAll(q.sql, [...q.params] as any[]);
  return reader
    .getRowObjectsJS()
    .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v])));
}

const EVENT_COLS = 'event_id, device_id, type, ts, product_id, order_id, amount, currency, campaign_id, name, properties, received_at';
const ev = (id: string, device: string, received: string) =>
  `('${id}', '${device}', 'purchase', TIMESTAMP '2026-11-01 10:00:00', NULL, 'o-${id}-${device}', 10.0, 'EUR', NULL, NULL, NULL, TIMESTAMP '${received}')`;

test('events: one row per (device, event id); the same SDK id on two devices is two events', async () => {
  const rows = await kept(
    { table: 'events', tenantId: 't' },
    EVENT_COLS,
    [ev('e-1', 'A', '2026-11-01 10:00:01'), ev('e-1', 'A', '2026-11-01 10:00:05'), ev('e-1', 'B', '2026-11-01 10:00:02')].join(', '),
  );
  expect(rows.map((r) => `${r.device_id}/${r.event_id}`)).toEqual(['A/e-1', 'B/e-1']);
  expect(rows[0].received_at).toBe('2026-11-01T10:00:01.000Z'); // the first copy received
});

const DEL_COLS = 'campaign_id, device_id, wave_id, batch_id, outcome, reason, platform, ts, variant';
const del = (batch: string, outcome: string, at: string) =>
  `('c1', 'd1', 'w', '${batch}', '${outcome}', NULL, 'ios', TIMESTAMP '2026-11-01 ${at}', 'B')`;

test("deliveries: every distinct outcome of a device is kept (readers take the latest); a retried chunk's copy goes", async () => {
  const rows = await kept(
    { table: 'deliveries', tenantId: 't' },
    DEL_COLS,
    [del('b1', 'sent', '10:00:00'), del('b2', 'suppressed', '12:00:00'), del('b3', 'sent', '14:00:00'), del('b3', 'sent', '14:00:03')].join(
      ', ',
    ),
  );
  expect(rows.map((r) => `${r.batch_id}:${r.outcome}:${r.variant}`)).toEqual(['b1:sent:B', 'b2:suppressed:B', 'b3:sent:B']);
});

const DEV_COLS = 'device_id, platform, opted_in, country, timezone, locale, app_version, app_version_key, customer_id, updated_at';
const dev = (id: string, customer: string | null, at: string, optedIn = true) =>
  `('${id}', 'ios', ${optedIn}, 'FR', NULL, NULL, NULL, NULL, ${customer ? `'${customer}'` : 'NULL'}, TIMESTAMP '${at}')`;

test('devices: superseded snapshots go, but the latest of each (device, shopper) stays, so a logout never hides a shopper from erasure', async () => {
  const rows = await kept(
    { table: 'devices', tenantId: 't', dropSuperseded: true },
    DEV_COLS,
    [
      dev('d9', 'cust-9', '2026-11-01 10:00:00'),
      dev('d9', 'cust-9', '2026-11-02 10:00:00'),
      dev('d9', null, '2026-11-05 10:00:00'), // logged out
      dev('d1', null, '2026-11-01 10:00:00'),
      dev('d1', null, '2026-11-03 10:00:00', false),
    ].join(', '),
  );
  expect(rows.map((r) => `${r.device_id}/${r.customer_id}/${String(r.updated_at).slice(0, 10)}`)).toEqual([
    'd1/null/2026-11-03',
    'd9/cust-9/2026-11-02',
    'd9/null/2026-11-05',
  ]);
});

test('erasure: no row of the erased devices, whatever the table', async () => {
  const rows = await kept(
    { table: 'events', tenantId: 't', eraseDevices: ['A', "x' OR '1'='1"] },
    EVENT_COLS,
    [ev('e-1', 'A', '2026-11-01 10:00:01'), ev('e-2', 'B', '2026-11-01 10:00:02')].join(', '),
  );
  expect(rows.map((r) => r.device_id)).toEqual(['B']);
});

const file = (key: string, bytes: number, compacted: boolean) => ({ key, bytes, compacted });
const part = (files: ReturnType<typeof file>[]): LakePartition => ({ table: 'events', tenantId: 't', dt: '2026-11-01', files });

test('compaction merges small files, at most 100 at a time, and never re-copies a big compacted file', () => {
  expect(rewriteGroups(part([file('big', COMPACTED_TARGET_BYTES, true)]))).toEqual([]);
  expect(rewriteGroups(part([file('one', 10, true)]))).toEqual([]); // already one compacted file
  expect(rewriteGroups(part([file('append', 10, false)]))).toEqual([[file('append', 10, false)]]);
  expect(rewriteGroups(part([file('big', COMPACTED_TARGET_BYTES, true), file('a', 10, false), file('b', 10, true)]))).toEqual([
    [file('a', 10, false), file('b', 10, true)],
  ]);
  const many = Array.from({ length: 250 }, (_, i) => file(`f${i}`, 10, false));
  expect(rewriteGroups(part(many)).map((g) => g.length)).toEqual([MAX_FILES_PER_REWRITE, MAX_FILES_PER_REWRITE, 50]);
  expect(rewriteGroups(part([file('big', COMPACTED_TARGET_BYTES, true)]), true)).toEqual([[file('big', COMPACTED_TARGET_BYTES, true)]]); // erasure: every file
});

/** A maintenance port that records what it was asked to do. */
function fakeMaintenance(partitions: LakePartition[], busy = false) {
  const calls: string[] = [];
  const m: LakeMaintenance = {
    tenants: async () => ['t'],
    partitions: async (table) => partitions.filter((p) => p.table === table),
    rewrite: async (r) => {
      calls.push(`rewrite ${r.partition.table} ${r.partition.dt} ${r.files.length}`);
      return { done: true, written: 1 };
    },
    remove: async (p) => void calls.push(`remove ${p.table} ${p.dt}`),
    sweep: async () => 0,
    purgeReplaced: async () => 0,
    exclusive: async (_t, _n, fn) => (busy ? { ran: false } : { ran: true, value: await fn() }),
    failedDeliveries: async () => 0,
  };
  return { m, calls };
}

test('retention by day: old events and deliveries partitions go, devices never; closed days only are compacted', async () => {
  const mk = (table: LakePartition['table'], dt: string) => ({
    table,
    tenantId: 't',
    dt,
    files: [file(`${table}-${dt}-a`, 1, false), file(`${table}-${dt}-b`, 1, false)],
  });
  const { m, calls } = fakeMaintenance([
    mk('events', '2024-01-01'),
    mk('events', '2026-11-01'),
    mk('events', '2026-11-29'),
    mk('devices', '2024-01-01'),
    mk('deliveries', '2024-01-02'),
  ]);
  const report = await compactTenant(
    { maintenance: m, queryEngine: {} as any, clock: { now: () => new Date('2026-11-29T02:15:00Z') } },
    't',
    { before: '2026-11-29', expireBefore: '2024-12-01' },
  );
  expect(calls).toEqual([
    'remove events 2024-01-01',
    'rewrite events 2026-11-01 2',
    'rewrite devices 2024-01-01 2',
    'remove deliveries 2024-01-02',
  ]);
  expect(report).toMatchObject({ ran: true, partitions: 2, expired: 2 });
});

test('an erasure that finds the lake busy comes back later as a new message, without using up an attempt', async () => {
  const { m } = fakeMaintenance([], true);
  const enqueued: { jobs: MaintenanceJob[]; delay?: number }[] = [];
  const running = {
    id: 'era_1',
    tenantId: 't',
    subject: { customerId: 'c' },
    status: 'running' as const,
    createdAt: '2026-11-29T00:00:00Z',
  };
  const deps = {
    maintenance: m,
    maintenanceJobs: {
      enqueue: async (jobs: MaintenanceJob[], o?: { delaySeconds?: number }) => void enqueued.push({ jobs, delay: o?.delaySeconds }),
    },
    erasures: {
      get: async () => running,
      finish: async () => {
        throw new Error('must not finish');
      },
    },
    clock: { now: () => new Date('2026-11-29T03:00:00Z') },
    metrics: noMetrics,
  } as unknown as MaintenanceDeps;
  const job: MaintenanceJob = { kind: 'erase', tenantId: 't', erasureId: 'era_1' };
  await runMaintenanceJob(deps, job, true); // even on the "last" attempt: busy is not a failure
  expect(enqueued).toEqual([{ jobs: [job], delay: BUSY_RETRY_SECONDS }]);
});

test('rollups: a job builds at most its budget, newest days first, and hands the rest to a rollup job; a busy lake sends that job back later', async () => {
  const enqueued: { jobs: MaintenanceJob[]; delay?: number }[] = [];
  const asked: { today: string; maxBuilds?: number; olderThan?: string }[] = [];
  let left = 2 * ROLLUP_BUILDS_PER_JOB + 5;
  const rollups = {
    rollUp: async (_t: string, today: string, o?: { maxBuilds?: number; olderThan?: string }) => {
      asked.push({ today, maxBuilds: o?.maxBuilds, ...(o?.olderThan ? { olderThan: o.olderThan } : {}) });
      const n = Math.min(left, o?.maxBuilds ?? left);
      left -= n;
      return { rolled: Array.from({ length: n }, (_, i) => `d${i}`), remaining: left };
    },
  };
  const depsWith = (busy: boolean) =>
    ({
      maintenance: fakeMaintenance([], busy).m,
      maintenanceJobs: {
        enqueue: async (jobs: MaintenanceJob[], o?: { delaySeconds?: number }) => void enqueued.push({ jobs, delay: o?.delaySeconds }),
      },
      rollups,
      clock: { now: () => new Date('2026-11-29T03:00:00Z') },
      metrics: noMetrics,
    }) as unknown as MaintenanceDeps;
  await runMaintenanceJob(depsWith(false), { kind: 'compact', tenantId: 't', before: '2026-11-29' }, false);
  expect(asked).toEqual([{ today: '2026-11-29', maxBuilds: ROLLUP_BUILDS_PER_JOB }]);
  // The days left: a rollup job for days older than the oldest built, a minute later.
  expect(enqueued).toEqual([{ jobs: [{ kind: 'rollup', tenantId: 't', olderThan: `d${ROLLUP_BUILDS_PER_JOB - 1}` }], delay: 60 }]);
  // The rollup job: another budget (bounded by its day), and another job while days remain.
  await runMaintenanceJob(depsWith(false), enqueued[0].jobs[0], false);
  expect(asked[1]).toEqual({ today: '2026-11-29', maxBuilds: ROLLUP_BUILDS_PER_JOB, olderThan: `d${ROLLUP_BUILDS_PER_JOB - 1}` });
  expect(enqueued).toHaveLength(2);
  await runMaintenanceJob(depsWith(false), enqueued[1].jobs[0], false);
  expect(left).toBe(0);
  expect(enqueued).toHaveLength(2); // nothing left: no further job
  // Another maintenance holds the tenant: the job comes back later, as it was, nothing built.
  await runMaintenanceJob(depsWith(true), enqueued[1].jobs[0], false);
  expect(enqueued[2]).toEqual({ jobs: [enqueued[1].jobs[0]], delay: BUSY_RETRY_SECONDS });
  expect(asked).toHaveLength(3);
});
