/**
 * Examples of the OpenAPI document: every operation with a body has a request example, every path
 * and query parameter has one, and each is valid twice: against the schema the document declares
 * (Ajv, JSON Schema 2020-12) and for the parser the server itself runs on that input, so an example
 * cannot drift from either. Bodies are checked as of EXAMPLES_AS_OF (event times, schedules).
 */
import { validateCampaignInput } from '../../../lambdas/domain/campaigns/campaign';
import { deviceIdSchema, deviceRegistrationSchema } from '../../../lambdas/domain/devices/device';
import { eventBatchSchema, eventSchema, timestampProblem } from '../../../lambdas/domain/events/event';
import { RESOURCE_ID_PATTERN } from '../../../lambdas/domain/ids';
import { erasureRequestSchema } from '../../../lambdas/domain/lake/erasure';
import { EXAMPLES_AS_OF, NAMED_REQUEST_EXAMPLES, REQUEST_EXAMPLES } from '../../../lambdas/domain/openapi/examples';
import { parsePushAppRequest } from '../../../lambdas/domain/push-apps';
import { parseSegmentDefinition } from '../../../lambdas/domain/segments/criteria';
import { sampleSizeSchema } from '../../../lambdas/domain/segments/estimate';
import { catalogRequestSchema } from '../../../lambdas/domain/segments/product-catalog';
import { encodeRecipientsCursor, parseRecipientsRequest } from '../../../lambdas/domain/insights/recipients';
import { parseSegmentInput } from '../../../lambdas/domain/segments/segment';
import { parseSettings } from '../../../lambdas/domain/settings';
import { parseTestSendRequest } from '../../../lambdas/domain/campaigns/test-send';
import { campaignListQuery, pageQuery, parseIfMatch } from '../../../lambdas/handlers/http/params';
import { ajvErrors, documentValidator } from './ajv';

const validator = documentValidator(doc);
const now = new Date(EXAMPLES_AS_OF);

/** What the server runs on each body (the handler's use case parses with these); throws when it refuses. */
import { campaignPlanInputSchema } from '../../../lambdas/domain/campaigns/wave-plan';
import { assertScheduleNotPast } from '../../../lambdas/domain/campaigns/schedule';
import { parseWith } from '../../../lambdas/domain/validation';
import { doc, type Json } from './doc';
const SERVER_PARSERS: Record<string, (body: unknown) => void> = {
  'PUT /v1/devices/{deviceId}': (b) => deviceRegistrationSchema.parse(b),
  'POST /v1/events': (b) => {
    // Each event on its own, as ingestEvents does: a rejected event would not be an error of the batch.
    for (const e of eventBatchSchema.parse(b).events) {
      const ev = eventSchema.parse(e);
      const problem = timestampProblem(ev.ts, now);
      if (problem) throw new Error(`ts ${ev.ts}: ${problem}`);
    }
  },
  'POST /v1/segments': (b) => parseSegmentInput(b),
  'POST /v1/campaign-plans': (b) => {
    const plan = parseWith(campaignPlanInputSchema, b);
    assertScheduleNotPast(plan.schedule, now);
  },
  'PUT /v1/segments/{id}': (b) => parseSegmentInput(b),
  'POST /v1/segment-estimates': (b) => {
    const { sampleSize, ...definition } = b as Record<string, unknown>;
    sampleSizeSchema.parse(sampleSize);
    parseSegmentDefinition(definition);
  },
  'POST /v1/campaigns': (b) => validateCampaignInput(b, { now }),
  'PUT /v1/campaigns/{id}': (b) => validateCampaignInput(b, { now, campaignId: 'cmp_0mwot7c9d8e7f6a5b4c3d2e' }),
  'PUT /v1/settings': (b) => parseSettings(b),
  'POST /v1/campaigns/{id}/test': (b) => parseTestSendRequest(b),
  'PUT /v1/push-apps/ios': (b) => parsePushAppRequest('ios', b),
  'PUT /v1/push-apps/android': (b) => parsePushAppRequest('android', b),
  'POST /v1/erasures': (b) => erasureRequestSchema.parse(b),
};

/** What the handlers run on each parameter (as text, the way it arrives). */
const PARAMETER_PARSERS: Record<string, (value: string) => void> = {
  'path id': (v) => {
    if (!RESOURCE_ID_PATTERN.test(v)) throw new Error(`${v} is not a resource id`);
  },
  'path deviceId': (v) => deviceIdSchema.parse(v),
  'query limit': (v) => pageQuery({ limit: v }),
  'query cursor': (v) => pageQuery({ cursor: v }),
  'query status': (v) => campaignListQuery({ status: v }),
  'query kind': (v) => campaignListQuery({ kind: v }),
  'query query': (v) => catalogRequestSchema.parse({ query: v }),
  'query outcome': (v) => parseRecipientsRequest({ outcome: v }),
  'header If-Match': (v) => parseIfMatch(v),
};
const CATALOG_LIMIT = (v: string) => catalogRequestSchema.parse({ limit: v });
const RECIPIENT_CURSOR = (v: string) => {
  if (parseRecipientsRequest({ cursor: v }).after === null) throw new Error('no cursor');
};

test('the recipients cursor example is the cursor of the example device', () => {
  expect(doc.components.parameters.recipientCursor.example).toBe(encodeRecipientsCursor('d-8f14e45f'));
});

const operations = Object.entries(doc.paths as Record<string, Record<string, Json>>).flatMap(([p, item]) =>
  Object.entries(item).map(([method, op]) => ({ key: `${method.toUpperCase()} ${p}`, path: p, op })),
);
const withBody = operations.filter((o) => o.op.requestBody);

