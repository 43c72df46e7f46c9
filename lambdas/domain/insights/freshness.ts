/**
 * When cached insights are stale. Figures are counted by a query that sees the lake as of its start
 * (`asOf`); the lake shows an accepted event `lakeVisibilityMs` after acceptance at the latest (0
 * locally; Firehose's buffer in AWS). So once events were accepted after `asOf - lakeVisibilityMs`,
 * newer figures may exist and the entry is stale. The TTL is a safety net (a lost mark); the floor
 * bounds how often a tenant whose events never stop re-runs the query (Athena bills each run).
 */
import { LAKE_VISIBILITY_MS } from '../lake-buffer';

export interface FreshnessRule {
  /** Finished figures are never served longer than this after they were computed. */
  ttlMs: number;
  /** How long after acceptance an event may take to become visible to the query engine. */
  lakeVisibilityMs: number;
  /** Figures younger than this are served even after new events (0 = always refresh). */
  refreshFloorMs: number;
}

/** Local defaults: DuckDB sees an accepted event at once, so the next GET recounts. */
export const LOCAL_FRESHNESS: FreshnessRule = { ttlMs: 60_000, lakeVisibilityMs: 0, refreshFloorMs: 0 };

/**
 * AWS: the lake shows events up to LAKE_VISIBILITY_MS late (Firehose's buffer × 1.5). Figures younger
 * than a minute are served even after new events, so a tenant whose opens never stop recounts at most
 * once a minute per page (as the old 60 s TTL did); without new events figures stand for 5 minutes
 * (the TTL is only the safety net for a mark write that failed).
 */
export const AWS_FRESHNESS: FreshnessRule = { ttlMs: 5 * 60_000, lakeVisibilityMs: LAKE_VISIBILITY_MS, refreshFloorMs: 60_000 };

/** In AWS a Lambda container writes a tenant's events mark at most this often (the reader adds it back). */
export const EVENTS_MARK_INTERVAL_MS = 60_000;

/** After its end plus the attribution window, a campaign gains nothing more but stragglers: this much later it is settled. */
const SETTLE_MS = 86_400_000;

/**
 * Whether the tenant's events mark concerns a campaign: only one that can still gain figures. It must
 * have been launched; while it is scheduled or sending, always; afterwards until its end (completion,
 * else cancellation, else launch) + its attribution window + 1 day is past the mark. Older campaigns
 * are not recounted on every open the tenant gets (their figures refresh with the TTL).
 */
export function markConcerns(
  c: { status: string; launchedAt: string | null; completedAt: string | null; cancelledAt: string | null },
  attributionWindowHours: number,
  eventsBy: Date | null,
): boolean {
  if (eventsBy === null || c.launchedAt === null) return false;
  if (c.status === 'scheduled' || c.status === 'sending' || c.status === 'active' || c.status === 'paused') return true;
  const end = Date.parse(c.completedAt ?? c.cancelledAt ?? c.launchedAt);
  return end + attributionWindowHours * 3_600_000 + SETTLE_MS > eventsBy.getTime();
}

/**
 * Whether cached figures may still be served. `eventsBy`: an upper bound on when the tenant's
 * latest events were accepted (null: none noted).
 */
export function insightsFresh(entry: { asOf: string; cachedAt: string }, eventsBy: Date | null, now: Date, rule: FreshnessRule): boolean {
  if (now.getTime() - Date.parse(entry.cachedAt) >= rule.ttlMs) return false;
  const asOf = Date.parse(entry.asOf);
  if (now.getTime() - asOf < rule.refreshFloorMs) return true;
  // Equal times count as stale: the query may have started in the same millisecond, before the append.
  return eventsBy === null || asOf > eventsBy.getTime() + rule.lakeVisibilityMs;
}
