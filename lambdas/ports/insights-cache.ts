/**
 * Campaign insights kept for a short time per campaign, so a dashboard that refreshes does not
 * re-scan the lake, and the handle of an engagement query that outlived a request (Athena), so
 * the next GET polls it instead of starting another.
 */
import type { CampaignInsights } from '../domain/insights/figures';

interface CacheEntryBase {
  tenantId: string;
  campaignId: string;
  /** When the engagement query started (the figures' `asOf`). */
  asOf: string;
  attributionWindowHours: number;
}

/** A query still running: poll `queryId` (it may cover several campaigns). */
export interface RunningInsights extends CacheEntryBase {
  state: 'running';
  queryId: string;
}

/** Finished figures; `fingerprint` is the campaign's delivery state they were computed for. */
export interface ReadyInsights extends CacheEntryBase {
  state: 'ready';
  /** When the figures were computed (their freshness; a slow query's `asOf` is older). */
  cachedAt: string;
  fingerprint: string;
  insights: CampaignInsights;
}

export type InsightsCacheEntry = RunningInsights | ReadyInsights;

/** Short-lived insights per campaign; the use case decides freshness. */
export interface InsightsCache {
  get(tenantId: string, campaignId: string): Promise<InsightsCacheEntry | undefined>;
  /** Entries of several campaigns of one tenant (missing ones are left out). */
  getMany(tenantId: string, campaignIds: readonly string[]): Promise<InsightsCacheEntry[]>;
  /** Replace the campaign's entry. */
  put(entry: InsightsCacheEntry): Promise<void>;
  /** Drop every entry of a tenant (an erasure changed the figures of any of its campaigns). */
  forgetTenant(tenantId: string): Promise<void>;
  /**
   * Note that events of the tenant that count in insights were accepted by `at` (after their append).
   * Cheap by design: an adapter may coalesce notes that come close together (see `eventsNotedBy`).
   */
  noteEvents(tenantId: string, at: Date): Promise<void>;
  /** An upper bound on when the tenant's latest noted events were accepted (coalesced notes included); null: none. */
  eventsNotedBy(tenantId: string): Promise<Date | null>;
}
