/**
 * The filter model: one table that both the criteria schema (criteria.ts) and the catalog served
 * by GET /v1/segment-filters (catalog.ts) derive from, so the two can never disagree.
 */
export const DATE_OPERATORS = ['within_last_days', 'more_than_days_ago', 'before', 'after', 'exists', 'not_exists'] as const;
export const NUMERIC_OPERATORS = ['gt', 'gte', 'lt', 'lte', 'eq', 'neq', 'between'] as const;
export const LIST_OPERATORS = ['any_of', 'none_of'] as const;
export const SET_OPERATORS = ['in', 'not_in'] as const;
export const VERSION_OPERATORS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte'] as const;
export const MEMBERSHIP_OPERATORS = ['is_member', 'is_not_member'] as const;

export type DateOperator = (typeof DATE_OPERATORS)[number];
export type NumericOperator = (typeof NUMERIC_OPERATORS)[number];
export type ListOperator = (typeof LIST_OPERATORS)[number];
export type SetOperator = (typeof SET_OPERATORS)[number];
export type VersionOperator = (typeof VERSION_OPERATORS)[number];
export type MembershipOperator = (typeof MEMBERSHIP_OPERATORS)[number];
export type Operator = DateOperator | NumericOperator | ListOperator | SetOperator | VersionOperator | MembershipOperator | 'is';

/** What the `value` of one operator is (drives validation and the UI's input widget). */
export type ValueType =
  'none' | 'days' | 'date' | 'number' | 'number_range' | 'boolean' | 'product_ids' | 'countries' | 'platforms' | 'version' | 'segment';

/** How a filter is evaluated; the compiler and the reference evaluator switch on it. */
export type FilterKind = 'date' | 'numeric' | 'cart' | 'product' | 'country' | 'platform' | 'version' | 'segment';

export interface FilterSpec {
  kind: FilterKind;
  label: string;
  /** The filter's main value type (operators may differ: `exists` takes none). */
  valueType: ValueType;
  operators: Readonly<Record<string, ValueType>>;
  withinDays: boolean;
  requiresEvent: boolean;
}

const dateOps: Record<DateOperator, ValueType> = {
  within_last_days: 'days',
  more_than_days_ago: 'days',
  before: 'date',
  after: 'date',
  exists: 'none',
  not_exists: 'none',
};
const numericOps: Record<NumericOperator, ValueType> = {
  gt: 'number',
  gte: 'number',
  lt: 'number',
  lte: 'number',
  eq: 'number',
  neq: 'number',
  between: 'number_range',
};
const productOps: Record<ListOperator, ValueType> = { any_of: 'product_ids', none_of: 'product_ids' };
const versionOps = Object.fromEntries(VERSION_OPERATORS.map((op) => [op, 'version' as ValueType]));

const spec = (
  kind: FilterKind,
  label: string,
  valueType: ValueType,
  operators: Record<string, ValueType>,
  withinDays = false,
  requiresEvent = false,
): FilterSpec => ({
  kind,
  label,
  valueType,
  operators,
  withinDays,
  requiresEvent,
});

/** Every filter of API.md's filter table, in the order the catalog lists them. */
export const FILTERS = {
  last_app_open: spec('date', 'Last app open', 'date', dateOps),
  last_purchase_date: spec('date', 'Last purchase', 'date', dateOps),
  last_push_open: spec('date', 'Last push opened', 'date', dateOps),
  app_opens: spec('numeric', 'App opens', 'number', numericOps, true),
  total_orders: spec('numeric', 'Total orders', 'number', numericOps, true),
  total_spend: spec('numeric', 'Total spend', 'number', numericOps, true),
  custom_event: spec('numeric', 'Custom event count', 'number', numericOps, true, true),
  abandoned_cart: spec('cart', 'Abandoned cart', 'boolean', { is: 'boolean' }, true),
  product_viewed: spec('product', 'Viewed products', 'product_ids', productOps, true),
  product_favorited: spec('product', 'Favorited products', 'product_ids', productOps, true),
  device_country: spec('country', 'Device country', 'countries', { in: 'countries', not_in: 'countries' }),
  platform: spec('platform', 'Platform', 'platforms', { in: 'platforms', not_in: 'platforms' }),
  app_version: spec('version', 'App version', 'version', versionOps),
  in_segment: spec('segment', 'In segment', 'segment', { is_member: 'segment', is_not_member: 'segment' }),
} as const satisfies Record<string, FilterSpec>;

export type FilterName = keyof typeof FILTERS;
export const FILTER_NAMES = Object.keys(FILTERS) as FilterName[];

/** Default look-back of abandoned_cart when no withinDays is given (API.md). */
export const ABANDONED_CART_DEFAULT_DAYS = 7;

/** Limits of the definition tree (API.md "Segments"). */
export const LIMITS = {
  maxDepth: 4,
  maxConditions: 50,
  maxDays: 3650,
  maxWithinDays: 730,
  maxProducts: 100,
  maxProductIdLength: 200,
  maxSegmentIdLength: 128,
} as const;

export const CUSTOM_EVENT_NAME = /^[a-z][a-z0-9_]{0,63}$/;
export const PLATFORMS = ['ios', 'android'] as const;
export type Platform = (typeof PLATFORMS)[number];
