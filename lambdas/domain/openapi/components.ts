/**
 * The `components.schemas` of the OpenAPI document, converted from zod with `z.toJSONSchema`:
 * request bodies in `input` mode (what a client may send: defaults optional, transforms shown as
 * their input), response bodies in `output` mode (what the service returns: defaults filled in).
 * Recursive schemas (segment criteria) are registered by name so their cycles become
 * `#/components/schemas/...` references that resolve from the document's root.
 */
import * as z from 'zod';
import { triggerSchema } from '../automations/trigger';
import { campaignInputSchema } from '../campaigns/campaign';
import { messageSchema } from '../campaigns/message';
import { scheduleSchema } from '../campaigns/schedule';
import { campaignPlanInputSchema } from '../campaigns/wave-plan';
import { deviceRegistrationSchema } from '../devices/device';
import { eventBatchSchema, eventSchema, MAX_EVENTS_PER_BATCH } from '../events/event';
import { conditionSchema, criterionSchema, groupSchema, segmentDefinitionSchema } from '../segments/criteria';
import { sampleSizeSchema, savedEstimateRequestSchema } from '../segments/estimate';
import { segmentMetaSchema } from '../segments/segment';
import { androidPushAppInputSchema, iosPushAppInputSchema } from '../push-apps';
import { settingsSchema } from '../settings';
import { testSendRequestSchema, testSendResultSchema } from '../campaigns/test-send';
import {
  campaignListItemSchema,
  campaignSchema,
  deviceSchema,
  errorBodySchema,
  estimatePollSchema,
  estimateRunningSchema,
  estimateSucceededSchema,
  eventsResultSchema,
  explanationSchema,
  filterCatalogSchema,
  insightsRunningSchema,
  insightsSchema,
  campaignPlanSchema,
  pageOf,
  segmentSchema,
  storedConditionSchema,
  storedCriterionSchema,
  storedGroupSchema,
  triggerResponseSchema,
} from './responses';
import { androidPushAppSchema, iosPushAppSchema, pushAppsSchema } from './push-apps';
import { catalogProductSchema, productCatalogSchema } from './catalog';
import { recipientPageSchema, recipientSchema } from './recipients';
import { erasureRequestDocSchema, erasureSchema } from './erasures';
import { conditionComponents } from './conditions';
import { gatewayErrorSchema } from './gateway';
import { applyLimits } from './limits';

export type JsonSchema = Record<string, unknown>;

const SCHEMA_REF = '#/components/schemas/';

/** `$ref` to a component schema. */
export const schemaRef = (name: string) => ({ $ref: `${SCHEMA_REF}${name}` });

/**
 * segmentDefinitionSchema is typed as ZodType (it is recursive) but is a strict object at run
 * time; its shape lets the documented bodies below reuse its very `match` and `criteria` schemas.
 */
const definitionShape = (segmentDefinitionSchema as unknown as z.ZodObject<{ match: z.ZodType; criteria: z.ZodType }>).shape;

/**
 * POST/PUT /v1/segments: parseSegmentInput (segment.ts) checks name/description with segmentMetaSchema
 * schema and the rest with segmentDefinitionSchema; the name rules are restated here and the
 * unit test parses the same bodies with both to keep them in step.
 */
export const segmentInputDocSchema = z.strictObject({
  ...segmentMetaSchema.shape,
  ...definitionShape,
});

const sampleSize = sampleSizeSchema.describe('how many matching device ids to return');

/** POST /v1/segment-estimates: a saved segment by id, or an unsaved definition (estimate-segment.ts). */
export const estimateRequestDocSchema = z.union([savedEstimateRequestSchema, z.strictObject({ ...definitionShape, sampleSize })]);

/** POST /v1/events: the envelope of eventBatchSchema with each element as eventSchema validates it. */
export const eventBatchDocSchema = eventBatchSchema.extend({
  events: z
    .array(eventSchema)
    .min(1)
    .max(MAX_EVENTS_PER_BATCH)
    .describe('each event is validated on its own; invalid ones are rejected by index'),
});

