/**
 * Automated campaigns in the OpenAPI document (API.md v1.1 "Automated campaigns"): the trigger's
 * limits equal the server's constants and its parser agrees at each bound, the kind rules of the
 * campaign body (if/then/else) accept and refuse what the server does, the campaign and insights
 * responses describe real bodies of an automation, and pause/resume and `?kind=` are documented.
 */
import {
  eventKeySchema,
  MAX_DELAY_MINUTES,
  MAX_EXIT_EVENTS,
  MAX_INACTIVITY_DAYS,
  MAX_REENTRY_DAYS,
  STALE_AFTER_MS,
} from '../../../lambdas/domain/automations/trigger';
import { parseCampaignInput } from '../../../lambdas/domain/campaigns/campaign';
import { publicCampaign } from '../../../lambdas/domain/campaigns/campaign-record';
import { ValidationError } from '../../../lambdas/domain/errors';
import { campaignInsights, dailyTimeline, timeline, TIMELINE_DAYS, TIMELINE_HOURS } from '../../../lambdas/domain/insights/figures';
import { EVENT_KEY_PATTERN } from '../../../lambdas/domain/openapi/limits';
import * as R from '../../../lambdas/domain/openapi/responses';
import { campaignListQuery } from '../../../lambdas/handlers/http/params';
import { campaign } from '../use-cases/delivery/wave-fakes';
import { ajvErrors, documentValidator } from './ajv';
import { doc, S, type Json } from './doc';

const validator = documentValidator(doc);
const eventBranch = () => (S.TriggerInput.oneOf as Json[]).find((b) => b.properties.type.const === 'event');
const inactivityBranch = () => (S.TriggerInput.oneOf as Json[]).find((b) => b.properties.type.const === 'inactivity');

const cartReminder = (trigger: Record<string, unknown> = {}) => ({
  name: 'Cart reminder',
  kind: 'automated',
  trigger: { type: 'event', event: 'add_to_cart', delayMinutes: 60, exitOn: ['purchase'], reentryAfterDays: 7, ...trigger },
  message: { title: 'Still thinking it over?', body: 'Your cart is waiting.' },
});

/** Whether the server's parser takes a campaign body (a ValidationError is a no; anything else fails the test). */
function server(body: unknown): boolean {
  try {
    parseCampaignInput(body);
    return true;
  } catch (err) {
    if (err instanceof ValidationError) return false;
    throw err;
  }
}

const documented = (body: unknown) => validator('#/components/schemas/CampaignInput')(body);

/** The largest n the server takes at a documented bound: accepts(max) and not accepts(max + 1). */
function expectMax(bound: unknown, accepts: (n: number) => boolean): void {
  expect(typeof bound).toBe('number');
  const n = bound as number;
  expect({ bound: n, atBound: accepts(n), past: accepts(n + 1) }).toEqual({ bound: n, atBound: true, past: false });
}

