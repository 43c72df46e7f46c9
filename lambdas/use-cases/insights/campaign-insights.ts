/**
 * Campaign insights: delivery facts and engagement from the lake (the deliveries and events tables)
 * through the query engine, in one query for the campaigns to count, cached per campaign for a short time. With a slow engine (Athena) the answer is
 * `running` (the handler's 202); the same GET later polls the stored query handle and returns the figures.
 */
import { armsOf } from '../../domain/campaigns/arms';
import { publicCampaign, type Campaign } from '../../domain/campaigns/campaign-record';
import { compileEngagement } from '../../domain/insights/engagement-sql';
import { insightsFresh, LOCAL_FRESHNESS, markConcerns } from '../../domain/insights/freshness';
import {
  campaignInsights,
  engagementByCampaign,
  summaryOf,
  type CampaignInsights,
  type InsightsRow,
  type InsightsSummary,
} from '../../domain/insights/figures';
import { dialectFor } from '../../domain/segments/compiler';
import type { CampaignStore } from '../../ports/campaign-store';
import type { Clock } from '../../ports/clock';
import type { InsightsCache, InsightsCacheEntry } from '../../ports/insights-cache';
import type { QueryEngine, Row } from '../../ports/query-engine';
import type { SettingsStore } from '../../ports/settings-store';
import { getCampaign, listCampaigns, type CampaignListQuery } from '../campaigns/manage-campaigns';
import { runWithin } from '../segments/run-query';

/** The ports insights need. */
export interface InsightsDeps {
  campaigns: CampaignStore;
  settings: SettingsStore;
  queryEngine: QueryEngine;
  insightsCache: InsightsCache;
  clock: Clock;
  /** How long a request waits for the engine before answering 202 (default 4.5 s). */
  insightsWaitMs?: number;
  /** How long finished figures are served from the cache at most (default 60 s): the safety net. */
  insightsTtlMs?: number;
  /** How long an accepted event may take to reach the query engine (AWS: Firehose's buffer); default 0. */
  lakeVisibilityMs?: number;
  /** Figures younger than this are served even after new events (AWS: bounds Athena runs); default 0. */
  insightsRefreshFloorMs?: number;
}

/** The figures (`ready`), or word that the engagement query still runs (the handler answers 202 with it). */
export type InsightsAnswer =
  { ready: true; result: CampaignInsights } | { ready: false; result: { campaignId: string; status: 'running' } };

const DAY_MS = 86_400_000;
/** A stored query handle older than this is not polled again (Athena keeps results longer; we prefer fresh figures). */
const RUNNING_MAX_AGE_MS = 10 * 60_000;

/** GET /v1/campaigns/{id}/insights */
export async function getCampaignInsights(deps: InsightsDeps, tenantId: string, id: string): Promise<InsightsAnswer> {
  const campaign = await getCampaign(deps, tenantId, id);
  const result = (await resolveInsights(deps, tenantId, [campaign])).get(campaign.id);
  return result ? { ready: true, result } : { ready: false, result: { campaignId: campaign.id, status: 'running' } };
}

/**
 * GET /v1/campaigns?status=...: the page of campaigns; with `status=sent` or `kind=automated` each carries `insights`,
 * its headline figures (null while a slow engine is still counting; a later GET has them).
 */
export async function listCampaignsWithInsights(deps: InsightsDeps, tenantId: string, query: CampaignListQuery) {
  const page = await listCampaigns(deps, tenantId, query);
  // Figures for sent campaigns and for automated ones (they accumulate while active).
  if (query.status !== 'sent' && query.kind !== 'automated') return { items: page.items.map(publicCampaign), nextCursor: page.nextCursor };
  const figures = page.items.length > 0 ? await resolveInsights(deps, tenantId, page.items) : new Map<string, CampaignInsights>();
  return {
    items: page.items.map((c) => {
      const found = figures.get(c.id);
      const insights: InsightsSummary | null = found ? summaryOf(found) : null;
      return { ...publicCampaign(c), insights };
    }),
    nextCursor: page.nextCursor,
  };
}

/**
 * The attribution window of a campaign's insights: the one recorded at launch (a later settings
 * change never recounts it); a draft, or a record launched before snapshots existed, uses the settings'.
 */
function windowOf(c: Campaign, current: number): number {
  return c.attributionWindowHours ?? current;
}

/**
 * What the cached figures of a campaign were computed for: they are stale once this changes. The
 * trailing `tp<n>` (timePassed) also retires entries cached before insights carried it.
 */
function fingerprint(c: Campaign, windowHours: number): string {
  const { timePassed } = publicCampaign(c).progress.suppressedBy;
  return [
    windowHours,
    c.status,
    c.targeted,
    c.sent,
    c.failed,
    c.supOptedOut,
    c.supFrequencyCap,
    c.supInvalidToken,
    `tp${timePassed}`,
    `h${c.heldOut ?? 0}`,
  ].join(':');
}

/**
 * Insights of several campaigns of one tenant: fresh cache entries as they are, stored running
 * queries polled, the rest counted in ONE engagement query. Campaigns still running are absent.
 */
