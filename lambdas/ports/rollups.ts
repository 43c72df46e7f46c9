/**
 * Device-day rollups of the event lake (domain/segments/rollups.ts): which days of a tenant they hold
 * up to date, and building them for closed days. A world without them (no catalog) reads raw events.
 */
import type { LatestCoverage, RollupCoverage } from '../domain/segments/rollups';

export interface RollupCatalog {
  /** The rolled days of a tenant that are up to date, with the out-of-date ones; undefined when none is rolled. */
  coverage(tenantId: string): Promise<RollupCoverage | undefined>;
  /** The tenant's latest registrations made up to a closed day and still current; undefined when none is. */
  latest(tenantId: string): Promise<LatestCoverage | undefined>;
}

export interface RollUpOptions {
  /**
   * When the replaced rollups go: `deferred` (default) once no query that may have named them still
   * runs, `now` for an erasure (its subject must leave every object).
   */
  removal?: 'now' | 'deferred';
  /** Builds at most (newest days first); the days left are read raw until a later run builds them. */
  maxBuilds?: number;
  /** Build only days before this one (a continuation: strictly older days than the run before it built, so a chain ends). */
  olderThan?: string;
}

export interface RollUpReport {
  /** Days built, newest first. */
  rolled: string[];
  /** Out-of-date days left for a later run. */
  remaining: number;
}

export interface RollupBuilder {
  /**
   * Roll up the tenant's closed days (before `today`, YYYY-MM-DD) whose rollup is missing or out of
   * date (late events, a compaction or an erasure rewrote the day's files), newest first, and make
   * its latest registrations as of yesterday again when they are out of date. Out-of-date rollups
   * go whether or not the budget allowed their day to be built again.
   */
  rollUp(tenantId: string, today: string, options?: RollUpOptions): Promise<RollUpReport>;
}
