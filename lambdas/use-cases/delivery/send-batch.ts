/**
 * The sender: for each device of a batch, re-check it at send time, apply quiet hours (defer, never
 * drop) and the frequency cap, push once through the gateway, and record the outcome in the ledger.
 *
 * Counting is exact without reading the ledger: a batch adds its counts in one idempotent update
 * (keyed by its id) once every device of it has an outcome, and those counts are the devices whose
 * ledger entry this batch id finished, in this attempt or in an earlier one that crashed or was
 * retried. A device finished by another batch (a duplicate page) is that batch's to count. The
 * campaign becomes `sent` when its last batch is done.
 *
 * DynamoDB writes per delivered device: ledger claim + finish = 2 (the finish also puts the push in the
 * sends-by-device index a frequency cap reads), + 1 compare-and-set under a cap, + 1/100 for the
 * batch's counter update.
 */
import pLimit from 'p-limit';
import type { Campaign, DeliveryCounters } from '../../domain/campaigns/campaign-record';
import { pushAttributes, renderSnsMessage } from '../../domain/campaigns/payloads';
import { nextSendTimeOutsideQuietHours } from '../../domain/campaigns/schedule';
import type { Device } from '../../domain/devices/device';
import type { DeliveryRow } from '../../domain/lake-schema';
import type { Settings } from '../../domain/settings';
import type { CampaignStore } from '../../ports/campaign-store';
import type { Clock } from '../../ports/clock';
import type { DeliveryLedger, FrequencyCapStore, LedgerEntry, LedgerState } from '../../ports/delivery-ledger';
import type { DeviceStore } from '../../ports/device-store';
import type { EventLake } from '../../ports/event-lake';
import type { Metrics } from '../../ports/metrics';
import { METRICS } from '../../config/metric-names';
import { TransientPushError, type PushGateway } from '../../ports/push-gateway';
import type { SendBatch, SendQueue } from '../../ports/send-queue';
import type { SettingsStore } from '../../ports/settings-store';
import { completeIfDone } from './complete-campaign';

export interface SendBatchDeps {
  campaigns: CampaignStore;
  devices: DeviceStore;
  settings: SettingsStore;
  ledger: DeliveryLedger;
  caps: FrequencyCapStore;
  gateway: PushGateway;
  queue: SendQueue;
  /** The deliveries table of the lake: every outcome this batch recorded (the cap's history, insights' sent set). */
  lake: Pick<EventLake, 'appendDeliveries'>;
  clock: Clock;
  apnsSandbox?: boolean;
  /** How long a claim on a device protects it from other senders. */
  leaseMs?: number;
  concurrency?: number;
  metrics?: Metrics;
}

type Outcome = { counter?: keyof DeliveryCounters; deferUntil?: string; retry?: boolean; row?: DeliveryRow };

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
  const [settings, devices] = await Promise.all([deps.settings.get(batch.tenantId), deps.devices.getMany(batch.tenantId, batch.deviceIds)]);
  const limit = pLimit(deps.concurrency ?? 8);
  const outcomes = await Promise.all(batch.deviceIds.map((id) => limit(() => sendOne(deps, campaign, settings, batch.waveId, batch.batchId, id, devices.get(id)))));

  // Deferred devices (quiet hours) go out later as batches of their own, counted (once per batch id)
  // before they are enqueued and before this batch is done, so the campaign cannot complete without them.
  const deferred = new Map<string, string[]>();
  outcomes.forEach((o, i) => o.deferUntil && deferred.set(o.deferUntil, [...(deferred.get(o.deferUntil) ?? []), batch.deviceIds[i]]));
  for (const [notBefore, deviceIds] of deferred) {
    const next: SendBatch = { ...batch, batchId: `${batch.batchId}>q${Date.parse(notBefore).toString(36)}`, deviceIds, notBefore };
    await deps.campaigns.addBatchCounters(batch.tenantId, batch.campaignId, `enqueued:${next.batchId}`, { batchesEnqueued: 1 });
    await deps.queue.enqueue([next]);
  }
  if (outcomes.some((o) => o.retry)) throw new RetryBatchError('some devices hit transient failures or are held by another sender');

  // The outcomes this batch recorded go to the lake before the batch counts as done: once a campaign is
  // `sent`, every outcome is in the deliveries table. A retry writes them again; readers keep one per device.
  const rows = outcomes.flatMap((o) => (o.row ? [o.row] : []));
  if (rows.length > 0) await deps.lake.appendDeliveries(batch.tenantId, rows);
  const deltas: Partial<DeliveryCounters> = { batchesDone: 1 };
  for (const o of outcomes) if (o.counter) deltas[o.counter] = (deltas[o.counter] ?? 0) + 1;
  if (await deps.campaigns.addBatchCounters(batch.tenantId, batch.campaignId, `done:${batch.batchId}`, deltas)) emitMetrics(deps.metrics, deltas);
  // Also after a crash between the update and here: completing is idempotent.
  await completeIfDone(deps, batch.tenantId, batch.campaignId);
}

