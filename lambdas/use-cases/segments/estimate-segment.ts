/** Segment size estimates: synchronous when the engine answers within a few seconds, else `running` (202) and poll. */
import * as z from 'zod';
import { NotFoundError } from '../../domain/errors';
import { newId, RESOURCE_ID_PATTERN } from '../../domain/ids';
import { compileEstimate, compileSample, dialectFor } from '../../domain/segments/compiler';
import { parseSegmentDefinition, type SegmentDefinition } from '../../domain/segments/criteria';
import { estimateFigures, sampleSizeSchema, savedEstimateRequestSchema } from '../../domain/segments/estimate';
import { parseWith } from '../../domain/validation';
import type { Clock } from '../../ports/clock';
import type { EstimateStore } from '../../ports/estimate-store';
import type { Metrics } from '../../ports/metrics';
import { METRICS } from '../../config/metric-names';
import type { QueryEngine, Row } from '../../ports/query-engine';
import type { RollupCatalog } from '../../ports/rollups';
import type { SegmentStore } from '../../ports/segment-store';
import { assertReferencesValid } from './definitions';
import { runWithin } from './run-query';

export interface EstimateDeps {
  segments: SegmentStore;
  estimates: EstimateStore;
  queryEngine: QueryEngine;
  clock: Clock;
  /** How long a request waits for the engine before answering 202 (API.md: about 5 s). */
  estimateWaitMs?: number;
  metrics?: Metrics;
  /** Device-day rollups: the rolled days are read from them (exact, fewer bytes); absent: raw events. */
  rollups?: RollupCatalog;
}

/** POST /v1/segment-estimates: the figures (`status: 'succeeded'`), or the id to poll while the engine works (`status: 'running'`). */
export async function estimateSegment(deps: EstimateDeps, tenantId: string, body: unknown) {
  const { def, n } = await definitionOf(deps, tenantId, body);
  const refs = await assertReferencesValid(deps.segments, tenantId, undefined, def);
  const now = deps.clock.now();
  const [rollups, latest] = await Promise.all([deps.rollups?.coverage(tenantId), deps.rollups?.latest(tenantId)]);
  const ctx = { tenantId, now, segments: refs, ...(rollups ? { rollups } : {}), ...(latest ? { latest } : {}) };
  const dialect = dialectFor(deps.queryEngine.dialect);
  const wait = deps.estimateWaitMs ?? 4500;
  const started = Date.now();
  const [count, sample] = await Promise.all([
    runWithin(deps.queryEngine, compileEstimate(def, ctx, dialect), wait),
    n > 0 ? runWithin(deps.queryEngine, compileSample(def, ctx, dialect, n), wait) : undefined,
  ]);
  if (count.done && (!sample || sample.done)) {
    deps.metrics?.timing(METRICS.estimateLatency, Date.now() - started);
    return succeeded(count.rows, sample?.done ? sample.rows : undefined, now);
  }
  const id = newId('est', now);
  await deps.estimates.put({
    id,
    tenantId,
    queryId: count.done ? '' : count.handle.id,
    sampleQueryId: sample && !sample.done ? sample.handle.id : null,
    asOf: now.toISOString(),
    createdAt: now.toISOString(),
    // Whatever finished already is kept, so the poll does not wait for it again.
    result: count.done ? { count: count.rows, sample: sample?.done ? sample.rows : undefined } : undefined,
  });
  return { id, status: 'running' as const };
}

/** GET /v1/segment-estimates/{id} */
export async function getEstimate(deps: EstimateDeps, tenantId: string, id: string) {
  const stored = RESOURCE_ID_PATTERN.test(id) ? await deps.estimates.get(tenantId, id) : undefined;
  if (!stored) throw new NotFoundError('estimate');
  const partial = (stored.result ?? {}) as { count?: Row[]; sample?: Row[] };
  const count = partial.count
    ? ({ status: 'succeeded', rows: partial.count } as const)
    : await deps.queryEngine.poll({ id: stored.queryId });
  const sample = stored.sampleQueryId
    ? partial.sample
      ? ({ status: 'succeeded', rows: partial.sample } as const)
      : await deps.queryEngine.poll({ id: stored.sampleQueryId })
    : undefined;
  for (const o of [count, sample]) {
    if (o?.status === 'failed') return { id, status: 'failed', error: { code: 'query_failed', message: o.error } };
  }
  if (count.status !== 'succeeded' || (sample && sample.status !== 'succeeded')) return { id, status: 'running' };
  return { id, ...succeeded(count.rows, sample?.status === 'succeeded' ? sample.rows : undefined, new Date(stored.asOf)) };
}

async function definitionOf(deps: EstimateDeps, tenantId: string, body: unknown): Promise<{ def: SegmentDefinition; n: number }> {
  if (typeof body === 'object' && body !== null && 'segmentId' in body) {
    const input = parseWith(savedEstimateRequestSchema, body);
    const seg = await deps.segments.get(tenantId, input.segmentId);
    if (!seg) throw new NotFoundError('segment');
    return { def: { match: seg.match, criteria: seg.criteria }, n: input.sampleSize ?? 0 };
  }
  const { sampleSize: raw, ...rest } = (typeof body === 'object' && body !== null ? body : { invalid: body }) as Record<string, unknown>;
  const n = parseWith(z.object({ sampleSize: sampleSizeSchema }), { sampleSize: raw }).sampleSize ?? 0;
  return { def: parseSegmentDefinition(rest), n };
}

function succeeded(countRows: Row[], sampleRows: Row[] | undefined, asOf: Date) {
  const row = countRows[0] ?? { total: 0, matched: 0 };
  return {
    status: 'succeeded' as const,
    ...estimateFigures(Number(row.matched ?? 0), Number(row.total ?? 0)),
    asOf: asOf.toISOString(),
    ...(sampleRows ? { sample: sampleRows.map((r) => String(r.device_id)) } : {}),
  };
}
