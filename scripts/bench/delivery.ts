/**
 * Delivery (issue 13): (1) one fleet of N devices on the local world (devices in dynalite and the
 * lake), then two campaigns to it, launch `now`, timed until `sent`: A with no frequency cap, B after
 * the tenant's cap is set (loose enough that every device is still allowed, so each one is reserved).
 * Each run is profiled on its own: port calls, DynamoDB commands and the item writes per delivered
 * device; (2) the sender use case alone against in-memory ports and a no-op gateway.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import pLimit from 'p-limit';
import { startLocalWorld, type LocalWorld } from '../../lambdas/composition/local';
import type { Device } from '../../lambdas/domain/devices/device';
import { deviceLakeRow } from '../../lambdas/domain/devices/device';
import type { QueryEngine, SqlQuery } from '../../lambdas/ports/query-engine';
import { DEVICES_PER_BATCH } from '../../lambdas/ports/send-queue';
import { sendBatch } from '../../lambdas/use-cases/delivery/send-batch';
import { demoDevices } from '../demo-data';
import { call, fmtInt, progress, sleep } from './common';
import { benchCampaign, memorySenderDeps } from './fakes';

export interface PortCost {
  name: string;
  calls: number;
  perDevice: number;
  meanMs: number;
  totalS: number;
}

export interface DynamoCost {
  command: string;
  calls: number;
  perDevice: number;
  meanMs: number;
  /** Items written (PutItem, UpdateItem, DeleteItem = 1; BatchWriteItem, TransactWriteItems = their items), local queue and scheduler included. */
  itemWrites: number;
}

export type FrequencyCap = { maxPerDevice: number; windowHours: number };

/** One campaign to the whole fleet. */
export interface DeliveryRun {
  label: string;
  cap: FrequencyCap | null;
  devices: number;
  targeted: number;
  sent: number;
  toSentS: number;
  firstPushS: number;
  devicesPerS: number;
  waves: number;
  /** Engine executions of the members query per wave (the trigger should run one, whatever the audience size). */
  audienceQueriesPerWave: number;
  /** DynamoDB items written by the product (the local queue's and scheduler's items left out: SQS and EventBridge in AWS). */
  itemWrites: number;
  /** Items the local queue and scheduler wrote to dynalite. */
  standInWrites: number;
  /** itemWrites / sent. */
  writesPerDevice: number;
  ports: PortCost[];
  dynamo: DynamoCost[];
}

/** The top-level run figures are run A's (no cap); `runs` holds both. */
export interface DeliveryResult extends DeliveryRun {
  loadS: number;
  queueConcurrency: number;
  senderConcurrency: number;
  runs: DeliveryRun[];
  senderAlone: { devices: number; seconds: number; devicesPerS: number; batchConcurrency: number };
}

/** A run that settles no device for this long is reported as stuck (instead of polling forever). */
const STALL_MS = 180_000;

/** The cap of run B: every device has one push (run A's) in its window, so all are allowed. */
export const BENCH_CAP: FrequencyCap = { maxPerDevice: 10, windowHours: 24 };

type Stats = Map<string, { calls: number; ms: number }>;

/** Wrap every method of a port object to time it (the use cases read ports off deps at call time). Sync methods stay sync. */
function instrument<T extends object>(name: string, target: T, stats: Stats): T {
  const record = (prop: string, t0: number) => {
    const key = `${name}.${prop}`;
    const s = stats.get(key) ?? { calls: 0, ms: 0 };
    s.calls++;
    s.ms += performance.now() - t0;
    stats.set(key, s);
  };
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const v = Reflect.get(obj, prop, receiver);
      if (typeof v !== 'function' || typeof prop !== 'string') return v;
      return (...args: unknown[]) => {
        const t0 = performance.now();
        const out = v.apply(obj, args);
        if (out && typeof out.then === 'function') return Promise.resolve(out).finally(() => record(prop, t0));
        record(prop, t0);
        return out;
      };
    },
  });
}

