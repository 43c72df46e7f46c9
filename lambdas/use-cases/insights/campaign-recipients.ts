/**
 * GET /v1/campaigns/{id}/recipients: a page of the devices a campaign reached or held back, with
 * their final outcome and first open, read from the lake through the query engine within the
 * request's query budget (503 `query_timeout` past it; the engine stops the query).
 */
import { armsOf, assignArm } from '../../domain/campaigns/arms';
import { compileRecipients, recipientDays, recipientsPage, type Recipient, type RecipientsRequest } from '../../domain/insights/recipients';
import { dialectFor } from '../../domain/segments/compiler';
import type { CampaignStore } from '../../ports/campaign-store';
import type { Clock } from '../../ports/clock';
import type { QueryEngine } from '../../ports/query-engine';
import type { SettingsStore } from '../../ports/settings-store';
import { getCampaign } from '../campaigns/manage-campaigns';
import { runWithinBudget, type QueryBudget } from '../segments/query-budget';

export interface RecipientsDeps extends QueryBudget {
  campaigns: CampaignStore;
  settings: SettingsStore;
  queryEngine: QueryEngine;
  clock: Clock;
}

/** 404 for an unknown campaign (or another tenant's); a campaign never launched has no recipients. */
export async function listCampaignRecipients(
  deps: RecipientsDeps,
  tenantId: string,
  campaignId: string,
  request: RecipientsRequest,
): Promise<{ items: Recipient[]; nextCursor: string | null }> {
  const campaign = await getCampaign(deps, tenantId, campaignId);
  if (campaign.launchedAt === null) return { items: [], nextCursor: null };
  // The window recorded at launch (as insights use it); records launched before snapshots use the settings'.
  const windowHours = campaign.attributionWindowHours ?? (await deps.settings.get(tenantId)).attributionWindowHours;
  const days = recipientDays(
    { launchedAt: campaign.launchedAt, completedAt: campaign.completedAt, cancelledAt: campaign.cancelledAt },
    windowHours,
    deps.clock.now(),
  );
  const query = compileRecipients({ ...request, ...days, tenantId, campaignId: campaign.id }, dialectFor(deps.queryEngine.dialect));
  const page = recipientsPage(await runWithinBudget(deps.queryEngine, query, deps), request.limit);
  // A queued device's row was written by the trigger, which does not split: its arm is the stable hash's (as the sender will record it).
  const arms = armsOf(campaign);
  if (!arms) return page;
  return {
    ...page,
    items: page.items.map((r) => (r.outcome === 'queued' ? { ...r, variant: assignArm(campaign.id, r.deviceId, arms) } : r)),
  };
}