async function resolveInsights(
  deps: InsightsDeps,
  tenantId: string,
  campaigns: readonly Campaign[],
): Promise<Map<string, CampaignInsights>> {
  const now = deps.clock.now();
  const rule = {
    ttlMs: deps.insightsTtlMs ?? LOCAL_FRESHNESS.ttlMs,
    lakeVisibilityMs: deps.lakeVisibilityMs ?? LOCAL_FRESHNESS.lakeVisibilityMs,
    refreshFloorMs: deps.insightsRefreshFloorMs ?? LOCAL_FRESHNESS.refreshFloorMs,
  };
  const [{ attributionWindowHours: currentWindow }, entries, eventsBy] = await Promise.all([
    deps.settings.get(tenantId),
    deps.insightsCache.getMany(
      tenantId,
      campaigns.map((c) => c.id),
    ),
    deps.insightsCache.eventsNotedBy(tenantId),
  ]);
  const cached = new Map(entries.map((e) => [e.campaignId, e] as const));
  const out = new Map<string, CampaignInsights>();
  const ready: { campaign: Campaign; rows: Row[]; asOf: string }[] = [];
  const polls = new Map<string, { campaigns: Campaign[]; asOf: string }>();
  const toStart: Campaign[] = [];

  for (const c of campaigns) {
    const entry: InsightsCacheEntry | undefined = cached.get(c.id);
    const age = (at: string) => now.getTime() - Date.parse(at);
    const windowHours = windowOf(c, currentWindow);
    // New events make cached figures stale only for campaigns that can still gain from them.
    const marked = markConcerns(c, windowHours, eventsBy) ? eventsBy : null;
    if (entry?.state === 'ready' && insightsFresh(entry, marked, now, rule) && entry.fingerprint === fingerprint(c, windowHours))
      out.set(c.id, entry.insights);
    else if (c.launchedAt === null)
      ready.push({ campaign: c, rows: [], asOf: now.toISOString() }); // never sent: nothing to scan
    else if (entry?.state === 'running' && age(entry.asOf) < RUNNING_MAX_AGE_MS && entry.attributionWindowHours === windowHours) {
      const poll = polls.get(entry.queryId) ?? { campaigns: [], asOf: entry.asOf };
      poll.campaigns.push(c);
      polls.set(entry.queryId, poll);
    } else toStart.push(c);
  }

  for (const [queryId, poll] of polls) {
    const outcome = await deps.queryEngine.poll({ id: queryId });
    if (outcome.status === 'succeeded') for (const c of poll.campaigns) ready.push({ campaign: c, rows: outcome.rows, asOf: poll.asOf });
    else if (outcome.status === 'failed') toStart.push(...poll.campaigns); // failed, or forgotten by the engine (a restart): count again
    // still running: those campaigns stay absent (202 / null figures)
  }

  // ONE engagement query for every campaign to count, each with its own attribution window (the one
  // recorded at launch): a page whose campaigns were launched under several windows scans the events
  // once and waits once (not once per window, in sequence).
  if (toStart.length > 0) {
    const asOf = now.toISOString();
    const windowHoursOf = Object.fromEntries(toStart.map((c) => [c.id, windowOf(c, currentWindow)]));
    const since = new Date(Math.min(...toStart.map((c) => Date.parse(c.createdAt))) - DAY_MS);
    const query = compileEngagement(
      {
        tenantId,
        campaignIds: toStart.map((c) => c.id),
        since,
        attributionWindowHours: currentWindow,
        windowHoursOf,
        armCampaignIds: toStart.filter((c) => armsOf(c) !== null).map((c) => c.id),
      },
      dialectFor(deps.queryEngine.dialect),
    );
    const waited = await runWithin(deps.queryEngine, query, deps.insightsWaitMs ?? 4500);
    if (waited.done) for (const c of toStart) ready.push({ campaign: c, rows: waited.rows, asOf });
    else {
      await Promise.all(
        toStart.map((c) =>
          deps.insightsCache.put({
            state: 'running',
            tenantId,
            campaignId: c.id,
            asOf,
            attributionWindowHours: windowHoursOf[c.id],
            queryId: waited.handle.id,
          }),
        ),
      );
    }
  }

  // Several campaigns may share one result: group its rows once per result.
  const grouped = new Map<Row[], Map<string, InsightsRow[]>>();
  const rowsOf = (rows: Row[], id: string) => {
    if (!grouped.has(rows)) grouped.set(rows, engagementByCampaign(rows));
    return grouped.get(rows)!.get(id) ?? [];
  };
  const computed = await Promise.all(
    ready.map(async ({ campaign: c, rows, asOf }) => {
      const windowHours = windowOf(c, currentWindow);
      // An automation accumulates: its timeline is per day, its pushes a day from its counters.
      // (the store read its days with the campaign: a draft has none).
      const daily = c.kind === 'automated' ? (c.days ?? []) : undefined;
      // As the campaign's progress counts them: the skipped zones' devices are targeted and suppressed (timePassed).
      const { targeted, suppressedBy } = publicCampaign(c).progress;
      const insights = campaignInsights({
        campaignId: c.id,
        targeted,
        timePassed: suppressedBy.timePassed,
        rows: rowsOf(rows, c.id),
        attributionWindowHours: windowHours,
        startedAt: sendingStartedAt(c),
        asOf,
        arms: armsOf(c),
        ...(daily ? { daily } : {}),
      });
      await deps.insightsCache.put({
        state: 'ready',
        tenantId,
        campaignId: c.id,
        asOf,
        cachedAt: now.toISOString(),
        attributionWindowHours: windowHours,
        fingerprint: fingerprint(c, windowHours),
        insights,
      });
      return insights;
    }),
  );
  for (const i of computed) out.set(i.campaignId, i);
  return out;
}

/**
 * When sending began: the earliest wave's fire time (for `now` the launch; for time-zone waves the
 * first zone's), else the launch, else creation. Planned times, so the timeline does not move.
 */
function sendingStartedAt(c: Campaign): string {
  const fireTimes = Object.values(c.waves ?? {})
    .map((w) => w.fireAt)
    .filter((t): t is string => typeof t === 'string')
    .sort();
  return fireTimes[0] ?? c.launchedAt ?? c.createdAt;
}
