/** Why a device is, or is not, in a segment: each condition, whether it held, and the value behind it. */
import { NotFoundError } from '../../domain/errors';
import { dialectFor } from '../../domain/segments/compiler';
import { deviceIdSchema } from '../../domain/devices/device';
import { compileExplain, readExplain } from '../../domain/segments/explain';
import { parseWith } from '../../domain/validation';
import type { Clock } from '../../ports/clock';
import type { QueryEngine } from '../../ports/query-engine';
import type { SegmentStore } from '../../ports/segment-store';
import { loadReferenced } from './definitions';
import { getSegment } from './manage-segments';
import { runWithinBudget, type QueryBudget } from './query-budget';

/** GET /v1/segments/{id}/explain/{deviceId} */
export async function explainSegment(
  deps: { segments: SegmentStore; queryEngine: QueryEngine; clock: Clock } & QueryBudget,
  tenantId: string,
  segmentId: string,
  rawDeviceId: string,
) {
  const segment = await getSegment(deps, tenantId, segmentId);
  const deviceId = parseWith(deviceIdSchema, rawDeviceId, 'deviceId');
  const def = { match: segment.match, criteria: segment.criteria };
  const now = deps.clock.now();
  const segments = await loadReferenced(deps.segments, tenantId, def);
  const { query, conditions } = compileExplain(def, { tenantId, now, segments }, dialectFor(deps.queryEngine.dialect), deviceId);
  // An HTTP request: wait within its budget, else 503 query_timeout (the engine stops the query).
  const rows = await runWithinBudget(deps.queryEngine, query, deps);
  if (rows.length === 0) throw new NotFoundError('device');
  return { segmentId, deviceId, asOf: now.toISOString(), ...readExplain(rows[0], conditions) };
}
