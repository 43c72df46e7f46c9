/**
 * Every limit the server enforces appears in the OpenAPI document as a keyword (or, where no
 * keyword can say it, as an `x-` extension next to a description), limit by limit equal to the
 * server's own constant. Limits written inline in a domain schema or function (no exported
 * constant) are probed instead: the server's parser accepts the documented bound and refuses one past it.
 */
import { MAX_TTL_SECONDS } from '../../../lambdas/domain/campaigns/message';
import {
  BODY_MAX_LENGTH,
  BODY_WARN_LENGTH,
  BUTTON_LABEL_MAX_LENGTH,
  MAX_BUTTONS,
  TITLE_MAX_LENGTH,
  TITLE_WARN_LENGTH,
} from '../../../lambdas/domain/campaigns/message-length';
import { parseCampaignInput } from '../../../lambdas/domain/campaigns/campaign';
import { SEND_RATE_MAX_PER_MINUTE, SEND_RATE_MIN_PER_MINUTE } from '../../../lambdas/domain/campaigns/pacing';
import { parseLocalDateTime } from '../../../lambdas/domain/campaigns/zoned-time';
import { DEVICE_ID_PATTERN, deviceRegistrationSchema } from '../../../lambdas/domain/devices/device';
import { MAX_EVENTS_PER_BATCH, timestampProblem } from '../../../lambdas/domain/events/event';
import { RESOURCE_ID_PATTERN } from '../../../lambdas/domain/ids';
import { erasureRequestSchema } from '../../../lambdas/domain/lake/erasure';
import { conditionComponentName } from '../../../lambdas/domain/openapi/conditions';
import { parseSegmentDefinition } from '../../../lambdas/domain/segments/criteria';
import { savedEstimateRequestSchema } from '../../../lambdas/domain/segments/estimate';
import { CUSTOM_EVENT_NAME, FILTERS, FILTER_NAMES, LIMITS } from '../../../lambdas/domain/segments/filters';
import { CATALOG_MAX_LIMIT, CATALOG_MAX_QUERY_LENGTH } from '../../../lambdas/domain/segments/product-catalog';
import { parseSegmentInput } from '../../../lambdas/domain/segments/segment';
import { parseSettings } from '../../../lambdas/domain/settings';
import { documentValidator } from './ajv';
import { doc, S, type Json } from './doc';

const P = doc.components.parameters as Record<string, Json>;

/** The node at a path of a component schema; fails the test when the path does not exist. */
function at(root: Json, ...path: (string | number)[]): Json {
  const node = path.reduce((n: Json, k) => (n === undefined ? undefined : n[k]), root);
  if (node === undefined) throw new Error(`no node at ${path.join('/')}`);
  return node;
}

const treeNodes: [string, Json][] = [
  ['SegmentDefinition.criteria', at(S.SegmentDefinition, 'properties', 'criteria')],
  ['SegmentInput.criteria', at(S.SegmentInput, 'properties', 'criteria')],
  ['EstimateRequest (definition).criteria', at(S.EstimateRequest, 'anyOf', 1, 'properties', 'criteria')],
];

