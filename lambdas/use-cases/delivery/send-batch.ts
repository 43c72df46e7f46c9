/**
 * The sender: one queue batch is one chunk of the ledger. It claims the chunk, re-checks each
 * device at send time, applies quiet hours (defer, never drop) and the frequency cap, pushes each
 * device once through the gateway, and records every outcome in ONE write to the chunk.
 *
 * Exactly once: a chunk is claimed with a lease; its recorded outcomes are never sent again. A
 * transient failure records what is done and gives the chunk back (the queue redelivers it, the
 * retry sends only the rest). When a sender dies holding a chunk, the next one finds it
 * `interrupted`: for each device without an outcome it asks the gateway whether the push went out
 * (the local gateway knows); when it cannot know (SNS), it pushes again with the collapse id/key
 * (= campaign id), so the phone replaces the first copy and shows one notification.
 *
 * Counting is exact without reading the ledger: a chunk adds the counts of its outcomes in one
 * idempotent update (keyed by its id) once every device has one, and appends them to the lake's
 * deliveries table before that, so a `sent` campaign has every outcome in the lake. The same update
 * moves its wave's figure (a wave is sent when every batch it led to is done) and `deferred`:
 * a quiet-hours chunk adds its devices when it is counted as enqueued and takes them off when it is
 * done, each under its own key, so a redelivered chunk never counts its devices twice.
 *
 * DynamoDB writes per delivered device: 2 per chunk of 100 (claim, record) + 1/100 counter update
 * = 0.03 without a cap; under a cap + 1 conditional PutItem per pushed device (and one
 * BatchGetItem per chunk to read the devices' reservations).
 */
import { createHash } from 'node:crypto';
import pLimit from 'p-limit';
import type { Campaign, DeliveryCounters } from '../../domain/campaigns/campaign-record';
import { pushAttributes, renderSnsMessage } from '../../domain/campaigns/payloads';
import { nextSendTimeOutsideQuietHours } from '../../domain/campaigns/schedule';
import type { Device } from '../../domain/devices/device';
import type { DeliveryRow } from '../../domain/lake-schema';
import type { Settings } from '../../domain/settings';
import type { CampaignStore } from '../../ports/campaign-store';
import type { Clock } from '../../ports/clock';
import type { ChunkOutcome, ChunkOutcomes, DeliveryLedger, FrequencyCapStore } from '../../ports/delivery-ledger';
import type { DeviceStore } from '../../ports/device-store';
import type { EventLake } from '../../ports/event-lake';
import type { Metrics } from '../../ports/metrics';
import { METRICS } from '../../config/metric-names';
import { TransientPushError, type PushGateway } from '../../ports/push-gateway';
import type { SendBatch, SendQueue } from '../../ports/send-queue';
import type { SettingsStore } from '../../ports/settings-store';
import { completeIfDone } from './complete-campaign';
import { automationBatchDay } from '../../domain/automations/batch-id';
import { armSplit, holdOutControl, type ArmSplit } from './hold-out';

export interface SendBatchDeps {
  campaigns: CampaignStore;
  devices: DeviceStore;
  settings: SettingsStore;
  ledger: DeliveryLedger;
  caps: FrequencyCapStore;
  gateway: PushGateway;
  queue: SendQueue;
  /** The deliveries table of the lake: every outcome of a chunk (the cap's history, insights' sent set). */
  lake: Pick<EventLake, 'appendDeliveries'>;
  clock: Clock;
  apnsSandbox?: boolean;
  /** How long a claim on a chunk protects it from other senders (at least the sender's timeout). */
  leaseMs?: number;
  concurrency?: number;
  metrics?: Metrics;
}

/** How often a queued batch of a paused automation looks again whether it was resumed. */
export const PAUSED_RECHECK_MS = 5 * 60_000;

/** An outcome, or: try this device again later (transient failure). */
type Result = ChunkOutcome | 'retry';

/** Thrown when some devices must be tried again later; the queue redelivers the batch. */
export class RetryBatchError extends Error {}