/** Request bodies (io: input). */
const INPUT: [string, z.ZodType][] = [
  ['DeviceRegistration', deviceRegistrationSchema],
  ['Event', eventSchema],
  ['EventBatch', eventBatchDocSchema],
  ['Condition', conditionSchema],
  ['Group', groupSchema],
  ['Criterion', criterionSchema],
  ['SegmentDefinition', segmentDefinitionSchema],
  ['SegmentInput', segmentInputDocSchema],
  ['EstimateRequest', estimateRequestDocSchema],
  ['MessageInput', messageSchema],
  ['Schedule', scheduleSchema],
  ['TriggerInput', triggerSchema],
  ['CampaignInput', campaignInputSchema],
  ['CampaignPlanRequest', campaignPlanInputSchema],
  ['CampaignPlan', campaignPlanSchema],
  ['TestSendRequest', testSendRequestSchema],
  ['SettingsInput', settingsSchema],
  ['IosPushAppInput', iosPushAppInputSchema],
  ['AndroidPushAppInput', androidPushAppInputSchema],
  ['ErasureRequest', erasureRequestDocSchema],
];

/** Response bodies (io: output). */
const OUTPUT: [string, z.ZodType][] = [
  ['ErrorBody', errorBodySchema],
  ['Device', deviceSchema],
  ['EventsResult', eventsResultSchema],
  ['FilterCatalog', filterCatalogSchema],
  ['StoredCondition', storedConditionSchema],
  ['StoredGroup', storedGroupSchema],
  ['StoredCriterion', storedCriterionSchema],
  ['Segment', segmentSchema],
  ['SegmentPage', pageOf(segmentSchema)],
  ['EstimateSucceeded', estimateSucceededSchema],
  ['EstimateRunning', estimateRunningSchema],
  ['Estimate', estimatePollSchema],
  ['Explanation', explanationSchema],
  ['Message', messageSchema],
  ['Schedule', scheduleSchema],
  ['Trigger', triggerResponseSchema],
  ['Campaign', campaignSchema],
  ['CampaignListItem', campaignListItemSchema],
  ['CampaignPage', pageOf(campaignListItemSchema)],
  ['Insights', insightsSchema],
  ['InsightsRunning', insightsRunningSchema],
  ['TestSendResult', testSendResultSchema],
  ['Settings', settingsSchema],
  ['IosPushApp', iosPushAppSchema],
  ['AndroidPushApp', androidPushAppSchema],
  ['PushApps', pushAppsSchema],
  ['CatalogProduct', catalogProductSchema],
  ['ProductCatalog', productCatalogSchema],
  ['Recipient', recipientSchema],
  ['RecipientPage', recipientPageSchema],
  ['Erasure', erasureSchema],
];

/**
 * A refinement (`.refine(isTimeZone, 'must be an IANA time zone')`) has no JSON Schema form; its
 * message becomes the schema's description so the rule is still documented. Messages of checks
 * aimed at a sub-path (`{ path: ['end'] }`) or built by a function of the issue are left out.
 */
function describeRefinements(ctx: { zodSchema: unknown; jsonSchema: JsonSchema }): void {
  const checks = ((ctx.zodSchema as { _zod?: { def?: { checks?: unknown[] } } })._zod?.def?.checks ?? []) as {
    _zod?: { def?: { check?: string; error?: unknown; path?: unknown[] } };
  }[];
  const messages: string[] = [];
  for (const c of checks) {
    const def = c._zod?.def;
    if (def?.check !== 'custom' || typeof def.error !== 'function' || (def.path?.length ?? 0) > 0) continue;
    try {
      const msg: unknown = (def.error as (issue: unknown) => unknown)({ code: 'custom', input: undefined, path: [] });
      if (typeof msg === 'string' && msg !== '') messages.push(msg);
    } catch {
      // A message computed from the issue: nothing static to document.
    }
  }
  if (messages.length > 0 && ctx.jsonSchema.description === undefined) ctx.jsonSchema.description = messages.join('; ');
}