/** Count the engine executions of the wave members query (run, start or startResult). */
function countingAudienceQueries(engine: QueryEngine, counter: { executions: number }): QueryEngine {
  const isMembers = (q: SqlQuery) => /SELECT device_id, platform, timezone(, h\.recent_sends)? FROM facts/.test(q.sql);
  return new Proxy(engine, {
    get(obj, prop, receiver) {
      const v = Reflect.get(obj, prop, receiver);
      if (typeof v !== 'function') return v;
      if (prop !== 'run' && prop !== 'start' && prop !== 'startResult') return v.bind(obj);
      return (q: SqlQuery, ...rest: unknown[]) => {
        if (isMembers(q)) counter.executions++;
        return v.apply(obj, [q, ...rest]);
      };
    },
  });
}

/** The partition key of an item or key, marshalled (`{ S }`) or not. */
const pkOf = (item: any): string => (typeof item?.pk === 'string' ? item.pk : (item?.pk?.S ?? ''));
/** Items of the local queue (LQ#) and scheduler (LS#): SQS and EventBridge Scheduler in AWS, not DynamoDB. */
const isStandIn = (item: any) => /^L[QS]#/.test(pkOf(item));

/** The items a DynamoDB command writes (the item or key of each). */
function writtenItems(command: string, input: any): unknown[] {
  switch (command) {
    case 'PutItemCommand':
      return [input?.Item];
    case 'UpdateItemCommand':
    case 'DeleteItemCommand':
      return [input?.Key];
    case 'BatchWriteItemCommand':
      return Object.values<any[]>(input?.RequestItems ?? {})
        .flat()
        .map((r) => r?.PutRequest?.Item ?? r?.DeleteRequest?.Key);
    case 'TransactWriteItemsCommand':
      return (input?.TransactItems ?? []).map((t: any) => t?.Put?.Item ?? t?.Update?.Key ?? t?.Delete?.Key ?? t?.ConditionCheck?.Key);
    default:
      return [];
  }
}

/**
 * The bench fleet: the demo generator's realistic mix, all opted in so the audience is exactly n
 * devices, made in chunks (1 M devices never sit in memory at once). Chunk k is the generator's
 * output for seed 7 + k, renumbered so ids stay unique (`d-0000001`…); a fleet of up to one chunk
 * is exactly the generator's output for seed 7.
 */
export const FLEET_CHUNK = 100_000;
function fleetChunk(tenantId: string, start: number, count: number, now: Date): Device[] {
  const k = Math.floor(start / FLEET_CHUNK);
  return demoDevices({ tenantId, devices: count, days: 90, seed: 7 + k, now }).map((d, i) => ({
    ...d,
    deviceId: `d-${String(start + i + 1).padStart(7, '0')}`,
    customerId: k > 0 && d.customerId ? `${d.customerId}-${k}` : d.customerId,
    optedIn: true,
  }));
}

function fleet(tenantId: string, n: number): Device[] {
  return fleetChunk(tenantId, 0, n, new Date());
}

/** Write the fleet to dynalite and the lake, a chunk at a time (ids `d-0000001`…, all opted in). */
export async function loadFleet(world: LocalWorld, tenantId: string, n: number): Promise<void> {
  const now = new Date();
  const bar = progress('devices → dynalite + lake', n, 'devices');
  const limit = pLimit(4);
  async function* chunks(): AsyncGenerator<Record<string, unknown>[]> {
    for (let start = 0; start < n; start += FLEET_CHUNK) {
      const part = fleetChunk(tenantId, start, Math.min(FLEET_CHUNK, n - start), now);
      const puts: Promise<void>[] = [];
      for (let i = 0; i < part.length; i += 500) {
        const c = part.slice(i, i + 500);
        puts.push(
          limit(async () => {
            await world.deps.devices.putMany(c);
            bar.increment(c.length);
          }),
        );
      }
      await Promise.all(puts);
      yield part.map(deviceLakeRow) as unknown as Record<string, unknown>[];
    }
  }
  await world.engine.bulkLoad('devices', tenantId, chunks());
  bar.stop();
}