const resolveParameter = (p: Json): Json => (p.$ref ? doc.components.parameters[p.$ref.split('/').pop()] : p);

test('every operation with a body has an example and a server parser here, and nothing else does', () => {
  expect(withBody.length).toBeGreaterThan(10);
  expect(Object.keys(REQUEST_EXAMPLES).sort()).toEqual(withBody.map((o) => o.key).sort());
  expect(Object.keys(SERVER_PARSERS).sort()).toEqual(withBody.map((o) => o.key).sort());
});

/** The request examples the document shows for an operation: its `example`, or each of its named `examples`. */
const shownExamples = (media: Json): [string, unknown][] =>
  media.examples
    ? Object.entries(media.examples as Record<string, { value: unknown }>).map(([name, e]) => [name, e.value])
    : [['example', media.example]];

const allExamples = withBody.flatMap((o) =>
  shownExamples(o.op.requestBody.content['application/json']).map(([name, value]) => [`${o.key} (${name})`, o.key, o.op, value] as const),
);

describe.each(withBody.map((o) => [o.key, o] as const))('%s request example', (key, { op }) => {
  const media = op.requestBody.content['application/json'];

  test('is the example the document shows (the first one, when it shows several by name)', () => {
    expect(media.example === undefined || media.examples === undefined).toBe(true);
    expect(shownExamples(media)[0][1]).toEqual(REQUEST_EXAMPLES[key]);
    if (media.examples) expect(media.examples).toEqual(NAMED_REQUEST_EXAMPLES[key]);
  });
});

describe.each(allExamples)('%s', (_name, key, op, value) => {
  const media = op.requestBody.content['application/json'];

  test('is valid against the documented request schema (Ajv 2020-12)', () => {
    const validate = validator.schema(media.schema);
    expect({ key, errors: validate(value) ? [] : ajvErrors(validate.errors) }).toEqual({ key, errors: [] });
  });

  test('is accepted by the server’s own parser', () => {
    expect(() => SERVER_PARSERS[key](structuredClone(value))).not.toThrow();
  });
});

test('the campaign operations show an automated campaign too: the cart reminder of API.md', () => {
  for (const key of ['POST /v1/campaigns', 'PUT /v1/campaigns/{id}']) {
    const named = withBody.find((o) => o.key === key)!.op.requestBody.content['application/json'].examples;
    expect(named.cartReminder.value).toMatchObject({ kind: 'automated', trigger: { type: 'event', event: 'add_to_cart' } });
    expect(named.cartReminder.value.schedule).toBeUndefined();
  }
  const post = NAMED_REQUEST_EXAMPLES['POST /v1/campaigns'].cartReminder.value;
  expect(post).toMatchObject({
    name: 'Cart reminder',
    trigger: { type: 'event', event: 'add_to_cart', delayMinutes: 60, exitOn: ['purchase'], reentryAfterDays: 7 },
    message: { title: 'Still thinking it over?', body: 'Your cart is waiting.' },
  });
});

describe('parameter examples', () => {
  const params = operations.flatMap((o) =>
    (o.op.parameters ?? []).map((p: Json) => ({ key: o.key, p: resolveParameter(p), ref: p.$ref as string | undefined })),
  );

  test('every path, query and header parameter has one', () => {
    expect(params.length).toBeGreaterThan(20);
    expect(params.filter(({ p }) => p.example === undefined).map(({ key, p }) => `${key} ${p.in} ${p.name}`)).toEqual([]);
  });

  test.each(params.map(({ key, p, ref }) => [`${key} ${p.in} ${p.name}`, p, ref] as const))(
    '%s: valid for its schema and for the server',
    (_name, p, ref) => {
      const validate = validator.schema(p.schema);
      expect(validate(p.example) ? [] : ajvErrors(validate.errors)).toEqual([]);
      const parse =
        ref === '#/components/parameters/catalogLimit'
          ? CATALOG_LIMIT
          : ref === '#/components/parameters/recipientCursor'
            ? RECIPIENT_CURSOR
            : PARAMETER_PARSERS[`${p.in} ${p.name}`];
      expect(parse).toBeDefined();
      expect(() => parse(String(p.example))).not.toThrow();
    },
  );

  test('a path example names the collection of its route', () => {
    const ids = params.filter(({ p }) => p.in === 'path' && p.name === 'id');
    const prefix: Record<string, string> = { segments: 'seg_', 'segment-estimates': 'est_', campaigns: 'cmp_', erasures: 'era_' };
    for (const { key, p } of ids) expect([key, p.example.slice(0, 4)]).toEqual([key, prefix[key.split(' ')[1].split('/')[2]]]);
  });
});

test('the checks can fail: a broken example is refused by Ajv and by the server', () => {
  const key = 'POST /v1/segments';
  const op = withBody.find((o) => o.key === key)!.op;
  const bad = { ...(REQUEST_EXAMPLES[key] as object), criteria: [{ filter: 'total_spend', operator: 'in', value: ['US'] }] };
  expect(validator.schema(op.requestBody.content['application/json'].schema)(bad)).toBe(false);
  expect(() => SERVER_PARSERS[key](bad)).toThrow();
  // An event older than the window passes the schema but not the server: the parser here runs that check too.
  const old = { events: [{ type: 'app_open', deviceId: 'd-1', ts: '2020-01-01T00:00:00Z' }] };
  expect(validator('#/components/schemas/EventBatch')(old)).toBe(true);
  expect(() => SERVER_PARSERS['POST /v1/events'](old)).toThrow(/730 days/);
});
