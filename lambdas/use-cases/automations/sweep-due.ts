/**
 * The sweeper: every minute in AWS (an EventBridge rule), every few seconds locally, it takes the
 * due items whose time has come and hands their devices to the send queue, where the same sender
 * as for campaigns pushes them (opt-out at send time, frequency cap, quiet hours, invalid tokens,
 * one push per chunk claim). Per automation:
 *
 * - cancelled, deleted or never launched: the items are dropped; paused: they are parked until
 *   it resumes (a resumed item more than 24 h past due is dropped then, as history);
 * - an item whose device (or the device's logged-in shopper) reported an exit event after the
 *   trigger is not sent (`exited`, counted);
 * - with a re-entry window, a device handed over by this automation within it is not sent again;
 * - the rest go out in batches of at most 100 distinct devices. A batch is first OPENED (a record
 *   of its items, so of its devices), then its items leave the due list (BatchWriteItem, 25 a
 *   request), then it is counted and enqueued, then closed. A sweep that dies halfway leaves the
 *   batch open: the next sweep finishes open batches first, with exactly their devices (a chunk id
 *   must always name the same devices, or the ledger, which absorbs a second copy of a chunk,
 *   could drop devices of the first), and the sender's chunk claim keeps each device to one push.
 */
import { createHash, randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import { METRICS } from '../../config/metric-names';
import type { Campaign } from '../../domain/campaigns/campaign-record';
import { STALE_AFTER_MS } from '../../domain/automations/trigger';
import { automationBatchDay, automationBatchId } from '../../domain/automations/batch-id';
import type { AutomationStore, DueItem, ExitSubject, OpenBatch } from '../../ports/automation-store';
import { subjectTag } from '../../ports/automation-store';
import type { CampaignStore } from '../../ports/campaign-store';
import type { Clock } from '../../ports/clock';
import type { DeviceStore } from '../../ports/device-store';
import type { Metrics } from '../../ports/metrics';
import { DEVICES_PER_BATCH, type SendBatch, type SendQueue } from '../../ports/send-queue';
import { logger } from '../../logging/logger';

export interface SweepDeps {
  automations: AutomationStore;
  campaigns: CampaignStore;
  devices: Pick<DeviceStore, 'getMany'>;
  queue: SendQueue;
  clock: Clock;
  metrics?: Metrics;
}

/** The wave id automation batches carry (the sender counts them per day, not per wave). */
export const AUTOMATION_WAVE = 'auto';
/** Items read per step. */
const STEP = 1000;
/** Batches handed over at once (each: its re-entry marks, its counter, its queue message, its items finished). */
const BATCHES_IN_FLIGHT = 8;

export interface SweepOutcome {
  /** Automations whose items could not be handled this run (logged; their items wait for the next). */
  failed: number;
  enqueued: number;
  exited: number;
  dropped: number;
  parked: number;
  /** Largest delay between an item's due time and its hand-over (ms); 0 when nothing was handed over. */
  maxLagMs: number;
}

/** One sweep: steps of up to 1,000 due items until none is left or `shouldStop` says the time is up. */
export async function sweepDue(deps: SweepDeps, options: { shouldStop?: () => boolean } = {}): Promise<SweepOutcome> {
  const total: SweepOutcome = { failed: 0, enqueued: 0, exited: 0, dropped: 0, parked: 0, maxLagMs: 0 };
  total.enqueued += await finishOpenBatches(deps);
  for (;;) {
    const now = deps.clock.now();
    const items = await deps.automations.due(now, STEP);
    if (items.length === 0) break;
    const step = await sweepItems(deps, items, now);
    for (const k of ['failed', 'enqueued', 'exited', 'dropped', 'parked'] as const) total[k] += step[k];
    total.maxLagMs = Math.max(total.maxLagMs, step.maxLagMs);
    // Until nothing is due, or a step moved nothing (what is left belongs to automations that failed this run).
    const moved = step.enqueued + step.exited + step.dropped + step.parked;
    if (moved === 0 || options.shouldStop?.()) break;
  }
  if (total.enqueued > 0) {
    deps.metrics?.count(METRICS.automationsEnqueued, total.enqueued);
    deps.metrics?.seconds(METRICS.automationDueLag, Math.round(total.maxLagMs / 1000));
  }
  return total;
}

async function sweepItems(deps: SweepDeps, items: readonly DueItem[], now: Date): Promise<SweepOutcome> {
  const out: SweepOutcome = { failed: 0, enqueued: 0, exited: 0, dropped: 0, parked: 0, maxLagMs: 0 };
  const groups = new Map<string, DueItem[]>();
  for (const i of items) {
    const k = `${i.tenantId}\n${i.automationId}`;
    groups.set(k, [...(groups.get(k) ?? []), i]);
  }
  for (const group of groups.values()) {
    const { tenantId, automationId } = group[0];
    const automation = await deps.campaigns.get(tenantId, automationId, { liveCounters: false });
    if (!automation || automation.kind !== 'automated' || automation.status === 'cancelled' || automation.status === 'draft') {
      await deps.automations.finishMany(group, 'dropped', now);
      out.dropped += group.length;
    } else if (automation.status === 'paused') {
      await deps.automations.parkMany(group);
      out.parked += group.length;
    } else {
      try {
        const step = await sweepActive(deps, automation, group, now);
        out.enqueued += step.enqueued;
        out.exited += step.exited;
        out.dropped += step.dropped;
        out.maxLagMs = Math.max(out.maxLagMs, step.maxLagMs);
      } catch (err) {
        // One automation's failure must not hold up every tenant's: its items stay due for the next run.
        out.failed++;
        logger.error('automation sweep failed', { tenantId, campaignId: automationId, error: err as Error });
      }
    }
  }
  return out;
}

async function sweepActive(deps: SweepDeps, a: Campaign, items: readonly DueItem[], now: Date) {
  const out = { enqueued: 0, exited: 0, dropped: 0, maxLagMs: 0 };
  const day = now.toISOString().slice(0, 10);
  // An item that waited over a day (e.g. parked) is history now.
  const isStale = (i: DueItem) => Date.parse(i.dueAt) < now.getTime() - STALE_AFTER_MS;
  const expired = items.filter(isStale);
  await deps.automations.finishMany(expired, 'expired', now);
  out.dropped += expired.length;
  const fresh = items.filter((i) => !isStale(i));

  const { sendable, exited, repeated } = await screen(deps, a, fresh, now);
  // Counted in one write per step (its key names the occurrences, so a re-run that finds the same ones counts
  // nothing), before the items are finished: a crash between leaves them due, found and counted by that same key.
  if (exited.length > 0) {
    const names = exited.map((i) => `${i.deviceId}\n${i.occurrence}`).sort();
    const key = createHash('sha256').update(names.join('\n')).digest('base64url').slice(0, 16);
    await deps.campaigns.addDailyCounters(a.tenantId, a.id, `exit:${key}`, day, { exited: exited.length });
  }
  await deps.automations.finishMany(exited, 'exited', now);
  out.exited += exited.length;
  await deps.automations.finishMany(repeated, 'reentry', now);
  out.dropped += repeated.length;

  // Batches of distinct devices (a device due twice in one sweep, re-entry 0, goes in two batches), opened
  // before anything of them is written, then handed over side by side.
  const run = randomUUID().slice(0, 8);
  const batches: DueItem[][] = [];
  for (const i of sendable) {
    const open = batches.find((b) => b.length < DEVICES_PER_BATCH && !b.some((x) => x.deviceId === i.deviceId));
    if (open) open.push(i);
    else batches.push([i]);
  }
  const batchesAtOnce = pLimit(BATCHES_IN_FLIGHT);
  const lags = await Promise.all(
    batches.map((batch, k) =>
      batchesAtOnce(async () => {
        const open: OpenBatch = { batchId: automationBatchId(now, run, k), tenantId: a.tenantId, automationId: a.id, items: batch };
        await deps.automations.openBatch(open);
        return handOver(deps, open, a, now);
      }),
    ),
  );
  out.enqueued += sendable.length;
  out.maxLagMs = Math.max(0, ...lags);
  if (out.enqueued + out.exited + out.dropped > 0)
    logger.info('automation swept', {
      tenantId: a.tenantId,
      campaignId: a.id,
      enqueued: out.enqueued,
      exited: out.exited,
      dropped: out.dropped,
    });
  return out;
}

/**
 * Hand an open batch over: its items leave the due list, its devices are marked for re-entry, counted and
 * enqueued, and the batch is closed. Every step may run again (a sweep died halfway: the next finds the batch
 * open): the items are written as they are, the count is once per batch id, and a second copy of the queue
 * message names the same chunk with the same devices, which the sender's claim absorbs. The largest lag (ms).
 */
async function handOver(deps: SweepDeps, batch: OpenBatch, a: Pick<Campaign, 'trigger'> | undefined, now: Date): Promise<number> {
  const deviceIds = batch.items.map((i) => i.deviceId);
  const reentryDays = a?.trigger?.type === 'event' ? a.trigger.reentryAfterDays : 0;
  await deps.automations.finishMany(batch.items, 'enqueued', now, batch.batchId);
  await deps.automations.notePushed(batch.tenantId, batch.automationId, deviceIds, now, reentryDays);
  await deps.campaigns.addDailyCounters(
    batch.tenantId,
    batch.automationId,
    `enq:${batch.batchId}`,
    automationBatchDay(batch.batchId, now),
    {
      targeted: deviceIds.length,
    },
  );
  const message: SendBatch = {
    tenantId: batch.tenantId,
    campaignId: batch.automationId,
    waveId: AUTOMATION_WAVE,
    batchId: batch.batchId,
    deviceIds,
    automated: true,
  };
  await deps.queue.enqueue([message]);
  await deps.automations.closeBatch(batch);
  const handedAt = deps.clock.now().getTime();
  return Math.max(0, ...batch.items.map((i) => handedAt - Date.parse(i.dueAt)));
}

/** Batches a sweep opened and did not close (it died): finished first, with exactly their items. */
async function finishOpenBatches(deps: SweepDeps): Promise<number> {
  const open = await deps.automations.openBatches();
  let done = 0;
  for (const batch of open) {
    try {
      const a = await deps.campaigns.get(batch.tenantId, batch.automationId, { liveCounters: false });
      await handOver(deps, batch, a, deps.clock.now());
      done += batch.items.length;
    } catch (err) {
      // Left open for the next run; the other tenants' automations go on.
      logger.error('open automation batch not handed over', {
        tenantId: batch.tenantId,
        campaignId: batch.automationId,
        error: err as Error,
      });
    }
  }
  if (open.length > 0) logger.warn('open automation batches of an interrupted sweep handed over', { batches: open.length });
  return done;
}

/**
 * Split fresh items into those to send, those whose device or shopper reported an exit event after
 * the trigger (up to now: a purchase made after the due time but before the push also exits), and
 * those the re-entry window holds back.
 */
async function screen(deps: SweepDeps, a: Campaign, items: readonly DueItem[], now: Date) {
  const trigger = a.trigger;
  const none = { sendable: [...items], exited: [] as DueItem[], repeated: [] as DueItem[] };
  if (items.length === 0 || !trigger || trigger.type !== 'event') return none;
  const exited: DueItem[] = [];
  let candidates = [...items];
  if (trigger.exitOn.length > 0) {
    const devices = await deps.devices.getMany(a.tenantId, [...new Set(items.map((i) => i.deviceId))]);
    const subjects: ExitSubject[] = [];
    for (const i of items) {
      subjects.push({ deviceId: i.deviceId });
      const customerId = devices.get(i.deviceId)?.customerId;
      if (customerId) subjects.push({ customerId });
    }
    const marks = await deps.automations.exitsOf(a.tenantId, subjects, trigger.exitOn);
    const exitedAfter = (tag: string, since: string) => [...(marks.get(tag)?.values() ?? [])].some((ts) => ts > since);
    candidates = items.filter((i) => {
      const customerId = devices.get(i.deviceId)?.customerId;
      const gone =
        exitedAfter(subjectTag({ deviceId: i.deviceId }), i.triggerTs) ||
        (customerId ? exitedAfter(subjectTag({ customerId }), i.triggerTs) : false);
      if (gone) exited.push(i);
      return !gone;
    });
  }
  if (trigger.reentryAfterDays === 0) return { sendable: candidates, exited, repeated: [] };
  // At most once per re-entry window: pushed within it before, or twice in this sweep.
  const last = await deps.automations.lastPushed(
    a.tenantId,
    a.id,
    candidates.map((i) => i.deviceId),
  );
  const windowStart = now.getTime() - trigger.reentryAfterDays * 86_400_000;
  const taken = new Set<string>();
  const sendable: DueItem[] = [];
  const repeated: DueItem[] = [];
  for (const i of candidates) {
    const at = last.get(i.deviceId);
    if ((at && Date.parse(at) > windowStart) || taken.has(i.deviceId)) repeated.push(i);
    else {
      taken.add(i.deviceId);
      sendable.push(i);
    }
  }
  return { sendable, exited, repeated };
}
