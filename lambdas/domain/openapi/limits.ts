/**
 * Limits the server enforces that the zod → JSON Schema conversion cannot see (refinements,
 * grapheme counts, rules checked outside the schema), restated on the converted components as
 * keywords, or, where no keyword can say it, as a description plus a vendor extension. Every value
 * comes from the constant the server uses; the few rules whose number lives inline in a domain
 * function are named here and the unit test probes the server's own parser at each boundary.
 */
import { BODY_MAX_LENGTH, BODY_WARN_LENGTH, BUTTON_LABEL_MAX_LENGTH, TITLE_MAX_LENGTH, TITLE_WARN_LENGTH } from '../campaigns/message';
import { LIMITS } from '../segments/filters';

type JsonSchema = Record<string, unknown>;

/*
 * Limits written as numbers inside domain functions (no exported constant): campaign names
 * (campaign.ts nameSchema) and the event `ts` window (event.ts timestampProblem). Stated once here;
 * test/unit/openapi/limits-openapi.test.ts probes the server's parser at each of them.
 */
export const CAMPAIGN_NAME_MAX_GRAPHEMES_DOC = 200;
export const EVENT_TS_MAX_AGE_DAYS_DOC = 730;
export const EVENT_TS_MAX_FUTURE_HOURS_DOC = 24;

/** Not empty and not only white space (`s.trim() === ''` is refused). */
export const NOT_BLANK_PATTERN = '\\S';
/** `YYYY-MM-DDTHH:mm[:ss]`, no offset, year 1970 or later (parseLocalDateTime; real calendar days are checked by the server). */
export const LOCAL_DATE_TIME_PATTERN =
  '^(19[7-9]\\d|[2-9]\\d{3})-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])T([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d)?$';
/** An ISO date or date-time, offset optional (parseIsoDate in segments/values.ts). */
export const ISO_DATE_OR_DATE_TIME_PATTERN =
  '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])(T([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})?)?$';
/** Two letters; the server also checks the code is assigned (ISO 3166-1 alpha-2) and stores it upper-case. */
export const COUNTRY_CODE_PATTERN = '^[A-Za-z]{2}$';
/** The server accepts any URL whose scheme is https (case-insensitive) with no white space. */
export const HTTPS_URL_PATTERN = '^[hH][tT][tT][pP][sS]:\\S+$';

/** A text limited in user-perceived characters: JSON Schema's maxLength counts code points, so the maximum is an extension. */
function graphemeText(max: number, what: string, warn?: number): JsonSchema {
  return {
    minLength: 1,
    pattern: NOT_BLANK_PATTERN,
    'x-max-graphemes': max,
    ...(warn !== undefined ? { 'x-warn-graphemes': warn } : {}),
    description:
      `${what}: 1 to ${max} user-perceived characters (grapheme clusters: 🎉 or 🇫🇷 count as one), not only white space` +
      (warn !== undefined ? `; over ${warn} the campaign carries a warning (it may be truncated on some devices)` : ''),
  };
}

/** The rules of a segment definition tree that no keyword can state. */
export const TREE_LIMITS: JsonSchema = {
  maxItems: LIMITS.maxConditions,
  'x-max-depth': LIMITS.maxDepth,
  'x-max-conditions': LIMITS.maxConditions,
  description:
    `Conditions and nested groups. Groups nest at most ${LIMITS.maxDepth} levels deep (x-max-depth) and the whole tree holds ` +
    `at most ${LIMITS.maxConditions} conditions (x-max-conditions).`,
};

const EVENT_TS: JsonSchema = {
  'x-max-age-days': EVENT_TS_MAX_AGE_DAYS_DOC,
  'x-max-future-hours': EVENT_TS_MAX_FUTURE_HOURS_DOC,
  description:
    `When it happened (ISO 8601 with offset). Within the last ${EVENT_TS_MAX_AGE_DAYS_DOC} days (x-max-age-days) and at most ` +
    `${EVENT_TS_MAX_FUTURE_HOURS_DOC} hours in the future (x-max-future-hours) of the server's clock; an event outside is rejected by index.`,
};

const LOCAL_AT: JsonSchema = {
  pattern: LOCAL_DATE_TIME_PATTERN,
  description: 'A local date-time YYYY-MM-DDTHH:mm[:ss] without offset (a real calendar day); it must not be in the past',
};

/** One patch: keywords merged into the node at `at` (path segments; `*` = every element of an array). */
export interface LimitPatch {
  component: string;
  at: string[];
  set: JsonSchema;
}

export const LIMIT_PATCHES: LimitPatch[] = [
  { component: 'MessageInput', at: ['properties', 'title'], set: graphemeText(TITLE_MAX_LENGTH, 'Title', TITLE_WARN_LENGTH) },
  { component: 'MessageInput', at: ['properties', 'body'], set: graphemeText(BODY_MAX_LENGTH, 'Body', BODY_WARN_LENGTH) },
  {
    component: 'MessageInput',
    at: ['properties', 'buttons', 'items', 'properties', 'label'],
    set: graphemeText(BUTTON_LABEL_MAX_LENGTH, 'Button label'),
  },
  { component: 'MessageInput', at: ['properties', 'imageUrl'], set: { pattern: HTTPS_URL_PATTERN } },
  { component: 'CampaignInput', at: ['properties', 'name'], set: graphemeText(CAMPAIGN_NAME_MAX_GRAPHEMES_DOC, 'Campaign name') },
  { component: 'SegmentInput', at: ['properties', 'name'], set: { pattern: NOT_BLANK_PATTERN } },
  { component: 'Schedule', at: ['oneOf', '*', 'properties', 'at'], set: LOCAL_AT },
  { component: 'Event', at: ['oneOf', '*', 'properties', 'ts'], set: EVENT_TS },
  { component: 'DeviceRegistration', at: ['properties', 'country'], set: { pattern: COUNTRY_CODE_PATTERN } },
  { component: 'SegmentDefinition', at: ['properties', 'criteria'], set: TREE_LIMITS },
  { component: 'SegmentInput', at: ['properties', 'criteria'], set: TREE_LIMITS },
  { component: 'EstimateRequest', at: ['anyOf', '1', 'properties', 'criteria'], set: TREE_LIMITS },
  { component: 'Group', at: ['properties', 'criteria'], set: { maxItems: LIMITS.maxConditions } },
];

function nodesAt(node: unknown, at: string[]): Record<string, unknown>[] {
  if (at.length === 0) return node !== null && typeof node === 'object' ? [node as Record<string, unknown>] : [];
  if (node === null || typeof node !== 'object') return [];
  const [head, ...rest] = at;
  if (head === '*') return Array.isArray(node) ? node.flatMap((n) => nodesAt(n, rest)) : [];
  return nodesAt((node as Record<string, unknown>)[head], rest);
}

/**
 * Applies LIMIT_PATCHES to the component schemas (in place). A patch that finds nothing is a
 * programming error (a schema changed shape): it throws rather than silently dropping a limit.
 */
export function applyLimits(schemas: Record<string, JsonSchema>): Record<string, JsonSchema> {
  for (const patch of LIMIT_PATCHES) {
    const nodes = nodesAt(schemas[patch.component], patch.at);
    if (nodes.length === 0) throw new Error(`OpenAPI limits: nothing at ${patch.component}/${patch.at.join('/')}`);
    for (const n of nodes) Object.assign(n, patch.set);
  }
  return schemas;
}
