/**
 * POST /v1/campaigns/{id}/duplicate: a new draft with what the merchant composed (kind, segment,
 * message, schedule, send rate and any other field of the campaign body), named "<name> (copy)";
 * a past schedule becomes `now`. Any status may be copied (a cancelled or failed one too). The copy
 * is created exactly as POST /v1/campaigns creates one, so it has a fresh id, version 1, zero
 * counters and no waves or launch fields, and today's validation applies to it.
 */
import { campaignInputSchema } from '../../domain/campaigns/campaign';
import { copyName, copySchedule } from '../../domain/campaigns/duplicate';
import { ConflictError } from '../../domain/errors';
import type { CampaignDeps } from './deps';
import { createCampaign, getCampaign } from './manage-campaigns';

/** Duplicate a campaign of the tenant into a new draft; the draft as the API shows it. */
export async function duplicateCampaign(deps: CampaignDeps, tenantId: string, id: string) {
  const source = await getCampaign(deps, tenantId, id);
  if (source.segmentId && !(await deps.segments.get(tenantId, source.segmentId))) {
    // A copy without its segment would target nobody or, worse, everyone: refuse it, clearly.
    throw new ConflictError(
      'conflict',
      `the segment ${source.segmentId} of this campaign was deleted; create a new campaign and choose a segment`,
      { segmentId: source.segmentId },
    );
  }
  // Every field of the campaign body is copied (fields added to the body later are copied too).
  const stored = source as unknown as Record<string, unknown>;
  const body: Record<string, unknown> = {};
  for (const key of Object.keys(campaignInputSchema.shape)) {
    if (stored[key] !== undefined) body[key] = stored[key];
  }
  body.name = copyName(source.name);
  if (source.schedule) body.schedule = copySchedule(source.schedule, deps.clock.now());
  return createCampaign(deps, tenantId, body);
}
