/**
 * Planning a campaign's waves: at launch (and re-planning on edit), handing them to the scheduler,
 * and for the plan preview (campaign-plans.ts). Both run planCampaign: the schedule's waves, and,
 * when counted, one audience query counted per time zone and devices per wave. Launch counts only
 * `local` schedules (their waves need the audience's zones); a `now`/`at` launch answers at once
 * and its wave's devices are known when the trigger runs the query (5-minute budget).
 */
import type { AudienceSnapshot, Campaign, WaveState } from '../../domain/campaigns/campaign-record';
import { planSchedule, zonedWallClockToUtc, type Schedule, type SchedulePlan } from '../../domain/campaigns/schedule';
import { countWaves, type WaveCounts, type ZoneCount } from '../../domain/campaigns/wave-plan';
import { compilePlanZones, type PlanCapWindow } from '../../domain/segments/compile-plan';
import { dialectFor } from '../../domain/segments/compiler';
import type { Settings } from '../../domain/settings';
import type { WaveTrigger } from '../../ports/scheduler';
import { runWithinBudget } from '../segments/query-budget';
import type { CampaignDeps } from './deps';
import { loadAudience } from './audience';

/** A planned campaign: its waves, the zone quiet hours use for devices without one, the settings and audience read. */
export interface CampaignPlan {
  schedule: SchedulePlan;
  /** Devices per wave and the hold-backs; null when the plan was not counted (a `now`/`at` launch). */
  counts: WaveCounts | null;
  timezone: string;
  settings: Settings;
  /** The launch snapshot of the audience, from the very reads the plan compiled. */
  audience: AudienceSnapshot;
}

/** The zone of a campaign: the schedule's, the fallback of a local one, else the tenant's default. */
function campaignZone(schedule: Schedule, settings: Settings): string {
  return schedule.type === 'at' ? schedule.timezone : schedule.type === 'local' ? schedule.fallbackTimezone : settings.defaultTimezone;
}

/** Whether a launch must run the audience query: only a `local` schedule's waves depend on the audience's zones. */
export function launchCounts(schedule: Schedule): boolean {
  return schedule.type === 'local';
}

/** Whom planCampaign plans for: the tenant's campaign (its segment and schedule) at `now`, with the deps. */
type PlanFor = [deps: CampaignDeps, tenantId: string, c: Pick<Campaign, 'segmentId' | 'schedule'>, now: Date];
/** `count`: run the audience query; `withCap`: also count devices already at the frequency cap. */
interface PlanOptions {
  count: boolean;
  withCap?: boolean;
}

/**
 * Plan the schedule's waves. `count` runs the audience query (per time zone) within the request's
 * budget, plans the waves over the zones found and counts devices per wave; `withCap` (the preview)
 * also counts devices already at the frequency cap. Throws NotFoundError for an unknown segment,
 * ValidationError for a past schedule, QueryTimeoutError (503 query_timeout) when the query outlasts
 * the budget: nothing is stored then.
 */
export async function planCampaign(
  ...args: [...PlanFor, options: PlanOptions & { count: true }]
): Promise<CampaignPlan & { counts: WaveCounts }>;
export async function planCampaign(...args: [...PlanFor, options: PlanOptions]): Promise<CampaignPlan>;
export async function planCampaign(...[deps, tenantId, c, now, options]: [...PlanFor, options: PlanOptions]): Promise<CampaignPlan> {
  const schedule = scheduleOf(c);
  const [audience, settings] = await Promise.all([loadAudience(deps, tenantId, c.segmentId), deps.settings.get(tenantId)]);
  const timezone = campaignZone(schedule, settings);
  const planned = { timezone, settings, audience: audience.snapshot };
  if (!options.count) return { schedule: planSchedule(schedule, now), counts: null, ...planned };
  const cap = options.withCap ? capWindow(schedule, now, settings) : undefined;
  const rows = await runWithinBudget(
    deps.queryEngine,
    compilePlanZones(audience.def, { tenantId, now, segments: audience.segments }, dialectFor(deps.queryEngine.dialect), cap),
    deps,
  );
  const zones: ZoneCount[] = rows.map((r) => ({
    timezone: typeof r.timezone === 'string' && r.timezone.length > 0 ? r.timezone : null,
    devices: Number(r.devices ?? 0),
    capped: Number(r.capped ?? 0),
  }));
  const zoned = planSchedule(
    schedule,
    now,
    zones.flatMap((z) => (z.timezone === null ? [] : [z.timezone])),
  );
  return { schedule: zoned, counts: countWaves(zoned, zones, settings.quietHours, timezone), ...planned };
}

