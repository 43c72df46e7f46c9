/**
 * POST /v1/campaign-plans (API.md v1.1 "Plan preview"): when each wave of a schedule would go out
 * and how many devices quiet hours and the frequency cap would hold back, before anything is sent.
 * It runs the very planning launch runs (planCampaign), so the preview and the launch agree; it
 * stores nothing.
 */
import { assertScheduleNotPast } from '../../domain/campaigns/schedule';
import { campaignPlanInputSchema, waveTimezones } from '../../domain/campaigns/wave-plan';
import { parseWith } from '../../domain/validation';
import type { CampaignDeps } from './deps';
import { planCampaign } from './plan-waves';

/** The plan preview: waves with their zones, send time and devices, and the hold-backs. */
export interface CampaignPlanView {
  waves: { timezones: string[]; sendAt: string; devices: number }[];
  heldByQuietHours: number;
  overFrequencyCap: number;
  targeted: number;
  timePassed: number;
}

/** Plan a schedule for a segment without launching anything. */
export async function planCampaignPreview(deps: CampaignDeps, tenantId: string, body: unknown): Promise<CampaignPlanView> {
  const input = parseWith(campaignPlanInputSchema, body);
  const now = deps.clock.now();
  assertScheduleNotPast(input.schedule, now); // the same 400 as a campaign with that schedule
  // An explicit preview counts every schedule type (a launch counts only `local` ones).
  const { counts } = await planCampaign(deps, tenantId, input, now, { count: true, withCap: true });
  return {
    waves: counts.waves.map((w) => ({ timezones: waveTimezones(w), sendAt: w.fireAt, devices: w.devices })),
    heldByQuietHours: counts.heldByQuietHours,
    overFrequencyCap: counts.overFrequencyCap,
    targeted: counts.targeted,
    timePassed: counts.skipped.reduce((n, w) => n + w.devices, 0),
  };
}