/** Process one queue message. Throws RetryBatchError when part of it must be retried. */
export async function sendBatch(deps: SendBatchDeps, batch: SendBatch): Promise<void> {
  const now = deps.clock.now();
  if (batch.notBefore && Date.parse(batch.notBefore) > now.getTime()) {
    await deps.queue.enqueue([batch]); // SQS delays are capped at 15 minutes: hop until it is time
    return;
  }
  const campaign = await deps.campaigns.get(batch.tenantId, batch.campaignId, { liveCounters: false });
  if (!campaign || campaign.status === 'cancelled') return;
  if (batch.automated && campaign.status === 'paused') {
    // Paused: what was queued (or held by quiet hours) waits for the resume, checking back every few minutes.
    await deps.queue.enqueue([{ ...batch, notBefore: new Date(now.getTime() + PAUSED_RECHECK_MS).toISOString() }]);
    return;
  }
  const claim = await deps.ledger.claimChunk(batch.tenantId, batch.campaignId, batch.batchId, now, deps.leaseMs ?? 60_000);
  if (claim.outcome === 'busy') throw new RetryBatchError(`chunk ${batch.batchId} is held by another sender`);
  // Variants and a control group: each device's arm, from (campaign id, device id) alone.
  const split = armSplit(campaign);
  if (claim.outcome === 'done') return finishChunk(deps, batch, claim.recorded, split);

  const recorded: ChunkOutcomes = { ...claim.recorded };
  const pending = batch.deviceIds.filter((id) => !recorded[id]);
  const [settings, devices] = await Promise.all([deps.settings.get(batch.tenantId), deps.devices.getMany(batch.tenantId, pending)]);
  const limit = pLimit(deps.concurrency ?? 8);
  // An automation pushes a device once per occurrence: each batch is its own delivery (the gateway's record of it too).
  const delivery = batch.automated ? batch.batchId : undefined;
  const ofDevice = (id: string) => ({ deviceId: id, device: devices.get(id), campaign, settings, delivery, split });
  // Who is not pushed (opted out, dead token, quiet hours, pushed before a crash) ...
  const decided = await Promise.all(pending.map((id) => limit(() => beforePush(deps, ofDevice(id), claim.interrupted))));
  let toPush = pending.filter((id, i) => {
    const d = decided[i];
    if (d) recorded[id] = d;
    return !d;
  });
  // This attempt's deferred devices get their quiet-hours chunk now, recorded with their outcome.
  assignChildren(batch, recorded, pending);
  // ... who is in the control group (recorded, never pushed; a capped one counts in neither arm) ...
  if (split) toPush = await holdOutControl(deps, batch, split, settings, toPush, devices, recorded);
  // ... who the frequency cap holds back (the chunk's devices reserved together) ...
  if (settings.frequencyCap && toPush.length > 0) {
    const reserved = await deps.caps.reserveMany(
      batch.tenantId,
      // An automation pushes a device once per occurrence: its reservation is per batch (a chunk's retry finds its own).
      batch.automated ? `${batch.campaignId}/${batch.batchId}` : batch.campaignId,
      now,
      settings.frequencyCap,
      toPush.map((id) => ({ deviceId: id, sent: batch.history?.[id] ?? [] })),
    );
    toPush = toPush.filter((id) => {
      if (!reserved.has(id)) recorded[id] = outcomeOf(deps, devices.get(id), 'suppressed', 'frequencyCap');
      return reserved.has(id);
    });
  }
  // ... and the pushes. Any error of one device (not only a provider's transient one: a throttled
  // DynamoDB write, an unexpected SNS answer) retries that device; the others' outcomes are still
  // recorded below, so a redelivery never re-sends them.
  const results = await Promise.allSettled(toPush.map((id) => limit(() => push(deps, ofDevice(id)))));
  let retry = false;
  const errors: unknown[] = [];
  results.forEach((r, i) => {
    if (r.status === 'rejected') errors.push(r.reason);
    if (r.status === 'rejected' || r.value === 'retry') retry = true;
    else recorded[toPush[i]] = r.value;
  });
  // One write records the chunk (part-done when some devices must be retried, which gives the chunk back).
  if (!(await deps.ledger.recordChunk(batch.tenantId, batch.campaignId, batch.batchId, claim.lease, recorded, !retry, deps.clock.now()))) {
    throw new RetryBatchError(`chunk ${batch.batchId}: the lease ran out before its outcomes were recorded`);
  }
  if (retry) {
    await enqueueDeferred(deps, batch, recorded); // deferred devices need not wait for the retry
    // An unexpected error is rethrown (logged by the handler) once the others are recorded.
    if (errors.length > 0) throw errors[0];
    throw new RetryBatchError('some devices hit transient failures');
  }
  await finishChunk(deps, batch, recorded, split);
}