/** A campaign's schedule; only automated campaigns have none, and they are never planned in waves. */
export function scheduleOf(c: Pick<Campaign, 'schedule'>): Schedule {
  if (!c.schedule) throw new Error('an automated campaign has no schedule to plan');
  return c.schedule;
}

/**
 * The cap window the preview checks: pushes recorded since `windowHours` before the earliest send of
 * the schedule (now, the `at` moment, or the first zone to reach a local time). Pushes made between
 * now and the send are not known yet; for a later local wave, older pushes may have left its window.
 */
function capWindow(schedule: Schedule, now: Date, settings: Settings): PlanCapWindow | undefined {
  const cap = settings.frequencyCap;
  if (!cap) return undefined;
  const first =
    schedule.type === 'now'
      ? now
      : schedule.type === 'at'
        ? zonedWallClockToUtc(schedule.at, schedule.timezone)
        : zonedWallClockToUtc(schedule.at, EARLIEST_ZONE);
  const sendAt = Math.max(first.getTime(), now.getTime());
  return { since: new Date(sendAt - cap.windowHours * 3_600_000), maxPerDevice: cap.maxPerDevice };
}

/** The first zone to reach any wall-clock time (UTC+14); LATEST_ZONE is the last. */
const EARLIEST_ZONE = 'Pacific/Kiritimati';

/**
 * Waves for the campaign's schedule (skipped zones are kept, never fired), with the devices the plan
 * counted (local waves; a `now`/`at` wave has none until it fires), and the launch snapshot read with them.
 */
export async function planWaves(deps: CampaignDeps, tenantId: string, c: Pick<Campaign, 'segmentId' | 'schedule'>, now: Date) {
  const plan = await planCampaign(deps, tenantId, c, now, { count: launchCounts(scheduleOf(c)) });
  const waves: Record<string, WaveState> = {};
  const state = { cursor: null, pages: 0, targeted: 0, firedAt: null } as const;
  const { waves: planned, skipped } = plan.counts ?? plan.schedule;
  for (const w of planned) waves[w.id] = { ...w, status: 'scheduled', ...state };
  for (const w of skipped) waves[w.id] = { ...w, status: 'skipped', ...state };
  const snapshot = { audience: plan.audience, attributionWindowHours: plan.settings.attributionWindowHours };
  return { waves, timezone: plan.timezone, snapshot };
}

/** Waves the campaign waits for (every planned one but the skipped): `wavesPending` at launch. */
export function pendingWaves(waves: Record<string, WaveState>): number {
  return Object.values(waves).filter((w) => w.status !== 'skipped').length;
}

/** Schedule every scheduled wave of the campaign: due ones fire now, later ones at their moment. */
export async function scheduleWaves(deps: CampaignDeps, c: Campaign, correlationId?: string): Promise<void> {
  const now = deps.clock.now().getTime();
  const waves = Object.values(c.waves).filter((w) => w.status === 'scheduled');
  const later = waves.filter((w) => Date.parse(w.fireAt) > now);
  // The launch's correlation id goes with each wave's trigger, and from there on each send batch.
  const carried = correlationId ? { correlationId } : {};
  await deps.scheduler.schedule(later.map((w) => ({ tenantId: c.tenantId, campaignId: c.id, wave: w.id, fireAt: w.fireAt, ...carried })));
  for (const w of waves.filter((x) => Date.parse(x.fireAt) <= now)) {
    await deps.triggers.fireNow({ tenantId: c.tenantId, campaignId: c.id, wave: w.id, ...carried });
  }
}

export function waveTriggers(tenantId: string, campaignId: string, waveIds: string[]): WaveTrigger[] {
  return waveIds.map((wave) => ({ tenantId, campaignId, wave }));
}
