/**
 * Completing a campaign: sending → sent once no wave is pending and every batch is done. The live
 * counters are added per batch, so a sender that crashed after recording its devices in the ledger
 * but before adding its counters leaves them short; the ledger is the truth, so the final figures
 * are recounted from it.
 */
import type { DeliveryCounters } from '../../domain/campaigns/campaign-record';
import type { CampaignStore } from '../../ports/campaign-store';
import type { Clock } from '../../ports/clock';
import type { DeliveryLedger, LedgerEntry } from '../../ports/delivery-ledger';

export async function completeIfDone(deps: { campaigns: CampaignStore; ledger: DeliveryLedger; clock: Clock }, tenantId: string, campaignId: string): Promise<void> {
  if (!(await deps.campaigns.completeIfDone(tenantId, campaignId, deps.clock.now().toISOString()))) return;
  const [campaign, entries] = await Promise.all([deps.campaigns.get(tenantId, campaignId), deps.ledger.entries(tenantId, campaignId)]);
  if (!campaign) return;
  const exact = countEntries(entries);
  const deltas: Partial<DeliveryCounters> = {};
  for (const key of Object.keys(exact) as (keyof typeof exact)[]) {
    if (exact[key] !== campaign[key]) deltas[key] = exact[key] - campaign[key];
  }
  if (Object.keys(deltas).length > 0) await deps.campaigns.addCounters(tenantId, campaignId, deltas);
}

/** Delivery counters as the ledger has them. */
export function countEntries(entries: LedgerEntry[]): Pick<DeliveryCounters, 'sent' | 'failed' | 'supOptedOut' | 'supFrequencyCap' | 'supInvalidToken'> {
  const c = { sent: 0, failed: 0, supOptedOut: 0, supFrequencyCap: 0, supInvalidToken: 0 };
  for (const e of entries) {
    if (e.state === 'sent') c.sent++;
    else if (e.state === 'failed') c.failed++;
    else if (e.state === 'suppressed' && e.reason === 'optedOut') c.supOptedOut++;
    else if (e.state === 'suppressed' && e.reason === 'frequencyCap') c.supFrequencyCap++;
    else if (e.state === 'suppressed' && e.reason === 'invalidToken') c.supInvalidToken++;
  }
  return c;
}
