/**
 * Deletion and erasure use cases with in-memory ports: validation of the request, DELETE of a device
 * (opted-out snapshot first, then the endpoint and the record, then an erasure), and the worker's run
 * (every partition holding the devices rewritten without them, records, endpoints and cap history
 * gone, counts recorded; a busy lake or a finished erasure runs nothing).
 */
import type { Device } from '../../../../lambdas/domain/devices/device';
import { deviceRecord } from '../../../support/devices';
import { NotFoundError, ValidationError } from '../../../../lambdas/domain/errors';
import { subjectKey, type Erasure } from '../../../../lambdas/domain/lake/erasure';
import type { DeviceRow, LakeTable } from '../../../../lambdas/domain/lake-schema';
import { raw, toQuery } from '../../../../lambdas/domain/segments/sql-fragment';
import { fixedClock } from '../../../../lambdas/ports/clock';
import type { FrequencyCapStore } from '../../../../lambdas/ports/delivery-ledger';
import type { InsightsCache } from '../../../../lambdas/ports/insights-cache';
import type { DeviceStore } from '../../../../lambdas/ports/device-store';
import type { EndpointRegistry } from '../../../../lambdas/ports/endpoint-registry';
import type { ErasureStore } from '../../../../lambdas/ports/erasure-store';
import type { EventLake } from '../../../../lambdas/ports/event-lake';
import type { LakeMaintenance, LakePartition, RewriteRequest } from '../../../../lambdas/ports/lake-maintenance';
import type { MaintenanceJob, MaintenanceJobs } from '../../../../lambdas/ports/maintenance-jobs';
import type { QueryEngine, SqlQuery } from '../../../../lambdas/ports/query-engine';
import { deleteDevice, failErasure, getErasure, LakeBusyError, runErasure, startErasure } from '../../../../lambdas/use-cases/lake/erasure';
import { defaultSettings, type Settings } from '../../../../lambdas/domain/settings';
import type { SettingsStore } from '../../../../lambdas/ports/settings-store';

const NOW = '2026-06-01T12:00:00.000Z';

class MemErasures implements ErasureStore {
  readonly items = new Map<string, Erasure>();
  private readonly claims = new Map<string, string>();
  async start(e: Erasure) {
    const claim = `${e.tenantId}/${subjectKey(e.subject)}`;
    const holder = this.claims.get(claim);
    if (holder) return { erasure: this.items.get(`${e.tenantId}/${holder}`)!, created: false };
    this.claims.set(claim, e.id);
    this.items.set(`${e.tenantId}/${e.id}`, e);
    return { erasure: e, created: true };
  }
  async get(tenantId: string, id: string) {
    return this.items.get(`${tenantId}/${id}`);
  }
  async finish(tenantId: string, id: string, outcome: Partial<Erasure>) {
    const e = this.items.get(`${tenantId}/${id}`);
    if (!e || e.status !== 'running') return;
    this.items.set(`${tenantId}/${id}`, { ...e, ...outcome });
    this.claims.delete(`${tenantId}/${subjectKey(e.subject)}`);
  }
  async recordCounts(tenantId: string, id: string, counts: { devices: number; events: number }) {
    const e = this.items.get(`${tenantId}/${id}`);
    if (e && e.status === 'running') this.items.set(`${tenantId}/${id}`, { ...e, ...counts });
  }
  async running() {
    return [...this.items.values()].filter((e) => e.status === 'running');
  }
}

class MemDevices implements DeviceStore {
  readonly items = new Map<string, Device>();
  constructor(private readonly log: string[]) {}
  async get(t: string, d: string) {
    return this.items.get(`${t}/${d}`);
  }
  async getMany(t: string, ids: string[]) {
    return new Map(ids.flatMap((d) => (this.items.has(`${t}/${d}`) ? [[d, this.items.get(`${t}/${d}`)!] as const] : [])));
  }
  async put(next: Device) {
    this.items.set(`${next.tenantId}/${next.deviceId}`, next);
    return true;
  }
  async putMany(devices: Device[]) {
    for (const d of devices) await this.put(d);
  }
  async markTokenInvalid() {}
  async setEndpoint() {}
  async delete(t: string, d: string) {
    this.log.push(`delete ${t}/${d}`);
    this.items.delete(`${t}/${d}`);
  }
}

