/** The estimate use case with a slow engine (Athena-like): 202 + poll, then the same figures as a fast one. */
import { fixedClock } from '../../../lambdas/ports/clock';
import type { EstimateStore, StoredEstimate } from '../../../lambdas/ports/estimate-store';
import type { QueryOutcome, SqlQuery } from '../../../lambdas/ports/query-engine';
import type { SegmentStore } from '../../../lambdas/ports/segment-store';
import { estimateSegment, getEstimate } from '../../../lambdas/use-cases/segments/estimate-segment';
import { UnusedQueryEngine } from '../../support/query-engine';

class MemoryEstimates implements EstimateStore {
  items = new Map<string, StoredEstimate>();
  async put(e: StoredEstimate) {
    this.items.set(`${e.tenantId}/${e.id}`, e);
  }
  async get(t: string, id: string) {
    return this.items.get(`${t}/${id}`);
  }
}

/** Queries stay `running` until `finish()`; then the count query answers {total, matched}. */
class SlowEngine extends UnusedQueryEngine {
  override readonly dialect = 'trino' as const;
  started: SqlQuery[] = [];
  done = false;
  failed = false;
  override async start(q: SqlQuery) {
    this.started.push(q);
    return { id: `q${this.started.length}` };
  }
  override async poll(h: { id: string }): Promise<QueryOutcome> {
    if (this.failed) return { status: 'failed', error: 'Query exhausted resources' };
    if (!this.done) return { status: 'running' };
    const q = this.started[Number(h.id.slice(1)) - 1];
    return {
      status: 'succeeded',
      rows: q.sql.includes('LIMIT') ? [{ device_id: 'd-1' }, { device_id: 'd-2' }] : [{ total: 2000, matched: 130 }],
    };
  }
}

const noSegments = { get: async () => undefined } as unknown as SegmentStore;

/** The estimate use case's deps over a SlowEngine; `estimateWaitMs` is how long a request waits before answering 202. */
function slowWorld(estimateWaitMs: number) {
  const engine = new SlowEngine();
  const deps = {
    segments: noSegments,
    estimates: new MemoryEstimates(),
    queryEngine: engine,
    clock: fixedClock('2026-11-28T12:00:00Z'),
    estimateWaitMs,
  };
  return { engine, deps };
}

describe('estimates on a slow engine', () => {
  const def = { match: 'all', criteria: [{ filter: 'last_app_open', operator: 'within_last_days', value: 7 }], sampleSize: 2 };

  test('202 with an id, running while the engine works, then succeeded with the figures', async () => {
    const { engine, deps } = slowWorld(30);
    const first = await estimateSegment(deps, 'acme', def);
    expect(first).toEqual({ id: expect.stringMatching(/^est_/), status: 'running' });
    const id = (first as { id: string }).id;
    expect(await getEstimate(deps, 'acme', id)).toEqual({ id, status: 'running' });
    engine.done = true;
    expect(await getEstimate(deps, 'acme', id)).toEqual({
      id,
      status: 'succeeded',
      matched: 130,
      total: 2000,
      percent: 6.5,
      recommendation: 'ok',
      asOf: '2026-11-28T12:00:00.000Z',
      sample: ['d-1', 'd-2'],
    });
    // Another tenant cannot read it.
    await expect(getEstimate(deps, 'other', id)).rejects.toMatchObject({ code: 'not_found' });
  });

  test('a failed query is reported as failed, not as a server error', async () => {
    const { engine, deps } = slowWorld(10);
    const body = await estimateSegment(deps, 'acme', def);
    engine.failed = true;
    expect(await getEstimate(deps, 'acme', (body as { id: string }).id)).toMatchObject({
      status: 'failed',
      error: { code: 'query_failed', message: expect.stringContaining('exhausted') },
    });
  });
});
