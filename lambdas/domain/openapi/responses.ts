/**
 * zod schemas of the API's response bodies, for the OpenAPI document only. The handlers build
 * these bodies with plain functions (publicSegment, publicCampaign, publicDevice, errorResponse…);
 * these schemas describe what those return and change nothing. The unit test checks at compile
 * time that each function's return type fits its schema, and parses real bodies with them.
 */
import * as z from 'zod';
import { CAMPAIGN_KINDS, holdoutPercentSchema, sendRateValueSchema, variantsSchema } from '../campaigns/campaign';
import { CAMPAIGN_STATUSES } from '../campaigns/lifecycle';
import { MAX_INACTIVITY_DAYS, MAX_REENTRY_DAYS, MAX_DELAY_MINUTES } from '../automations/trigger';
import { messageSchema } from '../campaigns/message';
import { scheduleSchema } from '../campaigns/schedule';
import { DEVICE_ID_PATTERN } from '../devices/device';
import {
  DATE_OPERATORS,
  FILTER_NAMES,
  LIST_OPERATORS,
  MEMBERSHIP_OPERATORS,
  NUMERIC_OPERATORS,
  PLATFORMS,
  SET_OPERATORS,
  VERSION_OPERATORS,
  type FilterName,
  type Operator,
  type ValueType,
} from '../segments/filters';

const isoTime = z.iso.datetime({ offset: true });
const count = z.number().int().min(0);

/** `{ path, message }`: one invalid field of a 400. */
export const errorDetailSchema = z.object({ path: z.string(), message: z.string() });

/**
 * API.md's error body. Some errors carry extra members next to code/message (segment_in_use:
 * `referrers`; version_mismatch: `currentVersion`; invalid_state: `status`; a batch with no valid
 * event: `rejected`), so `error` admits more keys.
 */
export const errorBodySchema = z.object({
  error: z.looseObject({
    code: z.string().meta({ examples: ['validation_error'] }),
    message: z.string(),
    details: z.array(errorDetailSchema).optional(),
  }),
});

/** publicDevice: the stored registration, token never echoed. */
export const deviceSchema = z.object({
  deviceId: z.string().regex(DEVICE_ID_PATTERN),
  platform: z.enum(PLATFORMS),
  optedIn: z.boolean(),
  country: z.string().nullable(),
  timezone: z.string().nullable(),
  locale: z.string().nullable(),
  appVersion: z.string().nullable(),
  customerId: z.string().nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
});

/** POST /v1/events: how many were kept, and each rejected event by index. */
export const eventsResultSchema = z.object({
  accepted: count,
  rejected: z.array(
    z.object({
      index: count,
      error: z.object({ code: z.string(), message: z.string(), details: z.array(errorDetailSchema) }),
    }),
  ),
});

const OPERATORS = [
  ...new Set<Operator>([
    ...DATE_OPERATORS,
    ...NUMERIC_OPERATORS,
    ...LIST_OPERATORS,
    ...SET_OPERATORS,
    ...VERSION_OPERATORS,
    ...MEMBERSHIP_OPERATORS,
    'is',
  ]),
] as [Operator, ...Operator[]];
const filterName = z.enum(FILTER_NAMES as [FilterName, ...FilterName[]]);
const operator = z.enum(OPERATORS);

/** Every ValueType, listed for the enum; `satisfies` plus the check below keep it complete. */
const VALUE_TYPES = [
  'none',
  'days',
  'date',
  'number',
  'number_range',
  'boolean',
  'product_ids',
  'countries',
  'platforms',
  'version',
  'segment',
] as const satisfies readonly ValueType[];
type MissingValueType = Exclude<ValueType, (typeof VALUE_TYPES)[number]>;
const valueTypesComplete: [MissingValueType] extends [never] ? true : false = true;
void valueTypesComplete;
const valueType = z.enum(VALUE_TYPES);

/** A condition's value after validation (countries upper-cased, duplicates dropped). */
const conditionValue = z.union([z.number(), z.string(), z.boolean(), z.tuple([z.number(), z.number()]), z.array(z.string())]);

/** A condition as stored and returned (the request form is normalised into this). */
export const storedConditionSchema = z.object({
  filter: filterName,
  operator,
  value: conditionValue.optional(),
  withinDays: z.number().int().optional(),
  event: z.string().optional(),
});

/** A group as stored and returned. */
export const storedGroupSchema = z.object({
  match: z.enum(['all', 'any']),
  get criteria(): z.ZodArray<typeof storedCriterionSchema> {
    return z.array(storedCriterionSchema);
  },
  negate: z.boolean().optional(),
});

