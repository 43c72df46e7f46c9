/**
 * Automated campaigns (API.md v1.1) end to end in the local world: events through POST /v1/events,
 * the sweeper, the send queue and the sender into the recording gateway's outbox. Sweeps are driven
 * by the test (the background loop is off) so "not pushed" is checked after a sweep that saw the item,
 * never after a sleep; the last suite runs the loop to check the 10-second bound.
 */
import { evaluateInactivity } from '../../lambdas/use-cases/automations/evaluate-inactivity';
import { sweepDue } from '../../lambdas/use-cases/automations/sweep-due';
import { TestWorld, expectError, outboxDevices, registerDevices, waitFor, type Caller } from './harness';

jest.setTimeout(60_000);

const MIN = 60_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const message = { title: 'Still thinking it over?', body: 'Your cart is waiting.' };
let seq = 0;
const eventId = () => `ev-${Date.now().toString(36)}-${seq++}`;

async function automation(t: TestWorld, me: Caller, trigger: Record<string, unknown>, launch = true): Promise<string> {
  const res = await t.request('POST', '/v1/campaigns', {
    token: me.token,
    body: { name: `Auto ${seq++}`, kind: 'automated', trigger, message },
  });
  if (res.status !== 201) throw new Error(`create: ${res.status} ${JSON.stringify(res.body)}`);
  if (launch) {
    const l = await t.request('POST', `/v1/campaigns/${res.body.id}/launch`, { token: me.token });
    if (l.status !== 200 || l.body.status !== 'active') throw new Error(`launch: ${l.status} ${JSON.stringify(l.body)}`);
  }
  return res.body.id;
}

async function events(t: TestWorld, me: Caller, list: Record<string, unknown>[]) {
  const res = await t.request('POST', '/v1/events', {
    appKey: me.appKey,
    body: { events: list.map((e) => ({ eventId: eventId(), ...e })) },
  });
  if (res.status !== 200 || res.body.rejected.length > 0) throw new Error(`events: ${res.status} ${JSON.stringify(res.body)}`);
}

const cart = (deviceId: string, ts: string) => ({ deviceId, type: 'add_to_cart', productId: 'sku-1', ts });
const purchase = (deviceId: string, ts: string) => ({ deviceId, type: 'purchase', orderId: `o-${seq++}`, amount: 20, currency: 'USD', ts });
const campaign = async (t: TestWorld, me: Caller, id: string) => (await t.request('GET', `/v1/campaigns/${id}`, { token: me.token })).body;

/** Sweep now, then wait until the campaign's outcomes add up to `handled` (every handed-over device sent/suppressed, every exit counted). */
async function sweepAndSettle(t: TestWorld, me: Caller, id: string, expect: { sent?: number; exited?: number }) {
  await sweepDue(t.world.deps);
  return waitFor(
    async () => {
      const c = await campaign(t, me, id);
      const p = c.progress;
      return p.sent + p.failed + p.suppressed === p.targeted &&
        p.sent === (expect.sent ?? p.sent) &&
        p.exited === (expect.exited ?? p.exited)
        ? c
        : undefined;
    },
    20_000,
    `automation ${id} settled at ${JSON.stringify(expect)}`,
  );
}