function emitMetrics(metrics: Metrics | undefined, deltas: Partial<DeliveryCounters>): void {
  if (!metrics) return;
  metrics.count(METRICS.pushSent, deltas.sent ?? 0);
  metrics.count(METRICS.pushFailed, deltas.failed ?? 0);
  for (const [counter, reason] of [['supOptedOut', 'optedOut'], ['supFrequencyCap', 'frequencyCap'], ['supInvalidToken', 'invalidToken']] as const) {
    metrics.count(METRICS.pushSuppressed, deltas[counter] ?? 0, { name: 'reason', value: reason });
  }
}

/** The counter a recorded outcome adds to. */
function counterOf(state: LedgerState, reason: string | null): keyof DeliveryCounters | undefined {
  if (state === 'sent') return 'sent';
  if (state === 'failed') return 'failed';
  if (state !== 'suppressed') return undefined;
  return reason === 'optedOut' ? 'supOptedOut' : reason === 'frequencyCap' ? 'supFrequencyCap' : reason === 'invalidToken' ? 'supInvalidToken' : undefined;
}

async function sendOne(deps: SendBatchDeps, c: Campaign, settings: Settings, waveId: string, batchId: string, deviceId: string, device: Device | undefined): Promise<Outcome> {
  const now = deps.clock.now();
  const claim = await deps.ledger.claim(c.tenantId, c.id, deviceId, now, deps.leaseMs ?? 60_000);
  const row = (state: LedgerState, reason: string | null, at: string): DeliveryRow | undefined =>
    state === 'sending' ? undefined : { campaign_id: c.id, device_id: deviceId, wave_id: waveId, batch_id: batchId, outcome: state, reason, platform: device?.platform ?? null, ts: at };
  // Recorded by this batch in an attempt that did not get to count it: count it now (once, with the batch).
  if (claim.outcome === 'done') return claim.batchId === batchId ? { counter: counterOf(claim.state, claim.reason), row: row(claim.state, claim.reason, claim.at) } : {};
  if (claim.outcome === 'busy') return { retry: true };
  const lease = claim.lease;
  const finish = async (state: LedgerEntry['state'], reason: string | null, counter: keyof DeliveryCounters): Promise<Outcome> => {
    const at = deps.clock.now().toISOString();
    const ok = await deps.ledger.finish(c.tenantId, c.id, deviceId, lease, { state, reason, platform: device?.platform ?? null, at, batchId });
    return ok ? { counter, row: row(state, reason, at) } : {};
  };

  if (claim.outcome === 'expired') {
    // A sender died holding this device. When the gateway knows the push went out, record it. When it
    // cannot know (SNS), push again: the collapse id/key (= campaign id) makes a second copy replace
    // the first on the phone, so the device shows one notification and is never left without one.
    const record = await deps.gateway.deliveryRecord(c.tenantId, c.id, deviceId);
    if (record === 'delivered') return finish('sent', null, 'sent');
  }
  if (!device || !device.optedIn) return finish('suppressed', 'optedOut', 'supOptedOut');
  if (device.tokenState === 'invalid') return finish('suppressed', 'invalidToken', 'supInvalidToken');

  const zone = device.timezone ?? c.timezone ?? settings.defaultTimezone;
  const quietUntil = nextSendTimeOutsideQuietHours(now, zone, settings.quietHours);
  if (quietUntil) {
    await deps.ledger.release(c.tenantId, c.id, deviceId, lease);
    return { deferUntil: quietUntil.toISOString() };
  }
  // Every push is in the history a cap reads (the ledger's sends-by-device index), cap or not, so a cap
  // switched on later counts the pushes of its window; reserving under a cap is strict across campaigns.
  if (settings.frequencyCap && !(await deps.caps.reserve(c.tenantId, deviceId, c.id, now, settings.frequencyCap))) {
    return finish('suppressed', 'frequencyCap', 'supFrequencyCap');
  }

  try {
    const result = await deps.gateway.send({
      tenantId: c.tenantId,
      campaignId: c.id,
      deviceId,
      platform: device.platform,
      token: device.token,
      endpointArn: device.endpointArn,
      message: renderSnsMessage(c.message, { campaignId: c.id, platform: device.platform, apnsSandbox: deps.apnsSandbox }),
      attributes: pushAttributes(c.message, device.platform, c.id, { apnsSandbox: deps.apnsSandbox }),
    });
    if (result.outcome === 'sent') return finish('sent', null, 'sent');
    if (result.outcome === 'invalid_token') {
      await deps.devices.markTokenInvalid(c.tenantId, deviceId, device.token);
      return finish('suppressed', 'invalidToken', 'supInvalidToken');
    }
    return finish('failed', result.reason, 'failed');
  } catch (err) {
    if (!(err instanceof TransientPushError)) throw err;
    await deps.ledger.release(c.tenantId, c.id, deviceId, lease);
    return { retry: true };
  }
}
