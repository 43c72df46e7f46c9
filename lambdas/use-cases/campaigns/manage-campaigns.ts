/** Campaign records through the API: create (draft), read, list, edit (re-schedules), delete. */
import { validateCampaignInput, type CampaignKind } from '../../domain/campaigns/campaign';
import { publicCampaign, ZERO_COUNTERS, type Campaign } from '../../domain/campaigns/campaign-record';
import { assertCan, type CampaignStatus } from '../../domain/campaigns/lifecycle';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors';
import { newId, RESOURCE_ID_PATTERN } from '../../domain/ids';
import type { CampaignChanges } from '../../ports/campaign-store';
import { InvalidCursorError } from '../../ports/segment-store';
import type { CampaignDeps } from './deps';

/** Which campaigns to list: a page of at most `limit` (1–100), optionally of one status. */
export interface CampaignListQuery {
  status?: CampaignStatus;
  /** Only campaigns (`campaign`) or only automated campaigns (`automated`); absent: both. */
  kind?: CampaignKind;
  limit: number;
  cursor?: string;
}
import { pendingWaves, planWaves, scheduleWaves, waveTriggers } from './plan-waves';
import { afterAutomationEdit } from '../automations/automation-lifecycle';

/** POST /v1/campaigns → 201 draft with warnings. */
export async function createCampaign(deps: CampaignDeps, tenantId: string, body: unknown) {
  const now = deps.clock.now();
  const { campaign: input, warnings } = validateCampaignInput(body, { now });
  await assertSegmentExists(deps, tenantId, input.segmentId);
  const campaign: Campaign = {
    id: newId('cmp', now),
    tenantId,
    ...input,
    status: 'draft',
    warnings,
    version: 1,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    launchedAt: null,
    completedAt: null,
    cancelledAt: null,
    timezone: null,
    waves: {},
    error: null,
    ...ZERO_COUNTERS,
  };
  await deps.campaigns.create(campaign);
  return publicCampaign(campaign);
}

/** GET /v1/campaigns/{id} */
export async function getCampaign(deps: Pick<CampaignDeps, 'campaigns'>, tenantId: string, id: string): Promise<Campaign> {
  // An id we could never have issued is not looked up (a key over DynamoDB's size limit would fail the read).
  const c = RESOURCE_ID_PATTERN.test(id) ? await deps.campaigns.get(tenantId, id) : undefined;
  if (!c) throw new NotFoundError('campaign');
  return c;
}

/** GET /v1/campaigns?status&limit&cursor */
export async function listCampaigns(deps: Pick<CampaignDeps, 'campaigns'>, tenantId: string, query: CampaignListQuery) {
  try {
    const page = await deps.campaigns.list(tenantId, { limit: query.limit, cursor: query.cursor, status: query.status, kind: query.kind });
    return { items: page.items, nextCursor: page.nextCursor };
  } catch (err) {
    if (err instanceof InvalidCursorError)
      throw new ValidationError('cursor: is not a cursor this API returned', [
        { path: 'cursor', message: 'is not a cursor this API returned' },
      ]);
    throw err;
  }
}

/** PUT /v1/campaigns/{id}: only in draft or scheduled; a scheduled campaign is re-planned and re-scheduled. */
export async function updateCampaign(deps: CampaignDeps, tenantId: string, id: string, body: unknown) {
  const now = deps.clock.now();
  const { campaign: input, warnings } = validateCampaignInput(body, { now, campaignId: id });
  await assertSegmentExists(deps, tenantId, input.segmentId);
  return retryOnRace(async () => {
    const current = await getCampaign(deps, tenantId, id);
    assertCan('edit', current.status);
    if (current.status !== 'draft' && input.kind !== current.kind) {
      throw new ConflictError('invalid_state', `a ${current.status} ${current.kind} campaign cannot change its kind`, {
        status: current.status,
        kind: current.kind,
      });
    }
    const changes: CampaignChanges = { ...input, warnings };
    let plan: Awaited<ReturnType<typeof planWaves>> | undefined;
    if (current.status === 'scheduled') {
      plan = await planWaves(deps, tenantId, { ...current, ...input }, now);
      Object.assign(changes, { waves: plan.waves, wavesPending: pendingWaves(plan.waves), timezone: plan.timezone });
      // Nothing has gone yet: the re-scheduled campaign's snapshot is what is launched now.
      Object.assign(changes, plan.snapshot);
    }
    const updated = await deps.campaigns.update(tenantId, id, current.version, {
      ...changes,
      updatedAt: now.toISOString(),
    } as CampaignChanges);
    if (!updated) return undefined;
    await afterAutomationEdit(deps, current, updated);
    if (plan) {
      // Replace the triggers: the old waves' schedules go, the new ones come (a stale one firing finds no such wave).
      const stale = Object.keys(current.waves).filter((w) => !plan!.waves[w]);
      await deps.scheduler.cancel(waveTriggers(tenantId, id, stale));
      await scheduleWaves(deps, updated);
    }
    return publicCampaign(updated);
  });
}

/** DELETE /v1/campaigns/{id}: in draft, cancelled, sent or failed. */
export async function deleteCampaign(deps: CampaignDeps, tenantId: string, id: string) {
  await retryOnRace(async () => {
    const current = await getCampaign(deps, tenantId, id);
    assertCan('delete', current.status);
    // An automation leaves nothing registered behind (a draft's leftover of a launch that failed halfway).
    if (current.kind === 'automated') await deps.automations.deactivate(tenantId, id);
    return (await deps.campaigns.delete(tenantId, id, current.version)) || undefined;
  });
}

async function assertSegmentExists(deps: CampaignDeps, tenantId: string, segmentId: string | null) {
  if (segmentId && !(await deps.segments.get(tenantId, segmentId))) {
    throw new ValidationError(`segmentId: no segment ${segmentId}`, [{ path: 'segmentId', message: `no segment ${segmentId}` }]);
  }
}

/** Re-read and retry when a concurrent change (a sender starting a wave, another edit) bumped the version. */
export async function retryOnRace<T>(attempt: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 5; i++) {
    const out = await attempt();
    if (out !== undefined) return out;
  }
  throw new ConflictError('conflict', 'the campaign kept changing; try again');
}
