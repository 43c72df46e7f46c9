/**
 * The trigger: when a wave fires, evaluate the campaign's audience now (segment edits apply),
 * restricted to the wave's time zones, with ONE run of the members query, and read its result page
 * by page, enqueuing batches of device ids as it goes. Each page moves the wave's cursor (execution,
 * page token, pages and batches enqueued) with a compare-and-set, so a re-fired wave reads on from
 * where it stopped without running the query again. Only a lost result (failed, or forgotten by the
 * engine) is run again, once, for the devices after the last one enqueued.
 * When its invocation runs short of time, the trigger hands the rest of the wave to a new one.
 *
 * Each batch is one chunk of the ledger, named by (wave, execution, page, index): a re-read page
 * re-enqueues identical chunks, which the sender's chunk claims absorb. The query leaves out devices
 * the campaign already has an outcome for in the lake (an earlier wave, a page before a re-run) and,
 * under a frequency cap, brings each device's pushes of the cap's window for the sender to count.
 */
import type { Campaign, WaveCursor, WaveState } from '../../domain/campaigns/campaign-record';
import { MAX_CAP_PER_DEVICE, type SendRecord } from '../../domain/campaigns/frequency-cap';
import { batchNotBefore, effectivePerMinute } from '../../domain/campaigns/pacing';
import { compileMembers, dialectFor, type MembersOptions } from '../../domain/segments/compiler';
import type { CampaignStore } from '../../ports/campaign-store';
import type { Clock } from '../../ports/clock';
import { QueryResultLostError, type QueryEngine, type ResultPage } from '../../ports/query-engine';
import type { TriggerInvoker, WaveTrigger } from '../../ports/scheduler';
import type { SegmentStore } from '../../ports/segment-store';
import type { SettingsStore } from '../../ports/settings-store';
import type { Settings } from '../../domain/settings';
import type { EventLake } from '../../ports/event-lake';
import { DEVICES_PER_BATCH, type SendBatch, type SendQueue } from '../../ports/send-queue';
import { audienceDefinition } from '../campaigns/audience';
import { loadReferenced } from '../segments/definitions';
import { completeIfDone } from './complete-campaign';

export interface FireWaveDeps {
  campaigns: CampaignStore;
  segments: SegmentStore;
  settings: SettingsStore;
  /** The deliveries table: a `queued` row per enqueued device, so later waves leave it out at once. */
  lake: Pick<EventLake, 'appendDeliveries'>;
  queryEngine: QueryEngine;
  queue: SendQueue;
  clock: Clock;
  /** Hands the rest of a wave to a new invocation of the trigger (the continuation). */
  triggers: TriggerInvoker;
  /** Devices read per step (one enqueue, one move of the cursor); default 5,000 (five Athena pages). */
  pageSize?: number;
  /** Account-wide ceiling on pushes a minute (null/absent: none); a campaign's sendRate is lowered to it. */
  sendCeilingPerMinute?: number | null;
}

export interface FireWaveOptions {
  /** True when this invocation should hand the rest of the wave over (its time is nearly up). */
  shouldYield?: () => boolean;
}

/** skipped: nothing to fire; stopped: cancelled, or another firing is ahead; continued: handed over; enqueued: the whole wave is queued. */
export type FireWaveOutcome = 'skipped' | 'stopped' | 'continued' | 'enqueued';