/** Answers the use case's lake queries from a table of which days hold which device's rows. */
class FakeEngine implements QueryEngine {
  readonly dialect = 'duckdb' as const;
  readonly queries: SqlQuery[] = [];
  constructor(
    readonly days: Record<LakeTable, Record<string, string[]>>,
    readonly customers: Record<string, string[]> = {},
    readonly eventsPerDevice = 3,
  ) {}
  async run(q: SqlQuery) {
    this.queries.push(q);
    const ids = q.params.slice(1).map(String);
    if (/FROM devices WHERE tenant_id = \? AND customer_id = \?/.test(q.sql))
      return (this.customers[String(q.params[1])] ?? []).map((device_id) => ({ device_id }));
    if (/count\(DISTINCT event_id\)/.test(q.sql)) return [{ n: ids.filter((d) => this.days.events[d]).length * this.eventsPerDevice }];
    const table = /SELECT DISTINCT dt FROM (\w+)/.exec(q.sql)?.[1] as LakeTable | undefined;
    if (table) return [...new Set(ids.flatMap((d) => this.days[table][d] ?? []))].sort().map((dt) => ({ dt }));
    throw new Error(`unexpected query ${q.sql}`);
  }
  start = unused;
  poll = unused;
  startResult = unused;
  readPage = unused;
}
async function unused(): Promise<never> {
  throw new Error('not used by erasures');
}

class FakeMaintenance implements LakeMaintenance {
  busy = false;
  readonly rewrites: RewriteRequest[] = [];
  /** Partitions (table/dt) that report "changed since listed" once. */
  readonly changeOnce = new Set<string>();
  async tenants() {
    return [];
  }
  async partitions(table: LakeTable, tenantId: string, days?: readonly string[]): Promise<LakePartition[]> {
    return (days ?? []).map((dt) => ({ table, tenantId, dt, files: [{ key: `${table}/${dt}/a.parquet`, bytes: 10, compacted: true }] }));
  }
  async rewrite(r: RewriteRequest) {
    const key = `${r.partition.table}/${r.partition.dt}`;
    if (this.changeOnce.delete(key)) return { done: false, written: 0 };
    this.rewrites.push(r);
    return { done: true, written: 1 };
  }
  async remove() {}
  async sweep() {
    return 0;
  }
  purged = 0;
  async purgeReplaced() {
    this.purged++;
    return 0;
  }
  async exclusive<T>(_t: string, _now: Date, fn: () => Promise<T>) {
    if (this.busy) return { ran: false as const };
    return { ran: true as const, value: await fn() };
  }
  async failedDeliveries() {
    return 0;
  }
}

