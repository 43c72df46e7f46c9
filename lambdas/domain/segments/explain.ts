/**
 * Explain: why a device is or is not a member. One query returns the device's facts row with,
 * per condition of the definition (in tree order), whether it held and the value behind it.
 */
import type { Row, SqlQuery } from '../sql';
import { forEachCondition, type ConditionValue, type SegmentDefinition } from './criteria';
import { compileTree, factsCtes, type CompileContext } from './compiler';
import type { SqlDialect } from './dialect';
import { FILTERS, type FilterName, type Operator } from './filters';
import { conditionActual, conditionPredicate } from './predicate';
import { joinFrags, raw, sql, toQuery } from './sql-fragment';

type ActualKind = 'timestamp' | 'number' | 'boolean' | 'string' | 'string_list';

/** One condition of the explained definition and the result columns that describe it. */
export interface ExplainCondition {
  path: string;
  filter: FilterName;
  operator: Operator;
  value?: ConditionValue;
  withinDays?: number;
  event?: string;
  heldColumn: string;
  actualColumn: string;
  actualKind: ActualKind;
}

/** A condition's verdict for one device. */
export interface ExplainedCondition {
  path: string;
  filter: FilterName;
  operator: Operator;
  value: ConditionValue | null;
  held: boolean;
  actual: number | string | boolean | string[] | null;
}

/** The explanation returned by GET /v1/segments/{id}/explain/{deviceId}. */
export interface Explanation {
  member: boolean;
  optedIn: boolean;
  conditions: ExplainedCondition[];
}

const KIND: Record<string, ActualKind> = {
  date: 'timestamp',
  numeric: 'number',
  cart: 'boolean',
  product: 'string_list',
  country: 'string',
  platform: 'string',
  version: 'string',
  segment: 'boolean',
};

/** Compiles the explain query for one device (no row when the device never registered). */
export function compileExplain(
  def: SegmentDefinition,
  ctx: CompileContext,
  dialect: SqlDialect,
  deviceId: string,
): { query: SqlQuery; conditions: ExplainCondition[] } {
  // Explain reads one device's raw events: its facts show event counts and times as they are.
  const tree = compileTree(def, { ...ctx, rollups: undefined }, dialect);
  const conditions: ExplainCondition[] = [];
  const columns = [
    raw('device_id'),
    raw('COALESCE(opted_in, FALSE) AS is_opted_in'),
    sql`(COALESCE(opted_in, FALSE) AND ${tree.predicate}) AS member`,
  ];
  forEachCondition(def, (c, path) => {
    const i = conditions.length;
    const held = conditionPredicate(c, tree.pctx);
    const actual = conditionActual(c, tree.pctx);
    conditions.push({
      path,
      filter: c.filter,
      operator: c.operator,
      ...(c.value !== undefined ? { value: c.value } : {}),
      ...(c.withinDays !== undefined ? { withinDays: c.withinDays } : {}),
      ...(c.event !== undefined ? { event: c.event } : {}),
      heldColumn: `held_${i}`,
      actualColumn: `actual_${i}`,
      actualKind: KIND[FILTERS[c.filter].kind],
    });
    columns.push(sql`${held} AS ${raw(`held_${i}`)}`, sql`${actual} AS ${raw(`actual_${i}`)}`);
  });
  // Facts CTEs last: the explain columns may register facts (product hit lists) the predicate did not.
  // Every explain column is a select-list expression: the dialect decides how its values travel.
  const select = joinFrags(
    columns.map((c) => dialect.outsideWhere(c)),
    ', ',
  );
  const query = sql`${factsCtes(tree, ctx, deviceId)}SELECT ${select} FROM facts WHERE device_id = ${deviceId}`;
  return { query: toQuery(query), conditions };
}

function truthy(v: unknown): boolean {
  return v === true || v === 1 || v === 'true' || (typeof v === 'bigint' && v !== BigInt(0));
}

/** Normalises an engine's timestamp text ('2026-11-28 17:00:00.000' or ISO) to ISO with Z. */
function isoOf(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const text = String(v);
  const ms = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : text;
}

function readActual(kind: ActualKind, v: unknown): ExplainedCondition['actual'] {
  switch (kind) {
    case 'timestamp':
      return isoOf(v);
    case 'number':
      return v === null || v === undefined ? 0 : Number(v);
    case 'boolean':
      return truthy(v);
    case 'string':
      return v === null || v === undefined ? null : String(v);
    case 'string_list': {
      if (v === null || v === undefined) return [];
      const list = JSON.parse(String(v)) as unknown[];
      return [...new Set(list.filter((x): x is string => typeof x === 'string'))].sort();
    }
  }
}

/** Turns the explain row into the API's explanation. */
export function readExplain(row: Row | Record<string, unknown>, conditions: readonly ExplainCondition[]): Explanation {
  return {
    member: truthy(row.member),
    optedIn: truthy(row.is_opted_in),
    conditions: conditions.map((c) => ({
      path: c.path,
      filter: c.filter,
      operator: c.operator,
      value: c.value ?? null,
      held: truthy(row[c.heldColumn]),
      actual: readActual(c.actualKind, row[c.actualColumn]),
    })),
  };
}
