/**
 * Defect 6: HTTP use cases never wait for a query past their budget. With an engine that never
 * finishes and a fake clock, explain and wave planning (launch) answer a typed QueryTimeoutError
 * (503 `query_timeout`) within the budget, and an engine that itself timed out (and stopped its
 * query) ends the same way.
 */
import type { Campaign } from '../../../lambdas/domain/campaigns/campaign-record';
import { QueryTimeoutError } from '../../../lambdas/domain/errors';
import { defaultSettings } from '../../../lambdas/domain/settings';
import type { Segment } from '../../../lambdas/domain/segments/segment';
import { buildOpenApiDocument } from '../../../lambdas/domain/openapi/document';
import { errorResponse } from '../../../lambdas/handlers/http/error-body';
import type { CampaignStore } from '../../../lambdas/ports/campaign-store';
import { fixedClock } from '../../../lambdas/ports/clock';
import { QueryFailedError, QueryTimedOutError, type QueryEngine, type Row } from '../../../lambdas/ports/query-engine';
import type { SegmentStore } from '../../../lambdas/ports/segment-store';
import type { CampaignDeps } from '../../../lambdas/use-cases/campaigns/deps';
import { launchCampaign } from '../../../lambdas/use-cases/campaigns/launch-cancel';
import { explainSegment } from '../../../lambdas/use-cases/segments/explain-segment';
import { HTTP_QUERY_BUDGET_MS, runWithinBudget } from '../../../lambdas/use-cases/segments/query-budget';
import { UnusedQueryEngine } from '../../support/query-engine';
import { draftCampaign } from './campaigns/draft-campaign';

const NOW = '2026-11-28T12:00:00.000Z';

/** An engine whose run() never settles (a hung Athena wait), or fails the way it is told. */
class StuckEngine extends UnusedQueryEngine {
  override readonly dialect = 'trino' as const;
  runs = 0;
  constructor(private readonly failWith?: Error) {
    super();
  }
  override run(): Promise<Row[]> {
    this.runs++;
    return this.failWith ? Promise.reject(this.failWith) : new Promise<Row[]>(() => {});
  }
  override async start() {
    return { id: 'q1' };
  }
  override async poll() {
    return { status: 'running' as const };
  }
}

/** A fake clock plus the timer the budget waits on: sleeping advances the clock. */
function fakeTime() {
  const clock = fixedClock(NOW);
  const slept: number[] = [];
  const sleep = async (ms: number) => {
    slept.push(ms);
    clock.advance(ms);
  };
  const elapsed = () => clock.now().getTime() - Date.parse(NOW);
  return { clock, sleep, slept, elapsed };
}

const segment: Segment = {
  id: 'seg_1',
  tenantId: 'acme',
  name: 'Recent',
  description: null,
  version: 1,
  createdAt: NOW,
  updatedAt: NOW,
  match: 'all',
  criteria: [{ filter: 'last_app_open', operator: 'within_last_days', value: 7 }],
} as Segment;
const segments = {
  get: async (_t: string, id: string) => (id === segment.id ? segment : undefined),
  listAll: async () => [segment],
} as unknown as SegmentStore;

