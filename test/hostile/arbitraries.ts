/** Valid base bodies of every endpoint and the mutations that each break one rule of API.md. */
import fc from 'fast-check';
import { isCountryCode } from '../../lambdas/domain/countries';
import { DEVICE_ID_PATTERN } from '../../lambdas/domain/devices/device';
import { FILTER_NAMES } from '../../lambdas/domain/segments/filters';
import { isTimeZone } from '../../lambdas/domain/time-zones';
import { isoDaysAgo } from '../integration/harness';
import {
  addExtra,
  brokenBody,
  deep,
  drop,
  hostileString,
  hostileValue,
  hugeString,
  nonBoolean,
  nonObject,
  nonString,
  replaceBody,
  setAt,
  setTo,
  SQL_INJECTIONS,
  type Mutation,
} from './support';

const not =
  (...allowed: unknown[]) =>
  (v: unknown) =>
    !allowed.includes(v);
const longText = (min: number) => fc.integer({ min, max: min + 5_000 }).map((n) => 'x'.repeat(n));

// ------------------------------------------------------------------ devices

export const deviceBase = {
  platform: 'ios',
  token: 'tok-hostile',
  optedIn: true,
  country: 'US',
  timezone: 'America/New_York',
  locale: 'en-US',
  appVersion: '5.2.0',
  customerId: 'c-1',
};

export const deviceMutations: fc.Arbitrary<Mutation>[] = [
  setTo('platform', hostileValue.filter(not('ios', 'android'))),
  setTo('token', fc.oneof(nonString, fc.constant(''), longText(4097))),
  setTo('optedIn', nonBoolean),
  drop('optedIn'),
  drop('platform'),
  drop('token'),
  setTo(
    'country',
    hostileValue.filter((v) => !(typeof v === 'string' && v.length === 2 && isCountryCode(v))),
  ),
  setTo(
    'timezone',
    hostileValue.filter((v) => !(typeof v === 'string' && isTimeZone(v))),
  ),
  setTo('appVersion', fc.oneof(nonString, fc.constantFrom('5.2.0-beta', '1.2.3.4', 'v1', '', ...SQL_INJECTIONS))),
  setTo('customerId', fc.oneof(nonString, fc.constant(''), longText(129))),
  addExtra(),
  replaceBody,
];

/** Device ids that break ^[A-Za-z0-9._:-]{1,128}$. */
export const badDeviceId = fc.oneof(hostileString, longText(129)).filter((s) => s.length > 0 && !DEVICE_ID_PATTERN.test(s));

// ------------------------------------------------------------------ events

const ts = () => isoDaysAgo(1);
export const validEvents = (): Record<string, unknown>[] => [
  { eventId: 'e-h1', deviceId: 'd-1', type: 'app_open', ts: ts() },
  { eventId: 'e-h2', deviceId: 'd-1', type: 'product_view', productId: 'sku-1', ts: ts() },
  { eventId: 'e-h3', deviceId: 'd-1', type: 'add_to_cart', productId: 'sku-1', ts: ts() },
  { eventId: 'e-h4', deviceId: 'd-1', type: 'purchase', orderId: 'o-1', amount: 10, currency: 'USD', ts: ts() },
  { eventId: 'e-h5', deviceId: 'd-1', type: 'push_open', campaignId: 'cmp-1', ts: ts() },
  { eventId: 'e-h6', deviceId: 'd-1', type: 'custom', name: 'wishlist_share', ts: ts(), properties: { a: 'b', n: 1, ok: true } },
];

const REQUIRED: Record<string, string> = {
  product_view: 'productId',
  add_to_cart: 'productId',
  purchase: 'orderId',
  push_open: 'campaignId',
  custom: 'name',
};