describe('automated campaigns, swept by the test', () => {
  const t = new TestWorld({ automationSweepMs: 0 });
  let me: Caller;
  t.forSuite(async () => {
    me = await t.tenant('auto-shop');
    await registerDevices(t, me, [
      ['a-1', {}],
      ['a-2', {}],
      ['a-3', { customerId: 'cust-7' }],
      ['a-4', { customerId: 'cust-7', platform: 'android' }],
      ['a-5', {}],
      ['a-6', {}],
      ['a-7', {}],
    ]);
  });

  test('a cart add without purchase is pushed once after the delay; one followed by a purchase (same or another device of the shopper) is not', async () => {
    const id = await automation(t, me, { type: 'event', event: 'add_to_cart', delayMinutes: 60, exitOn: ['purchase'] });
    await events(t, me, [
      cart('a-1', ago(61 * MIN)), // due a minute ago, no purchase: pushed
      cart('a-2', ago(70 * MIN)),
      purchase('a-2', ago(65 * MIN)), // same device bought after the add: exits
      cart('a-3', ago(70 * MIN)),
      purchase('a-4', ago(62 * MIN)), // another device of the same shopper bought: exits
      purchase('a-5', ago(80 * MIN)),
      cart('a-5', ago(75 * MIN)), // bought BEFORE the add: still pushed
      cart('a-6', ago(30 * MIN)), // not due for another 30 minutes
    ]);
    const c = await sweepAndSettle(t, me, id, { sent: 2, exited: 2 });
    expect(await outboxDevices(t, me, id)).toEqual(['a-1', 'a-5']);
    expect(c.progress).toMatchObject({ targeted: 2, sent: 2, exited: 2 });
    // Another sweep (and the same events sent again by a retrying SDK) push nothing more.
    await sweepDue(t.world.deps);
    expect(await outboxDevices(t, me, id)).toEqual(['a-1', 'a-5']);
    // The message the phone got is the automation's, with its id for open attribution.
    const outbox = (await t.request('GET', `/local/outbox?campaignId=${id}`, { token: me.token })).body.items;
    expect(JSON.parse(outbox[0].message.APNS)).toMatchObject({ campaignId: id, aps: { alert: { title: message.title } } });

    // Insights accumulate: a-1 opens the push and buys; the timeline is per day.
    await events(t, me, [
      { deviceId: 'a-1', type: 'push_open', campaignId: id, ts: ago(0) },
      { deviceId: 'a-1', type: 'purchase', orderId: 'o-after', amount: 42, currency: 'USD', ts: ago(0) },
    ]);
    const insights = await waitFor(async () => {
      const res = await t.request('GET', `/v1/campaigns/${id}/insights`, { token: me.token });
      return res.status === 200 && res.body.opened === 1 ? res.body : undefined;
    });
    expect(insights).toMatchObject({ sent: 2, opened: 1, openRate: 0.5, conversions: 1, revenue: 42 });
    // Per UTC day since the launch (today; yesterday too when the test straddles midnight).
    const timeline = insights.timeline as { day: string; sent: number; opens: number; conversions: number }[];
    expect(timeline.at(-1)!.day).toBe(insights.asOf.slice(0, 10));
    const sum = (k: 'sent' | 'opens' | 'conversions') => timeline.reduce((n, p) => n + p[k], 0);
    expect([sum('sent'), sum('opens'), sum('conversions')]).toEqual([2, 1, 1]);
    const listed = (await t.request('GET', '/v1/campaigns?kind=automated', { token: me.token })).body.items;
    expect(listed.find((c: { id: string }) => c.id === id).insights).toMatchObject({ sent: 2, opened: 1 });
  });

  test('an event whose due time is more than 24 h past is history, not a trigger', async () => {
    const id = await automation(t, me, { type: 'event', event: 'custom:level_up', delayMinutes: 30 });
    await events(t, me, [
      { deviceId: 'a-1', type: 'custom', name: 'level_up', ts: ago(24 * 60 * MIN + 31 * MIN) },
      { deviceId: 'a-2', type: 'custom', name: 'level_up', ts: ago(23 * 60 * MIN) },
    ]);
    await sweepAndSettle(t, me, id, { sent: 1 });
    expect(await outboxDevices(t, me, id)).toEqual(['a-2']);
  });

  test('re-entry: once per window with reentryAfterDays, once per triggering event with 0', async () => {
    const windowed = await automation(t, me, { type: 'event', event: 'product_view', reentryAfterDays: 7 });
    const each = await automation(t, me, { type: 'event', event: 'product_favorite', reentryAfterDays: 0 });
    await events(t, me, [
      { deviceId: 'a-7', type: 'product_view', productId: 'p1', ts: ago(5 * MIN) },
      { deviceId: 'a-7', type: 'product_view', productId: 'p2', ts: ago(4 * MIN) },
      { deviceId: 'a-7', type: 'product_favorite', productId: 'p1', ts: ago(5 * MIN) },
      { deviceId: 'a-7', type: 'product_favorite', productId: 'p2', ts: ago(4 * MIN) },
    ]);
    await sweepAndSettle(t, me, windowed, { sent: 1 });
    await sweepAndSettle(t, me, each, { sent: 2 });
    // A later view, still inside the 7 days: not again.
    await events(t, me, [{ deviceId: 'a-7', type: 'product_view', productId: 'p3', ts: ago(MIN) }]);
    await sweepAndSettle(t, me, windowed, { sent: 1 });
    expect(await outboxDevices(t, me, windowed)).toEqual(['a-7']);
    expect(await outboxDevices(t, me, each)).toEqual(['a-7', 'a-7']);
  });

  test('inactivity fires once per spell of inactivity; a later open starts a new spell', async () => {
    const id = await automation(t, me, { type: 'inactivity', days: 3 });
    await events(t, me, [
      { deviceId: 'a-5', type: 'app_open', ts: ago(3 * 1440 * MIN + 60 * MIN) }, // crossed 3 days an hour ago
      { deviceId: 'a-6', type: 'app_open', ts: ago(2 * 1440 * MIN) }, // not inactive long enough
      { deviceId: 'a-7', type: 'app_open', ts: ago(6 * 1440 * MIN) }, // crossed 3 days long ago: history
    ]);
    expect(await evaluateInactivity(t.world.deps)).toBe(1);
    expect(await evaluateInactivity(t.world.deps)).toBe(0); // the same spell again: nothing new
    await sweepAndSettle(t, me, id, { sent: 1 });
    expect(await outboxDevices(t, me, id)).toEqual(['a-5']);
    // The device opened again (still 3 days ago, but later): a new spell, pushed again.
    await events(t, me, [{ deviceId: 'a-5', type: 'app_open', ts: ago(3 * 1440 * MIN + 10 * MIN) }]);
    expect(await evaluateInactivity(t.world.deps)).toBe(1);
    await sweepAndSettle(t, me, id, { sent: 2 });
    expect(await outboxDevices(t, me, id)).toEqual(['a-5', 'a-5']);
  });

  test('first open welcomes a device registered since launch, once ever; devices from before are not new', async () => {
    const id = await automation(t, me, { type: 'first_open' });
    await registerDevices(t, me, [['new-1', {}]]);
    await events(t, me, [
      { deviceId: 'new-1', type: 'app_open', ts: ago(MIN) },
      { deviceId: 'a-1', type: 'app_open', ts: ago(MIN) }, // registered before the automation
    ]);
    await events(t, me, [{ deviceId: 'new-1', type: 'app_open', ts: ago(0) }]);
    await sweepAndSettle(t, me, id, { sent: 1 });
    await events(t, me, [{ deviceId: 'new-1', type: 'app_open', ts: ago(0) }]);
    await sweepAndSettle(t, me, id, { sent: 1 });
    expect(await outboxDevices(t, me, id)).toEqual(['new-1']);
  });

  test('pause holds due devices and takes no new ones; resume sends them once', async () => {
    const id = await automation(t, me, { type: 'event', event: 'add_to_cart', delayMinutes: 10, exitOn: ['purchase'] });
    await events(t, me, [cart('a-6', ago(11 * MIN)), cart('a-2', ago(11 * MIN))]);
    expect((await t.request('POST', `/v1/campaigns/${id}/pause`, { token: me.token })).body.status).toBe('paused');
    await events(t, me, [cart('a-7', ago(11 * MIN))]); // while paused: not entered
    await events(t, me, [purchase('a-2', ago(0))]); // a purchase during the pause still exits
    const swept = await sweepDue(t.world.deps);
    expect(swept.parked).toBeGreaterThanOrEqual(1);
    await sweepDue(t.world.deps);
    expect(await outboxDevices(t, me, id)).toEqual([]);
    expectError(await t.request('POST', `/v1/campaigns/${id}/pause`, { token: me.token }), 409, 'invalid_state');
    // Edited while paused; resumed: the held device goes out once, with the new message.
    const put = await t.request('PUT', `/v1/campaigns/${id}`, {
      token: me.token,
      body: {
        name: 'Cart v2',
        kind: 'automated',
        trigger: { type: 'event', event: 'add_to_cart', delayMinutes: 10, exitOn: ['purchase'] },
        message: { ...message, title: 'Back for it?' },
      },
    });
    expect(put.status).toBe(200);
    expect((await t.request('POST', `/v1/campaigns/${id}/resume`, { token: me.token })).body.status).toBe('active');
    await sweepAndSettle(t, me, id, { sent: 1, exited: 1 });
    await sweepDue(t.world.deps);
    expect(await outboxDevices(t, me, id)).toEqual(['a-6']);
    // Cancelled: nothing more enters or goes.
    expect((await t.request('POST', `/v1/campaigns/${id}/cancel`, { token: me.token })).body.status).toBe('cancelled');
    await events(t, me, [cart('a-1', ago(11 * MIN))]);
    await sweepDue(t.world.deps);
    expect(await outboxDevices(t, me, id)).toEqual(['a-6']);
  });

  test('a trigger changed while paused drops the devices held under the old one; a repeated resume is answered again', async () => {
    const id = await automation(t, me, { type: 'event', event: 'product_view', delayMinutes: 5 });
    await events(t, me, [{ deviceId: 'a-3', type: 'product_view', productId: 'p9', ts: ago(6 * MIN) }]);
    await t.request('POST', `/v1/campaigns/${id}/pause`, { token: me.token });
    expect((await sweepDue(t.world.deps)).parked).toBeGreaterThanOrEqual(1);
    const put = await t.request('PUT', `/v1/campaigns/${id}`, {
      token: me.token,
      body: { name: 'Now a favourite reminder', kind: 'automated', trigger: { type: 'event', event: 'product_favorite' }, message },
    });
    expect(put.status).toBe(200);
    expect((await t.request('POST', `/v1/campaigns/${id}/resume`, { token: me.token })).body.status).toBe('active');
    expect((await t.request('POST', `/v1/campaigns/${id}/resume`, { token: me.token })).status).toBe(200);
    await sweepDue(t.world.deps);
    expect(await outboxDevices(t, me, id)).toEqual([]);
    expect((await campaign(t, me, id)).progress.targeted).toBe(0);
  });

  test('an event sent without an eventId and retried by the SDK is one occurrence', async () => {
    const id = await automation(t, me, { type: 'event', event: 'custom:wishlist_share' });
    const body = { events: [{ deviceId: 'a-4', type: 'custom', name: 'wishlist_share', ts: ago(2 * MIN) }] };
    for (let i = 0; i < 2; i++) expect((await t.request('POST', '/v1/events', { appKey: me.appKey, body })).status).toBe(200);
    await sweepAndSettle(t, me, id, { sent: 1 });
    expect(await outboxDevices(t, me, id)).toEqual(['a-4']);
  });

  test('bad automated bodies: 400 with details paths, nothing stored', async () => {
    const before = (await t.request('GET', '/v1/campaigns?kind=automated&limit=100', { token: me.token })).body.items.length;
    const bad: [Record<string, unknown>, string][] = [
      [{ type: 'event', event: 'add_to_basket' }, 'trigger.event'],
      [{ type: 'event', event: 'add_to_cart', delayMinutes: 43_201 }, 'trigger.delayMinutes'],
      [{ type: 'event', event: 'add_to_cart', delayMinutes: -1 }, 'trigger.delayMinutes'],
      [{ type: 'event', event: 'add_to_cart', exitOn: ['purchase', 'add_to_cart'] }, 'trigger.exitOn[1]'],
      [{ type: 'inactivity', days: 0 }, 'trigger.days'],
      [{ type: 'sometimes' }, 'trigger.type'],
    ];
    for (const [trigger, path] of bad) {
      const res = await t.request('POST', '/v1/campaigns', { token: me.token, body: { name: 'Bad', kind: 'automated', trigger, message } });
      expectError(res, 400, 'validation_error');
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    const withSegment = await t.request('POST', '/v1/campaigns', {
      token: me.token,
      body: { name: 'Bad', kind: 'automated', segmentId: 'seg_1', trigger: { type: 'first_open' }, message },
    });
    expectError(withSegment, 400, 'segments_not_supported_on_automated');
    expect(withSegment.body.error.details[0].path).toBe('segmentId');
    const noTrigger = await t.request('POST', '/v1/campaigns', { token: me.token, body: { name: 'Bad', kind: 'automated', message } });
    expect(noTrigger.body.error.details.map((d: { path: string }) => d.path)).toContain('trigger');
    const triggerOnCampaign = await t.request('POST', '/v1/campaigns', {
      token: me.token,
      body: { name: 'Bad', kind: 'campaign', schedule: { type: 'now' }, trigger: { type: 'first_open' }, message },
    });
    expect(triggerOnCampaign.body.error.details.map((d: { path: string }) => d.path)).toContain('trigger');
    expect((await t.request('GET', '/v1/campaigns?kind=automated&limit=100', { token: me.token })).body.items.length).toBe(before);
  });
});

describe('automated campaigns, swept by the local loop', () => {
  const t = new TestWorld({ automationSweepMs: 1000 });
  let me: Caller;
  t.forSuite(async () => {
    me = await t.tenant('auto-live');
    await registerDevices(t, me, [['live-1', {}]]);
  });

  test('a due device is pushed within 10 seconds of its due time', async () => {
    const id = await automation(t, me, { type: 'event', event: 'add_to_cart', delayMinutes: 1, exitOn: ['purchase'] });
    // Due 3 s from now.
    const due = Date.now() + 3000;
    await events(t, me, [cart('live-1', new Date(due - MIN).toISOString())]);
    await waitFor(async () => (await outboxDevices(t, me, id)).length > 0, 15_000, 'the push');
    const item = (await t.request('GET', `/local/outbox?campaignId=${id}`, { token: me.token })).body.items[0];
    const pushedAt = Date.parse(item.at ?? item.sentAt ?? item.ts);
    expect(pushedAt - due).toBeLessThan(10_000);
    expect(pushedAt).toBeGreaterThanOrEqual(due - 1000);
  });
});
