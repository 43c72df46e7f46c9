/**
 * Examples of the OpenAPI document: a request body for every operation that takes one and a value
 * for every path and query parameter, so tools (Dredd, Portman, Prism) can call each operation
 * unaided. Each body is valid for the server's own parser as of EXAMPLES_AS_OF (event times and
 * campaign schedules are relative to a clock); the unit test checks that with Ajv and with the parsers.
 */

/** The moment the examples are written for: event `ts` within the window, schedules in the future. */
export const EXAMPLES_AS_OF = '2026-11-28T18:00:00.000Z';

const SEGMENT_ID = 'seg_0mwot5j40e55b176d9949';
const DEVICE_ID = 'd-8f14e45f';

const segmentBody = {
  name: 'Big spenders who went quiet',
  description: 'Spent 500 or more this year, no app open for 30 days, in the US or Canada',
  match: 'all',
  criteria: [
    { filter: 'total_spend', operator: 'gte', value: 500, withinDays: 365 },
    { filter: 'device_country', operator: 'in', value: ['US', 'CA'] },
    {
      match: 'any',
      negate: true,
      criteria: [{ filter: 'last_app_open', operator: 'within_last_days', value: 30 }],
    },
  ],
};

const campaignBody = {
  name: 'Black Friday early access',
  kind: 'campaign',
  segmentId: SEGMENT_ID,
  message: {
    title: '24h only: 30% off 🎉',
    body: 'Your favourites are on sale. Tap to shop before they are gone.',
    imageUrl: 'https://shop.example/img/bf-2027.jpg',
    deepLink: 'myshop://sale/bf',
    buttons: [{ label: 'Shop now', deepLink: 'myshop://sale/bf', id: 'shop' }],
    data: { promo: 'BF30' },
    ttlSeconds: 86400,
  },
  schedule: { type: 'local', at: '2027-11-26T09:00', fallbackTimezone: 'America/New_York' },
  sendRate: { perMinute: 10000 },
};

/** An automated campaign (API.md v1.1 "Automated campaigns"): the cart reminder. */
const cartReminderBody = {
  name: 'Cart reminder',
  kind: 'automated',
  trigger: { type: 'event', event: 'add_to_cart', delayMinutes: 60, exitOn: ['purchase'], reentryAfterDays: 7 },
  message: { title: 'Still thinking it over?', body: 'Your cart is waiting.', deepLink: 'myshop://cart' },
};

/** The request body example of each operation that takes one, by route key. */
export const REQUEST_EXAMPLES: Record<string, unknown> = {
  'PUT /v1/devices/{deviceId}': {
    platform: 'ios',
    token: '740f4707bebcf74f9b7c25d48e3358945f6aa01da5ddb387462c7eaf61bb78ad',
    optedIn: true,
    country: 'US',
    timezone: 'America/New_York',
    locale: 'en-US',
    appVersion: '5.2.0',
    customerId: 'cust-123',
  },
  'POST /v1/events': {
    events: [
      { eventId: 'evt-0001', type: 'app_open', deviceId: DEVICE_ID, ts: '2026-11-28T17:00:00Z' },
      { eventId: 'evt-0002', type: 'product_view', deviceId: DEVICE_ID, ts: '2026-11-28T17:01:10Z', productId: 'sku-123' },
      {
        eventId: 'evt-0003',
        type: 'purchase',
        deviceId: DEVICE_ID,
        ts: '2026-11-28T17:05:42Z',
        orderId: 'ord-9001',
        amount: 59.9,
        currency: 'USD',
      },
    ],
  },
  'POST /v1/segments': segmentBody,
  'PUT /v1/segments/{id}': { ...segmentBody, description: 'Now counting spend of the last two years', criteria: segmentBody.criteria },
  'POST /v1/segment-estimates': { match: segmentBody.match, criteria: segmentBody.criteria, sampleSize: 5 },
  'POST /v1/campaigns': campaignBody,
  'PUT /v1/campaigns/{id}': { ...campaignBody, schedule: { type: 'at', at: '2027-11-26T08:30', timezone: 'America/New_York' } },
  'POST /v1/campaigns/{id}/test': { deviceIds: [DEVICE_ID] },
  'POST /v1/campaign-plans': {
    segmentId: SEGMENT_ID,
    schedule: { type: 'local', at: '2027-11-26T09:00', fallbackTimezone: 'America/New_York', ifPassed: 'next_day' },
  },
  'PUT /v1/settings': {
    frequencyCap: { maxPerDevice: 3, windowHours: 24 },
    quietHours: { start: '22:00', end: '08:00' },
    attributionWindowHours: 24,
    defaultTimezone: 'America/New_York',
    testDevices: [DEVICE_ID],
  },
  'PUT /v1/push-apps/ios': { platformApplicationArn: 'arn:aws:sns:us-east-1:123456789012:app/APNS/acme-shop' },
  'PUT /v1/push-apps/android': { platformApplicationArn: 'arn:aws:sns:us-east-1:123456789012:app/GCM/acme-shop' },
  'POST /v1/erasures': { customerId: 'cust-123' },
};