/** A condition or a nested group, as stored and returned. */
export const storedCriterionSchema: z.ZodUnion<[typeof storedConditionSchema, typeof storedGroupSchema]> = z.union([
  storedConditionSchema,
  storedGroupSchema,
]);

/** publicSegment. */
export const segmentSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  match: z.enum(['all', 'any']),
  criteria: z.array(storedCriterionSchema),
  version: z.number().int().min(1),
  createdAt: isoTime,
  updatedAt: isoTime,
});

/** A page of a list: `nextCursor` is null on the last page. */
export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/** GET /v1/segment-filters (catalog.ts). */
export const filterCatalogSchema = z.object({
  filters: z.array(
    z.object({
      filter: filterName,
      label: z.string(),
      valueType,
      operators: z.array(z.object({ operator: z.string(), valueType })),
      withinDays: z.boolean(),
      requiresEvent: z.boolean(),
    }),
  ),
  countries: z.array(z.string()),
  platforms: z.array(z.string()),
  limits: z.object({
    maxDepth: z.number().int(),
    maxConditions: z.number().int(),
    maxDays: z.number().int(),
    maxWithinDays: z.number().int(),
    maxProducts: z.number().int(),
    maxProductIdLength: z.number().int(),
    maxSegmentIdLength: z.number().int(),
  }),
});

const estimateFigures = {
  matched: count,
  total: count,
  percent: z.number().min(0).max(100),
  recommendation: z.enum(['empty', 'too_narrow', 'too_broad', 'ok']),
  asOf: isoTime,
  sample: z.array(z.string()).optional().describe('device ids, when sampleSize > 0'),
};

/** A finished estimate (200 of POST /v1/segment-estimates). */
export const estimateSucceededSchema = z.object({ status: z.literal('succeeded'), ...estimateFigures });

/** An estimate still running (202 of POST /v1/segment-estimates; also a poll answer). */
export const estimateRunningSchema = z.object({ id: z.string(), status: z.literal('running') });

/** GET /v1/segment-estimates/{id}: running, succeeded or failed. */
export const estimatePollSchema = z.discriminatedUnion('status', [
  estimateRunningSchema,
  z.object({ id: z.string(), status: z.literal('succeeded'), ...estimateFigures }),
  z.object({ id: z.string(), status: z.literal('failed'), error: z.object({ code: z.string(), message: z.string() }) }),
]);

/** GET /v1/segments/{id}/explain/{deviceId}. */
export const explanationSchema = z.object({
  segmentId: z.string(),
  deviceId: z.string(),
  asOf: isoTime,
  member: z.boolean(),
  optedIn: z.boolean(),
  conditions: z.array(
    z.object({
      path: z.string().meta({ examples: ['criteria[0]'] }),
      filter: filterName,
      operator,
      value: conditionValue.nullable(),
      held: z.boolean(),
      actual: z.union([z.number(), z.string(), z.boolean(), z.array(z.string())]).nullable(),
    }),
  ),
});

const warningSchema = z.object({
  code: z.enum(['title_long', 'body_long']),
  message: z.string(),
  path: z.string(),
  limit: z.number().int(),
  length: z.number().int(),
});

/**
 * An automated campaign's trigger as stored and returned: the request's `trigger` with its defaults
 * filled in (delayMinutes, exitOn, reentryAfterDays) and `exitOn` without repeats. The request form
 * (triggerSchema) ends in a transform, which has no JSON Schema output form, hence this one.
 */
export const triggerResponseSchema = z
  .discriminatedUnion('type', [
    z.object({
      type: z.literal('event'),
      event: z.string().describe('the event type, or `custom:<name>` for a custom event'),
      delayMinutes: z.number().int().min(0).max(MAX_DELAY_MINUTES).describe('minutes from the event to the push'),
      exitOn: z.array(z.string()).describe('events that take the device out before it is due (across a logged-in shopper’s devices)'),
      reentryAfterDays: z
        .number()
        .int()
        .min(0)
        .max(MAX_REENTRY_DAYS)
        .describe('a device is pushed at most once per this many days; 0: once per triggering event'),
    }),
    z.object({
      type: z.literal('inactivity'),
      days: z.number().int().min(1).max(MAX_INACTIVITY_DAYS).describe('days since the latest app_open; one push per spell'),
    }),
    z.object({ type: z.literal('first_open') }),
  ])
  .describe('what makes a device due (automated campaigns)');

