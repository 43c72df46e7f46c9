/**
 * The plan preview's lake query (POST /v1/campaign-plans): the audience per time zone, as wave
 * planning counts it at launch (compileMemberZones), plus, under a frequency cap, how many of those
 * devices already have `maxPerDevice` pushes (distinct campaigns, as the sender's cap counts them)
 * recorded in the deliveries table since `since`. One query, one pass over the tenant's recent deliveries.
 */
import type { SqlQuery } from '../sql';
import { compileMemberZones, compileTree, factsCtes, type CompileContext } from './compiler';
import type { SegmentDefinition } from './criteria';
import type { SqlDialect } from './dialect';
import { constant, raw, sql, toQuery } from './sql-fragment';

/** The cap the preview checks: pushes since `since` (the window before the first send), at most `maxPerDevice`. */
export interface PlanCapWindow {
  since: Date;
  maxPerDevice: number;
}

/** Rows `{ timezone, devices, capped }` (capped only with a cap): matching devices per time zone. */
export function compilePlanZones(def: SegmentDefinition, ctx: CompileContext, dialect: SqlDialect, cap?: PlanCapWindow): SqlQuery {
  if (!cap) return compileMemberZones(def, ctx, dialect);
  if (!Number.isSafeInteger(cap.maxPerDevice) || cap.maxPerDevice < 1) throw new Error(`maxPerDevice must be a positive integer`);
  const tree = compileTree(def, ctx, dialect);
  const day = cap.since.toISOString().slice(0, 10);
  // The threshold is a validated integer spliced in: Athena takes parameters in WHERE clauses only.
  return toQuery(
    sql`${factsCtes(tree, ctx)}SELECT timezone, count(*) AS devices, count(CASE WHEN h.sends >= ${raw(String(cap.maxPerDevice))} THEN 1 END) AS capped FROM facts LEFT JOIN (SELECT device_id AS sent_device, count(DISTINCT campaign_id) AS sends FROM deliveries WHERE tenant_id = ${ctx.tenantId} AND dt >= ${day} AND ts >= ${dialect.timestamp(cap.since)} AND outcome = ${constant('sent')} GROUP BY device_id) h ON h.sent_device = facts.device_id WHERE opted_in = TRUE AND ${tree.predicate} GROUP BY timezone ORDER BY timezone NULLS FIRST`,
  );
}
