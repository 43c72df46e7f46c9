/**
 * Automated campaigns (issue 17) on the local world, each part on a fresh world with a fleet of
 * opted-in devices (`d-0000001`…):
 * (a) events/s through the automation path: `POST /v1/events` batches of 500 add_to_cart events over
 *     the fleet from concurrent clients, first with no automation active (the plain ingestion path),
 *     then with an active cart reminder (every event enters a due item), same shape, fresh event ids;
 * (b) due time → push for the whole fleet due at one instant: a cart reminder, one add_to_cart per
 *     device entered so that all fall due together a few seconds after the last is in; the world's own
 *     sweep loop (default `automationSweepMs`) and senders push them; each push's outbox time minus the
 *     due time.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DUE_SHARDS } from '../../lambdas/adapters/dynamo/automation-store';
import type { DynamoTable } from '../../lambdas/adapters/dynamo/table';
import { startLocalWorld, type LocalWorld } from '../../lambdas/composition/local';
import type { SendBatch, SendQueue } from '../../lambdas/ports/send-queue';
import { call, fmtInt, percentile, postEvents, progress, sleep } from './common';
import { loadFleet } from './delivery';

export interface IngestRun {
  label: string;
  events: number;
  seconds: number;
  eventsPerS: number;
  requestP50Ms: number;
  requestP99Ms: number;
}

export interface AutomationsResult {
  devices: number;
  batchSize: number;
  concurrency: number;
  /** Batches posted (each run) after a warm-up of `warmupBatches`. */
  batches: number;
  warmupBatches: number;
  without: IngestRun;
  with: IngestRun;
  /** Due items the runs with the automation entered (one per event expected). */
  entered: number;
  due: {
    devices: number;
    delayMinutes: number;
    sweepMs: number;
    /** How long entering the fleet's events took, and how long before the due time the last one was in. */
    entryS: number;
    marginS: number;
    /** The sweeper's hand-overs to the send queue, after the due time (s). */
    firstHandoverS: number;
    lastHandoverS: number;
    handoverBatches: number;
    /** Outbox push time − due time (s). */
    p50S: number;
    p95S: number;
    maxS: number;
    firstPushS: number;
    pushed: number;
    duplicates: number;
  };
}

const TENANT = 'bench-auto';
const SWEEP_MS = 1000; // the local world's default automationSweepMs (composition/local.ts)
/** A run that pushes nothing new for this long is reported as stuck. */
const STALL_MS = 120_000;
const cart = { name: 'Cart reminder', kind: 'automated', message: { title: 'Still thinking it over?', body: 'Your cart is waiting.' } };