/** One event made invalid by 1–2 mutations. */
const brokenEvent = fc
  .tuple(
    fc.constantFrom(...validEvents()),
    fc.array(
      fc.oneof(
        setTo(
          'type',
          hostileValue.filter(not('app_open', 'product_view', 'product_favorite', 'add_to_cart', 'purchase', 'push_open', 'custom')),
        ),
        setTo('deviceId', fc.oneof(nonString, badDeviceId)),
        setTo('ts', fc.oneof(nonString, hostileString, fc.constantFrom(isoDaysAgo(800), isoDaysAgo(-2), '2026-13-01T00:00:00Z', '1e309'))),
        drop('ts'),
        drop('deviceId'),
        // An earlier mutation may have set `type` to a hostile string such as "toString": only REQUIRED's own keys name a field.
        fc.constant<Mutation>((e) =>
          typeof e.type === 'string' && Object.hasOwn(REQUIRED, e.type) ? setAt(e, REQUIRED[e.type], ['x']) : setAt(e, 'type', 'teleport'),
        ),
        setTo(
          'properties',
          fc.oneof(
            nonObject.filter((v) => v !== undefined),
            fc.constant({ nested: { no: 1 } }),
            hugeString(5_000).map((s) => ({ pad: s })),
            fc.constant(deep(50, 'object')),
          ),
        ),
        setTo('eventId', fc.oneof(nonString, fc.constant(''), longText(129))),
        setTo('currency', fc.oneof(nonString, fc.constantFrom('usd', 'US', 'USDX', ...SQL_INJECTIONS))),
        addExtra(),
      ),
      { minLength: 1, maxLength: 2 },
    ),
  )
  .map(([e, ms]) => ms.reduce<any>((acc, m) => m(acc), e));

export const eventsBody: fc.Arbitrary<string> = fc.oneof(
  fc.array(brokenEvent, { minLength: 1, maxLength: 5 }).map((events) => JSON.stringify({ events })),
  fc.array(brokenEvent, { minLength: 1, maxLength: 2 }).chain((events) => addExtra().map((m) => JSON.stringify(m({ events })))),
  nonObject.map((v) => JSON.stringify({ events: v })),
  fc.constant(JSON.stringify({ events: [] })),
  fc.constant(null).map(() => JSON.stringify({ events: Array.from({ length: 501 }, () => validEvents()[0]) })),
  nonObject.map((v) => JSON.stringify(v) ?? 'null'),
);

// ------------------------------------------------------------------ segments and estimates

const validCondition = { filter: 'total_spend', operator: 'gte', value: 100 };
const group = (inner: unknown, depth: number): unknown => {
  let c = inner;
  for (let i = 0; i < depth; i++) c = { match: i % 2 ? 'all' : 'any', criteria: [validCondition, c] };
  return c;
};