function world(opts: { engine?: FakeEngine; settleMs?: number } = {}) {
  const log: string[] = [];
  const erasures = new MemErasures();
  const jobs: MaintenanceJob[] = [];
  const maintenanceJobs: MaintenanceJobs = { enqueue: async (j) => void jobs.push(...j) };
  const devices = new MemDevices(log);
  const snapshots: DeviceRow[] = [];
  const lake: EventLake = {
    appendEvents: unused,
    appendDeliveries: unused,
    appendDevices: async (t, rows) => {
      log.push(`snapshot ${t}/${rows.map((r) => r.device_id).join(',')}`);
      snapshots.push(...rows);
    },
  };
  const endpoints: EndpointRegistry = { ensureEndpoint: unused, deleteEndpoint: async (d) => void log.push(`endpoint ${d.endpointArn}`) };
  const forgotten: string[][] = [];
  const caps: FrequencyCapStore = { reserveMany: unused, underCap: unused, forget: async (_t, ids) => void forgotten.push([...ids]) };
  const automationsForgotten: { devices: string[]; customers: string[] }[] = [];
  const automations = {
    forget: async (_t: string, d: readonly string[], c: readonly string[]) =>
      void automationsForgotten.push({ devices: [...d], customers: [...c] }),
  };
  const maintenance = new FakeMaintenance();
  const insightsForgotten: string[] = [];
  const insightsCache: InsightsCache = {
    get: unused,
    getMany: unused,
    put: unused,
    forgetTenant: async (t) => void insightsForgotten.push(t),
    noteEvents: unused,
    eventsNotedBy: unused,
  };
  const settingsByTenant = new Map<string, Settings>([['t1', { ...defaultSettings(), testDevices: ['d-1', 'd-other'] }]]);
  const settings: SettingsStore = {
    get: async (t) => settingsByTenant.get(t) ?? defaultSettings(),
    put: async (t, value) => void settingsByTenant.set(t, value),
    removeTestDevices: async (t, ids) => {
      const current = settingsByTenant.get(t);
      if (current) settingsByTenant.set(t, { ...current, testDevices: current.testDevices.filter((d) => !ids.includes(d)) });
    },
  };
  const slept: number[] = [];
  const engine = opts.engine ?? new FakeEngine({ events: {}, devices: {}, deliveries: {} });
  const deps = {
    erasures,
    maintenanceJobs,
    devices,
    lake,
    endpoints,
    caps,
    automations,
    maintenance,
    queryEngine: engine,
    insightsCache,
    settings,
    clock: fixedClock(NOW),
    settleMs: opts.settleMs ?? 0,
    sleep: async (ms: number) => void slept.push(ms),
  };
  return {
    deps,
    log,
    erasures,
    jobs,
    devices,
    snapshots,
    forgotten,
    automationsForgotten,
    insightsForgotten,
    maintenance,
    slept,
    engine,
    settingsByTenant,
  };
}

const device = (deviceId: string, extra: Partial<Device> = {}) =>
  deviceRecord(deviceId, { country: 'US', endpointArn: `arn:endpoint/${deviceId}`, createdAt: NOW, updatedAt: NOW, ...extra });

async function validationOf(p: Promise<unknown>): Promise<ValidationError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof ValidationError)) throw new Error(`expected a ValidationError, got ${String(err)}`);
  return err;
}