/**
 * A chunk whose devices all have an outcome: enqueue its deferred devices, put its outcomes in the
 * lake, count it (once, by its id), complete the campaign if it was the last. Each step is
 * idempotent, so a redelivered chunk that finds itself done runs them again safely.
 */
async function finishChunk(deps: SendBatchDeps, batch: SendBatch, recorded: ChunkOutcomes, split: ArmSplit | null): Promise<void> {
  await enqueueDeferred(deps, batch, recorded);
  const rows: DeliveryRow[] = [];
  // A quiet-hours chunk done: its devices are no longer held (those deferred again were added back by their own chunk).
  const deltas: Partial<DeliveryCounters> = {
    batchesDone: 1,
    ...(isDeferredChunk(batch.batchId) ? { deferred: -batch.deviceIds.length } : {}),
  };
  for (const [deviceId, o] of Object.entries(recorded)) {
    if (o.state === 'deferred') continue;
    // A device with no record (deleted or erased since the audience was read) is counted, but leaves
    // no row in the lake: an erasure must not find its id back there.
    if (o.state !== 'suppressed' || o.platform !== null)
      rows.push({
        campaign_id: batch.campaignId,
        device_id: deviceId,
        wave_id: batch.waveId,
        batch_id: batch.batchId,
        outcome: o.state,
        reason: o.reason,
        platform: o.platform,
        ts: o.at,
        ...(split ? { variant: split.armOf(deviceId) } : {}),
      });
    const counter = counterOf(o);
    if (counter) deltas[counter] = (deltas[counter] ?? 0) + 1;
  }
  if (rows.length > 0) await deps.lake.appendDeliveries(batch.tenantId, rows);
  if (batch.automated) {
    // An automation never completes: its counts accumulate per day (its timeline).
    const { batchesDone: _done, ...daily } = deltas;
    if (
      await deps.campaigns.addDailyCounters(
        batch.tenantId,
        batch.campaignId,
        `done:${batch.batchId}`,
        automationBatchDay(batch.batchId, deps.clock.now()),
        daily,
      )
    )
      emitMetrics(deps.metrics, deltas);
    return;
  }
  if (
    await deps.campaigns.addBatchCounters(batch.tenantId, batch.campaignId, `done:${batch.batchId}`, deltas, {
      waveId: batch.waveId,
      net: 1,
    })
  )
    emitMetrics(deps.metrics, deltas);
  // Also after a crash between the update and here: completing is idempotent.
  await completeIfDone(deps, batch.tenantId, batch.campaignId);
}

/** The id of the quiet-hours chunk of `deviceIds`, deferred by `batch` to `notBefore`. */
function childId(batch: SendBatch, notBefore: string, deviceIds: readonly string[]): string {
  // The id names the devices too: a retried parent may defer other devices to the same instant (a
  // device's zone changed meanwhile, quiet hours were edited), and their chunk must not be taken for the first one.
  return `${batch.batchId}>q${Date.parse(notBefore).toString(36)}.${membersTag(deviceIds)}`;
}