/** Options shared by every conversion: never throw on a transform or custom type. */
export const jsonSchemaOptions = (io: 'input' | 'output') =>
  ({ target: 'draft-2020-12', io, unrepresentable: 'any', cycles: 'ref', reused: 'inline', override: describeRefinements }) as const;

/**
 * A fixed-length array of one item type (`[min, max]`) comes out of zod as `prefixItems` +
 * `items: false`, which draft-07 tools and most generators misread; it is rewritten as
 * `minItems` = `maxItems` = n with one `items` schema. Tuples of mixed item types are kept.
 */
export function portableTuples(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(portableTuples);
  if (node === null || typeof node !== 'object') return node;
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) o[k] = portableTuples(v);
  const prefix = o.prefixItems;
  if (!Array.isArray(prefix) || prefix.length === 0 || o.items !== false) return o;
  const first = JSON.stringify(prefix[0]);
  if (!prefix.every((p) => JSON.stringify(p) === first)) return o;
  const { prefixItems: _p, items: _i, minItems: _min, maxItems: _max, ...rest } = o;
  return { ...rest, minItems: prefix.length, maxItems: prefix.length, items: prefix[0] };
}

/** Converts one standalone schema (a parameter) without `$schema`. */
export function toJsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'input'): JsonSchema {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, jsonSchemaOptions(io)) as JsonSchema;
  return portableTuples(rest) as JsonSchema;
}

function convert(entries: [string, z.ZodType][], io: 'input' | 'output'): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of entries) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { ...jsonSchemaOptions(io), uri: (id) => `${SCHEMA_REF}${id}` }) as {
    schemas: Record<string, JsonSchema>;
  };
  return portableTuples(hoistShared(schemas, io)) as Record<string, JsonSchema>;
}

/**
 * zod puts cycles through unregistered schemas under a `__shared` entry referenced as
 * `…/__shared#/$defs/x`, which no OpenAPI tool resolves. Each such definition becomes a
 * component of its own (`Shared<Io>_x`) and references are rewritten, so any future recursive
 * schema still yields a valid document.
 */
function hoistShared(schemas: Record<string, JsonSchema>, io: string): Record<string, JsonSchema> {
  const { __shared: shared, ...rest } = schemas;
  const defs = (shared?.$defs ?? {}) as Record<string, JsonSchema>;
  const prefix = `Shared${io === 'input' ? 'Input' : 'Output'}_`;
  const out: Record<string, JsonSchema> = {};
  for (const [name, s] of Object.entries(rest)) out[name] = s;
  for (const [name, s] of Object.entries(defs)) out[prefix + name] = s;
  const rewrite = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(rewrite);
    if (v === null || typeof v !== 'object') return v;
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === '$schema' || k === '$id') continue;
      o[k] = k === '$ref' && typeof x === 'string' ? x.replace(`${SCHEMA_REF}__shared#/$defs/`, SCHEMA_REF + prefix) : rewrite(x);
    }
    return o;
  };
  return rewrite(out) as Record<string, JsonSchema>;
}

/**
 * All component schemas. A name converted in both modes (Schedule) must come out the same,
 * else the document would say two things under one name: that is a programming error.
 */
export function componentSchemas(): Record<string, JsonSchema> {
  // Condition as converted from zod says `operator: string, value: unknown`; the filter model says more.
  const input = { ...convert(INPUT, 'input'), ...conditionComponents((schema) => toJsonSchema(schema, 'input')) };
  const output = convert(OUTPUT, 'output');
  for (const [name, s] of Object.entries(output)) {
    if (name in input && JSON.stringify(input[name]) !== JSON.stringify(s)) {
      throw new Error(`OpenAPI component ${name} differs between request and response; give one of them another name`);
    }
  }
  const all = applyLimits({ ...input, ...output, GatewayError: gatewayErrorSchema });
  return Object.fromEntries(
    Object.keys(all)
      .sort()
      .map((k) => [k, all[k]]),
  );
}
