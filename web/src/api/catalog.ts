/**
 * GET /v1/segment-filters: the filter catalog as the server builds it (domain/segments/catalog.ts),
 * each filter with its operators and each operator's value type, plus the words the UI shows for them.
 */
import { api } from './client';
import type { Catalog, CatalogFilter, Operator } from './types';

const OPERATOR_LABELS = {
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
} satisfies Record<Operator, string>;
// Every operator of the server has its words (a new one is a type error above); the catalog names them as text.
const LABELS: Readonly<Record<string, string | undefined>> = OPERATOR_LABELS;

/** Version comparisons read better with symbols. */
const VERSION_LABELS: Record<string, string> = { eq: '=', neq: '≠', gt: '>', gte: '≥', lt: '<', lte: '≤' };

export function operatorLabel(filter: CatalogFilter | undefined, op: string): string {
  if (filter?.valueType === 'version' && VERSION_LABELS[op]) return `${VERSION_LABELS[op]} (${LABELS[op]})`;
  return LABELS[op] ?? op.replace(/_/g, ' ');
}

/**
 * The answer as the server's schema types it. Only its outline is checked at run time: an answer
 * without filters would leave an empty builder, so it fails loudly (the editor shows the error)
 * instead of defaulting to nothing.
 */
export function checkCatalog(body: Catalog): Catalog {
  if (!body || !Array.isArray(body.filters) || !Array.isArray(body.countries) || typeof body.limits?.maxConditions !== 'number') {
    throw new Error('The segment filter catalog (GET /v1/segment-filters) has an unexpected shape.');
  }
  return body;
}

let cached: Promise<Catalog> | null = null;

/** The catalog, fetched once per page load. */
export function loadCatalog(): Promise<Catalog> {
  cached ??= api
    .get<Catalog>('/v1/segment-filters')
    .then(checkCatalog)
    .catch((err) => {
      cached = null;
      throw err;
    });
  return cached;
}