/** publicCampaign: message and schedule are the request schemas' outputs (defaults filled in). */
export const campaignSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(CAMPAIGN_KINDS),
  segmentId: z.string().nullable(),
  message: messageSchema.nullable().describe('the push; null when the campaign tests variants (each variant carries its message)'),
  variants: variantsSchema.nullable().describe('message variants (API.md v1.1); null on a campaign with one message'),
  holdoutPercent: holdoutPercentSchema,
  schedule: scheduleSchema.nullable().describe('when a campaign goes out; null on an automated campaign (it sends on its trigger)'),
  trigger: triggerResponseSchema.nullable().describe('what makes a device due: automated campaigns only; null on a campaign'),
  sendRate: sendRateValueSchema.nullable(),
  status: z
    .enum(CAMPAIGN_STATUSES)
    .describe(
      'campaign: draft → scheduled → sending → sent, or cancelled, or failed; automated campaign: draft → active ⇄ paused, or cancelled',
    ),
  warnings: z.array(warningSchema),
  version: z.number().int().min(1),
  createdAt: isoTime,
  updatedAt: isoTime,
  launchedAt: isoTime.nullable(),
  completedAt: isoTime.nullable(),
  cancelledAt: isoTime.nullable(),
  audience: z
    .object({
      segmentId: z.string().nullable(),
      segmentName: z.string().nullable(),
      match: z.enum(['all', 'any']),
      criteria: z.array(storedCriterionSchema),
      referenced: z
        .record(z.string(), z.object({ name: z.string(), match: z.enum(['all', 'any']), criteria: z.array(storedCriterionSchema) }))
        .optional()
        .describe(
          'the segments the criteria reach through `in_segment` (directly or through one another), by segment id, as they were at launch; absent when there are none',
        ),
    })
    .nullable()
    .describe(
      'launch snapshot: the audience as launched (all subscribers: segmentId and segmentName null, match "all", no criteria), with the segments it references; null before launch and on campaigns launched before snapshots existed',
    ),
  attributionWindowHours: z
    .number()
    .int()
    .min(1)
    .nullable()
    .describe('launch snapshot: the attribution window its insights use; null before launch (insights use the current settings)'),
  progress: z.object({
    targeted: count,
    sent: count,
    heldOut: count.describe('devices of the control group (holdoutPercent): recorded, never pushed'),
    failed: count,
    suppressed: count,
    suppressedBy: z.object({
      optedOut: count,
      frequencyCap: count,
      invalidToken: count,
      timePassed: count.describe('local schedule with ifPassed "skip": devices of zones whose time had passed at launch'),
    }),
    deferred: count.describe('devices held by quiet hours and not sent yet (0 once the campaign stopped sending)'),
    exited: count
      .optional()
      .describe(
        'automated campaigns only: due devices not pushed because the device (or another device of the same logged-in shopper) reported an exitOn event first',
      ),
  }),
  waves: z.array(
    z.object({
      id: z.string(),
      timezone: z.string().nullable(),
      timezones: z.array(z.string()).describe('a local wave’s device time zones; the zone of an `at` wave; none for `now` (every device)'),
      sendAt: isoTime.describe('when the wave goes out (as in POST /v1/campaign-plans)'),
      devices: count
        .nullable()
        .describe(
          'a local wave: the devices the plan counted at launch; a `now`/`at` wave: null until it fires (launch runs no audience query for it), then its targeted',
        ),
      fireAt: isoTime,
      intendedAt: isoTime,
      pastDue: z.boolean(),
      status: z
        .enum(['pending', 'sending', 'sent', 'cancelled'])
        .describe('pending until it fires; sending while its batches (quiet-hours ones included) go out; sent when all are done'),
      targeted: count,
      firedAt: isoTime.nullable(),
    }),
  ),
  error: z.string().nullable(),
});

/** POST /v1/campaign-plans, 200 (API.md v1.1 "Plan preview"). */
export const campaignPlanSchema = z.object({
  waves: z.array(
    z.object({
      timezones: z.array(z.string()).describe('a local wave’s device time zones; the zone of an `at` wave; none for `now` (every device)'),
      sendAt: isoTime,
      devices: count,
    }),
  ),
  heldByQuietHours: count.describe('devices whose wave’s local send time is inside quiet hours: deferred to their end, not dropped'),
  overFrequencyCap: count.describe(
    'devices already at the frequency cap from pushes recorded so far in the window that ends at the first send (0 without a cap)',
  ),
  targeted: count.describe('every audience device: the waves’ devices plus timePassed'),
  timePassed: count.describe('ifPassed "skip": devices of zones left out because their time has passed'),
});

export { insightsRunningSchema, insightsSchema } from './insights';

/** GET /v1/campaigns: with `status=sent` or `kind=automated` each item carries its headline figures (null while counting). */
export const campaignListItemSchema = campaignSchema.extend({
  insights: z
    .object({ sent: count, opened: count, openRate: z.number().min(0).max(1), conversions: count, revenue: z.number().min(0) })
    .nullable()
    .optional()
    .describe('only with status=sent or kind=automated; null while still being counted'),
});
