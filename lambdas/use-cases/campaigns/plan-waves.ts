/** Planning a campaign's waves at launch (and re-planning on edit), and handing them to the scheduler. */
import type { Campaign, WaveState } from '../../domain/campaigns/campaign-record';
import { planSchedule } from '../../domain/campaigns/schedule';
import { compileMemberZones, dialectFor } from '../../domain/segments/compiler';
import type { WaveTrigger } from '../../ports/scheduler';
import { loadReferenced } from '../segments/definitions';
import { runWithinBudget } from '../segments/query-budget';
import type { CampaignDeps } from './deps';
import { audienceDefinition } from './audience';

/** Waves for the campaign's schedule; `local` needs the time zones present among its devices. */
export async function planWaves(deps: CampaignDeps, tenantId: string, c: Pick<Campaign, 'segmentId' | 'schedule'>, now: Date) {
  let zones: string[] = [];
  if (c.schedule.type === 'local') {
    const def = await audienceDefinition(deps, tenantId, c.segmentId);
    const segments = await loadReferenced(deps.segments, tenantId, def);
    // Runs inside the launch/edit request: within its budget, else 503 query_timeout and nothing is launched.
    const rows = await runWithinBudget(
      deps.queryEngine,
      compileMemberZones(def, { tenantId, now, segments }, dialectFor(deps.queryEngine.dialect)),
      deps,
    );
    zones = rows.map((r) => r.timezone).filter((z): z is string => typeof z === 'string' && z.length > 0);
  }
  const settings = await deps.settings.get(tenantId);
  const plan = planSchedule(c.schedule, now, zones);
  const waves: Record<string, WaveState> = {};
  for (const w of plan.waves) waves[w.id] = { ...w, status: 'scheduled', cursor: null, pages: 0, targeted: 0, firedAt: null };
  const timezone =
    c.schedule.type === 'at' ? c.schedule.timezone : c.schedule.type === 'local' ? c.schedule.fallbackTimezone : settings.defaultTimezone;
  return { waves, timezone };
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
