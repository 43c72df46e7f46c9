/**
 * Completing a campaign: sending → sent once no wave is pending and every batch is done. Each batch
 * adds its counts exactly once (see send-batch), so the live counters are exact and completion
 * reads only them: never the ledger, whose size grows with the audience.
 */
import type { CampaignStore } from '../../ports/campaign-store';
import type { Clock } from '../../ports/clock';

/** Complete the campaign if it is done; true when this call completed it. */
export async function completeIfDone(
  deps: { campaigns: CampaignStore; clock: Clock },
  tenantId: string,
  campaignId: string,
): Promise<boolean> {
  return deps.campaigns.completeIfDone(tenantId, campaignId, deps.clock.now().toISOString());
}
