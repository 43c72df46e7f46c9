/**
 * The trigger: when a wave fires, evaluate the campaign's audience now (segment edits apply),
 * restricted to the wave's time zones, page through it and enqueue batches of device ids. Each page
 * moves the wave's cursor with a compare-and-set, so a re-fired wave resumes where it stopped.
 */
import type { Campaign, WaveState } from '../../domain/campaigns/campaign-record';
import { compileMembers, dialectFor, type MembersOptions } from '../../domain/segments/compiler';
import type { CampaignStore } from '../../ports/campaign-store';
import type { Clock } from '../../ports/clock';
import type { QueryEngine } from '../../ports/query-engine';
import type { WaveTrigger } from '../../ports/scheduler';
import type { SegmentStore } from '../../ports/segment-store';
import { DEVICES_PER_BATCH, type SendBatch, type SendQueue } from '../../ports/send-queue';
import { audienceDefinition } from '../campaigns/audience';
import { loadReferenced } from '../segments/definitions';
import { completeIfDone } from './complete-campaign';
import type { DeliveryLedger } from '../../ports/delivery-ledger';

export interface FireWaveDeps {
  campaigns: CampaignStore;
  segments: SegmentStore;
  queryEngine: QueryEngine;
  queue: SendQueue;
  ledger: DeliveryLedger;
  clock: Clock;
  /** Devices read per members query. */
  pageSize?: number;
}

/** Fire one wave of a campaign (idempotent; resumes a wave that was interrupted). */
export async function fireWave(deps: FireWaveDeps, trigger: WaveTrigger): Promise<void> {
  const now = deps.clock.now();
  const started = await deps.campaigns.startWave(trigger.tenantId, trigger.campaignId, trigger.wave, now.toISOString());
  if (!started) return; // cancelled, already enqueued, or no such wave (a stale schedule)
  const wave = started.waves[trigger.wave];
  const def = await audienceDefinition(deps, trigger.tenantId, started.segmentId);
  const ctx = { tenantId: trigger.tenantId, now, segments: await loadReferenced(deps.segments, trigger.tenantId, def) };
  const dialect = dialectFor(deps.queryEngine.dialect);
  const pageSize = deps.pageSize ?? 10_000;
  const zone = zoneFilter(started, wave);
  let cursor = wave.cursor;
  let pages = wave.pages;
  for (;;) {
    const current = await deps.campaigns.get(trigger.tenantId, trigger.campaignId);
    if (!current || current.status === 'cancelled') return;
    const opts: MembersOptions = { limit: pageSize, ...(cursor !== null ? { afterDeviceId: cursor } : {}), ...(zone ? { zone } : {}) };
    const rows = await deps.queryEngine.run(compileMembers(def, ctx, dialect, opts));
    if (rows.length === 0) break;
    const ids = rows.map((r) => String(r.device_id));
    const batches: SendBatch[] = [];
    for (let i = 0; i < ids.length; i += DEVICES_PER_BATCH) {
      batches.push({ tenantId: trigger.tenantId, campaignId: trigger.campaignId, waveId: wave.id, batchId: `${wave.id}:${pages}:${i / DEVICES_PER_BATCH}`, deviceIds: ids.slice(i, i + DEVICES_PER_BATCH) });
    }
    // Enqueue before moving the cursor: a crash in between re-enqueues the page (the ledger absorbs it), never loses it.
    await deps.queue.enqueue(batches);
    const next = ids[ids.length - 1];
    const moved = await deps.campaigns.advanceWave(trigger.tenantId, trigger.campaignId, wave.id, cursor, { cursor: next, pages: pages + 1 }, { devices: ids.length, batches: batches.length });
    if (!moved) return; // another firing of this wave got ahead of us; it carries on
    cursor = next;
    pages++;
    if (rows.length < pageSize) break;
  }
  await deps.campaigns.finishWave(trigger.tenantId, trigger.campaignId, wave.id);
  await completeIfDone(deps, trigger.tenantId, trigger.campaignId);
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