/** A request example with a name and a summary (OpenAPI's Example Object). */
export interface NamedExample {
  summary: string;
  value: unknown;
}

/**
 * Operations whose body takes several shapes: every shape's example by name, the first one being
 * REQUEST_EXAMPLES' own. The document shows them as `examples` (instead of one `example`), and the
 * unit test validates each like the others.
 */
export const NAMED_REQUEST_EXAMPLES: Record<string, Record<string, NamedExample>> = {
  'POST /v1/campaigns': {
    campaign: {
      summary: 'A campaign to a segment, at 9:00 in each device’s time zone',
      value: REQUEST_EXAMPLES['POST /v1/campaigns'],
    },
    cartReminder: {
      summary: 'An automated campaign: 1 hour after Add to cart, unless they purchase (at most once a week per device)',
      value: cartReminderBody,
    },
  },
  'PUT /v1/campaigns/{id}': {
    campaign: {
      summary: 'Re-schedule a campaign to 8:30 New York time',
      value: REQUEST_EXAMPLES['PUT /v1/campaigns/{id}'],
    },
    cartReminder: {
      summary: 'Edit a draft or paused automated campaign: 2 hours after Add to cart, unless they purchase or empty their cart',
      value: {
        ...cartReminderBody,
        trigger: { ...cartReminderBody.trigger, delayMinutes: 120, exitOn: ['purchase', 'custom:cart_emptied'] },
      },
    },
  },
};

/** Example ids, by the collection the path names. */
const ID_EXAMPLES: Record<string, string> = {
  segments: SEGMENT_ID,
  'segment-estimates': 'est_0mwot6a1b2c3d4e5f6a7b8c',
  campaigns: 'cmp_0mwot7c9d8e7f6a5b4c3d2e',
  erasures: 'era_0mwot8f1e2d3c4b5a6978ab',
};

/** The example of a path parameter of a route: an id shaped like the collection's own, or a device id. */
export function pathParameterExample(path: string, name: string): string {
  if (name === 'deviceId') return DEVICE_ID;
  const collection = path.split('/')[2];
  const id = ID_EXAMPLES[collection];
  if (!id) throw new Error(`OpenAPI: no example for {${name}} of ${path}`);
  return id;
}

/** Examples of the shared parameter components, by component name. */
export const PARAMETER_EXAMPLES: Record<string, unknown> = {
  limit: 20,
  cursor: 'eyJpZCI6InNlZ18wbXdvdDVqNDBlNTViMTc2ZDk5NDkifQ',
  status: 'sent',
  kind: 'automated',
  productQuery: 'sku-1',
  catalogLimit: 20,
  recipientOutcome: 'opened',
  recipientCursor: 'cjE6ZC04ZjE0ZTQ1Zg', // encodeRecipientsCursor('d-8f14e45f')
  ifMatch: '"3"',
};