/** A criterion that breaks a rule of the filter table or the tree. */
export const badCriterion: fc.Arbitrary<unknown> = fc.oneof(
  fc.record({
    filter: hostileValue.filter((v) => !(FILTER_NAMES as readonly unknown[]).includes(v)),
    operator: fc.constant('eq'),
    value: fc.constant(1),
  }),
  fc
    .record({ filter: fc.constantFrom(...FILTER_NAMES), operator: hostileValue, value: fc.constant(1) })
    .filter((c) => typeof c.operator !== 'string' || c.operator.length > 20 || /[^a-z_]/.test(c.operator)),
  fc.record({
    filter: fc.constant('total_spend'),
    operator: fc.constantFrom('gte', 'between'),
    value: hostileValue.filter(
      (v) => typeof v !== 'number' && !(Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number')),
    ),
  }),
  fc.record({
    filter: fc.constantFrom('product_viewed', 'product_favorited'),
    operator: fc.constant('any_of'),
    value: fc.oneof(
      nonObject.filter((v) => !Array.isArray(v)),
      fc.constant([]),
      fc.constant(Array.from({ length: 101 }, (_, i) => `sku-${i}`)),
      hugeString(201).map((s) => [s]),
      fc.constant([1, 2]),
    ),
  }),
  fc.record({
    filter: fc.constant('in_segment'),
    operator: fc.constant('is_member'),
    value: fc.oneof(fc.constantFrom(...SQL_INJECTIONS, 'seg_nope', '..%2F..%2Fetc'), nonString, longText(129)),
  }),
  fc.record({
    filter: fc.constant('custom_event'),
    operator: fc.constant('gt'),
    value: fc.constant(0),
    event: fc.oneof(
      nonString,
      hostileString.filter((s) => !/^[a-z][a-z0-9_]{0,63}$/.test(s)),
    ),
  }),
  fc.record({
    filter: fc.constant('total_spend'),
    operator: fc.constant('gte'),
    value: fc.constant(1),
    withinDays: fc.oneof(
      fc.constantFrom(0, -1, 1.5, 731, 1e308, 'NaN', '7'),
      nonObject.filter((v) => typeof v !== 'number'),
    ),
  }),
  fc.record({
    filter: fc.constantFrom('last_app_open', 'last_purchase_date'),
    operator: fc.constantFrom('before', 'after', 'within_last_days'),
    value: fc.oneof(hostileString, fc.constantFrom(-1, 1.5, 1e308, '2026-02-30')),
  }),
  fc.record({
    filter: fc.constant('device_country'),
    operator: fc.constant('in'),
    value: fc.oneof(
      fc.constant(['XX']),
      fc.constant(SQL_INJECTIONS),
      nonObject.filter((v) => !Array.isArray(v)),
    ),
  }),
  fc.record({
    filter: fc.constant('app_version'),
    operator: fc.constant('gt'),
    value: fc.oneof(nonString, fc.constantFrom(...SQL_INJECTIONS, '5.x', '')),
  }),
  fc.record({ filter: fc.constant('last_app_open'), operator: fc.constant('exists'), value: hostileValue }),
  fc
    .tuple(fc.constantFrom('__proto__', 'constructor', 'prototype', 'extra', 'tenantId'), hostileValue)
    .map(([k, v]) => setAt(validCondition, k, v)),
  fc.constant({ match: 'all', criteria: [] }),
  fc.record({ match: hostileValue.filter(not('all', 'any')), criteria: fc.constant([validCondition]) }),
  fc.integer({ min: 5, max: 20 }).map((d) => group(validCondition, d)),
  fc.constantFrom(300, 1000).map((d) => deep(d, 'array')),
  fc.constantFrom(300, 1000).map((d) => ({ match: 'all', criteria: deep(d, 'array') })),
  nonObject,
);

/** Mutations of a definition `{ match, criteria }`. */
export const definitionMutations: fc.Arbitrary<Mutation>[] = [
  setTo('match', hostileValue.filter(not('all', 'any'))),
  drop('match'),
  setTo(
    'criteria',
    nonObject.filter((v) => !Array.isArray(v)),
  ),
  drop('criteria'),
  fc.tuple(badCriterion, fc.integer({ min: 0, max: 2 })).map(
    ([c, d]) =>
      (b: any) =>
        setAt(b, 'criteria', [...(Array.isArray(b?.criteria) ? b.criteria : []), d === 0 ? c : group(c, d)]),
  ),
  fc.constant((b: any) =>
    setAt(
      b,
      'criteria',
      Array.from({ length: 51 }, () => validCondition),
    ),
  ),
  fc.integer({ min: 1_000, max: 20_000 }).map(
    (n) => (b: any) =>
      setAt(
        b,
        'criteria',
        Array.from({ length: n }, (_, i) => i),
      ),
  ),
  addExtra(),
];

export const segmentBase = { name: 'Hostile base', description: 'base', match: 'all', criteria: [validCondition] };
export const segmentMutations: fc.Arbitrary<Mutation>[] = [
  ...definitionMutations,
  setTo('name', fc.oneof(nonString, fc.constantFrom('', '   ', '\n\t'), longText(101))),
  drop('name'),
  setTo(
    'description',
    fc.oneof(
      nonString.filter((v) => v !== null),
      longText(1001),
    ),
  ),
  replaceBody,
];

export const estimateBase = { match: 'all', criteria: [validCondition], sampleSize: 5 };
export const estimateMutations: fc.Arbitrary<Mutation>[] = [
  ...definitionMutations,
  setTo(
    'sampleSize',
    fc.oneof(
      fc.constantFrom(-1, 101, 1.5, 1e308, '5', 'NaN', null, true),
      nonObject.filter((v) => typeof v !== 'number'),
    ),
  ),
  replaceBody,
];
/** Saved-segment estimates: a segmentId that is wrong, or names no segment. */
export const savedEstimateBody = fc.oneof(
  fc.record({ segmentId: fc.oneof(nonString, fc.constant(''), longText(65), fc.constantFrom(...SQL_INJECTIONS)) }),
  fc.record({ segmentId: fc.constant('seg_nope'), sampleSize: fc.constantFrom(-1, 101, 'x') }),
  fc.tuple(extraKey(), hostileValue).map(([k, v]) => setAt({ segmentId: 'seg_nope' }, k, v)),
);

function extraKey() {
  return fc.constantFrom('__proto__', 'constructor', 'prototype', 'match', 'criteria', 'tenantId');
}

// ------------------------------------------------------------------ campaigns

const future = () => new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 19);
export const campaignBase = () => ({
  name: 'Hostile campaign',
  kind: 'campaign',
  message: { title: 'Sale', body: 'Everything 30% off', deepLink: 'myshop://sale', data: { promo: 'BF' }, ttlSeconds: 3600 },
  schedule: { type: 'at', at: future(), timezone: 'America/New_York' },
});