describe('limits with a server constant: the keyword equals the constant', () => {
  const eventCustom = (S.Event.oneOf as Json[]).find((b) => b.properties.type.const === 'custom');
  const rows: [string, unknown, unknown][] = [
    ['message title x-max-graphemes', at(S.MessageInput, 'properties', 'title', 'x-max-graphemes'), TITLE_MAX_LENGTH],
    ['message title x-warn-graphemes', at(S.MessageInput, 'properties', 'title', 'x-warn-graphemes'), TITLE_WARN_LENGTH],
    ['message title minLength', at(S.MessageInput, 'properties', 'title', 'minLength'), 1],
    ['message body x-max-graphemes', at(S.MessageInput, 'properties', 'body', 'x-max-graphemes'), BODY_MAX_LENGTH],
    ['message body x-warn-graphemes', at(S.MessageInput, 'properties', 'body', 'x-warn-graphemes'), BODY_WARN_LENGTH],
    ['message body minLength', at(S.MessageInput, 'properties', 'body', 'minLength'), 1],
    [
      'button label x-max-graphemes',
      at(S.MessageInput, 'properties', 'buttons', 'items', 'properties', 'label', 'x-max-graphemes'),
      BUTTON_LABEL_MAX_LENGTH,
    ],
    ['button label minLength', at(S.MessageInput, 'properties', 'buttons', 'items', 'properties', 'label', 'minLength'), 1],
    ['buttons maxItems', at(S.MessageInput, 'properties', 'buttons', 'maxItems'), MAX_BUTTONS],
    ['ttlSeconds maximum', at(S.MessageInput, 'properties', 'ttlSeconds', 'maximum'), MAX_TTL_SECONDS],
    ['events per batch maxItems', at(S.EventBatch, 'properties', 'events', 'maxItems'), MAX_EVENTS_PER_BATCH],
    ['custom event name pattern', at(eventCustom, 'properties', 'name', 'pattern'), CUSTOM_EVENT_NAME.source],
    [
      'sendRate.perMinute minimum',
      at(S.CampaignInput, 'properties', 'sendRate', 'anyOf', 0, 'properties', 'perMinute', 'minimum'),
      SEND_RATE_MIN_PER_MINUTE,
    ],
    [
      'sendRate.perMinute maximum',
      at(S.CampaignInput, 'properties', 'sendRate', 'anyOf', 0, 'properties', 'perMinute', 'maximum'),
      SEND_RATE_MAX_PER_MINUTE,
    ],
    ['catalog query maxLength', at(P.productQuery, 'schema', 'maxLength'), CATALOG_MAX_QUERY_LENGTH],
    ['catalog limit maximum', at(P.catalogLimit, 'schema', 'maximum'), CATALOG_MAX_LIMIT],
    ['group criteria maxItems', at(S.Group, 'properties', 'criteria', 'maxItems'), LIMITS.maxConditions],
    ['days value maximum', at(S.LastAppOpenCondition, 'oneOf', 0, 'properties', 'value', 'maximum'), LIMITS.maxDays],
    ['product ids maxItems', at(S.ProductViewedCondition, 'properties', 'value', 'maxItems'), LIMITS.maxProducts],
    ['product id maxLength', at(S.ProductViewedCondition, 'properties', 'value', 'items', 'maxLength'), LIMITS.maxProductIdLength],
    ['in_segment id maxLength', at(S.InSegmentCondition, 'properties', 'value', 'maxLength'), LIMITS.maxSegmentIdLength],
    ['custom_event condition event pattern', at(S.CustomEventCondition, 'properties', 'event', 'pattern'), CUSTOM_EVENT_NAME.source],
    ...treeNodes.flatMap(([name, node]): [string, unknown, unknown][] => [
      [`${name} x-max-depth`, node['x-max-depth'], LIMITS.maxDepth],
      [`${name} x-max-conditions`, node['x-max-conditions'], LIMITS.maxConditions],
      [`${name} maxItems`, node.maxItems, LIMITS.maxConditions],
    ]),
    ...FILTER_NAMES.filter((f) => FILTERS[f].withinDays).map((f): [string, unknown, unknown] => [
      `${f} withinDays maximum`,
      at(S[conditionComponentName(f)], 'properties', 'withinDays', 'maximum'),
      LIMITS.maxWithinDays,
    ]),
  ];
  const pathParams = Object.values(doc.paths as Record<string, Record<string, Json>>).flatMap((item) =>
    Object.values(item).flatMap((op) => (op.parameters ?? []).filter((p: Json) => p.in === 'path')),
  );
  for (const p of pathParams) {
    rows.push([`path {${p.name}} pattern`, p.schema.pattern, p.name === 'id' ? RESOURCE_ID_PATTERN.source : DEVICE_ID_PATTERN.source]);
  }

  test.each(rows)('%s', (_name, documented, constant) => {
    expect(documented).toBe(constant);
  });

  test('rules no keyword can state are described next to their extension', () => {
    for (const [name, node] of treeNodes) {
      expect([name, node.description]).toEqual([name, expect.stringContaining(`${LIMITS.maxDepth} levels deep`)]);
      expect([name, node.description]).toEqual([name, expect.stringContaining(`${LIMITS.maxConditions} conditions`)]);
    }
    for (const branch of S.Event.oneOf as Json[]) {
      expect(branch.properties.ts.description).toMatch(/last \d+ days .* \d+ hours in the future/);
    }
    expect(at(S.MessageInput, 'properties', 'title', 'description')).toContain(`1 to ${TITLE_MAX_LENGTH} user-perceived characters`);
  });
});

