/**
 * Limits the server enforces that the zod → JSON Schema conversion cannot see (refinements,
 * grapheme counts, rules checked outside the schema), restated on the converted components as
 * keywords, or, where no keyword can say it, as a description plus a vendor extension. Every value
 * comes from the constant the server uses; the few rules whose number lives inline in a domain
 * function are named here and the unit test probes the server's own parser at each boundary.
 */
import { BODY_MAX_LENGTH, BODY_WARN_LENGTH, BUTTON_LABEL_MAX_LENGTH, TITLE_MAX_LENGTH, TITLE_WARN_LENGTH } from '../campaigns/message';
import { LIMITS } from '../segments/filters';
import { CUSTOM_EVENT_NAME, MAX_EXIT_EVENTS, STALE_AFTER_MS, TRIGGER_EVENT_TYPES } from '../automations/trigger';

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

/**
 * The event key of a trigger or an exit event: an event type, or `custom:<name>` (eventKeySchema in
 * automations/trigger.ts checks it with a refinement, which has no JSON Schema form).
 */
export const EVENT_KEY_PATTERN = `^(${TRIGGER_EVENT_TYPES.join('|')}|custom:${CUSTOM_EVENT_NAME.source.replace(/^\^|\$$/g, '')})$`;
const EVENT_KEY: JsonSchema = {
  pattern: EVENT_KEY_PATTERN,
  description: `${TRIGGER_EVENT_TYPES.join(', ')}, or \`custom:<name>\` for a custom event (name: ${CUSTOM_EVENT_NAME.source})`,
};
const STALE_AFTER_HOURS = STALE_AFTER_MS / 3_600_000;

/** The trigger of an automated campaign: what each kind means, beyond its fields. */
const TRIGGER_DOC: JsonSchema = {
  description:
    'What makes a device due (automated campaigns only). A device is pushed at most once per occurrence of the trigger, and every push ' +
    'obeys opt-out, frequency cap, quiet hours (deferred) and invalid tokens. An event whose due time is more than ' +
    `${STALE_AFTER_HOURS} hours in the past when it arrives is history, not a trigger (x-stale-after-hours).`,
  'x-stale-after-hours': STALE_AFTER_HOURS,
};
const EVENT_TRIGGER_DOC: JsonSchema = {
  description:
    'An event of type `event` at `ts` makes the device due at `ts + delayMinutes`; if the device (or, for a logged-in shopper, any of ' +
    'the shopper’s devices) reports one of `exitOn` after `ts` and before it is pushed, it is not pushed (counted in progress.exited).',
};
const EXIT_ON_DOC: JsonSchema = {
  'x-not-trigger-event': true,
  description:
    `Events that take the device out before it is due: at most ${MAX_EXIT_EVENTS}, none of them the trigger's own \`event\` ` +
    '(x-not-trigger-event); a repeated one counts once.',
};
const REENTRY_DOC: JsonSchema = {
  description:
    'A device is pushed at most once per this many days by this automation (a later occurrence within the window is dropped); ' +
    '0: one push per triggering event.',
};
const INACTIVITY_DOC: JsonSchema = {
  description:
    'A device whose latest `app_open` is `days` days old gets one push per spell of inactivity (a later app open starts a new spell). ' +
    'Evaluated once a day from the event lake.',
};
const FIRST_OPEN_DOC: JsonSchema = {
  description:
    'Welcome: the device’s first-ever `app_open`, once ever. Only devices registered after the launch are welcomed ' +
    '(devices that were there before are not new).',
};

/**
 * The kind rules of the campaign body (campaign.ts superRefine), as descriptions and as
 * `if`/`then`/`else` so a JSON Schema validator checks them too. The branches only add rules (the
 * body's own `additionalProperties: false` still refuses unknown fields); they say
 * `additionalProperties: true` because Redocly's example check treats a subschema without it as closed.
 */
const CAMPAIGN_KIND_RULES: JsonSchema = {
  description:
    'A campaign (`kind: "campaign"`, the default) needs a `schedule` and takes no `trigger`. An automated campaign (`kind: "automated"`) ' +
    'needs a `trigger` and takes no `schedule`, `sendRate` or `segmentId` (a segmentId is a 400 `segments_not_supported_on_automated`): ' +
    'it sends to each device that meets its trigger for as long as it is active.',
  if: { properties: { kind: { const: 'automated' } }, required: ['kind'] },
  then: {
    additionalProperties: true,
    required: ['trigger'],
    properties: {
      trigger: { $ref: '#/components/schemas/TriggerInput' },
      schedule: { type: 'null' },
      sendRate: { type: 'null' },
      segmentId: { type: 'null' },
    },
  },
  else: {
    additionalProperties: true,
    required: ['schedule'],
    properties: { schedule: { $ref: '#/components/schemas/Schedule' }, trigger: { type: 'null' } },
  },
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
  { component: 'CampaignInput', at: [], set: CAMPAIGN_KIND_RULES },
  {
    component: 'CampaignInput',
    at: ['properties', 'kind'],
    set: { description: '`campaign` (default): sent once, on a schedule; `automated`: sent to each device that meets its trigger' },
  },
  {
    component: 'CampaignInput',
    at: ['properties', 'segmentId'],
    set: { description: 'a segment of the tenant; null or absent: every opted-in device. Campaigns only (kind "campaign")' },
  },
  {
    component: 'CampaignInput',
    at: ['properties', 'schedule'],
    set: { description: 'required on a campaign; absent or null on an automated campaign (it sends on its trigger)' },
  },
  {
    component: 'CampaignInput',
    at: ['properties', 'sendRate'],
    set: {
      description: 'campaigns only (kind "campaign"): pushes go out no faster than perMinute devices a minute; null or absent: no limit',
    },
  },
  {
    component: 'CampaignInput',
    at: ['properties', 'trigger'],
    set: { description: 'required on an automated campaign; absent or null on a campaign' },
  },
  { component: 'TriggerInput', at: [], set: TRIGGER_DOC },
  { component: 'TriggerInput', at: ['oneOf', '0'], set: EVENT_TRIGGER_DOC },
  { component: 'TriggerInput', at: ['oneOf', '0', 'properties', 'event'], set: EVENT_KEY },
  { component: 'TriggerInput', at: ['oneOf', '0', 'properties', 'exitOn'], set: EXIT_ON_DOC },
  { component: 'TriggerInput', at: ['oneOf', '0', 'properties', 'exitOn', 'items'], set: EVENT_KEY },
  {
    component: 'TriggerInput',
    at: ['oneOf', '0', 'properties', 'delayMinutes'],
    set: { description: 'minutes from the event to the push' },
  },
  { component: 'TriggerInput', at: ['oneOf', '0', 'properties', 'reentryAfterDays'], set: REENTRY_DOC },
  { component: 'TriggerInput', at: ['oneOf', '1'], set: INACTIVITY_DOC },
  { component: 'TriggerInput', at: ['oneOf', '2'], set: FIRST_OPEN_DOC },
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
