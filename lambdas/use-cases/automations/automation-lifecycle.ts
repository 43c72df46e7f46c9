/**
 * Lifecycle of an automated campaign (API.md v1.1): draft → active (launch) ⇄ paused, cancelled.
 * The record is the truth the sweeper goes by; the active set (read by the events path) follows it.
 * Orders are chosen so a crash between the two writes is harmless: launch and resume add to the
 * active set first (items entered for a record still in draft are dropped by the sweeper; those of a
 * paused one are parked), pause marks it paused there first and cancel takes it out first (a retry
 * of the request finishes it).
 */
import { publicCampaign, type Campaign } from '../../domain/campaigns/campaign-record';
import { assertCan } from '../../domain/campaigns/lifecycle';
import { assertCampaignPayloadsFit } from '../../domain/campaigns/campaign';
import type { AutomationStore } from '../../ports/automation-store';
import type { CampaignDeps } from '../campaigns/deps';
import { getCampaign, retryOnRace } from '../campaigns/manage-campaigns';

type Deps = Pick<CampaignDeps, 'campaigns' | 'automations' | 'settings' | 'clock'>;

function activeEntry(c: Campaign, since: string) {
  if (!c.trigger) throw new Error(`automated campaign ${c.id} has no trigger`);
  return { tenantId: c.tenantId, automationId: c.id, trigger: c.trigger, activeSince: since };
}

/** Launch (draft → active): events from now on trigger it; the attribution window is recorded as for a campaign. */
export async function launchAutomation(deps: Deps, current: Campaign) {
  const now = deps.clock.now().toISOString();
  assertCampaignPayloadsFit(current, current.id);
  const { attributionWindowHours } = await deps.settings.get(current.tenantId);
  await deps.automations.activate(activeEntry(current, now));
  const launched = await deps.campaigns.update(current.tenantId, current.id, current.version, {
    status: 'active',
    launchedAt: now,
    attributionWindowHours,
    audience: null,
  });
  return launched ? publicCampaign(launched) : undefined;
}

/** POST /v1/campaigns/{id}/pause: nothing new enters; due devices wait (parked) until it resumes. */
export async function pauseAutomation(deps: Deps, tenantId: string, id: string) {
  return retryOnRace(async () => {
    const current = await getCampaign(deps, tenantId, id);
    assertCan('pause', current.status);
    // Kept registered as paused: nothing new enters, exit events are still recorded.
    await deps.automations.activate({ ...activeEntry(current, current.launchedAt ?? deps.clock.now().toISOString()), paused: true });
    const paused = await deps.campaigns.update(tenantId, id, current.version, { status: 'paused' });
    return paused ? publicCampaign(paused) : undefined;
  });
}

/**
 * POST /v1/campaigns/{id}/resume: events trigger it again, with the trigger as last saved; the devices
 * that became due while it was paused go out now (those more than 24 h past due are dropped as history).
 */
export async function resumeAutomation(deps: Deps, tenantId: string, id: string) {
  return retryOnRace(async () => {
    const current = await getCampaign(deps, tenantId, id);
    // A resume whose answer was lost (or that stopped while putting the held devices back) may be sent again.
    if (current.kind === 'automated' && current.status === 'active') {
      await deps.automations.unpark(tenantId, id);
      return publicCampaign(current);
    }
    assertCan('resume', current.status);
    assertCampaignPayloadsFit(current, id);
    await deps.automations.activate(activeEntry(current, current.launchedAt ?? deps.clock.now().toISOString()));
    const resumed = await deps.campaigns.update(tenantId, id, current.version, { status: 'active' });
    if (!resumed) return undefined;
    await deps.automations.unpark(tenantId, id);
    return publicCampaign(resumed);
  });
}

/**
 * After a PUT of an automation: a paused one's registration carries the trigger as saved (its exit events
 * are the new ones); devices held under a trigger that changed are dropped (they were due under the old
 * one). A draft has no registration (one left by a launch that failed halfway is removed).
 */
export async function afterAutomationEdit(deps: Pick<Deps, 'automations' | 'clock'>, before: Campaign, after: Campaign): Promise<void> {
  if (after.kind !== 'automated') return;
  if (after.status === 'draft') return deps.automations.deactivate(after.tenantId, after.id);
  if (after.status !== 'paused') return;
  await deps.automations.activate({ ...activeEntry(after, after.launchedAt ?? deps.clock.now().toISOString()), paused: true });
  if (JSON.stringify(before.trigger ?? null) !== JSON.stringify(after.trigger ?? null))
    await deps.automations.dropParked(after.tenantId, after.id, deps.clock.now());
}

/** Cancel (active or paused → cancelled): nothing more is sent; due items are dropped by the sweeper. */
export async function cancelAutomation(deps: Pick<Deps, 'campaigns' | 'clock'> & { automations: AutomationStore }, current: Campaign) {
  await deps.automations.deactivate(current.tenantId, current.id);
  const cancelled = await deps.campaigns.update(current.tenantId, current.id, current.version, {
    status: 'cancelled',
    cancelledAt: deps.clock.now().toISOString(),
  });
  if (!cancelled) return undefined;
  // Parked items would otherwise wait for a resume that never comes: back on the due list, the sweeper drops them.
  await deps.automations.unpark(current.tenantId, current.id);
  return publicCampaign(cancelled);
}