/** Fire one wave of a campaign (idempotent; resumes a wave that was interrupted or handed over). */
export async function fireWave(deps: FireWaveDeps, trigger: WaveTrigger, options: FireWaveOptions = {}): Promise<FireWaveOutcome> {
  const { tenantId, campaignId } = trigger;
  const started = await deps.campaigns.startWave(tenantId, campaignId, trigger.wave, deps.clock.now().toISOString());
  if (!started) {
    // Cancelled, a stale schedule, or already enqueued; in the last case a crash may have come between
    // the wave's last page and completion, and an empty wave has no sender left to complete it.
    await completeIfDone(deps, tenantId, campaignId);
    return 'skipped';
  }
  const wave = started.waves[trigger.wave];
  const perMinute = effectivePerMinute(started.sendRate?.perMinute ?? null, deps.sendCeilingPerMinute ?? null);
  const waveStartMs = Date.parse(wave.firedAt ?? deps.clock.now().toISOString());
  const rows = deps.pageSize ?? 5000;
  // The launch's correlation id rides on each batch (and on a continuation: it is part of the trigger).
  const correlation = trigger.correlationId ? { correlationId: trigger.correlationId } : {};
  // Read once per invocation: the cap decides whether the query brings send histories, and how many per device a batch carries.
  const { frequencyCap } = await deps.settings.get(tenantId);
  const capMax = frequencyCap?.maxPerDevice ?? MAX_CAP_PER_DEVICE;
  let at: WaveCursor = {
    cursor: wave.cursor,
    pages: wave.pages,
    execution: wave.execution ?? null,
    pageToken: wave.pageToken ?? null,
    batches: wave.batches ?? 0,
  };
  // At most one run of the query per invocation: a query that fails for good fails the trigger (and its retries), not a loop.
  let ranHere = false;
  const runQuery = async (): Promise<boolean> => {
    ranHere = true;
    const handle = await deps.queryEngine.startResult(await membersQuery(deps, started, wave, at.cursor, deps.clock.now(), frequencyCap));
    if (!(await deps.campaigns.recordWaveExecution(tenantId, campaignId, wave.id, at, handle.id))) return false;
    at = { ...at, execution: handle.id, pageToken: null };
    return true;
  };
  if (at.execution === null && !(await runQuery())) return 'stopped';

  for (let step = 0; ; step++) {
    // One page at least per invocation, so a short timeout still makes progress instead of handing over forever.
    if (step > 0 && options.shouldYield?.()) {
      // The continuation re-takes the firing wave (startWave) and reads on from the stored cursor.
      await deps.triggers.fireNow(trigger);
      return 'continued';
    }
    // Only the status matters here: skip the live counters (a read of their shards per step).
    const current = await deps.campaigns.get(tenantId, campaignId, { liveCounters: false });
    if (!current || current.status === 'cancelled') return 'stopped';
    let page: ResultPage;
    try {
      page = await deps.queryEngine.readPage({ id: at.execution! }, at.pageToken, rows);
    } catch (err) {
      // Devices up to the cursor are enqueued, so the re-run starts after it. A page enqueued before a crash
      // but not recorded comes again under the same page number (batch ids); the ledger keeps each device to one push.
      if (!(err instanceof QueryResultLostError) || ranHere) throw err;
      if (!(await runQuery())) return 'stopped';
      continue;
    }
    const ids = page.rows.map((r) => String(r.device_id));
    const histories = sendHistories(page.rows, capMax);
    const batches: SendBatch[] = [];
    for (let i = 0; i * DEVICES_PER_BATCH < ids.length; i++) {
      const notBefore = batchNotBefore({ waveStartMs, batchIndex: at.batches + i, devicesPerBatch: DEVICES_PER_BATCH, perMinute });
      // Deterministic per (wave, execution, page, index): a resumed page re-enqueues identical chunks, each claimed and counted once.
      const batchId = `${wave.id}:${at.execution}:${at.pages}:${i}`;
      const deviceIds = ids.slice(i * DEVICES_PER_BATCH, (i + 1) * DEVICES_PER_BATCH);
      batches.push(
        ...fitted({
          tenantId,
          campaignId,
          waveId: wave.id,
          batchId,
          deviceIds,
          ...(notBefore ? { notBefore } : {}),
          ...historyOf(histories, deviceIds),
          ...correlation,
        }),
      );
    }
    // Enqueue before moving the cursor: a crash in between re-enqueues the page (the ledger absorbs it), never loses it.
    if (batches.length > 0) await deps.queue.enqueue(batches);
    // Then `queued` rows: a later wave's query (a device that moved to its zone while its chunk waits
    // for its pace, for quiet hours or for a retry) leaves it out without waiting for the chunk's outcome.
    // Written after the enqueue: a crash in between can repeat a device, never drop one.
    if (batches.length > 0) await deps.lake.appendDeliveries(tenantId, queuedRows(batches, deps.clock.now().toISOString()));
    const next: WaveCursor = {
      cursor: ids.at(-1) ?? at.cursor,
      pages: at.pages + 1,
      execution: at.execution,
      pageToken: page.next,
      batches: at.batches + batches.length,
    };
    const last = page.next === null;
    if (
      !(await deps.campaigns.advanceWave(tenantId, campaignId, wave.id, at, next, { devices: ids.length, batches: batches.length }, last))
    ) {
      return 'stopped'; // another firing of this wave got ahead of us (or it was cancelled); it carries on
    }
    at = next;
    if (last) break;
  }
  await completeIfDone(deps, tenantId, campaignId);
  return 'enqueued';
}

/**
 * The wave's members query: the whole audience in device order (after `cursor` when a lost result
 * is run again), without devices the campaign already reached, with their recent pushes under a cap.
 */