/**
 * Give the devices deferred in this attempt (among `attempted`) their chunk: one per instant, its id
 * kept in each outcome. Devices deferred by an earlier attempt keep the chunk they were given, so a
 * retried parent never puts a device in two chunks (it would be pushed twice).
 */
function assignChildren(batch: SendBatch, recorded: ChunkOutcomes, attempted: readonly string[]): void {
  const byInstant = new Map<string, string[]>();
  for (const id of attempted) {
    const o = recorded[id];
    if (o?.state === 'deferred' && !o.child) byInstant.set(o.at, [...(byInstant.get(o.at) ?? []), id]);
  }
  for (const [notBefore, ids] of byInstant) {
    const child = childId(batch, notBefore, ids);
    for (const id of ids) recorded[id] = { ...recorded[id], child };
  }
}

/**
 * Deferred devices (quiet hours) go out later as chunks of their own (the chunk each outcome names),
 * counted (once per id) before they are enqueued, so the campaign cannot complete without them.
 * Enqueued again on a redelivery: the child's own claim absorbs the copy. Outcomes recorded before
 * chunks were named (no `child`) are grouped by instant, as they were then.
 */
async function enqueueDeferred(deps: SendBatchDeps, batch: SendBatch, recorded: ChunkOutcomes): Promise<void> {
  const deferred = new Map<string, { notBefore: string; deviceIds: string[] }>();
  const legacy = new Map<string, string[]>();
  for (const id of batch.deviceIds) {
    const o = recorded[id];
    if (o?.state !== 'deferred') continue;
    if (!o.child) legacy.set(o.at, [...(legacy.get(o.at) ?? []), id]);
    else deferred.set(o.child, { notBefore: o.at, deviceIds: [...(deferred.get(o.child)?.deviceIds ?? []), id] });
  }
  for (const [notBefore, deviceIds] of legacy) deferred.set(childId(batch, notBefore, deviceIds), { notBefore, deviceIds });
  for (const [batchId, { notBefore, deviceIds }] of deferred) {
    const history = batch.history
      ? Object.fromEntries(deviceIds.filter((id) => batch.history![id]).map((id) => [id, batch.history![id]]))
      : undefined;
    const next: SendBatch = {
      tenantId: batch.tenantId,
      campaignId: batch.campaignId,
      waveId: batch.waveId,
      batchId,
      deviceIds,
      notBefore,
      ...(history ? { history } : {}),
      ...(batch.correlationId ? { correlationId: batch.correlationId } : {}),
      ...(batch.automated ? { automated: true } : {}),
    };
    if (batch.automated)
      await deps.campaigns.addDailyCounters(
        batch.tenantId,
        batch.campaignId,
        `enqueued:${next.batchId}`,
        automationBatchDay(next.batchId, deps.clock.now()),
        {
          deferred: deviceIds.length,
        },
      );
    else
      await deps.campaigns.addBatchCounters(
        batch.tenantId,
        batch.campaignId,
        `enqueued:${next.batchId}`,
        { batchesEnqueued: 1, deferred: deviceIds.length },
        { waveId: batch.waveId, net: -1 },
      );
    await deps.queue.enqueue([next]);
  }
}

/** True for a chunk of devices deferred by quiet hours (its id is its parent's + `>q<instant>.<tag>`). */
export function isDeferredChunk(batchId: string): boolean {
  return /[>]q[0-9a-z]+\.[A-Za-z0-9_-]{10}$/.test(batchId);
}

/** A short, stable tag of a set of device ids (order does not matter). */
function membersTag(deviceIds: readonly string[]): string {
  return createHash('sha256')
    .update([...deviceIds].sort().join('\n'))
    .digest('base64url')
    .slice(0, 10);
}

function emitMetrics(metrics: Metrics | undefined, deltas: Partial<DeliveryCounters>): void {
  if (!metrics) return;
  metrics.count(METRICS.pushSent, deltas.sent ?? 0);
  metrics.count(METRICS.pushFailed, deltas.failed ?? 0);
  for (const [counter, reason] of [
    ['supOptedOut', 'optedOut'],
    ['supFrequencyCap', 'frequencyCap'],
    ['supInvalidToken', 'invalidToken'],
  ] as const) {
    metrics.count(METRICS.pushSuppressed, deltas[counter] ?? 0, { name: 'reason', value: reason });
  }
}