/** The largest n the server accepts, checked at the documented bound: accepts(max) and not accepts(max + 1). */
function expectMax(documented: unknown, accepts: (n: number) => boolean): void {
  expect(typeof documented).toBe('number');
  const n = documented as number;
  expect({ bound: n, acceptsBound: accepts(n), acceptsPast: accepts(n + 1) }).toEqual({ bound: n, acceptsBound: true, acceptsPast: false });
}

const ok = (f: () => unknown): boolean => {
  try {
    f();
    return true;
  } catch {
    return false;
  }
};

describe('limits written inline on the server: its parser agrees with the documented bound', () => {
  const campaign = (over: Record<string, unknown>) => ({
    name: 'BF',
    message: { title: 'Hi', body: 'Sale' },
    schedule: { type: 'now' },
    ...over,
  });

  test('segment name and description (maxLength)', () => {
    expectMax(at(S.SegmentInput, 'properties', 'name', 'maxLength'), (n) =>
      ok(() => parseSegmentInput({ name: 'x'.repeat(n), match: 'all', criteria: [] })),
    );
    expectMax(at(S.SegmentInput, 'properties', 'description', 'anyOf', 0, 'maxLength'), (n) =>
      ok(() => parseSegmentInput({ name: 'x', description: 'd'.repeat(n), match: 'all', criteria: [] })),
    );
    expect(ok(() => parseSegmentInput({ name: '   ', match: 'all', criteria: [] }))).toBe(false);
    expect(new RegExp(at(S.SegmentInput, 'properties', 'name', 'pattern')).test('   ')).toBe(false);
  });

  test('campaign name (x-max-graphemes: counted in grapheme clusters, so 🇫🇷 is one)', () => {
    expectMax(at(S.CampaignInput, 'properties', 'name', 'x-max-graphemes'), (n) =>
      ok(() => parseCampaignInput(campaign({ name: '🇫🇷'.repeat(n) }))),
    );
    expect(ok(() => parseCampaignInput(campaign({ name: ' ' })))).toBe(false);
  });

  test('title, body, label: graphemes, not code points (why the bound is x-max-graphemes and not maxLength)', () => {
    const flags = '🇫🇷'.repeat(TITLE_MAX_LENGTH);
    expect([...flags].length).toBeGreaterThan(TITLE_MAX_LENGTH); // a maxLength of TITLE_MAX_LENGTH would refuse it
    expect(ok(() => parseCampaignInput(campaign({ message: { title: flags, body: 'b' } })))).toBe(true);
    expectMax(at(S.MessageInput, 'properties', 'body', 'x-max-graphemes'), (n) =>
      ok(() => parseCampaignInput(campaign({ message: { title: 't', body: 'é'.repeat(n) } }))),
    );
    expectMax(at(S.MessageInput, 'properties', 'buttons', 'items', 'properties', 'label', 'x-max-graphemes'), (n) =>
      ok(() => parseCampaignInput(campaign({ message: { title: 't', body: 'b', buttons: [{ label: 'L'.repeat(n) }] } }))),
    );
  });

  test('campaign segmentId, estimate segmentId and sampleSize', () => {
    expectMax(at(S.CampaignInput, 'properties', 'segmentId', 'anyOf', 0, 'maxLength'), (n) =>
      ok(() => parseCampaignInput(campaign({ segmentId: 's'.repeat(n) }))),
    );
    expectMax(
      at(S.EstimateRequest, 'anyOf', 0, 'properties', 'segmentId', 'maxLength'),
      (n) => savedEstimateRequestSchema.safeParse({ segmentId: 's'.repeat(n) }).success,
    );
    expectMax(
      at(S.EstimateRequest, 'anyOf', 0, 'properties', 'sampleSize', 'maximum'),
      (n) => savedEstimateRequestSchema.safeParse({ segmentId: 's', sampleSize: n }).success,
    );
  });

  test('device token and customerId, erasure customerId', () => {
    const reg = (over: Record<string, unknown>) => ({ platform: 'ios', token: 't', optedIn: true, ...over });
    expectMax(
      at(S.DeviceRegistration, 'properties', 'token', 'maxLength'),
      (n) => deviceRegistrationSchema.safeParse(reg({ token: 't'.repeat(n) })).success,
    );
    expectMax(
      at(S.DeviceRegistration, 'properties', 'customerId', 'maxLength'),
      (n) => deviceRegistrationSchema.safeParse(reg({ customerId: 'c'.repeat(n) })).success,
    );
    expectMax(
      at(S.ErasureRequest, 'anyOf', 0, 'properties', 'customerId', 'maxLength'),
      (n) => erasureRequestSchema.safeParse({ customerId: 'c'.repeat(n) }).success,
    );
    const country = new RegExp(at(S.DeviceRegistration, 'properties', 'country', 'pattern'));
    expect([country.test('us'), country.test('USA')]).toEqual([true, false]);
    expect(deviceRegistrationSchema.safeParse(reg({ country: 'USA' })).success).toBe(false);
  });

  test('settings ranges', () => {
    const fc = at(S.SettingsInput, 'properties', 'frequencyCap', 'anyOf', 0, 'properties');
    expectMax(fc.maxPerDevice.maximum, (n) => ok(() => parseSettings({ frequencyCap: { maxPerDevice: n, windowHours: 24 } })));
    expectMax(fc.windowHours.maximum, (n) => ok(() => parseSettings({ frequencyCap: { maxPerDevice: 1, windowHours: n } })));
    expectMax(at(S.SettingsInput, 'properties', 'attributionWindowHours', 'maximum'), (n) =>
      ok(() => parseSettings({ attributionWindowHours: n })),
    );
  });

  test('event ts window (x-max-age-days, x-max-future-hours)', () => {
    const now = new Date('2026-11-28T12:00:00.000Z');
    const MINUTE = 60_000;
    for (const branch of S.Event.oneOf as Json[]) {
      const ts = branch.properties.ts;
      const days = ts['x-max-age-days'] as number;
      const hours = ts['x-max-future-hours'] as number;
      const at = (ms: number) => new Date(now.getTime() + ms).toISOString();
      expect(timestampProblem(at(-days * 86_400_000), now)).toBeNull();
      expect(timestampProblem(at(-days * 86_400_000 - MINUTE), now)).toMatch(/days/);
      expect(timestampProblem(at(hours * 3_600_000), now)).toBeNull();
      expect(timestampProblem(at(hours * 3_600_000 + MINUTE), now)).toMatch(/future/);
    }
  });

  test('tree depth (x-max-depth) and condition count (x-max-conditions)', () => {
    const cond = { filter: 'platform', operator: 'in', value: ['ios'] };
    const nested = (depth: number): unknown => (depth === 0 ? cond : { match: 'all', criteria: [nested(depth - 1)] });
    for (const [, node] of treeNodes) {
      // Top-level criteria are level 1; each group nests one more.
      expectMax(node['x-max-depth'], (d) => ok(() => parseSegmentDefinition({ match: 'all', criteria: [nested(d - 1)] })));
      expectMax(node['x-max-conditions'], (n) =>
        ok(() => parseSegmentDefinition({ match: 'all', criteria: [{ match: 'any', criteria: Array.from({ length: n }, () => cond) }] })),
      );
    }
  });

  test('schedule `at`: the pattern takes every local date-time the server takes, and refuses other shapes', () => {
    const validate = documentValidator(doc)('#/components/schemas/Schedule');
    const samples = [
      '2027-11-26T09:00',
      '2027-11-26T09:00:30',
      '1970-01-01T00:00',
      '2028-02-29T23:59:59',
      '2027-11-26T09:00Z',
      '2027-11-26T09:00+01:00',
      '2027-11-26 09:00',
      '2027-11-26T9:00',
      '2027-11-26T24:00',
      '1969-12-31T23:59',
      '2027-13-01T00:00',
      '2027-11-26T09:00:00.000',
    ];
    for (const s of samples) {
      const server = parseLocalDateTime(s) !== null;
      const documented = validate({ type: 'at', at: s, timezone: 'UTC' });
      // Calendar checks (2027-02-30) are the server's alone; anything else must agree.
      expect([s, documented]).toEqual([s, server]);
    }
  });
});
