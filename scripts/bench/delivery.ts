/**
 * Delivery: (1) a campaign to N devices on the local world end to end (devices in dynalite and the
 * lake, launch `now`, time until `sent`), with a profile of where the time goes (per port call and
 * per DynamoDB command); (2) the sender use case alone against in-memory ports and a no-op gateway.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import pLimit from 'p-limit';
import { startLocalWorld } from '../../lambdas/composition/local';
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

export interface DeliveryResult {
  devices: number;
  targeted: number;
  sent: number;
  loadS: number;
  toSentS: number;
  firstPushS: number;
  devicesPerS: number;
  queueConcurrency: number;
  senderConcurrency: number;
  /** Engine executions of the members query per wave (the trigger should run one, whatever the audience size). */
  audienceQueriesPerWave: number;
  ports: PortCost[];
  dynamo: { command: string; calls: number; perDevice: number; meanMs: number }[];
  senderAlone: { devices: number; seconds: number; devicesPerS: number; batchConcurrency: number };
}

/** Wrap every method of a port object to time it (the use cases read ports off deps at call time). */
function instrument<T extends object>(name: string, target: T, stats: Map<string, { calls: number; ms: number }>): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const v = Reflect.get(obj, prop, receiver);
      if (typeof v !== 'function' || typeof prop !== 'string') return v;
      return async (...args: unknown[]) => {
        const t0 = performance.now();
        try {
          return await v.apply(obj, args);
        } finally {
          const key = `${name}.${prop}`;
          const s = stats.get(key) ?? { calls: 0, ms: 0 };
          s.calls++;
          s.ms += performance.now() - t0;
          stats.set(key, s);
        }
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

function fleet(tenantId: string, n: number): Device[] {
  // The demo generator's realistic mix, all opted in so the audience is exactly n devices.
  return demoDevices({ tenantId, devices: n, days: 90, seed: 7, now: new Date() }).map((d) => ({ ...d, optedIn: true }));
}

export async function benchDelivery(o: { root: string; devices: number; senderDevices: number }): Promise<DeliveryResult> {
  const dataDir = path.join(o.root, `tmp-delivery-${Date.now()}`);
  const world = await startLocalWorld({ dataDir, port: 0, compactEveryMs: 0 });
  try {
    const { body: tenant } = await call(world.url, 'POST', '/local/tenants', { body: { tenantId: 'bench-delivery' } });
    const devices = fleet(tenant.tenantId, o.devices);
    const loadStarted = performance.now();
    const bar = progress('devices → dynalite + lake', devices.length, 'devices');
    const limit = pLimit(4);
    const chunks: Device[][] = [];
    for (let i = 0; i < devices.length; i += 500) chunks.push(devices.slice(i, i + 500));
    await Promise.all(chunks.map((c) => limit(async () => {
      await world.deps.devices.putMany(c);
      bar.increment(c.length);
    })));
    bar.stop();
    await world.engine.bulkLoad('devices', tenant.tenantId, (async function* () {
      yield devices.map(deviceLakeRow) as unknown as Record<string, unknown>[];
    })());
    const loadS = (performance.now() - loadStarted) / 1000;

    // Profile: time each port call the trigger and the senders make, and count DynamoDB commands.
    const stats = new Map<string, { calls: number; ms: number }>();
    const audience = { executions: 0 };
    world.deps.queryEngine = countingAudienceQueries(world.deps.queryEngine, audience);
    for (const port of ['ledger', 'gateway', 'devices', 'campaigns', 'settings', 'caps', 'queryEngine', 'queue'] as const) {
      (world.deps as any)[port] = instrument(port, (world.deps as any)[port], stats);
    }
    const dynamo = new Map<string, { calls: number; ms: number }>();
    const client = (world.gateway as any).table.client;
    client.middlewareStack.add(
      (next: any, context: any) => async (args: any) => {
        const t0 = performance.now();
        try {
          return await next(args);
        } finally {
          const s = dynamo.get(context.commandName) ?? { calls: 0, ms: 0 };
          s.calls++;
          s.ms += performance.now() - t0;
          dynamo.set(context.commandName, s);
        }
      },
      { step: 'initialize', name: 'benchTiming' },
    );

    const created = await call(world.url, 'POST', '/v1/campaigns', { token: tenant.token, body: { name: 'bench', kind: 'campaign', message: { title: 'Bench', body: 'Delivery benchmark' }, schedule: { type: 'now' } } });
    if (created.status !== 201) throw new Error(`campaign: ${created.status} ${JSON.stringify(created.body)}`);
    const started = performance.now();
    const launched = await call(world.url, 'POST', `/v1/campaigns/${created.body.id}/launch`, { token: tenant.token });
    if (launched.status !== 200) throw new Error(`launch: ${launched.status} ${JSON.stringify(launched.body)}`);
    const sendBar = progress('campaign → sent', devices.length, 'devices');
    let firstPushS = NaN;
    let done: any;
    for (;;) {
      await sleep(250);
      const c = (await call(world.url, 'GET', `/v1/campaigns/${created.body.id}`, { token: tenant.token })).body;
      const settled = c.progress.sent + c.progress.failed + c.progress.suppressed;
      if (settled > 0 && Number.isNaN(firstPushS)) firstPushS = (performance.now() - started) / 1000;
      sendBar.update(settled, `${c.status}, ${fmtInt(settled / ((performance.now() - started) / 1000))}/s`);
      if (c.status === 'sent' || c.status === 'failed') {
        done = c;
        break;
      }
    }
    const toSentS = (performance.now() - started) / 1000;
    sendBar.stop();
    const ports: PortCost[] = [...stats]
      .map(([name, s]) => ({ name, calls: s.calls, perDevice: s.calls / devices.length, meanMs: s.ms / s.calls, totalS: s.ms / 1000 }))
      .sort((a, b) => b.totalS - a.totalS);
    const dyn = [...dynamo]
      .map(([command, s]) => ({ command, calls: s.calls, perDevice: s.calls / devices.length, meanMs: s.ms / s.calls }))
      .sort((a, b) => b.calls - a.calls);
    const audienceQueriesPerWave = audience.executions / Math.max(1, done.waves.length);
    console.log(`audience queries per wave: ${audienceQueriesPerWave} (${audience.executions} members queries over ${done.waves.length} wave(s))`);
    const senderAlone = await benchSenderAlone(o.senderDevices);
    return {
      devices: devices.length,
      targeted: done.progress.targeted,
      sent: done.progress.sent,
      loadS,
      toSentS,
      firstPushS,
      devicesPerS: done.progress.sent / toSentS,
      queueConcurrency: 4,
      senderConcurrency: 8,
      audienceQueriesPerWave,
      ports,
      dynamo: dyn,
      senderAlone,
    };
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
    jobs.push(limit(async () => {
      await sendBatch(deps, { tenantId: 'bench', campaignId: campaign.id, waveId: 'w0', batchId: `w0:0:${i / DEVICES_PER_BATCH}`, deviceIds: ids });
      bar.increment(ids.length);
    }));
  }
  await Promise.all(jobs);
  const seconds = (performance.now() - t0) / 1000;
  bar.stop();
  if (deps.pushes() !== n) throw new Error(`sender alone pushed ${deps.pushes()} of ${n}`);
  return { devices: n, seconds, devicesPerS: n / seconds, batchConcurrency };
}