async function openWorld(root: string, label: string, devices: number) {
  const dataDir = path.join(root, `tmp-automations-${label}-${Date.now()}`);
  const world = await startLocalWorld({ dataDir, port: 0, compactEveryMs: 0 });
  const { body: tenant } = await call(world.url, 'POST', '/local/tenants', { body: { tenantId: TENANT } });
  await loadFleet(world, TENANT, devices);
  return {
    world,
    tenant: tenant as { token: string; appKey: string },
    close: async () => {
      await world.stop();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function launchCart(world: LocalWorld, token: string, delayMinutes: number): Promise<string> {
  const created = await call(world.url, 'POST', '/v1/campaigns', {
    token,
    body: { ...cart, trigger: { type: 'event', event: 'add_to_cart', delayMinutes, exitOn: ['purchase'] } },
  });
  if (created.status !== 201) throw new Error(`automation: ${created.status} ${JSON.stringify(created.body)}`);
  const launched = await call(world.url, 'POST', `/v1/campaigns/${created.body.id}/launch`, { token });
  if (launched.body?.status !== 'active') throw new Error(`launch: ${launched.status} ${JSON.stringify(launched.body)}`);
  return created.body.id;
}

const deviceId = (k: number, devices: number) => `d-${String((k % devices) + 1).padStart(7, '0')}`;

/** `batches` request bodies of `size` add_to_cart events, device after device over the fleet. */
function cartBodies(o: { prefix: string; batches: number; size: number; devices: number; ts: () => string }): string[] {
  const out: string[] = [];
  for (let b = 0; b < o.batches; b++) {
    const events = Array.from({ length: o.size }, (_, i) => {
      const k = b * o.size + i;
      return {
        eventId: `${o.prefix}-${k}`,
        deviceId: deviceId(k, o.devices),
        type: 'add_to_cart',
        productId: `sku-${(k % 400) + 1}`,
        ts: o.ts(),
      };
    });
    out.push(JSON.stringify({ events }));
  }
  return out;
}

/** Post the bodies from `concurrency` clients; every event must be accepted. */
async function post(world: LocalWorld, appKey: string, bodies: string[], concurrency: number, label: string): Promise<IngestRun> {
  const t = await postEvents({ base: world.url, appKey, bodies, concurrency, label, requireAll: true });
  return {
    label,
    events: t.accepted,
    seconds: t.seconds,
    eventsPerS: t.accepted / t.seconds,
    requestP50Ms: t.requestP50Ms,
    requestP99Ms: t.requestP99Ms,
  };
}

/** Part (a): the same events with no automation, then with an active cart reminder. */
async function benchIngest(o: { root: string; devices: number; batches: number; concurrency: number }) {
  const { world, tenant, close } = await openWorld(o.root, 'ingest', o.devices);
  try {
    const now = () => new Date().toISOString();
    const bodies = (prefix: string, batches = o.batches) => cartBodies({ prefix, batches, size: 500, devices: o.devices, ts: now });
    const warmupBatches = Math.max(4, Math.round(o.batches / 10));
    await post(world, tenant.appKey, bodies('warm', warmupBatches), o.concurrency, 'events warm-up');
    const without = await post(world, tenant.appKey, bodies('plain'), o.concurrency, 'events, no automation');
    // Due in an hour: nothing is swept during the run.
    await launchCart(world, tenant.token, 60);
    const withAuto = await post(world, tenant.appKey, bodies('auto'), o.concurrency, 'events, cart automation');
    const entered = await waitingItems(world);
    if (entered !== withAuto.events) throw new Error(`the automation entered ${entered} due items for ${withAuto.events} events`);
    console.log(
      `events/s: ${fmtInt(without.eventsPerS)} without an automation, ${fmtInt(withAuto.eventsPerS)} with the cart automation (${fmtInt(entered)} due items entered)`,
    );
    return { without, with: withAuto, entered, warmupBatches };
  } finally {
    await close();
  }
}

/** Due items waiting in the `due` index (its DUE_SHARDS partitions), read through the store's table. */
async function waitingItems(world: LocalWorld): Promise<number> {
  const table = (world.deps.automations as unknown as { table?: DynamoTable }).table;
  if (!table) throw new Error('bench: cannot find the table behind the automation store');
  let n = 0;
  for (let shard = 0; shard < DUE_SHARDS; shard++)
    n += (
      await table.queryAll({
        IndexName: 'due',
        KeyConditionExpression: 'duePk = :p',
        ExpressionAttributeValues: { ':p': `DUE#${shard}` },
        ProjectionExpression: 'pk',
      })
    ).length;
  return n;
}

/** Record the sweeper's hand-overs (automated batches it enqueues; quiet-hours hops are the sender's). */
function recordingQueue(queue: SendQueue, handovers: { at: number; devices: number }[]): SendQueue {
  return {
    enqueue: async (batches: SendBatch[]) => {
      await queue.enqueue(batches);
      for (const b of batches) if (b.automated && !b.batchId.includes('>')) handovers.push({ at: Date.now(), devices: b.deviceIds.length });
    },
  };
}

/** Part (b): the whole fleet due at one instant; due → push through the world's own sweep loop and senders. */
async function benchDue(o: { root: string; devices: number; concurrency: number; expectedEventsPerS: number }) {
  const { world, tenant, close } = await openWorld(o.root, 'due', o.devices);
  try {
    const delayMinutes = 5;
    const id = await launchCart(world, tenant.token, delayMinutes);
    const handovers: { at: number; devices: number }[] = [];
    world.deps.queue = recordingQueue(world.deps.queue, handovers);
    // Due ~5 s after the last event is in (entry time estimated from part (a)'s rate, with room to spare).
    const batches = Math.ceil(o.devices / 500);
    const entryEstimateMs = (1000 * o.devices) / Math.max(1, o.expectedEventsPerS);
    const due = Date.now() + Math.round(1.5 * entryEstimateMs) + 5000;
    const ts = new Date(due - delayMinutes * 60_000).toISOString();
    const entry = await post(
      world,
      tenant.appKey,
      cartBodies({ prefix: 'due', batches, size: 500, devices: o.devices, ts: () => ts }),
      o.concurrency,
      'events → due items',
    );
    const marginS = (due - Date.now()) / 1000;

    const bar = progress('due → pushed', o.devices, 'devices');
    let last = { pushed: -1, at: Date.now() };
    let items: { deviceId: string; sentAt: string }[] = [];
    for (;;) {
      await sleep(250);
      items = await world.gateway.outbox(TENANT, id);
      const pushed = new Set(items.map((x) => x.deviceId)).size;
      bar.update(pushed);
      if (pushed >= o.devices) break;
      if (pushed !== last.pushed) last = { pushed, at: Date.now() };
      else if (Date.now() - last.at > STALL_MS) {
        bar.stop();
        const c = (await call(world.url, 'GET', `/v1/campaigns/${id}`, { token: tenant.token })).body;
        throw new Error(`due → push: no push for ${STALL_MS / 1000} s at ${pushed}/${o.devices}; progress ${JSON.stringify(c.progress)}`);
      }
    }
    bar.stop();
    const delays = items.map((x) => (Date.parse(x.sentAt) - due) / 1000);
    const pushed = new Set(items.map((x) => x.deviceId)).size;
    const result = {
      devices: o.devices,
      delayMinutes,
      sweepMs: SWEEP_MS,
      entryS: entry.seconds,
      marginS,
      firstHandoverS: handovers.length > 0 ? (Math.min(...handovers.map((h) => h.at)) - due) / 1000 : NaN,
      lastHandoverS: handovers.length > 0 ? (Math.max(...handovers.map((h) => h.at)) - due) / 1000 : NaN,
      handoverBatches: handovers.length,
      p50S: percentile(delays, 50),
      p95S: percentile(delays, 95),
      maxS: Math.max(...delays),
      firstPushS: Math.min(...delays),
      pushed,
      duplicates: items.length - pushed,
    };
    console.log(
      `due → push, ${fmtInt(o.devices)} devices due at once: p50 ${result.p50S.toFixed(1)} s, p95 ${result.p95S.toFixed(1)} s, max ${result.maxS.toFixed(1)} s ` +
        `(hand-overs ${result.firstHandoverS.toFixed(1)}–${result.lastHandoverS.toFixed(1)} s after due; entered ${result.entryS.toFixed(1)} s, ${result.marginS.toFixed(1)} s before due)`,
    );
    return result;
  } finally {
    await close();
  }
}

export async function benchAutomations(o: {
  root: string;
  devices: number;
  batches: number;
  concurrency: number;
}): Promise<AutomationsResult> {
  const ingest = await benchIngest(o);
  const due = await benchDue({ root: o.root, devices: o.devices, concurrency: o.concurrency, expectedEventsPerS: ingest.with.eventsPerS });
  return {
    devices: o.devices,
    batchSize: 500,
    concurrency: o.concurrency,
    batches: o.batches,
    warmupBatches: ingest.warmupBatches,
    without: ingest.without,
    with: ingest.with,
    entered: ingest.entered,
    due,
  };
}