const badUri = fc.oneof(
  nonString,
  fc.constantFrom('', 'no scheme', 'java script:x', '//x', 'https://exa mple.com', '\u0000:x', 'x'.repeat(2100)),
);
export const campaignMutations: fc.Arbitrary<Mutation>[] = [
  setTo('name', fc.oneof(nonString, fc.constantFrom('', '   '), longText(201))),
  drop('name'),
  setTo('kind', hostileValue.filter(not('campaign', 'automated'))),
  setTo(
    'segmentId',
    fc.oneof(
      nonString.filter((v) => v !== null),
      fc.constant(''),
      longText(129),
      fc.constantFrom(...SQL_INJECTIONS, 'seg_nope'),
    ),
  ),
  fc.constant((b: any) => setAt(setAt(b, 'kind', 'automated'), 'segmentId', 'seg_x')),
  setTo('message', nonObject),
  drop('message'),
  setTo('message.title', fc.oneof(nonString, fc.constantFrom('', ' '), longText(201))),
  setTo('message.body', fc.oneof(nonString, fc.constant(''), longText(2001))),
  setTo('message.imageUrl', fc.oneof(badUri, fc.constantFrom('http://cdn.example.com/a.jpg', 'javascript:alert(1)', 'file:///etc/passwd'))),
  setTo('message.deepLink', badUri),
  setTo(
    'message.buttons',
    fc.oneof(
      nonObject.filter((v) => !Array.isArray(v)),
      fc.constant([{ label: 'a' }, { label: 'b' }, { label: 'c' }]),
      fc.constant([{ label: '' }]),
      fc.constant([{ label: 'x', id: "' OR 1=1" }]),
    ),
  ),
  setTo(
    'message.data',
    fc.oneof(
      fc.constant({ n: 1 }),
      fc.constant({ campaignId: 'x' }),
      fc.constant({ 'google.x': 'y' }),
      fc.constant({ '': 'y' }),
      fc.constant({ nested: { a: 'b' } }),
    ),
  ),
  setTo(
    'message.ttlSeconds',
    fc.oneof(
      fc.constantFrom(-1, 1.5, 2_419_201, 1e308, '60', null),
      nonObject.filter((v) => typeof v !== 'number'),
    ),
  ),
  fc.constant((b: any) =>
    setAt(setAt(setAt(b, 'message.title', 'T'.repeat(200)), 'message.body', 'B'.repeat(2000)), 'message.data', { pad: 'x'.repeat(3000) }),
  ),
  addExtra('message'),
  setTo('schedule', nonObject),
  drop('schedule'),
  setTo('schedule.type', hostileValue.filter(not('now', 'at', 'local'))),
  setTo(
    'schedule.at',
    fc.oneof(
      nonString,
      hostileString,
      fc.constantFrom('2020-01-01T09:00:00', '2030-02-30T09:00:00', '2030-01-01T09:00:00Z', '2030-01-01T25:00:00'),
    ),
  ),
  setTo(
    'schedule.timezone',
    hostileValue.filter((v) => !(typeof v === 'string' && isTimeZone(v))),
  ),
  addExtra('schedule'),
  replaceBody,
];

