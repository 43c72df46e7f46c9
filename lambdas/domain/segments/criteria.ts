/**
 * The segment definition model (API.md "Segments"): zod schemas, TS types and the tree rules
 * (depth, condition count, cycles through in_segment).
 */
import * as z from 'zod';
import type { ErrorDetail } from '../errors';
import { formatPath, parseWith, plainIssues, validationError } from '../validation';
import { CUSTOM_EVENT_NAME, FILTERS, FILTER_NAMES, LIMITS, type FilterName, type Operator } from './filters';
import { VALUE_SCHEMAS } from './values';

export type Match = 'all' | 'any';
export type ConditionValue = number | string | boolean | [number, number] | string[];

/** A leaf of the tree: one filter applied with one operator. */
export interface Condition {
  filter: FilterName;
  operator: Operator;
  value?: ConditionValue;
  withinDays?: number;
  event?: string;
}

/** A nested group of criteria, optionally negated. */
export interface Group {
  match: Match;
  criteria: Criterion[];
  negate?: boolean;
}

export type Criterion = Condition | Group;

/** What a segment selects: stored as criteria and evaluated when used. */
export interface SegmentDefinition {
  match: Match;
  criteria: Criterion[];
}

/** True for a group criterion (it has `criteria`), false for a condition. */
export function isGroup(c: Criterion): c is Group {
  return Array.isArray((c as Group).criteria);
}

const matchSchema = z.enum(['all', 'any']);

/** Applies the filter table: operator per filter, value per operator, withinDays and event rules. */
function checkCondition(
  c: { filter: FilterName; operator: string; value?: unknown; withinDays?: number; event?: string },
  ctx: z.RefinementCtx,
): void {
  const spec = FILTERS[c.filter];
  const ops = Object.keys(spec.operators);
  const valueType = spec.operators[c.operator];
  if (valueType === undefined) {
    ctx.addIssue({ code: 'custom', path: ['operator'], message: `must be one of ${ops.join(', ')}` });
  } else if (valueType === 'none') {
    if (c.value !== undefined) ctx.addIssue({ code: 'custom', path: ['value'], message: `is not allowed with operator ${c.operator}` });
  } else if (c.value === undefined) {
    ctx.addIssue({ code: 'custom', path: ['value'], message: 'is required' });
  } else {
    const parsed = VALUE_SCHEMAS[valueType].safeParse(c.value);
    if (!parsed.success)
      for (const i of plainIssues(parsed.error.issues, ['value'])) ctx.addIssue({ code: 'custom', path: i.path, message: i.message });
  }
  if (c.withinDays !== undefined && !spec.withinDays) {
    ctx.addIssue({ code: 'custom', path: ['withinDays'], message: `is not allowed for filter ${c.filter}` });
  }
  if (spec.requiresEvent) {
    if (c.event === undefined) ctx.addIssue({ code: 'custom', path: ['event'], message: 'is required' });
    else if (!CUSTOM_EVENT_NAME.test(c.event))
      ctx.addIssue({ code: 'custom', path: ['event'], message: 'must match ^[a-z][a-z0-9_]{0,63}$' });
  } else if (c.event !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['event'], message: `is not allowed for filter ${c.filter}` });
  }
}

/** A condition; its value is normalised (country codes upper-case, duplicates dropped). */
export const conditionSchema: z.ZodType<Condition> = z
  .strictObject({
    filter: z.enum(FILTER_NAMES as [FilterName, ...FilterName[]]),
    operator: z.string(),
    value: z.unknown().optional(),
    withinDays: z.number().int().min(1).max(LIMITS.maxWithinDays).optional(),
    event: z.string().optional(),
  })
  .superRefine(checkCondition)
  .transform((c): Condition => {
    const valueType = FILTERS[c.filter].operators[c.operator];
    const out: Condition = { filter: c.filter, operator: c.operator as Operator };
    if (valueType && valueType !== 'none' && c.value !== undefined) out.value = VALUE_SCHEMAS[valueType].parse(c.value) as ConditionValue;
    if (c.withinDays !== undefined) out.withinDays = c.withinDays;
    if (c.event !== undefined) out.event = c.event;
    return out;
  });

