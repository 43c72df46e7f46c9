/**
 * Device-day rollups of the event lake (domain/segments/rollups.ts): which days of a tenant they hold
 * up to date, and building them for closed days. A world without them (no catalog) reads raw events.
 */
import type { RollupCoverage } from '../domain/segments/rollups';

export interface RollupCatalog {
  /** The rolled days of a tenant that are up to date, with the out-of-date ones; undefined when none is rolled. */
  coverage(tenantId: string): Promise<RollupCoverage | undefined>;
}

export interface RollupBuilder {
  /**
   * Roll up the tenant's closed days (before `today`, YYYY-MM-DD) whose rollup is missing or out of
   * date (late events, a compaction or an erasure rewrote the day's files); the days rolled.
   * `removal`: when the replaced rollups go: `deferred` (default) once no query that may have named
   * them still runs, `now` for an erasure (its subject must leave every object).
   */
  rollUp(tenantId: string, today: string, options?: { removal?: 'now' | 'deferred' }): Promise<string[]>;
}
