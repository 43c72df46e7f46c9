/** Ingestion throughput (POST /v1/events, 500-event batches, concurrent) and API latency on the demo-size tenant. */
import { call, percentile, postEvents, progress } from './common';
import { sdkEvents, startDemoWorld } from './demo-world';
import { VIP } from './segments';

export interface IngestResult {
  events: number;
  batchSize: number;
  concurrency: number;
  seconds: number;
  eventsPerS: number;
  requestP50Ms: number;
  requestP99Ms: number;
  visibleInLake: number;
}

export interface LatencyRow {
  route: string;
  requests: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface ApiResult {
  seedS: number;
  ingest: IngestResult;
  latency: LatencyRow[];
}

async function sample(route: string, n: number, fn: () => Promise<{ status: number }>): Promise<LatencyRow> {
  for (let i = 0; i < Math.min(10, n); i++) await fn(); // warm-up: JIT, connections, caches
  const bar = progress(route, n, 'requests');
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const res = await fn();
    ms.push(performance.now() - t0);
    if (res.status >= 300) throw new Error(`${route}: HTTP ${res.status}`);
    bar.increment();
  }
  bar.stop();
  return { route, requests: n, p50Ms: percentile(ms, 50), p99Ms: percentile(ms, 99), maxMs: Math.max(...ms) };
}

export async function benchApi(o: {
  root: string;
  batches: number;
  concurrency: number;
  reads: number;
  estimates: number;
}): Promise<ApiResult> {
  const t0 = performance.now();
  const demo = await startDemoWorld({ dir: o.root });
  const seedS = (performance.now() - t0) / 1000;
  try {
    const base = demo.world.url;
    // API latency first, on a quiet world (sequential requests: latency, not throughput).
    const seg = await call(base, 'POST', '/v1/segments', { token: demo.token, body: { name: 'VIP North America', ...VIP } });
    if (seg.status !== 201) throw new Error(`segment: ${seg.status}`);
    const latency: LatencyRow[] = [];
    latency.push(
      await sample('GET /v1/segments/{id}', o.reads, () => call(base, 'GET', `/v1/segments/${seg.body.id}`, { token: demo.token })),
    );
    latency.push(
      await sample('POST /v1/segment-estimates (saved)', o.estimates, () =>
        call(base, 'POST', '/v1/segment-estimates', { token: demo.token, body: { segmentId: seg.body.id } }),
      ),
    );
    latency.push(
      await sample('POST /v1/segment-estimates (unsaved)', o.estimates, () =>
        call(base, 'POST', '/v1/segment-estimates', {
          token: demo.token,
          body: {
            match: 'any',
            criteria: [
              { filter: 'total_orders', operator: 'gte', value: 3 },
              { filter: 'abandoned_cart', operator: 'is', value: true },
            ],
          },
        }),
      ),
    );

    // Ingestion: pre-built 500-event bodies, `concurrency` clients.
    const seq = { next: 0 };
    const bodies = Array.from({ length: o.batches }, () => JSON.stringify({ events: sdkEvents(500, 20_000, seq) }));
    const t = await postEvents({ base, appKey: demo.appKey, bodies, concurrency: o.concurrency, label: 'POST /v1/events (500/batch)' });
    const [row] = await demo.world.engine.run({
      sql: "SELECT count(*) AS n FROM events WHERE tenant_id = ? AND event_id LIKE 'ld-%'",
      params: ['demo'],
    });
    return {
      seedS,
      latency,
      ingest: {
        events: t.accepted,
        batchSize: 500,
        concurrency: o.concurrency,
        seconds: t.seconds,
        eventsPerS: t.accepted / t.seconds,
        requestP50Ms: t.requestP50Ms,
        requestP99Ms: t.requestP99Ms,
        visibleInLake: Number(row.n),
      },
    };
  } finally {
    await demo.stop();
  }
}
