/** Shapes of the HTTP API (see API.md), as the UI reads and writes them. */

export type Match = 'all' | 'any';
export type ValueType =
  | 'none' | 'days' | 'date' | 'number' | 'number_range' | 'boolean'
  | 'product_ids' | 'countries' | 'platforms' | 'version' | 'segment';
export type ConditionValue = number | string | boolean | [number, number] | string[];

export interface Condition {
  filter: string;
  operator: string;
  value?: ConditionValue;
  withinDays?: number;
  event?: string;
}
export interface Group {
  match: Match;
  criteria: Criterion[];
  negate?: boolean;
}
export type Criterion = Condition | Group;

export interface SegmentDefinition {
  match: Match;
  criteria: Criterion[];
}

export interface Segment extends SegmentDefinition {
  id: string;
  name: string;
  description: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** One filter of GET /v1/segment-filters, normalised by catalog.ts. */
export interface CatalogFilter {
  filter: string;
  label: string;
  valueType: ValueType;
  operators: { operator: string; valueType: ValueType; label?: string }[];
  withinDays: boolean;
  requiresEvent: boolean;
}
export interface Catalog {
  filters: CatalogFilter[];
  countries: string[];
  limits: { maxDepth: number; maxConditions: number };
}

/** One product of GET /v1/catalog/products: seen in the tenant's events of the last 90 days. */
export interface CatalogProduct {
  productId: string;
  views: number;
  favorites: number;
  carts: number;
  lastSeen: string;
}

export type Recommendation = 'empty' | 'too_narrow' | 'too_broad' | 'ok';
export interface Estimate {
  id?: string;
  status: 'running' | 'succeeded' | 'failed';
  matched?: number;
  total?: number;
  percent?: number;
  recommendation?: Recommendation;
  asOf?: string;
  sample?: string[];
  error?: { code: string; message: string };
}

export interface ExplainedCondition {
  path?: string;
  filter: string;
  operator?: string;
  value?: ConditionValue | null;
  held: boolean;
  actual: unknown;
}
export interface Explanation {
  member: boolean;
  optedIn?: boolean;
  conditions: ExplainedCondition[];
}

export interface MessageButton {
  label: string;
  deepLink?: string;
}
export interface Message {
  title: string;
  body: string;
  imageUrl?: string;
  deepLink?: string;
  buttons?: MessageButton[];
  data?: Record<string, string>;
  ttlSeconds?: number;
}

export type Schedule =
  | { type: 'now' }
  | { type: 'at'; at: string; timezone: string }
  | { type: 'local'; at: string; fallbackTimezone: string };

export type CampaignStatus = 'draft' | 'scheduled' | 'sending' | 'sent' | 'cancelled' | 'failed';

export interface Warning {
  code: string;
  message: string;
  path?: string;
}

export interface Progress {
  targeted: number;
  sent: number;
  failed: number;
  suppressed: number;
}

export interface Campaign {
  id: string;
  name: string;
  kind: 'campaign' | 'automated';
  segmentId: string | null;
  message: Message;
  schedule: Schedule;
  sendRate?: SendRate | null;
  status: CampaignStatus;
  warnings?: Warning[];
  version?: number;
  createdAt: string;
  updatedAt: string;
  launchedAt?: string | null;
  completedAt?: string | null;
  progress?: Progress;
  error?: string | null;
}

/** Throttling: pushes go out no faster than this many devices a minute. */
export interface SendRate {
  perMinute: number;
}

export interface CampaignInput {
  name: string;
  kind: 'campaign';
  segmentId: string | null;
  message: Message;
  schedule: Schedule;
  sendRate: SendRate | null;
}

export interface PlatformInsights {
  sent?: number;
  failed?: number;
  opened?: number;
  openRate?: number;
  conversions?: number;
  conversionRate?: number;
  revenue?: number;
}
export interface Insights {
  targeted: number;
  sent: number;
  failed: number;
  suppressed: { optedOut: number; frequencyCap: number; invalidToken: number };
  opened: number;
  openRate: number;
  conversions: number;
  conversionRate: number;
  revenue: number;
  attributionWindowHours: number;
  byPlatform?: Partial<Record<'ios' | 'android', PlatformInsights>>;
  timeline?: { hour: string; opens: number; conversions: number }[];
}

export interface Settings {
  frequencyCap: { maxPerDevice: number; windowHours: number } | null;
  quietHours: { start: string; end: string } | null;
  attributionWindowHours: number;
  defaultTimezone: string;
}