describe('the trigger of an automated campaign', () => {
  test('the campaign body references it, and each kind of trigger is a branch', () => {
    expect(S.CampaignInput.properties.trigger.anyOf).toEqual([{ $ref: '#/components/schemas/TriggerInput' }, { type: 'null' }]);
    expect((S.TriggerInput.oneOf as Json[]).map((b) => b.properties.type.const)).toEqual(['event', 'inactivity', 'first_open']);
    expect((S.Trigger.oneOf as Json[]).map((b) => b.properties.type.const)).toEqual(['event', 'inactivity', 'first_open']);
  });

  test('limits equal the server constants', () => {
    const e = eventBranch().properties;
    expect([e.delayMinutes.minimum, e.delayMinutes.maximum]).toEqual([0, MAX_DELAY_MINUTES]);
    expect([e.reentryAfterDays.minimum, e.reentryAfterDays.maximum]).toEqual([0, MAX_REENTRY_DAYS]);
    expect(e.exitOn.maxItems).toBe(MAX_EXIT_EVENTS);
    expect(e.event.pattern).toBe(EVENT_KEY_PATTERN);
    expect(e.exitOn.items.pattern).toBe(EVENT_KEY_PATTERN);
    const days = inactivityBranch().properties.days;
    expect([days.minimum, days.maximum]).toEqual([1, MAX_INACTIVITY_DAYS]);
    expect(S.TriggerInput['x-stale-after-hours']).toBe(STALE_AFTER_MS / 3_600_000);
    expect(S.TriggerInput.description).toContain(`${STALE_AFTER_MS / 3_600_000} hours in the past`);
  });

  test('the server’s parser agrees at each bound', () => {
    expectMax(eventBranch().properties.delayMinutes.maximum, (n) => server(cartReminder({ delayMinutes: n })));
    expectMax(eventBranch().properties.reentryAfterDays.maximum, (n) => server(cartReminder({ reentryAfterDays: n })));
    expectMax(eventBranch().properties.exitOn.maxItems, (n) =>
      server(cartReminder({ exitOn: Array.from({ length: n }, (_, i) => `custom:e${i}`) })),
    );
    const inactivity = (days: number) => ({ ...cartReminder(), trigger: { type: 'inactivity', days } });
    expectMax(inactivityBranch().properties.days.maximum, (n) => server(inactivity(n)));
    expect([server(inactivity(inactivityBranch().properties.days.minimum)), server(inactivity(0))]).toEqual([true, false]);
    expect([server(cartReminder({ delayMinutes: 0 })), server(cartReminder({ delayMinutes: -1 }))]).toEqual([true, false]);
  });

  test('the event key pattern takes exactly the keys the server takes', () => {
    const pattern = new RegExp(EVENT_KEY_PATTERN);
    const samples = [
      'add_to_cart',
      'purchase',
      'app_open',
      'push_open',
      'custom:level_up',
      `custom:${'a'.repeat(64)}`,
      `custom:${'a'.repeat(65)}`,
      'custom:',
      'custom:Level',
      'custom:1st',
      'custom:a-b',
      'install',
      'ADD_TO_CART',
      ' add_to_cart',
      'add_to_cart ',
      'custom',
      'level_up',
    ];
    for (const s of samples) expect([s, pattern.test(s)]).toEqual([s, eventKeySchema.safeParse(s).success]);
  });

  test('exitOn naming the trigger’s own event: refused by the server, stated as x-not-trigger-event', () => {
    const body = cartReminder({ exitOn: ['add_to_cart'] });
    expect(server(body)).toBe(false);
    expect(eventBranch().properties.exitOn['x-not-trigger-event']).toBe(true);
    expect(eventBranch().properties.exitOn.description).toMatch(/trigger's own `event`/);
  });
});

describe('the kind rules of the campaign body', () => {
  const message = { title: 'Hi', body: 'Sale' };
  const bodies: [string, unknown][] = [
    ['the cart reminder', cartReminder()],
    ['an inactivity trigger', { name: 'Win back', kind: 'automated', trigger: { type: 'inactivity', days: 30 }, message }],
    ['a welcome, schedule null', { name: 'Welcome', kind: 'automated', trigger: { type: 'first_open' }, schedule: null, message }],
    ['an event trigger with defaults', { name: 'Fav', kind: 'automated', trigger: { type: 'event', event: 'custom:level_up' }, message }],
    ['automated without a trigger', { name: 'x', kind: 'automated', message }],
    ['automated with trigger null', { name: 'x', kind: 'automated', trigger: null, message }],
    ['automated with a schedule', { ...cartReminder(), schedule: { type: 'now' } }],
    ['automated with a sendRate', { ...cartReminder(), sendRate: { perMinute: 1000 } }],
    ['automated with a segmentId', { ...cartReminder(), segmentId: 'seg_1' }],
    ['automated with segmentId null', { ...cartReminder(), segmentId: null, sendRate: null }],
    ['a campaign (kind absent)', { name: 'x', message, schedule: { type: 'now' } }],
    ['a campaign with a trigger', { name: 'x', kind: 'campaign', message, schedule: { type: 'now' }, trigger: { type: 'first_open' } }],
    ['a campaign with trigger null', { name: 'x', kind: 'campaign', message, schedule: { type: 'now' }, trigger: null }],
    ['a campaign without a schedule', { name: 'x', kind: 'campaign', message }],
    ['kind absent, a trigger and no schedule', { name: 'x', message, trigger: { type: 'first_open' } }],
    ['an unknown trigger type', { ...cartReminder(), trigger: { type: 'install' } }],
    ['an unknown event', cartReminder({ event: 'install' })],
    ['a delay out of range', cartReminder({ delayMinutes: MAX_DELAY_MINUTES + 1 })],
    ['a fractional delay', cartReminder({ delayMinutes: 1.5 })],
    ['an unknown trigger field', cartReminder({ delay: 60 })],
    ['first_open with a field', { ...cartReminder(), trigger: { type: 'first_open', days: 1 } }],
  ];

  test.each(bodies)('%s: the document and the server agree', (_name, body) => {
    const validate = validator('#/components/schemas/CampaignInput');
    const ok = validate(body);
    expect({ server: server(body), documented: ok, errors: ok ? [] : ajvErrors(validate.errors) }).toMatchObject({
      server: ok,
      documented: ok,
    });
  });

  test('both outcomes occur (the comparison can fail)', () => {
    const outcomes = new Set(bodies.map(([, b]) => documented(b)));
    expect([...outcomes].sort()).toEqual([false, true]);
  });

  test('the rules are stated in words where each field is documented', () => {
    const p = S.CampaignInput.properties;
    expect(S.CampaignInput.description).toMatch(/needs a `schedule` and takes no `trigger`/);
    expect(S.CampaignInput.description).toMatch(/needs a `trigger` and takes no `schedule`, `sendRate` or `segmentId`/);
    expect(p.trigger.description).toMatch(/required on an automated campaign/);
    expect(p.schedule.description).toMatch(/required on a campaign/);
    expect(p.sendRate.description).toMatch(/campaigns only/);
    expect(p.segmentId.description).toMatch(/Campaigns only/);
  });
});

describe('responses of an automated campaign', () => {
  const at = '2026-11-20T10:00:00.000Z';
  const automation = () =>
    campaign({
      id: 'cmp_1',
      tenantId: 't',
      name: 'Cart reminder',
      kind: 'automated',
      message: { title: 'Still thinking it over?', body: 'Your cart is waiting.', ttlSeconds: 86400 },
      schedule: null,
      trigger: { type: 'event', event: 'add_to_cart', delayMinutes: 60, exitOn: ['purchase'], reentryAfterDays: 7 },
      status: 'active',
      launchedAt: at,
      waves: {},
      wavesPending: 0,
      sent: 12,
      targeted: 14,
      supFrequencyCap: 2,
      exited: 5,
      attributionWindowHours: 24,
    });

  test.each(['active', 'paused', 'draft', 'cancelled'] as const)('a %s automation parses and validates as Campaign', (status) => {
    const body = publicCampaign({ ...automation(), status });
    expect(body.progress).toMatchObject({ exited: 5 });
    expect(R.campaignSchema.safeParse(body).error?.issues ?? []).toEqual([]);
    const validate = validator('#/components/schemas/Campaign');
    expect(validate(JSON.parse(JSON.stringify(body))) ? [] : ajvErrors(validate.errors)).toEqual([]);
  });

  test('a campaign has no progress.exited, and a null trigger', () => {
    const body = publicCampaign(campaign({ id: 'cmp_2', tenantId: 't', message: { title: 'Sale', body: 'Now', ttlSeconds: 86400 } }));
    expect(body.trigger).toBeNull();
    expect('exited' in body.progress).toBe(false);
    expect(validator('#/components/schemas/Campaign')(JSON.parse(JSON.stringify(body)))).toBe(true);
  });

  test('the Campaign schema says schedule and trigger are nullable, and lists the automation statuses', () => {
    expect(S.Campaign.properties.schedule.anyOf).toEqual([{ $ref: '#/components/schemas/Schedule' }, { type: 'null' }]);
    expect(S.Campaign.properties.trigger.anyOf).toEqual([{ $ref: '#/components/schemas/Trigger' }, { type: 'null' }]);
    expect(S.Campaign.properties.status.enum).toEqual(expect.arrayContaining(['active', 'paused']));
    expect(S.Campaign.properties.progress.required).not.toContain('exited');
    expect(S.Campaign.properties.progress.properties.exited).toMatchObject({ type: 'integer', minimum: 0 });
  });

  describe('insights timeline: hourly for a campaign, daily for an automated campaign', () => {
    const validate = () => validator('#/components/schemas/Insights');
    const figures = (daily?: { day: string; sent: number }[]) =>
      JSON.parse(
        JSON.stringify(
          campaignInsights({
            campaignId: 'cmp_1',
            targeted: 3,
            rows: [
              { campaignId: 'cmp_1', kind: 'delivery', platform: 'ios', outcome: 'sent', reason: null, devices: 3 },
              {
                campaignId: 'cmp_1',
                kind: 'open',
                deviceId: 'd-1',
                platform: 'ios',
                ts: '2026-11-21T09:00:00.000Z',
                orderId: null,
                amount: 0,
              },
            ],
            attributionWindowHours: 24,
            startedAt: at,
            asOf: '2026-11-23T12:00:00.000Z',
            daily,
          }),
        ),
      );

    test('the schema is oneOf the two forms, with their lengths', () => {
      const t = S.Insights.properties.timeline;
      expect(t.oneOf).toHaveLength(2);
      expect(t.oneOf[0]).toMatchObject({ minItems: TIMELINE_HOURS, maxItems: TIMELINE_HOURS });
      expect(t.oneOf[0].items.required).toEqual(expect.arrayContaining(['hour', 'opens', 'conversions']));
      expect(t.oneOf[1]).toMatchObject({ maxItems: TIMELINE_DAYS });
      expect(t.oneOf[1].items.required).toEqual(expect.arrayContaining(['day', 'sent', 'opens', 'conversions']));
    });

    test('a campaign’s insights (hourly) validate', () => {
      const body = figures();
      expect(body.timeline[0]).toHaveProperty('hour');
      expect(validate()(body) ? [] : ajvErrors(validate().errors)).toEqual([]);
      expect(R.insightsSchema.safeParse(body).success).toBe(true);
    });

    test('an automated campaign’s insights (daily) validate', () => {
      const body = figures([{ day: '2026-11-21', sent: 3 }]);
      expect(body.timeline).toHaveLength(4);
      expect(body.timeline[1]).toEqual({ day: '2026-11-21', sent: 3, opens: 1, conversions: 0 });
      expect(validate()(body) ? [] : ajvErrors(validate().errors)).toEqual([]);
      expect(R.insightsSchema.safeParse(body).success).toBe(true);
    });

    test('at the longest, and empty, the daily form validates; a mixed or cut hourly timeline does not', () => {
      const base = figures([]);
      const long = dailyTimeline('2020-01-01T00:00:00.000Z', '2026-11-23T12:00:00.000Z', [], [], []);
      expect(long).toHaveLength(TIMELINE_DAYS);
      expect(validate()({ ...base, timeline: long })).toBe(true);
      expect(validate()({ ...base, timeline: [] })).toBe(true);
      const hourly = timeline(new Date(at), [], []);
      expect(validate()({ ...base, timeline: hourly })).toBe(true);
      expect(validate()({ ...base, timeline: hourly.slice(1) })).toBe(false);
      expect(validate()({ ...base, timeline: [...long.slice(1), hourly[0]] })).toBe(false);
    });
  });
});

describe('operations', () => {
  test.each(['pause', 'resume'])('POST /v1/campaigns/{id}/%s: 200 Campaign, 404, 409 invalid_state', (action) => {
    const op = doc.paths[`/v1/campaigns/{id}/${action}`].post;
    expect(op.operationId).toBe(`${action}Campaign`);
    expect(op.requestBody).toBeUndefined();
    expect(op.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Campaign' });
    expect(op.responses['404']).toEqual({ $ref: '#/components/responses/NotFound' });
    expect(op.responses['409'].description).toContain('`invalid_state`');
  });

  test('GET /v1/campaigns takes `kind` (campaign | automated); the server refuses any other value', () => {
    const op = doc.paths['/v1/campaigns'].get;
    expect(op.parameters).toEqual(expect.arrayContaining([{ $ref: '#/components/parameters/kind' }]));
    const kind = doc.components.parameters.kind;
    expect(kind).toMatchObject({ name: 'kind', in: 'query', schema: { type: 'string', enum: ['campaign', 'automated'] } });
    expect(op.description).toMatch(/`kind=automated` each campaign carries `insights`/);
    for (const v of kind.schema.enum as string[]) expect(campaignListQuery({ kind: v }).kind).toBe(v);
    expect(() => campaignListQuery({ kind: 'bogus' })).toThrow(ValidationError);
    expect(op.responses['400']).toBeDefined();
  });
});