/** The counter an outcome adds to. */
function counterOf(o: ChunkOutcome): keyof DeliveryCounters | undefined {
  if (o.state === 'sent') return 'sent';
  if (o.state === 'failed') return 'failed';
  if (o.state === 'held_out') return 'heldOut';
  if (o.state !== 'suppressed') return undefined;
  return o.reason === 'optedOut'
    ? 'supOptedOut'
    : o.reason === 'frequencyCap'
      ? 'supFrequencyCap'
      : o.reason === 'invalidToken'
        ? 'supInvalidToken'
        : undefined;
}

interface DeviceToSend {
  deviceId: string;
  device: Device | undefined;
  campaign: Campaign;
  settings: Settings;
  /** Which delivery of the campaign (an automation's batch id); undefined for campaigns. */
  delivery?: string;
  /** The campaign's variants and control group, when it has them. */
  split: ArmSplit | null;
}

function outcomeOf(
  deps: Pick<SendBatchDeps, 'clock'>,
  device: Device | undefined,
  state: ChunkOutcome['state'],
  reason: string | null,
): ChunkOutcome {
  return { state, reason, platform: device?.platform ?? null, at: deps.clock.now().toISOString() };
}

/**
 * The outcome of a device that is not pushed now, or null to push it. `interrupted`: a sender died
 * holding the chunk, so the device may have been pushed already (asked of the gateway).
 */
async function beforePush(deps: SendBatchDeps, d: DeviceToSend, interrupted: boolean): Promise<ChunkOutcome | null> {
  const { device, campaign: c, settings } = d;
  if (interrupted && (await deps.gateway.deliveryRecord(c.tenantId, c.id, d.deviceId, d.delivery)) === 'delivered')
    return outcomeOf(deps, device, 'sent', null);
  if (!device || !device.optedIn) return outcomeOf(deps, device, 'suppressed', 'optedOut');
  if (device.tokenState === 'invalid') return outcomeOf(deps, device, 'suppressed', 'invalidToken');
  const zone = device.timezone ?? c.timezone ?? settings.defaultTimezone;
  const quietUntil = nextSendTimeOutsideQuietHours(deps.clock.now(), zone, settings.quietHours);
  if (quietUntil) return { state: 'deferred', reason: 'quietHours', platform: device.platform, at: quietUntil.toISOString() };
  return null;
}

/** Push one device (it passed every rule); a transient provider failure asks for a retry. */
async function push(deps: SendBatchDeps, d: DeviceToSend): Promise<Result> {
  const { deviceId, campaign: c } = d;
  const device = d.device!;
  const message = d.split ? d.split.messageOf(d.split.armOf(deviceId)) : c.message!;
  try {
    const result = await deps.gateway.send({
      tenantId: c.tenantId,
      campaignId: c.id,
      deviceId,
      platform: device.platform,
      token: device.token,
      endpointArn: device.endpointArn,
      message: renderSnsMessage(message, { campaignId: c.id, platform: device.platform, apnsSandbox: deps.apnsSandbox }),
      attributes: pushAttributes(message, device.platform, c.id, { apnsSandbox: deps.apnsSandbox }),
      ...(d.delivery ? { delivery: d.delivery } : {}),
    });
    if (result.outcome === 'sent') return outcomeOf(deps, device, 'sent', null);
    if (result.outcome === 'invalid_token') {
      await deps.devices.markTokenInvalid(c.tenantId, deviceId, device.token);
      return outcomeOf(deps, device, 'suppressed', 'invalidToken');
    }
    return outcomeOf(deps, device, 'failed', result.reason);
  } catch (err) {
    if (!(err instanceof TransientPushError)) throw err;
    return 'retry';
  }
}