/** A group of criteria (never empty), optionally negated. */
export const groupSchema: z.ZodType<Group> = z.strictObject({
  match: matchSchema,
  get criteria() {
    return z.array(criterionSchema).min(1);
  },
  negate: z.boolean().optional(),
});

/** A condition or a group, told apart by the presence of `filter`. */
export const criterionSchema: z.ZodType<Criterion> = z.lazy(() => z.union([conditionSchema, groupSchema]));

/**
 * Checks depth and condition count on the raw tree without recursing past the limit, so a
 * maliciously deep body is rejected before zod walks it (no stack exhaustion).
 */
export function checkTreeLimits(input: unknown): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  let conditions = 0;
  const walk = (criteria: unknown, path: (string | number)[], depth: number): void => {
    if (!Array.isArray(criteria)) return;
    if (depth > LIMITS.maxDepth) {
      if (details.length === 0) details.push({ path: formatPath(path), message: `groups nest at most ${LIMITS.maxDepth} levels deep` });
      return;
    }
    criteria.forEach((c: unknown, i) => {
      if (c === null || typeof c !== 'object') return;
      if ('filter' in c) conditions++;
      else if ('criteria' in c) walk((c as { criteria: unknown }).criteria, [...path, i, 'criteria'], depth + 1);
    });
  };
  if (input !== null && typeof input === 'object' && 'criteria' in input) walk((input as { criteria: unknown }).criteria, ['criteria'], 1);
  if (conditions > LIMITS.maxConditions) {
    details.push({ path: 'criteria', message: `must have at most ${LIMITS.maxConditions} conditions in all (has ${conditions})` });
  }
  return details;
}

/** The whole definition: `{ match, criteria }` with the tree limits of API.md. */
export const segmentDefinitionSchema: z.ZodType<SegmentDefinition> = z
  .strictObject({ match: matchSchema, criteria: z.array(criterionSchema) })
  .superRefine((def, ctx) => {
    for (const d of checkTreeLimits(def)) ctx.addIssue({ code: 'custom', path: [], message: `${d.path}: ${d.message}` });
  });

/** Validates and normalises a definition or throws ValidationError with API-style paths. */
export function parseSegmentDefinition(input: unknown, prefix = ''): SegmentDefinition {
  const limits = checkTreeLimits(input);
  if (limits.length > 0) throw validationError(limits.map((d) => ({ path: prefix ? `${prefix}.${d.path}` : d.path, message: d.message })));
  return parseWith(segmentDefinitionSchema, input, prefix);
}

/** Visits every condition of a tree in order, with its API path (`criteria[0].criteria[1]`). */
export function forEachCondition(def: { criteria: Criterion[] }, visit: (c: Condition, path: string) => void, base = ''): void {
  def.criteria.forEach((c, i) => {
    const path = `${base}criteria[${i}]`;
    if (isGroup(c)) forEachCondition(c, visit, `${path}.`);
    else visit(c, path);
  });
}

/** The segment ids a definition refers to through in_segment (deduplicated, in order). */
export function referencedSegmentIds(def: { criteria: Criterion[] }): string[] {
  const ids = new Set<string>();
  forEachCondition(def, (c) => {
    if (c.filter === 'in_segment' && typeof c.value === 'string') ids.add(c.value);
  });
  return [...ids];
}

/**
 * Finds a cycle of in_segment references reachable from `def` (saved as `rootId`, if it is saved):
 * returns the ids along the cycle, first id repeated last (["a", "b", "a"]), or null.
 * `lookup` returns a saved definition, or undefined for an unknown id (not a cycle).
 */
export function findSegmentCycle(
  rootId: string | undefined,
  def: SegmentDefinition,
  lookup: (id: string) => SegmentDefinition | undefined,
): string[] | null {
  const root = rootId ?? '\u0000unsaved';
  const done = new Set<string>();
  const stack: string[] = [];
  const visit = (id: string, d: SegmentDefinition): string[] | null => {
    stack.push(id);
    for (const ref of referencedSegmentIds(d)) {
      const at = stack.indexOf(ref);
      if (at >= 0) return [...stack.slice(at), ref];
      if (done.has(ref)) continue;
      const next = lookup(ref);
      if (next) {
        const cycle = visit(ref, next);
        if (cycle) return cycle;
      }
    }
    stack.pop();
    done.add(id);
    return null;
  };
  return visit(root, def);
}
