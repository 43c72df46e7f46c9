/** Lambda `campaigns`: campaign CRUD, launch, cancel, test sends, duplicates, insights and recipients. */
import { publicCampaign } from '../domain/campaigns/campaign-record';
import type { CampaignDeps } from '../use-cases/campaigns/deps';
import { cancelCampaign, launchCampaign } from '../use-cases/campaigns/launch-cancel';
import { pauseAutomation, resumeAutomation } from '../use-cases/automations/automation-lifecycle';
import { planCampaignPreview } from '../use-cases/campaigns/campaign-plans';
import { createCampaign, deleteCampaign, getCampaign, updateCampaign } from '../use-cases/campaigns/manage-campaigns';
import { duplicateCampaign } from '../use-cases/campaigns/duplicate-campaign';
import { testSendCampaign, type TestSendDeps } from '../use-cases/campaigns/test-send';
import { getCampaignInsights, listCampaignsWithInsights, type InsightsDeps } from '../use-cases/insights/campaign-insights';
import { listCampaignRecipients } from '../use-cases/insights/campaign-recipients';
import { parseRecipientsRequest } from '../domain/insights/recipients';
import { httpApi } from './http/http-api';
import { campaignListQuery } from './http/params';
import { noContent, ok } from './http/types';

export function campaignsHandler(deps: CampaignDeps & InsightsDeps & TestSendDeps) {
  return httpApi({
    'POST /v1/campaigns': async (req) => ok(await createCampaign(deps, req.tenantId, req.body), 201),
    'GET /v1/campaigns': async (req) => ok(await listCampaignsWithInsights(deps, req.tenantId, campaignListQuery(req.query))),
    'GET /v1/campaigns/{id}': async (req) => ok(publicCampaign(await getCampaign(deps, req.tenantId, req.pathParameters.id))),
    'PUT /v1/campaigns/{id}': async (req) => ok(await updateCampaign(deps, req.tenantId, req.pathParameters.id, req.body)),
    'DELETE /v1/campaigns/{id}': async (req) => {
      await deleteCampaign(deps, req.tenantId, req.pathParameters.id);
      return noContent();
    },
    'POST /v1/campaigns/{id}/launch': async (req) =>
      ok(await launchCampaign(deps, req.tenantId, req.pathParameters.id, { correlationId: req.correlationId })),
    'POST /v1/campaigns/{id}/cancel': async (req) => ok(await cancelCampaign(deps, req.tenantId, req.pathParameters.id)),
    'POST /v1/campaigns/{id}/pause': async (req) => ok(await pauseAutomation(deps, req.tenantId, req.pathParameters.id)),
    'POST /v1/campaigns/{id}/resume': async (req) => ok(await resumeAutomation(deps, req.tenantId, req.pathParameters.id)),
    'POST /v1/campaigns/{id}/test': async (req) => ok(await testSendCampaign(deps, req.tenantId, req.pathParameters.id, req.body)),
    'POST /v1/campaigns/{id}/duplicate': async (req) => ok(await duplicateCampaign(deps, req.tenantId, req.pathParameters.id), 201),
    'POST /v1/campaign-plans': async (req) => ok(await planCampaignPreview(deps, req.tenantId, req.body)),
    'GET /v1/campaigns/{id}/insights': async (req) => {
      const out = await getCampaignInsights(deps, req.tenantId, req.pathParameters.id);
      return ok(out.result, out.ready ? 200 : 202);
    },
    'GET /v1/campaigns/{id}/recipients': async (req) =>
      ok(await listCampaignRecipients(deps, req.tenantId, req.pathParameters.id, parseRecipientsRequest(req.query))),
  });
}