async function membersQuery(
  deps: Pick<FireWaveDeps, 'segments' | 'queryEngine'>,
  c: Campaign,
  wave: WaveState,
  cursor: string | null,
  now: Date,
  frequencyCap: Settings['frequencyCap'],
) {
  const def = await audienceDefinition(deps, c.tenantId, c.segmentId);
  const ctx = { tenantId: c.tenantId, now, segments: await loadReferenced(deps.segments, c.tenantId, def) };
  const zone = zoneFilter(c, wave);
  // Outcomes are recorded after launch; a day earlier covers clock skew between writers.
  const launched = new Date(Date.parse(c.launchedAt ?? c.createdAt) - 86_400_000);
  return compileMembers(def, ctx, dialectFor(deps.queryEngine.dialect), {
    ...(cursor !== null ? { afterDeviceId: cursor } : {}),
    ...(zone ? { zone } : {}),
    ...(frequencyCap ? { sendsSince: new Date(now.getTime() - frequencyCap.windowHours * 3_600_000) } : {}),
    notReachedBy: { campaignId: c.id, since: launched },
  });
}

function queuedRows(batches: readonly SendBatch[], at: string) {
  return batches.flatMap((b) =>
    b.deviceIds.map((device_id) => ({
      campaign_id: b.campaignId,
      device_id,
      wave_id: b.waveId,
      batch_id: b.batchId,
      outcome: 'queued' as const,
      reason: null,
      platform: null,
      ts: at,
    })),
  );
}

/** A batch message stays well under SQS's 256 KiB (its devices' histories are what can grow). */
const MAX_BATCH_MESSAGE_BYTES = 200_000;

/** The `history` field of a batch of these devices (absent when none has one). */
function historyOf(histories: Map<string, SendRecord[]>, deviceIds: readonly string[]): Pick<SendBatch, 'history'> {
  const history = Object.fromEntries(deviceIds.filter((id) => histories.has(id)).map((id) => [id, histories.get(id)!]));
  return Object.keys(history).length > 0 ? { history } : {};
}

/**
 * The batch, or its halves (ids `<id>/0`, `<id>/1`, deterministic for the same page) while it is
 * too big for one message: only long cap histories make it so.
 */
function fitted(b: SendBatch): SendBatch[] {
  if (b.deviceIds.length <= 1 || Buffer.byteLength(JSON.stringify(b)) <= MAX_BATCH_MESSAGE_BYTES) return [b];
  const half = Math.ceil(b.deviceIds.length / 2);
  return [b.deviceIds.slice(0, half), b.deviceIds.slice(half)].flatMap((deviceIds, k) => {
    const { history: _all, ...rest } = b;
    return fitted({ ...rest, batchId: `${b.batchId}/${k}`, deviceIds, ...historyOf(new Map(Object.entries(b.history ?? {})), deviceIds) });
  });
}

/**
 * Each device's recent pushes from the `recent_sends` column (JSON text of "<campaign>@<ISO>"): one
 * per campaign, the `keep` most recent (all a cap of `keep` pushes can count), so a batch message
 * stays small whatever the history (SQS takes 256 KiB).
 */
function sendHistories(rows: readonly Record<string, unknown>[], keep: number): Map<string, SendRecord[]> {
  const out = new Map<string, SendRecord[]>();
  for (const r of rows) {
    if (typeof r.recent_sends !== 'string' || r.recent_sends === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(r.recent_sends);
    } catch {
      // Our own SQL builds this JSON (jsonArrayAgg), so this cannot happen short of an engine bug; the device
      // then travels without a lake history and the cap store counts only the reservations it holds. Not
      // logged: a per-row loop, and use cases have no logger port.
      continue;
    }
    if (!Array.isArray(parsed)) continue;
    const byCampaign = new Map<string, SendRecord>();
    for (const v of parsed) {
      const at = typeof v === 'string' ? v.lastIndexOf('@') : -1;
      if (at <= 0) continue;
      const send = { campaignId: v.slice(0, at), at: v.slice(at + 1) };
      const seen = byCampaign.get(send.campaignId);
      if (!seen || send.at > seen.at) byCampaign.set(send.campaignId, send);
    }
    const sends = [...byCampaign.values()].sort((a, b) => b.at.localeCompare(a.at)).slice(0, keep);
    if (sends.length > 0) out.set(String(r.device_id), sends);
  }
  return out;
}

/**
 * Which devices a wave takes. `now`/`at` take all. A `local` wave takes its zones; the fallback wave
 * also takes devices with no zone and devices whose zone no wave was planned for (registered since launch).
 */
function zoneFilter(c: Campaign, wave: WaveState): MembersOptions['zone'] {
  if (wave.memberZones === null) return undefined;
  const planned = Object.values(c.waves).flatMap((w) => w.memberZones ?? []);
  return wave.includeMissingTimezone
    ? { timezones: wave.memberZones, includeMissing: true, includeOthersThan: planned }
    : { timezones: wave.memberZones, includeMissing: false };
}
