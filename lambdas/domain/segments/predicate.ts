/**
 * Turns a definition tree into one boolean SQL expression over the joined facts row. Every
 * condition is made two-valued (COALESCE(..., FALSE)) so NOT and OR behave as in the reference
 * evaluator: a device without events is a device with count 0 / no latest event, never "unknown".
 */
import type { SqlParam } from '../sql';
import { versionKey } from '../version-key';
import { isGroup, type Condition, type Criterion, type Match, type SegmentDefinition } from './criteria';
import type { FactRegistry } from './facts';
import { ABANDONED_CART_DEFAULT_DAYS, FILTERS } from './filters';
import type { SqlDialect } from './dialect';
import { joinFrags, paramList, raw, sql, type Frag } from './sql-fragment';
import { parseIsoDate } from './values';

/** The context a tree is compiled in (see compiler.ts). */
export interface PredicateContext {
  facts: FactRegistry;
  dialect: SqlDialect;
  segments: ReadonlyMap<string, SegmentDefinition>;
}

const TRUE = raw('TRUE');
const FALSE = raw('FALSE');

const EVENT_TYPE = {
  last_app_open: 'app_open',
  last_push_open: 'push_open',
  product_viewed: 'product_view',
  product_favorited: 'product_favorite',
} as const;

const COMPARE: Record<string, string> = { gt: '>', gte: '>=', lt: '<', lte: '<=', eq: '=', neq: '<>' };

function bool(expr: Frag): Frag {
  return sql`COALESCE(${expr}, FALSE)`;
}

function days(c: Condition): number {
  return c.value as number;
}

/** The column holding the latest ts a date filter looks at. */
function latestColumn(c: Condition, ctx: PredicateContext): Frag {
  if (c.filter === 'last_purchase_date') return ctx.facts.lastOrder();
  return ctx.facts.latest(EVENT_TYPE[c.filter as 'last_app_open' | 'last_push_open']);
}

function datePredicate(c: Condition, ctx: PredicateContext): Frag {
  if (c.operator === 'within_last_days' && c.filter !== 'last_purchase_date') {
    // Only the window matters: the latest event inside it exists or not.
    return sql`(${ctx.facts.latestWithin(EVENT_TYPE[c.filter as 'last_app_open' | 'last_push_open'], days(c))} IS NOT NULL)`;
  }
  const col = latestColumn(c, ctx);
  switch (c.operator) {
    case 'within_last_days':
      return bool(sql`${col} >= ${ctx.facts.since(days(c))}`);
    case 'more_than_days_ago':
      return bool(sql`${col} < ${ctx.facts.since(days(c))}`);
    case 'before':
    case 'after': {
      const at = parseIsoDate(String(c.value));
      if (!at) throw new Error(`invalid date ${String(c.value)}`);
      return bool(sql`${col} ${raw(c.operator === 'before' ? '<' : '>=')} ${ctx.dialect.timestamp(at)}`);
    }
    case 'exists':
      return sql`(${col} IS NOT NULL)`;
    case 'not_exists':
      return sql`(${col} IS NULL)`;
    default:
      throw new Error(`unknown date operator ${c.operator}`);
  }
}

/** The count / spend a numeric filter compares (0 when the device has none). */
function numericValue(c: Condition, ctx: PredicateContext): Frag {
  const f = ctx.facts;
  switch (c.filter) {
    case 'app_opens':
      return sql`COALESCE(${f.count('app_open', c.withinDays)}, 0)`;
    case 'custom_event':
      return sql`COALESCE(${f.count('custom', c.withinDays, c.event)}, 0)`;
    case 'total_orders':
      return sql`COALESCE(${f.orders(c.withinDays)}, 0)`;
    case 'total_spend':
      return sql`COALESCE(${f.spend(c.withinDays)}, 0)`;
    default:
      throw new Error(`not a numeric filter: ${c.filter}`);
  }
}

function numericPredicate(c: Condition, ctx: PredicateContext): Frag {
  const v = numericValue(c, ctx);
  if (c.operator === 'between') {
    const [min, max] = c.value as [number, number];
    return bool(sql`${v} BETWEEN ${min} AND ${max}`);
  }
  const op = COMPARE[c.operator];
  if (!op) throw new Error(`unknown numeric operator ${c.operator}`);
  return bool(sql`${v} ${raw(op)} ${c.value as number}`);
}