export async function benchDelivery(o: { root: string; devices: number; senderDevices: number }): Promise<DeliveryResult> {
  const dataDir = path.join(o.root, `tmp-delivery-${Date.now()}`);
  const world = await startLocalWorld({ dataDir, port: 0, compactEveryMs: 0 });
  try {
    const { body: tenant } = await call(world.url, 'POST', '/local/tenants', { body: { tenantId: 'bench-delivery' } });
    const loadStarted = performance.now();
    await loadFleet(world, tenant.tenantId, o.devices);
    const loadS = (performance.now() - loadStarted) / 1000;

    // Profile: time each port call the trigger and the senders make, and count DynamoDB commands
    // and the items they write, on the product's one DynamoDB client (every table goes through it).
    const stats: Stats = new Map();
    const audience = { executions: 0 };
    world.deps.queryEngine = countingAudienceQueries(world.deps.queryEngine, audience);
    for (const port of ['ledger', 'gateway', 'devices', 'campaigns', 'settings', 'caps', 'queryEngine', 'queue', 'lake'] as const) {
      (world.deps as any)[port] = instrument(port, (world.deps as any)[port], stats);
    }
    const dynamo = new Map<string, { calls: number; ms: number; items: number; standIn: number }>();
    const client = (world.deps.devices as any).table?.client;
    if (!client?.middlewareStack) throw new Error('bench: cannot find the DynamoDB client behind the device store');
    client.middlewareStack.add(
      (next: any, context: any) => async (args: any) => {
        const t0 = performance.now();
        const items = writtenItems(context.commandName, args.input);
        try {
          return await next(args);
        } finally {
          const s = dynamo.get(context.commandName) ?? { calls: 0, ms: 0, items: 0, standIn: 0 };
          s.calls++;
          s.ms += performance.now() - t0;
          s.items += items.length;
          s.standIn += items.filter(isStandIn).length;
          dynamo.set(context.commandName, s);
        }
      },
      { step: 'initialize', name: 'benchTiming' },
    );

    const runOne = async (label: string, cap: FrequencyCap | null): Promise<DeliveryRun> => {
      const put = await call(world.url, 'PUT', '/v1/settings', { token: tenant.token, body: { frequencyCap: cap } });
      if (put.status !== 200) throw new Error(`settings: ${put.status} ${JSON.stringify(put.body)}`);
      const created = await call(world.url, 'POST', '/v1/campaigns', {
        token: tenant.token,
        body: {
          name: `bench ${label}`,
          kind: 'campaign',
          message: { title: 'Bench', body: 'Delivery benchmark' },
          schedule: { type: 'now' },
        },
      });
      if (created.status !== 201) throw new Error(`campaign: ${created.status} ${JSON.stringify(created.body)}`);
      stats.clear();
      dynamo.clear();
      audience.executions = 0;
      const started = performance.now();
      const launched = await call(world.url, 'POST', `/v1/campaigns/${created.body.id}/launch`, { token: tenant.token });
      if (launched.status !== 200) throw new Error(`launch: ${launched.status} ${JSON.stringify(launched.body)}`);
      const sendBar = progress(`${label} → sent`, o.devices, 'devices');
      let firstPushS = NaN;
      let done: any;
      let last = { settled: -1, at: performance.now() };
      for (;;) {
        await sleep(250);
        const c = (await call(world.url, 'GET', `/v1/campaigns/${created.body.id}`, { token: tenant.token })).body;
        const settled = c.progress.sent + c.progress.failed + c.progress.suppressed;
        if (settled > 0 && Number.isNaN(firstPushS)) firstPushS = (performance.now() - started) / 1000;
        if (settled !== last.settled) last = { settled, at: performance.now() };
        else if (performance.now() - last.at > STALL_MS) {
          sendBar.stop();
          const depth = await world.queue.depth();
          throw new Error(
            `${label}: no progress for ${STALL_MS / 1000} s: ${c.status}, progress ${JSON.stringify(c.progress)}, queue ${JSON.stringify(depth)}`,
          );
        }
        sendBar.update(settled, `${c.status}, ${fmtInt(settled / ((performance.now() - started) / 1000))}/s`);
        if (c.status === 'sent' || c.status === 'failed') {
          done = c;
          break;
        }
      }
      const toSentS = (performance.now() - started) / 1000;
      sendBar.stop();
      if (done.status !== 'sent' || done.progress.sent !== o.devices) {
        throw new Error(
          `${label}: ${done.status}, sent ${done.progress.sent} of ${o.devices} devices (progress ${JSON.stringify(done.progress)})`,
        );
      }
      const ports: PortCost[] = [...stats]
        .map(([name, s]) => ({ name, calls: s.calls, perDevice: s.calls / o.devices, meanMs: s.ms / s.calls, totalS: s.ms / 1000 }))
        .sort((a, b) => b.totalS - a.totalS);
      const dyn: DynamoCost[] = [...dynamo]
        .map(([command, s]) => ({ command, calls: s.calls, perDevice: s.calls / o.devices, meanMs: s.ms / s.calls, itemWrites: s.items }))
        .sort((a, b) => b.calls - a.calls);
      const standInWrites = [...dynamo.values()].reduce((n, s) => n + s.standIn, 0);
      const itemWrites = [...dynamo.values()].reduce((n, s) => n + s.items, 0) - standInWrites;
      const waves = Math.max(1, done.waves.length);
      const run: DeliveryRun = {
        label,
        cap,
        devices: o.devices,
        targeted: done.progress.targeted,
        sent: done.progress.sent,
        toSentS,
        firstPushS,
        devicesPerS: done.progress.sent / toSentS,
        waves,
        audienceQueriesPerWave: audience.executions / waves,
        itemWrites,
        standInWrites,
        writesPerDevice: itemWrites / done.progress.sent,
        ports,
        dynamo: dyn,
      };
      console.log(
        `${label}: ${toSentS.toFixed(1)} s to sent, ${fmtInt(run.devicesPerS)} devices/s; ${run.writesPerDevice.toFixed(3)} item writes per device ` +
          `(${fmtInt(itemWrites)}, + ${fmtInt(standInWrites)} by the local queue and scheduler); audience queries per wave: ${run.audienceQueriesPerWave} (${audience.executions} over ${waves} wave(s))`,
      );
      return run;
    };

    const a = await runOne('A (no cap)', null);
    const b = await runOne(`B (cap ${BENCH_CAP.maxPerDevice}/${BENCH_CAP.windowHours} h)`, BENCH_CAP);
    const senderAlone = await benchSenderAlone(o.senderDevices);
    return { ...a, loadS, queueConcurrency: 4, senderConcurrency: 8, runs: [a, b], senderAlone };
  } finally {
    await world.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

/** sendBatch over in-memory ports: the cost of the use case itself (payload rendering, bookkeeping). */
export async function benchSenderAlone(n: number): Promise<DeliveryResult['senderAlone']> {
  const devices = fleet('bench', n);
  const campaign = benchCampaign('bench', 'cmp_bench');
  const deps = memorySenderDeps(campaign, devices);
  const batchConcurrency = 4; // as the local queue runs it
  const limit = pLimit(batchConcurrency);
  const bar = progress('sender path alone', n, 'devices');
  const t0 = performance.now();
  const jobs: Promise<void>[] = [];
  for (let i = 0; i < n; i += DEVICES_PER_BATCH) {
    const ids = devices.slice(i, i + DEVICES_PER_BATCH).map((d) => d.deviceId);
    jobs.push(
      limit(async () => {
        await sendBatch(deps, {
          tenantId: 'bench',
          campaignId: campaign.id,
          waveId: 'w0',
          batchId: `w0:0:${i / DEVICES_PER_BATCH}`,
          deviceIds: ids,
        });
        bar.increment(ids.length);
      }),
    );
  }
  await Promise.all(jobs);
  const seconds = (performance.now() - t0) / 1000;
  bar.stop();
  if (deps.pushes() !== n) throw new Error(`sender alone pushed ${deps.pushes()} of ${n}`);
  return { devices: n, seconds, devicesPerS: n / seconds, batchConcurrency };
}