// ------------------------------------------------------------------ settings and tenants

export const settingsBase = {
  frequencyCap: { maxPerDevice: 3, windowHours: 24 },
  quietHours: { start: '21:00', end: '08:00' },
  attributionWindowHours: 24,
  defaultTimezone: 'America/New_York',
};
const badInt = (min: number, max: number) =>
  fc.oneof(
    fc.constantFrom(min - 1, max + 1, 1.5, 1e308, -1e308, '3', 'NaN', null),
    nonObject.filter((v) => typeof v !== 'number'),
  );
export const settingsMutations: fc.Arbitrary<Mutation>[] = [
  setTo(
    'frequencyCap',
    nonObject.filter((v) => v !== null),
  ),
  setTo('frequencyCap.maxPerDevice', badInt(1, 100)),
  setTo('frequencyCap.windowHours', badInt(1, 720)),
  drop('frequencyCap.windowHours'),
  addExtra('frequencyCap'),
  setTo(
    'quietHours',
    nonObject.filter((v) => v !== null),
  ),
  setTo('quietHours.start', fc.oneof(nonString, fc.constantFrom('24:00', '9:00', '21:60', '', '21:00:00', ...SQL_INJECTIONS))),
  setTo('quietHours.end', fc.constant('21:00')),
  setTo('attributionWindowHours', badInt(1, 720)),
  setTo(
    'defaultTimezone',
    hostileValue.filter((v) => !(typeof v === 'string' && isTimeZone(v))),
  ),
  addExtra(),
  replaceBody,
];

export const tenantMutations: fc.Arbitrary<Mutation>[] = [
  setTo(
    'tenantId',
    fc.oneof(
      nonString,
      hostileString.filter((s) => !/^[a-z0-9][a-z0-9-]{2,39}$/.test(s)),
      fc.constantFrom('ab', '-abc', 'ABC', 'a'.repeat(41), 'acme/../x', 'acme%2F..'),
    ),
  ),
  drop('tenantId'),
  addExtra(),
  replaceBody,
];

// ------------------------------------------------------------------ erasures

/**
 * POST /v1/erasures: exactly one of customerId or deviceId. Each family only breaks its own base
 * and never drops the field the other adds (a drop plus the other field would be a valid body).
 */
export const erasureBody: fc.Arbitrary<string> = fc.oneof(
  brokenBody({ customerId: 'c-hostile' }, [
    setTo('customerId', fc.oneof(nonString, fc.constant(''), longText(129))),
    drop('customerId'),
    addExtra(),
    replaceBody,
  ]),
  brokenBody({ deviceId: 'd-hostile' }, [
    setTo('deviceId', fc.oneof(nonString, badDeviceId)),
    setTo('customerId', hostileValue),
    addExtra(),
    replaceBody,
  ]),
);
