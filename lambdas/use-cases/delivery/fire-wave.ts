/**
 * The trigger: when a wave fires, evaluate the campaign's audience now (segment edits apply),
 * restricted to the wave's time zones, with ONE run of the members query, and read its result page
 * by page, enqueuing batches of device ids as it goes. Each page moves the wave's cursor (execution,
 * page token, pages and batches enqueued) with a compare-and-set, so a re-fired wave reads on from
 * where it stopped without running the query again. Only a lost result (failed, or forgotten by a
 * restarted local engine) is run again, once, for the devices after the last one enqueued.
 * When its invocation runs short of time, the trigger hands the rest of the wave to a new one.
 */
import type { Campaign, WaveCursor, WaveState } from '../../domain/campaigns/campaign-record';
import { batchNotBefore, effectivePerMinute } from '../../domain/campaigns/pacing';
import { compileMembers, dialectFor, type MembersOptions } from '../../domain/segments/compiler';
import type { CampaignStore } from '../../ports/campaign-store';
import type { Clock } from '../../ports/clock';
import { QueryResultLostError, type QueryEngine, type ResultPage } from '../../ports/query-engine';
import type { TriggerInvoker, WaveTrigger } from '../../ports/scheduler';
import type { SegmentStore } from '../../ports/segment-store';
import { DEVICES_PER_BATCH, type SendBatch, type SendQueue } from '../../ports/send-queue';
import { audienceDefinition } from '../campaigns/audience';
import { loadReferenced } from '../segments/definitions';
import { completeIfDone } from './complete-campaign';

export interface FireWaveDeps {
  campaigns: CampaignStore;
  segments: SegmentStore;
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
  let at: WaveCursor = { cursor: wave.cursor, pages: wave.pages, execution: wave.execution ?? null, pageToken: wave.pageToken ?? null, batches: wave.batches ?? 0 };
  // At most one run of the query per invocation: a query that fails for good fails the trigger (and its retries), not a loop.
  let ranHere = false;
  const runQuery = async (): Promise<boolean> => {
    ranHere = true;
    const handle = await deps.queryEngine.startResult(await membersQuery(deps, started, wave, at.cursor));
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
    const batches: SendBatch[] = [];
    for (let i = 0; i * DEVICES_PER_BATCH < ids.length; i++) {
      const notBefore = batchNotBefore({ waveStartMs, batchIndex: at.batches + i, devicesPerBatch: DEVICES_PER_BATCH, perMinute });
      // Deterministic per (wave, page, index): a resumed page re-enqueues identical batches, each counted done once.
      const batchId = `${wave.id}:${at.pages}:${i}`;
      batches.push({ tenantId, campaignId, waveId: wave.id, batchId, deviceIds: ids.slice(i * DEVICES_PER_BATCH, (i + 1) * DEVICES_PER_BATCH), ...(notBefore ? { notBefore } : {}) });
    }
    // Enqueue before moving the cursor: a crash in between re-enqueues the page (the ledger absorbs it), never loses it.
    if (batches.length > 0) await deps.queue.enqueue(batches);
    const next: WaveCursor = { cursor: ids.at(-1) ?? at.cursor, pages: at.pages + 1, execution: at.execution, pageToken: page.next, batches: at.batches + batches.length };
    const last = page.next === null;
    if (!(await deps.campaigns.advanceWave(tenantId, campaignId, wave.id, at, next, { devices: ids.length, batches: batches.length }, last))) {
      return 'stopped'; // another firing of this wave got ahead of us (or it was cancelled); it carries on
    }
    at = next;
    if (last) break;
  }
  await completeIfDone(deps, tenantId, campaignId);
  return 'enqueued';
}

/** The wave's members query: the whole audience in device order, after `cursor` when a lost result is run again. */
async function membersQuery(deps: Pick<FireWaveDeps, 'segments' | 'queryEngine' | 'clock'>, c: Campaign, wave: WaveState, cursor: string | null) {
  const def = await audienceDefinition(deps, c.tenantId, c.segmentId);
  const ctx = { tenantId: c.tenantId, now: deps.clock.now(), segments: await loadReferenced(deps.segments, c.tenantId, def) };
  const zone = zoneFilter(c, wave);
  return compileMembers(def, ctx, dialectFor(deps.queryEngine.dialect), { ...(cursor !== null ? { afterDeviceId: cursor } : {}), ...(zone ? { zone } : {}) });
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
