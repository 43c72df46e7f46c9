/**
 * The inactivity trigger (daily in AWS, every few minutes locally): for each active inactivity
 * automation, the devices whose latest app open became `days` days old within the last 24 hours are
 * due now, once per spell: the occurrence is `spell:<latest open>`, so a run that overlaps an earlier
 * one (or is retried) finds the same items, and an app open starts a new spell with a new key.
 */
import { compileInactivity } from '../../domain/automations/inactivity-sql';
import { STALE_AFTER_MS } from '../../domain/automations/trigger';
import { dialectFor } from '../../domain/segments/compiler';
import type { ActiveAutomation, AutomationStore, DueItem } from '../../ports/automation-store';
import type { Clock } from '../../ports/clock';
import type { QueryEngine } from '../../ports/query-engine';
import { logger } from '../../logging/logger';

export interface InactivityDeps {
  automations: AutomationStore;
  queryEngine: QueryEngine;
  clock: Clock;
}

const DAY_MS = 86_400_000;
const PAGE = 1000;

/**
 * Evaluate every tenant's active inactivity automations; returns the devices newly due. Each one
 * evaluates the crossings since its own watermark, so a run that stopped early (`shouldStop`: its
 * time is short) or a query that failed leaves nothing behind: the next run covers the gap.
 */
export async function evaluateInactivity(deps: InactivityDeps, options: { shouldStop?: () => boolean } = {}): Promise<number> {
  let entered = 0;
  const all = await deps.automations.activeInactivity();
  // The least recently evaluated first: a run that stops early leaves the freshest for the next.
  all.sort((a, b) => (a.evaluatedThrough ?? '').localeCompare(b.evaluatedThrough ?? ''));
  for (const [n, a] of all.entries()) {
    if (options.shouldStop?.()) {
      logger.warn('inactivity run stopped early; the rest are evaluated by the next run', { left: all.length - n });
      break;
    }
    try {
      entered += await evaluateOne(deps, a);
    } catch (err) {
      // One tenant's failed query must not stop the others; its watermark stays, so the next run covers the window.
      logger.error('inactivity evaluation failed', { tenantId: a.tenantId, campaignId: a.automationId, error: err as Error });
    }
  }
  return entered;
}

/** Crossings older than this are not caught up (a spell that long past is history, not a trigger). */
const MAX_CATCH_UP_MS = 7 * DAY_MS;

/** One automation: the devices that crossed `days` of inactivity in the last 24 h (or since its watermark, if older), entered page by page. */
export async function evaluateOne(deps: InactivityDeps, a: ActiveAutomation): Promise<number> {
  if (a.trigger.type !== 'inactivity') return 0;
  const now = deps.clock.now();
  const days = a.trigger.days;
  const to = new Date(now.getTime() - days * DAY_MS);
  // The last 24 h of crossings (overlapping the previous run: an app open reported late still counts; occurrences
  // are keyed, so nothing enters twice), and further back to the watermark when runs were missed.
  const lastDay = to.getTime() - STALE_AFTER_MS;
  const since = a.evaluatedThrough ? Math.min(Date.parse(a.evaluatedThrough), lastDay) : lastDay;
  const from = new Date(Math.max(since, to.getTime() - MAX_CATCH_UP_MS));
  if (!(from < to)) return 0;
  const handle = await deps.queryEngine.startResult(
    compileInactivity({ tenantId: a.tenantId, from, to }, dialectFor(deps.queryEngine.dialect)),
  );
  let entered = 0;
  for (let token: string | null = null; ;) {
    const page = await deps.queryEngine.readPage(handle, token, PAGE);
    const items: DueItem[] = page.rows.map((r) => {
      const lastOpen = new Date(String(r.last_open)).toISOString();
      return {
        tenantId: a.tenantId,
        automationId: a.automationId,
        deviceId: String(r.device_id),
        occurrence: `spell:${lastOpen}`,
        triggerTs: lastOpen,
        // Due when found (not at lastOpen + days, up to 24 h earlier): the sweeper's 24-hour rule must not expire it,
        // and the due-lag metric measures the sweeper, not the daily run's schedule.
        dueAt: now.toISOString(),
      };
    });
    entered += (await deps.automations.enter(items, now)).length;
    if (!page.next) break;
    token = page.next;
  }
  await deps.automations.markEvaluated(a.tenantId, a.automationId, to);
  if (entered > 0) logger.info('inactivity entered', { tenantId: a.tenantId, campaignId: a.automationId, entered });
  return entered;
}
