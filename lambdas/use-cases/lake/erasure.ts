/**
 * Deletion and erasure, in both worlds.
 *
 * POST /v1/erasures stores a `running` erasure and hands it to the maintenance worker; the worker
 * (runErasure) finds the subject's devices (a shopper's: every device any registration tied to the
 * customer id), rewrites each lake partition holding their rows without them (events, devices,
 * deliveries; the replaced files are gone when it returns), deletes their records, provider
 * endpoints and frequency-cap history, and records the counts. It runs under the tenant's
 * maintenance lock, so a compaction cannot write erased rows back. Rows still on their way into the
 * lake (AWS: Firehose buffers up to ~3 minutes) are caught by a second pass after `settleMs`.
 * Every step is idempotent: a worker that dies halfway is simply run again.
 */
import { newId, RESOURCE_ID_PATTERN } from '../../domain/ids';
import { LAKE_TABLES, type LakeTable } from '../../domain/lake-schema';
import { countEventsOf, daysHoldingDevices, devicesOfCustomer, keepRows, rewriteGroups } from '../../domain/lake/maintenance';
import { erasureRequestSchema, erasureView, type Erasure, type ErasureSubject } from '../../domain/lake/erasure';
import { deviceIdSchema, deviceLakeRow } from '../../domain/devices/device';
import { NotFoundError } from '../../domain/errors';
import { toQuery } from '../../domain/segments/sql-fragment';
import { parseWith } from '../../domain/validation';
import type { AutomationStore } from '../../ports/automation-store';
import type { RollupBuilder } from '../../ports/rollups';
import { continueRollups } from './roll-up';
import type { Clock } from '../../ports/clock';
import type { FrequencyCapStore } from '../../ports/delivery-ledger';
import type { DeviceStore } from '../../ports/device-store';
import type { EndpointRegistry } from '../../ports/endpoint-registry';
import type { ErasureStore } from '../../ports/erasure-store';
import type { EventLake } from '../../ports/event-lake';
import type { InsightsCache } from '../../ports/insights-cache';
import type { LakeMaintenance } from '../../ports/lake-maintenance';
import type { MaintenanceJobs } from '../../ports/maintenance-jobs';
import type { QueryEngine } from '../../ports/query-engine';
import type { SettingsStore } from '../../ports/settings-store';

export interface StartErasureDeps {
  erasures: ErasureStore;
  maintenanceJobs: MaintenanceJobs;
  clock: Clock;
}

/** Rollup days an erasure builds again itself (an erasure must finish well inside one invocation). */
export const ROLLUP_BUILDS_PER_ERASURE = 10;