describe('startErasure / getErasure', () => {
  test('a customer or a device → a running erasure, handed to the worker; the same subject again → the same erasure', async () => {
    const w = world();
    const view = await startErasure(w.deps, 't1', { customerId: 'cust-1' });
    expect(view).toEqual({ id: expect.stringMatching(/^era_/), status: 'running', customerId: 'cust-1', createdAt: NOW });
    expect(await startErasure(w.deps, 't1', { customerId: 'cust-1' })).toEqual(view);
    const byDevice = await startErasure(w.deps, 't1', { deviceId: 'd-1' });
    expect(byDevice).toMatchObject({ status: 'running', deviceId: 'd-1' });
    expect(byDevice.id).not.toBe(view.id);
    // Re-enqueued on a repeat: a job lost before it ran is handed over again.
    expect(w.jobs).toEqual([
      { kind: 'erase', tenantId: 't1', erasureId: view.id },
      { kind: 'erase', tenantId: 't1', erasureId: view.id },
      { kind: 'erase', tenantId: 't1', erasureId: byDevice.id },
    ]);
    expect(await getErasure(w.deps, 't1', String(view.id))).toEqual(view);
  });

  test.each([
    ['both fields', { customerId: 'c', deviceId: 'd-1' }, 'deviceId'],
    ['neither field', {}, 'customerId'],
    ['a bad device id', { deviceId: 'a/b' }, 'deviceId'],
    ['an over-long device id', { deviceId: 'x'.repeat(129) }, 'deviceId'],
    ['an empty customer id', { customerId: '' }, 'customerId'],
    ['a customer id that is no string', { customerId: 5 }, 'customerId'],
    ['an extra field', { customerId: 'c', tenantId: 't2' }, 'tenantId'],
    ['no object', null, ''],
  ])('%s → ValidationError with its path, nothing started', async (_name, body, detailPath) => {
    const w = world();
    const err = await validationOf(startErasure(w.deps, 't1', body));
    expect(err.details?.map((d) => d.path)).toContain(detailPath);
    expect(w.erasures.items.size).toBe(0);
    expect(w.jobs).toEqual([]);
  });

  test("an unknown id, or another tenant's, is a NotFoundError", async () => {
    const w = world();
    const view = await startErasure(w.deps, 't1', { deviceId: 'd-1' });
    await expect(getErasure(w.deps, 't1', 'era_unknown')).rejects.toBeInstanceOf(NotFoundError);
    await expect(getErasure(w.deps, 't2', String(view.id))).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('deleteDevice', () => {
  test('appends an opted-out snapshot, then deletes the endpoint and the record, then starts an erasure of the device', async () => {
    const w = world();
    // A device whose last registration is stamped after our clock: the snapshot must still be the latest.
    await w.devices.put(device('d-1', { updatedAt: '2026-06-01T12:00:05.000Z', customerId: 'cust-1' }));
    await deleteDevice(w.deps, 't1', 'd-1');
    expect(w.snapshots).toEqual([
      expect.objectContaining({ device_id: 'd-1', opted_in: false, customer_id: 'cust-1', updated_at: '2026-06-01T12:00:05.001Z' }),
    ]);
    expect(w.log).toEqual(['snapshot t1/d-1', 'endpoint arn:endpoint/d-1', 'delete t1/d-1']);
    expect(await w.devices.get('t1', 'd-1')).toBeUndefined();
    const [e] = w.erasures.items.values();
    expect(e).toMatchObject({ tenantId: 't1', subject: { deviceId: 'd-1' }, status: 'running' });
    expect(w.jobs).toEqual([{ kind: 'erase', tenantId: 't1', erasureId: e.id }]);
  });

  test('an unknown (or already deleted) device: a no-op that starts no work (the app key is public)', async () => {
    const w = world();
    await deleteDevice(w.deps, 't1', 'd-gone');
    expect(w.log).toEqual([]);
    expect(w.erasures.items.size).toBe(0);
    expect(w.jobs).toEqual([]);
  });

  test('a bad device id → ValidationError on deviceId, nothing touched', async () => {
    const w = world();
    const err = await validationOf(deleteDevice(w.deps, 't1', '../d-1'));
    expect(err.details).toEqual([expect.objectContaining({ path: 'deviceId' })]);
    expect(w.log).toEqual([]);
    expect(w.jobs).toEqual([]);
  });
});

describe('runErasure', () => {
  const lakeDays = () => ({
    events: { 'd-1': ['2026-05-30', '2026-05-31'], 'd-2': ['2026-05-31'], 'd-other': ['2026-05-31'] },
    devices: { 'd-1': ['2026-05-01'], 'd-2': ['2026-05-02'] },
    deliveries: { 'd-2': ['2026-05-20'] },
  });

  test("a customer's devices: every partition holding them rewritten without them, records, endpoints and caps gone, counts recorded", async () => {
    const w = world({ engine: new FakeEngine(lakeDays(), { 'cust-1': ['d-1', 'd-2'] }) });
    await w.devices.put(device('d-1'));
    await w.devices.put(device('d-other'));
    const view = await startErasure(w.deps, 't1', { customerId: 'cust-1' });
    const out = await runErasure(w.deps, 't1', String(view.id));

    expect(w.maintenance.rewrites.map((r) => `${r.partition.table}/${r.partition.dt}`).sort()).toEqual(
      ['deliveries/2026-05-20', 'devices/2026-05-01', 'devices/2026-05-02', 'events/2026-05-30', 'events/2026-05-31'].sort(),
    );
    // Objects a compaction replaced (still holding the devices' rows) went first, once.
    expect(w.maintenance.purged).toBe(1);
    for (const r of w.maintenance.rewrites) {
      expect(r.removal).toBe('now');
      const keep = toQuery(r.keep(raw('src')));
      expect(keep.sql).toMatch(/device_id NOT IN \(\?, \?\)/);
      expect(keep.params).toEqual(expect.arrayContaining(['d-1', 'd-2']));
    }
    expect(w.log).toEqual(['endpoint arn:endpoint/d-1', 'delete t1/d-1']);
    expect(await w.devices.get('t1', 'd-other')).toBeDefined();
    expect(w.forgotten).toEqual([['d-1', 'd-2']]);
    // Automations' marks of the devices and of the shopper (exit marks are kept per customer too).
    expect(w.automationsForgotten).toEqual([{ devices: ['d-1', 'd-2'], customers: ['cust-1'] }]);
    expect(w.insightsForgotten).toEqual(['t1']);
    // An erased device leaves the test devices; the others stay.
    expect(w.settingsByTenant.get('t1')!.testDevices).toEqual(['d-other']);
    expect(out).toMatchObject({ status: 'succeeded', devices: 2, events: 6, completedAt: NOW });
    expect(await getErasure(w.deps, 't1', String(view.id))).toEqual({
      ...view,
      status: 'succeeded',
      devices: 2,
      events: 6,
      completedAt: NOW,
    });
  });

  test('a partition that changed since it was listed is listed and rewritten again', async () => {
    const w = world({ engine: new FakeEngine(lakeDays()) });
    w.maintenance.changeOnce.add('events/2026-05-31');
    const view = await startErasure(w.deps, 't1', { deviceId: 'd-1' });
    await runErasure(w.deps, 't1', String(view.id));
    expect(w.maintenance.rewrites.filter((r) => r.partition.table === 'events').map((r) => r.partition.dt)).toEqual([
      '2026-05-30',
      '2026-05-31',
    ]);
  });

  test('with settleMs a second pass runs after the wait; devices are counted once', async () => {
    const w = world({ engine: new FakeEngine(lakeDays()), settleMs: 180_000 });
    const view = await startErasure(w.deps, 't1', { deviceId: 'd-1' });
    const out = await runErasure(w.deps, 't1', String(view.id));
    expect(w.slept).toEqual([180_000]);
    expect(w.forgotten).toEqual([['d-1'], ['d-1']]);
    expect(out).toMatchObject({ status: 'succeeded', devices: 1 });
  });

  test('a busy lake (a compaction holds it) → LakeBusyError, nothing rewritten, still running', async () => {
    const w = world({ engine: new FakeEngine(lakeDays()) });
    w.maintenance.busy = true;
    const view = await startErasure(w.deps, 't1', { deviceId: 'd-1' });
    await expect(runErasure(w.deps, 't1', String(view.id))).rejects.toBeInstanceOf(LakeBusyError);
    expect(w.maintenance.rewrites).toEqual([]);
    expect(w.engine.queries).toEqual([]);
    expect(w.insightsForgotten).toEqual([]);
    expect((await getErasure(w.deps, 't1', String(view.id))).status).toBe('running');
  });

  test('a finished erasure is not run again; an unknown one is nothing', async () => {
    const w = world({ engine: new FakeEngine(lakeDays()) });
    const view = await startErasure(w.deps, 't1', { deviceId: 'd-1' });
    await runErasure(w.deps, 't1', String(view.id));
    const rewrites = w.maintenance.rewrites.length;
    const queries = w.engine.queries.length;
    expect(await runErasure(w.deps, 't1', String(view.id))).toMatchObject({ status: 'succeeded' });
    expect(await runErasure(w.deps, 't1', 'era_unknown')).toBeUndefined();
    expect(w.maintenance.rewrites).toHaveLength(rewrites);
    expect(w.engine.queries).toHaveLength(queries);
  });

  test('failErasure marks a running erasure failed (reason cut to 500 characters) and leaves a finished one alone', async () => {
    const w = world({ engine: new FakeEngine(lakeDays()) });
    const view = await startErasure(w.deps, 't1', { deviceId: 'd-1' });
    await failErasure(w.deps, 't1', String(view.id), 'x'.repeat(800));
    const failed = await getErasure(w.deps, 't1', String(view.id));
    expect(failed).toMatchObject({ status: 'failed', completedAt: NOW });
    expect(String(failed.error)).toHaveLength(500);
    await failErasure(w.deps, 't1', String(view.id), 'again');
    expect((await getErasure(w.deps, 't1', String(view.id))).error).toBe(failed.error);
    // Failed: the merchant may start it again, as a new erasure.
    expect((await startErasure(w.deps, 't1', { deviceId: 'd-1' })).id).not.toBe(view.id);
  });
});
