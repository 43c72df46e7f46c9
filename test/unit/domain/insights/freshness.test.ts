/** The staleness rule of cached insights: TTL, events accepted after the query's horizon, the refresh floor. */
import {
  AWS_FRESHNESS,
  insightsFresh,
  LOCAL_FRESHNESS,
  markConcerns,
  type FreshnessRule,
} from '../../../../lambdas/domain/insights/freshness';
import { LAKE_BUFFER_SECONDS } from '../../../../lambdas/domain/lake-buffer';

const at = (s: string) => new Date(`2026-05-10T12:${s}.000Z`);
const entry = { asOf: at('00:00').toISOString(), cachedAt: at('00:05').toISOString() };

describe('insightsFresh, locally (events visible at once)', () => {
  it('serves figures until the TTL when no events were noted', () => {
    expect(insightsFresh(entry, null, at('00:59'), LOCAL_FRESHNESS)).toBe(true);
    expect(insightsFresh(entry, null, at('01:05'), LOCAL_FRESHNESS)).toBe(false); // 60 s after cachedAt
  });

  it('is stale once events were accepted at or after the query started', () => {
    expect(insightsFresh(entry, at('00:01'), at('00:10'), LOCAL_FRESHNESS)).toBe(false);
    expect(insightsFresh(entry, at('00:00'), at('00:10'), LOCAL_FRESHNESS)).toBe(false); // same instant: unsure, recount
    expect(insightsFresh(entry, new Date(Date.parse(entry.asOf) - 1), at('00:10'), LOCAL_FRESHNESS)).toBe(true);
  });
});

describe('insightsFresh with a lake that shows events late (AWS)', () => {
  const aws: FreshnessRule = { ttlMs: 60_000, lakeVisibilityMs: 180_000, refreshFloorMs: 15_000 };

  it('counts events accepted up to the visibility delay before the query as possibly missing', () => {
    // Events accepted 2 minutes before the query started may not have been in the lake yet.
    expect(insightsFresh(entry, new Date(Date.parse(entry.asOf) - 120_000), at('00:20'), aws)).toBe(false);
    // Accepted more than 3 minutes before: the query saw them.
    expect(insightsFresh(entry, new Date(Date.parse(entry.asOf) - 181_000), at('00:20'), aws)).toBe(true);
  });

  it('serves figures younger than the floor even after new events, and never past the TTL', () => {
    expect(insightsFresh(entry, at('00:10'), at('00:14'), aws)).toBe(true);
    expect(insightsFresh(entry, at('00:10'), at('00:15'), aws)).toBe(false);
    expect(insightsFresh({ ...entry, asOf: at('00:50').toISOString() }, null, at('01:05'), aws)).toBe(false);
  });
});

describe('the AWS rule and the events mark', () => {
  it('derives the visibility delay from the lake streams’ buffer, and recounts a busy tenant at most once a minute', () => {
    expect(AWS_FRESHNESS.lakeVisibilityMs).toBe(LAKE_BUFFER_SECONDS * 1_000 * 1.5);
    expect(AWS_FRESHNESS.refreshFloorMs).toBe(60_000);
    expect(AWS_FRESHNESS.ttlMs).toBeGreaterThan(AWS_FRESHNESS.refreshFloorMs); // else the mark could never matter
    const fresh = { asOf: at('00:00').toISOString(), cachedAt: at('00:00').toISOString() };
    expect(insightsFresh(fresh, at('00:30'), at('00:59'), AWS_FRESHNESS)).toBe(true);
    expect(insightsFresh(fresh, at('00:30'), at('01:00'), AWS_FRESHNESS)).toBe(false);
    expect(insightsFresh(fresh, null, at('04:59'), AWS_FRESHNESS)).toBe(true);
  });

  it('concerns only campaigns that can still gain figures: launched, and not settled (end + window + 1 day) by the mark', () => {
    const mark = new Date('2026-05-10T12:00:00.000Z');
    const c = { status: 'sent', launchedAt: '2026-05-08T10:00:00.000Z', completedAt: '2026-05-08T11:00:00.000Z', cancelledAt: null };
    // Completed 05-08 11:00: + 24 h + 1 day = 05-10 11:00, before the mark: settled, the mark is not its concern.
    expect(markConcerns(c, 24, mark)).toBe(false);
    // With a 48 h window (recorded at launch) it may still gain attributed orders.
    expect(markConcerns(c, 48, mark)).toBe(true);
    // Not completed: cancelled counts from the cancellation, else from the launch.
    expect(markConcerns({ ...c, status: 'cancelled', completedAt: null, cancelledAt: '2026-05-09T13:00:00.000Z' }, 24, mark)).toBe(true);
    expect(markConcerns({ ...c, status: 'failed', completedAt: null }, 24, mark)).toBe(false);
    // Still sending (a local campaign spans a day): always.
    expect(markConcerns({ ...c, status: 'sending', completedAt: null, launchedAt: '2026-05-01T00:00:00.000Z' }, 1, mark)).toBe(true);
    // Never launched, or no mark.
    expect(markConcerns({ ...c, status: 'draft', launchedAt: null, completedAt: null }, 24, mark)).toBe(false);
    expect(markConcerns(c, 48, null)).toBe(false);
  });
});