export interface EraseDeps {
  erasures: ErasureStore;
  maintenance: LakeMaintenance;
  queryEngine: QueryEngine;
  devices: DeviceStore;
  endpoints: EndpointRegistry;
  caps: FrequencyCapStore;
  /** Cached campaign figures of the tenant are dropped: the next read recomputes them without the erased devices. */
  insightsCache: InsightsCache;
  /** An erased device leaves the tenant's test devices. */
  settings: SettingsStore;
  /** Automations' due items, exit marks and first opens of the devices (and the shopper) go too. */
  automations: Pick<AutomationStore, 'forget'>;
  clock: Clock;
  /**
   * Device-day rollups: every rollup the erasure made out of date goes at once (the subject leaves
   * them too) and up to ROLLUP_BUILDS_PER_ERASURE days are built again; the rest are read raw until a
   * `rollup` job (enqueued here) builds them.
   */
  rollups?: RollupBuilder;
  maintenanceJobs?: MaintenanceJobs;
  /** How long rows accepted before the erasure may still take to reach the lake (AWS: Firehose's buffer); 0 locally. */
  settleMs: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface DeleteDeviceDeps extends StartErasureDeps {
  devices: DeviceStore;
  endpoints: EndpointRegistry;
  lake: EventLake;
}

/** Another maintenance of the tenant's lake (a compaction, another erasure) holds it: run the job again later. */
export class LakeBusyError extends Error {
  override name = 'LakeBusyError';
  constructor(tenantId: string) {
    super(`another maintenance of tenant ${tenantId}'s lake is running`);
  }
}

/** POST /v1/erasures → 202 `{id, status: "running"}` (the running one when the same subject is already being erased). */
export async function startErasure(deps: StartErasureDeps, tenantId: string, body: unknown): Promise<Record<string, unknown>> {
  const subject = parseWith(erasureRequestSchema, body) as ErasureSubject;
  return erasureView(await begin(deps, tenantId, subject));
}

/** GET /v1/erasures/{id}. */
export async function getErasure(deps: { erasures: ErasureStore }, tenantId: string, id: string): Promise<Record<string, unknown>> {
  const e = RESOURCE_ID_PATTERN.test(id) ? await deps.erasures.get(tenantId, id) : undefined;
  if (!e) throw new NotFoundError('erasure');
  return erasureView(e);
}

/**
 * DELETE /v1/devices/{deviceId}: the device is never pushed again from now on (its record and
 * provider endpoint go, and an opted-out snapshot leaves every audience at once), and its rows are
 * erased from the lake by an erasure job. Idempotent: deleting an unknown (or deleted) device is a
 * no-op 204 that starts nothing.
 */
export async function deleteDevice(deps: DeleteDeviceDeps, tenantId: string, rawDeviceId: string): Promise<void> {
  const deviceId = parseWith(deviceIdSchema, rawDeviceId, 'deviceId');
  const device = await deps.devices.get(tenantId, deviceId);
  // Only a device that exists starts work: a flood of made-up ids (the app key is public) costs a GetItem each.
  if (!device) return;
  const now = deps.clock.now();
  const updatedAt = new Date(Math.max(now.getTime(), Date.parse(device.updatedAt) + 1)).toISOString();
  await deps.lake.appendDevices(tenantId, [deviceLakeRow({ ...device, optedIn: false, updatedAt })]);
  // The erasure is recorded before the record goes: a crash in between leaves the device deletable again.
  await begin(deps, tenantId, { deviceId });
  await deps.endpoints.deleteEndpoint(device);
  await deps.devices.delete(tenantId, deviceId);
}

async function begin(deps: StartErasureDeps, tenantId: string, subject: ErasureSubject): Promise<Erasure> {
  const now = deps.clock.now();
  const { erasure } = await deps.erasures.start({
    id: newId('era', now),
    tenantId,
    subject,
    status: 'running',
    createdAt: now.toISOString(),
  });
  // Enqueued also when it was already running: a job lost before it ran is handed over again (jobs are idempotent).
  await deps.maintenanceJobs.enqueue([{ kind: 'erase', tenantId, erasureId: erasure.id }]);
  return erasure;
}

const TABLES = Object.keys(LAKE_TABLES) as LakeTable[];

/**
 * The worker's part, under the tenant's maintenance lease for its whole length (both passes and the
 * wait between them). Throws LakeBusyError when another maintenance holds the lease (the caller hands
 * the job back for later without counting an attempt), or an engine error (retried; the last
 * attempt calls failErasure). What was removed is recorded after the first pass, so a retry that finds
 * nothing left still reports it.
 */
export async function runErasure(deps: EraseDeps, tenantId: string, erasureId: string): Promise<Erasure | undefined> {
  const erasure = await deps.erasures.get(tenantId, erasureId);
  if (!erasure || erasure.status !== 'running') return erasure;
  const out = await deps.maintenance.exclusive(tenantId, deps.clock.now(), async () => {
    // Files a compaction replaced in the last hour still hold the subject's rows (and a rollup build would read them): gone first.
    await deps.maintenance.purgeReplaced(tenantId);
    const first = await eraseOnce(deps, tenantId, erasure.subject);
    // A retry after a crash finds less (or nothing): what an earlier attempt removed still counts.
    const counts = { devices: Math.max(erasure.devices ?? 0, first.devices.size), events: Math.max(erasure.events ?? 0, first.events) };
    await deps.erasures.recordCounts(tenantId, erasureId, counts);
    if (deps.settleMs > 0) {
      await (deps.sleep ?? defaultSleep)(deps.settleMs);
      const second = await eraseOnce(deps, tenantId, erasure.subject);
      counts.devices += [...second.devices].filter((d) => !first.devices.has(d)).length;
      counts.events += second.events;
    }
    // The rewritten days' rollups no longer match their files: they go now, and are built again without the subject's rows.
    const today = deps.clock.now().toISOString().slice(0, 10);
    const rolled = await deps.rollups?.rollUp(tenantId, today, { removal: 'now', maxBuilds: ROLLUP_BUILDS_PER_ERASURE });
    if (rolled) await continueRollups(deps.maintenanceJobs, tenantId, rolled);
    return counts;
  });
  if (!out.ran) throw new LakeBusyError(tenantId);
  await deps.insightsCache.forgetTenant(tenantId);
  const outcome = { status: 'succeeded' as const, ...out.value, completedAt: deps.clock.now().toISOString() };
  await deps.erasures.finish(tenantId, erasureId, outcome);
  return { ...erasure, ...outcome };
}

/** Give up on an erasure (its last attempt failed): the merchant sees `failed` and may start it again. */
export async function failErasure(
  deps: { erasures: ErasureStore; clock: Clock },
  tenantId: string,
  erasureId: string,
  reason: string,
): Promise<void> {
  const erasure = await deps.erasures.get(tenantId, erasureId);
  if (!erasure || erasure.status !== 'running') return;
  await deps.erasures.finish(tenantId, erasureId, {
    status: 'failed',
    error: reason.slice(0, 500),
    completedAt: deps.clock.now().toISOString(),
  });
}

async function eraseOnce(deps: EraseDeps, tenantId: string, subject: ErasureSubject): Promise<{ devices: Set<string>; events: number }> {
  const ids = new Set<string>();
  if ('deviceId' in subject) ids.add(subject.deviceId);
  else for (const r of await deps.queryEngine.run(toQuery(devicesOfCustomer(tenantId, subject.customerId)))) ids.add(String(r.device_id));
  // (A device registered moments ago may not be in the lake yet: the second pass, after settleMs, finds it.)
  const deviceIds = [...ids];
  const records = deviceIds.length > 0 ? await deps.devices.getMany(tenantId, deviceIds) : new Map();
  if (deviceIds.length === 0) return { devices: ids, events: 0 };
  const [{ n }] = await deps.queryEngine.run(toQuery(countEventsOf(tenantId, deviceIds)));
  const found = new Set<string>();
  for (const table of TABLES) {
    const days = (await deps.queryEngine.run(toQuery(daysHoldingDevices(table, tenantId, deviceIds)))).map((r) => String(r.dt));
    if (days.length > 0 && table === 'devices') for (const d of deviceIds) found.add(d);
    await rewriteDays(deps, table, tenantId, days, deviceIds);
  }
  for (const device of records.values()) {
    await deps.endpoints.deleteEndpoint(device);
    await deps.devices.delete(tenantId, device.deviceId);
    found.add(device.deviceId);
  }
  await deps.caps.forget(tenantId, deviceIds);
  const customerIds = [
    ...('customerId' in subject ? [subject.customerId] : []),
    ...[...records.values()].flatMap((d) => (d.customerId ? [d.customerId] : [])),
  ];
  await deps.automations.forget(tenantId, deviceIds, customerIds);
  await deps.settings.removeTestDevices(tenantId, deviceIds);
  return { devices: found, events: Number(n ?? 0) };
}

/** Rewrite the partitions of these days without the devices' rows; a partition that changed meanwhile is listed again. */
async function rewriteDays(deps: EraseDeps, table: LakeTable, tenantId: string, days: string[], deviceIds: string[]): Promise<void> {
  let pending = days;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt >= 5) throw new Error(`the ${table} partitions ${pending.join(', ')} kept changing during the erasure`);
    const changed: string[] = [];
    for (const p of await deps.maintenance.partitions(table, tenantId, pending)) {
      for (const files of rewriteGroups(p, true)) {
        const out = await deps.maintenance.rewrite({
          partition: p,
          files,
          keep: (src) => keepRows(src, { table, tenantId, eraseDevices: deviceIds }),
          removal: 'now',
        });
        if (!out.done && !changed.includes(p.dt)) changed.push(p.dt);
      }
    }
    pending = changed;
  }
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