describe('defect 6: HTTP use cases stay within their query budget', () => {
  it('defect 6: explain returns QueryTimeoutError within budget when the query never finishes', async () => {
    const t = fakeTime();
    const engine = new StuckEngine();
    const err = await explainSegment(
      { segments, queryEngine: engine, clock: t.clock, sleep: t.sleep, queryBudgetMs: 20_000 },
      'acme',
      'seg_1',
      'd-1',
    ).catch((e) => e);
    expect(err).toBeInstanceOf(QueryTimeoutError);
    expect(engine.runs).toBe(1);
    expect(t.elapsed()).toBeLessThanOrEqual(20_000);
    expect(t.slept).toEqual([20_000]);
  });

  it('defect 6: explain with the default budget waits at most HTTP_QUERY_BUDGET_MS, under the 29 s HTTP function timeout', async () => {
    const t = fakeTime();
    const err = await explainSegment(
      { segments, queryEngine: new StuckEngine(), clock: t.clock, sleep: t.sleep },
      'acme',
      'seg_1',
      'd-1',
    ).catch((e) => e);
    expect(err).toBeInstanceOf(QueryTimeoutError);
    expect(t.elapsed()).toBe(HTTP_QUERY_BUDGET_MS);
    expect(HTTP_QUERY_BUDGET_MS).toBeLessThan(29_000);
  });

  it("defect 6: the engine's own timeout (query stopped) becomes the same typed error; other failures stay 500s", async () => {
    const t = fakeTime();
    const timedOut = new StuckEngine(new QueryTimedOutError('Athena query q1 timed out after 22000 ms and was stopped'));
    await expect(
      explainSegment({ segments, queryEngine: timedOut, clock: t.clock, sleep: t.sleep }, 'acme', 'seg_1', 'd-1'),
    ).rejects.toBeInstanceOf(QueryTimeoutError);
    const failed = new StuckEngine(new QueryFailedError('Query exhausted resources'));
    const err = await explainSegment({ segments, queryEngine: failed, clock: t.clock, sleep: t.sleep }, 'acme', 'seg_1', 'd-1').catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(QueryFailedError);
    expect(err).not.toBeInstanceOf(QueryTimeoutError);
    expect(errorResponse(err).status).toBe(500);
  });

  it('defect 6: the HTTP answer is 503 query_timeout with the API.md error body, telling the merchant to retry', () => {
    const { status, body } = errorResponse(new QueryTimeoutError(22_000));
    expect(status).toBe(503);
    expect(body).toEqual({ error: { code: 'query_timeout', message: expect.stringMatching(/retry/) } });
    expect(body.error.message).toContain('22 s');
  });

  it('defect 6: launching a local-time campaign answers QueryTimeoutError within budget and launches nothing', async () => {
    const t = fakeTime();
    const draft = draftCampaign(NOW, {
      segmentId: 'seg_1',
      schedule: { type: 'local', at: '2026-12-01T09:00', fallbackTimezone: 'Europe/Paris' } as Campaign['schedule'],
    });
    const updates: unknown[] = [];
    const scheduled: unknown[] = [];
    const campaigns = {
      get: async () => draft,
      update: async (...args: unknown[]) => {
        updates.push(args);
        return undefined;
      },
    } as unknown as CampaignStore;
    const deps = {
      campaigns,
      segments,
      settings: { get: async () => defaultSettings() },
      scheduler: { schedule: async (x: unknown) => scheduled.push(x), cancel: async () => {} },
      triggers: { fireNow: async (x: unknown) => scheduled.push(x) },
      queryEngine: new StuckEngine(),
      ledger: {},
      clock: t.clock,
      sleep: t.sleep,
      queryBudgetMs: 20_000,
    } as unknown as CampaignDeps;
    const err = await launchCampaign(deps, 'acme', 'cmp_1').catch((e) => e);
    expect(err).toBeInstanceOf(QueryTimeoutError);
    expect(t.elapsed()).toBeLessThanOrEqual(20_000);
    expect(updates).toEqual([]);
    expect(scheduled).toEqual([]);
  });

  it('defect 6: with the real timer the budget also holds (and a fast query is unaffected)', async () => {
    const started = Date.now();
    await expect(runWithinBudget(new StuckEngine(), { sql: 'SELECT 1', params: [] }, { queryBudgetMs: 30 })).rejects.toBeInstanceOf(
      QueryTimeoutError,
    );
    expect(Date.now() - started).toBeLessThan(1000);
    const fast: QueryEngine = {
      dialect: 'trino',
      run: async () => [{ n: 1 }],
      start: async () => ({ id: 'q' }),
      poll: async () => ({ status: 'running' }),
      startResult: async () => ({ id: 'q' }),
      readPage: async () => ({ rows: [], next: null }),
    };
    await expect(runWithinBudget(fast, { sql: 'SELECT 1', params: [] }, { queryBudgetMs: 30 })).resolves.toEqual([{ n: 1 }]);
  });

  it('defect 6: the OpenAPI document lists 503 query_timeout on explain, campaign update and launch', () => {
    const doc = buildOpenApiDocument() as any;
    expect(doc.components.responses.ServiceUnavailable.description).toContain('query_timeout');
    expect(doc.paths['/v1/segments/{id}/explain/{deviceId}'].get.responses['503']).toEqual({
      $ref: '#/components/responses/ServiceUnavailable',
    });
    expect(doc.paths['/v1/campaigns/{id}/launch'].post.responses['503']).toBeDefined();
    expect(doc.paths['/v1/campaigns/{id}'].put.responses['503']).toBeDefined();
    expect(doc.paths['/v1/campaigns/{id}'].get.responses['503']).toBeUndefined();
  });
});
