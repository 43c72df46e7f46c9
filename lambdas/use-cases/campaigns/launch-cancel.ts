/** Launching and cancelling a campaign. */
import { publicCampaign } from '../../domain/campaigns/campaign-record';
import { assertCan } from '../../domain/campaigns/lifecycle';
import { assertCampaignPayloadsFit } from '../../domain/campaigns/campaign';
import type { CampaignDeps } from './deps';
import { getCampaign, retryOnRace } from './manage-campaigns';
import { pendingWaves, planWaves, scheduleWaves, waveTriggers } from './plan-waves';
import { cancelAutomation, launchAutomation } from '../automations/automation-lifecycle';

/**
 * POST /v1/campaigns/{id}/launch → scheduled (or sending for `now`). `correlationId` (the request's)
 * travels with the waves to the trigger and the sender, for their log entries.
 */
export async function launchCampaign(deps: CampaignDeps, tenantId: string, id: string, options: { correlationId?: string } = {}) {
  const now = deps.clock.now();
  return retryOnRace(async () => {
    const current = await getCampaign(deps, tenantId, id);
    assertCan('launch', current.status);
    if (current.kind === 'automated') return launchAutomation(deps, current);
    assertCampaignPayloadsFit(current, id);
    // The snapshot comes from the very reads the plan compiled (one read of each segment).
    const { waves, timezone, snapshot } = await planWaves(deps, tenantId, current, now);
    const status = current.schedule?.type === 'now' ? 'sending' : 'scheduled';
    const launched = await deps.campaigns.update(tenantId, id, current.version, {
      status,
      waves,
      wavesPending: pendingWaves(waves),
      timezone,
      launchedAt: now.toISOString(),
      ...snapshot,
    });
    if (!launched) return undefined;
    await scheduleWaves(deps, launched, options.correlationId);
    return publicCampaign(launched);
  });
}

/** POST /v1/campaigns/{id}/cancel: scheduled waves never fire; a sending campaign stops what has not gone yet. */
export async function cancelCampaign(deps: CampaignDeps, tenantId: string, id: string) {
  const now = deps.clock.now().toISOString();
  return retryOnRace(async () => {
    const current = await getCampaign(deps, tenantId, id);
    assertCan('cancel', current.status);
    if (current.kind === 'automated') return cancelAutomation(deps, current);
    const waves = Object.fromEntries(
      Object.entries(current.waves).map(([k, w]) => [
        k,
        w.status === 'scheduled' || w.status === 'firing' ? { ...w, status: 'cancelled' as const } : w,
      ]),
    );
    const cancelled = await deps.campaigns.update(tenantId, id, current.version, { status: 'cancelled', cancelledAt: now, waves });
    if (!cancelled) return undefined;
    await deps.scheduler.cancel(waveTriggers(tenantId, id, Object.keys(current.waves)));
    return publicCampaign(cancelled);
  });
}