/** Abandoned: an add-to-cart within N days and no own purchase at or after the latest one. */
function abandoned(c: Condition, ctx: PredicateContext): Frag {
  // Only the window matters: if the latest add-to-cart is inside it, so is every purchase at or
  // after it. Windowed facts also let the event scan skip older partitions.
  const days = c.withinDays ?? ABANDONED_CART_DEFAULT_DAYS;
  const atc = ctx.facts.latestWithin('add_to_cart', days);
  const purchase = ctx.facts.latestWithin('purchase', days);
  return bool(sql`${atc} IS NOT NULL AND (${purchase} IS NULL OR ${purchase} < ${atc})`);
}

function productPredicate(c: Condition, ctx: PredicateContext): Frag {
  const hit = bool(sql`${ctx.facts.anyProduct(EVENT_TYPE[c.filter as 'product_viewed'], c.value as string[], c.withinDays)} = 1`);
  return c.operator === 'none_of' ? sql`NOT ${hit}` : hit;
}

function setPredicate(column: Frag, values: SqlParam[], negate: boolean): Frag {
  const inList = sql`${column} IN ${paramList(values)}`;
  return negate ? bool(sql`${column} IS NULL OR ${column} NOT IN ${paramList(values)}`) : bool(inList);
}

function versionPredicate(c: Condition): Frag {
  const op = COMPARE[c.operator];
  if (!op) throw new Error(`unknown version operator ${c.operator}`);
  return bool(sql`app_version_key IS NOT NULL AND app_version_key ${raw(op)} ${versionKey(String(c.value))}`);
}

/** Inlines the referenced definition as a group (a missing segment matches nothing). */
function segmentMembership(c: Condition, ctx: PredicateContext, trail: readonly string[]): Frag {
  const id = String(c.value);
  if (trail.includes(id)) throw new Error(`segment reference cycle: ${[...trail, id].join(' -> ')}`);
  const def = ctx.segments.get(id);
  if (!def) return FALSE;
  return treePredicate(def.match, def.criteria, ctx, [...trail, id]);
}

/** One condition as a two-valued boolean expression. */
export function conditionPredicate(c: Condition, ctx: PredicateContext, trail: readonly string[] = []): Frag {
  switch (FILTERS[c.filter].kind) {
    case 'date':
      return datePredicate(c, ctx);
    case 'numeric':
      return numericPredicate(c, ctx);
    case 'cart':
      return c.value === true ? abandoned(c, ctx) : sql`NOT ${abandoned(c, ctx)}`;
    case 'product':
      return productPredicate(c, ctx);
    case 'country':
      return setPredicate(
        raw('upper(country)'),
        (c.value as string[]).map((v) => v.toUpperCase()),
        c.operator === 'not_in',
      );
    case 'platform':
      return setPredicate(raw('platform'), c.value as string[], c.operator === 'not_in');
    case 'version':
      return versionPredicate(c);
    case 'segment': {
      const member = segmentMembership(c, ctx, trail);
      return c.operator === 'is_not_member' ? sql`NOT ${member}` : member;
    }
  }
}

/** A list of criteria joined by AND (all) or OR (any); no criteria selects everything. */
export function treePredicate(match: Match, criteria: readonly Criterion[], ctx: PredicateContext, trail: readonly string[] = []): Frag {
  if (criteria.length === 0) return TRUE;
  const parts = criteria.map((c) => {
    if (!isGroup(c)) return conditionPredicate(c, ctx, trail);
    const inner = treePredicate(c.match, c.criteria, ctx, trail);
    return c.negate ? sql`NOT ${inner}` : inner;
  });
  return sql`(${joinFrags(parts, match === 'all' ? ' AND ' : ' OR ')})`;
}

/** The device's value behind a condition, for explain (see explain.ts for how it is read). */
export function conditionActual(c: Condition, ctx: PredicateContext): Frag {
  switch (FILTERS[c.filter].kind) {
    case 'date':
      return ctx.dialect.isoText(latestColumn(c, ctx));
    case 'numeric':
      return numericValue(c, ctx);
    case 'cart':
      return abandoned(c, ctx);
    case 'product':
      return ctx.facts.productsHit(EVENT_TYPE[c.filter as 'product_viewed'], c.value as string[], c.withinDays);
    case 'country':
      return raw('country');
    case 'platform':
      return raw('platform');
    case 'version':
      return raw('app_version');
    case 'segment':
      return segmentMembership(c, ctx, []);
  }
}
