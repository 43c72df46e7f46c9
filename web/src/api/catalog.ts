/**
 * GET /v1/segment-filters → a normalised catalog. The server lists, per filter, its operators each
 * with its own value type; this accepts that list as an array of {operator, valueType} or as a map
 * operator → valueType, so the UI does not break on either spelling.
 */
import { api } from './client';
import type { Catalog, CatalogFilter, ValueType } from './types';

const OPERATOR_LABELS: Record<string, string> = {
  within_last_days: 'in the last',
  more_than_days_ago: 'more than … ago',
  before: 'before',
  after: 'on or after',
  exists: 'has ever happened',
  not_exists: 'has never happened',
  gt: 'greater than',
  gte: 'at least',
  lt: 'less than',
  lte: 'at most',
  eq: 'equal to',
  neq: 'not equal to',
  between: 'between',
  is: 'is',
  any_of: 'any of',
  none_of: 'none of',
  in: 'is one of',
  not_in: 'is not one of',
  is_member: 'is a member of',
  is_not_member: 'is not a member of',
};

/** Version comparisons read better with symbols. */
const VERSION_LABELS: Record<string, string> = { eq: '=', neq: '≠', gt: '>', gte: '≥', lt: '<', lte: '≤' };

export function operatorLabel(filter: CatalogFilter | undefined, op: string): string {
  const fromServer = filter?.operators.find((o) => o.operator === op)?.label;
  if (fromServer) return fromServer;
  if (filter?.valueType === 'version' && VERSION_LABELS[op]) return `${VERSION_LABELS[op]} (${OPERATOR_LABELS[op]})`;
  return OPERATOR_LABELS[op] ?? op.replace(/_/g, ' ');
}

function normaliseOperators(raw: unknown, fallback: ValueType): CatalogFilter['operators'] {
  if (Array.isArray(raw)) {
    return raw.map((o: any) =>
      typeof o === 'string'
        ? { operator: o, valueType: fallback }
        : { operator: String(o.operator ?? o.op ?? o.name), valueType: (o.valueType ?? o.value ?? fallback) as ValueType, label: o.label },
    );
  }
  if (raw && typeof raw === 'object') {
    return Object.entries(raw as Record<string, unknown>).map(([operator, v]) =>
      typeof v === 'string' ? { operator, valueType: v as ValueType } : { operator, valueType: ((v as any)?.valueType ?? fallback) as ValueType, label: (v as any)?.label },
    );
  }
  return [];
}

export function normaliseCatalog(body: any): Catalog {
  const rawFilters: any[] = Array.isArray(body) ? body : Array.isArray(body?.filters) ? body.filters : Array.isArray(body?.items) ? body.items : [];
  const filters = rawFilters.map((f): CatalogFilter => {
    const valueType = (f.valueType ?? 'none') as ValueType;
    return {
      filter: String(f.filter ?? f.name ?? f.id),
      label: String(f.label ?? f.filter),
      valueType,
      operators: normaliseOperators(f.operators, valueType),
      withinDays: Boolean(typeof f.withinDays === 'object' && f.withinDays !== null ? (f.withinDays.applicable ?? true) : f.withinDays),
      requiresEvent: Boolean(f.requiresEvent),
    };
  });
  const countries: string[] = Array.isArray(body?.countries)
    ? body.countries.map((c: any) => String(typeof c === 'string' ? c : c.code)).filter(Boolean)
    : [];
  const limits = {
    maxDepth: Number(body?.limits?.maxDepth) || 4,
    maxConditions: Number(body?.limits?.maxConditions) || 50,
  };
  return { filters, countries, limits };
}

let cached: Promise<Catalog> | null = null;

/** The catalog, fetched once per page load. */
export function loadCatalog(): Promise<Catalog> {
  cached ??= api.get<unknown>('/v1/segment-filters').then(normaliseCatalog).catch((err) => {
    cached = null;
    throw err;
  });
  return cached;
}
