/**
 * The wave plan on the local world (API.md v1.1 "Campaigns, continued"): POST /v1/campaign-plans
 * figures equal what launch records and what is then sent; `schedule.ifPassed` skip and next_day
 * across several zones; wave statuses pending → sending → sent; `progress.deferred` while quiet
 * hours hold devices. Time is moved with an injected clock, never waited for.
 */
import { offsetClock } from '../../lambdas/ports/clock';
import {
  campaignBody,
  countrySegment,
  expectError,
  outboxDevices,
  registerDevices,
  TestWorld,
  waitFor,
  waitSent,
  wallClock,
} from './harness';
import type { Caller } from './harness';

const MIN = 60_000;
const HOUR = 3_600_000;

/** Seven opted-in Italian devices in three zones (and one without a zone), one opted out, one French. */
const ZONED: [string, Record<string, unknown>][] = [
  ['tk-1', { country: 'IT', timezone: 'Asia/Tokyo' }],
  ['tk-2', { country: 'IT', timezone: 'Asia/Tokyo', platform: 'android' }],
  ['tk-3', { country: 'IT', timezone: 'Asia/Tokyo' }],
  ['ut-1', { country: 'IT', timezone: 'UTC' }],
  ['ut-2', { country: 'IT' }], // no zone: the fallback's (UTC) wave
  ['ph-1', { country: 'IT', timezone: 'America/Phoenix' }],
  ['ph-2', { country: 'IT', timezone: 'America/Phoenix', platform: 'android' }],
  ['ph-out', { country: 'IT', timezone: 'America/Phoenix', optedIn: false }],
  ['fr-1', { country: 'FR', timezone: 'UTC' }],
];

describe('campaign plans and waves on the local world', () => {
  const clock = offsetClock();
  const t = new TestWorld({ clock, queue: { concurrency: 2 } });
  const call = (who: Caller, method: string, path: string, body?: unknown) => t.request(method, path, { token: who.token, body });
  const get = async (who: Caller, id: string) => (await call(who, 'GET', `/v1/campaigns/${id}`)).body;

  t.forSuite();
  afterEach(() => clock.setOffset(0));

  /** A tenant with the ZONED devices and an "Italy" segment; the local schedule's wall-clock time: 1 h from now in UTC. */
  async function zonedShop(tenantId: string) {
    const shop = await t.tenant(tenantId);
    await registerDevices(t, shop, ZONED);
    const seg = await countrySegment(t, shop, 'Italy', ['IT']);
    // Tokyo (UTC+9) reached that wall-clock time 8 h ago; UTC reaches it in 1 h, Phoenix (UTC−7, no DST) in 8 h.
    const at = wallClock(new Date(clock.now().getTime() + HOUR), 'UTC').slice(0, 16) + ':00';
    return { shop, seg, at, utcMoment: Date.parse(`${at}Z`) };
  }

  /** Create and launch; the campaign as the launch answered it. */
  async function launch(shop: Caller, body: Record<string, unknown>) {
    const created = await call(shop, 'POST', '/v1/campaigns', campaignBody(body));
    expect(created.status).toBe(201);
    const launched = await call(shop, 'POST', `/v1/campaigns/${created.body.id}/launch`);
    expect(launched.status).toBe(200);
    return launched.body;
  }

  const waveOf = (c: any, zone: string) => c.waves.find((w: any) => w.timezones.includes(zone));
  const waitWave = (shop: Caller, id: string, zone: string, status: string) =>
    waitFor(async () => waveOf(await get(shop, id), zone)?.status === status, 20_000, `wave ${zone} ${status}`);

  test('ifPassed skip: the passed zone is planned out, counted under timePassed, and never pushed', async () => {
    const { shop, seg, at, utcMoment } = await zonedShop('plans-skip');
    const schedule = { type: 'local', at, fallbackTimezone: 'UTC', ifPassed: 'skip' };
    const plan = await call(shop, 'POST', '/v1/campaign-plans', { segmentId: seg.id, schedule });
    expect(plan.status).toBe(200);
    expect(plan.body).toEqual({
      waves: [
        { timezones: ['UTC'], sendAt: new Date(utcMoment).toISOString(), devices: 2 },
        { timezones: ['America/Phoenix'], sendAt: new Date(utcMoment + 7 * HOUR).toISOString(), devices: 2 },
      ],
      heldByQuietHours: 0,
      overFrequencyCap: 0,
      targeted: 7,
      timePassed: 3,
    });

    const launched = await launch(shop, { segmentId: seg.id, schedule });
    expect(launched.status).toBe('scheduled');
    // What launch records is what the plan showed; the skipped zone is no wave.
    expect(launched.waves.map((w: any) => ({ timezones: w.timezones, sendAt: w.sendAt, devices: w.devices, status: w.status }))).toEqual(
      plan.body.waves.map((w: any) => ({ ...w, status: 'pending' })),
    );
    expect(launched.progress).toMatchObject({ targeted: 3, sent: 0, suppressed: 3, deferred: 0 });
    expect(launched.progress.suppressedBy).toEqual({ optedOut: 0, frequencyCap: 0, invalidToken: 0, timePassed: 3 });

    // The UTC wave's moment comes: it is sent, Phoenix still pending.
    clock.advance(HOUR + MIN);
    await waitWave(shop, launched.id, 'UTC', 'sent');
    const mid = await get(shop, launched.id);
    expect(mid.status).toBe('sending');
    expect(waveOf(mid, 'America/Phoenix').status).toBe('pending');
    expect(await outboxDevices(t, shop, launched.id)).toEqual(['ut-1', 'ut-2']);

    clock.advance(7 * HOUR);
    const done = await waitSent(t, shop, launched.id);
    expect(done.waves.map((w: any) => w.status)).toEqual(['sent', 'sent']);
    expect(await outboxDevices(t, shop, launched.id)).toEqual(['ph-1', 'ph-2', 'ut-1', 'ut-2']);
    expect(done.progress).toMatchObject({ targeted: plan.body.targeted, sent: 4, failed: 0, suppressed: 3, deferred: 0 });
    expect(done.progress.suppressedBy.timePassed).toBe(3);
    // Insights carry the same figure.
    const insights = await waitFor(async () => {
      const res = await call(shop, 'GET', `/v1/campaigns/${launched.id}/insights`);
      return res.status === 200 ? res.body : undefined;
    });
    expect(insights).toMatchObject({ targeted: 7, sent: 4, suppressed: { optedOut: 0, frequencyCap: 0, invalidToken: 0, timePassed: 3 } });
  }, 60_000);

  test('ifPassed next_day: the passed zone fires at the same wall-clock time a day later', async () => {
    const { shop, seg, at, utcMoment } = await zonedShop('plans-next-day');
    const schedule = { type: 'local', at, fallbackTimezone: 'UTC', ifPassed: 'next_day' };
    const plan = await call(shop, 'POST', '/v1/campaign-plans', { segmentId: seg.id, schedule });
    expect(plan.status).toBe(200);
    const tokyoNextDay = utcMoment - 9 * HOUR + 24 * HOUR;
    expect(plan.body).toEqual({
      waves: [
        { timezones: ['UTC'], sendAt: new Date(utcMoment).toISOString(), devices: 2 },
        { timezones: ['America/Phoenix'], sendAt: new Date(utcMoment + 7 * HOUR).toISOString(), devices: 2 },
        { timezones: ['Asia/Tokyo'], sendAt: new Date(tokyoNextDay).toISOString(), devices: 3 },
      ],
      heldByQuietHours: 0,
      overFrequencyCap: 0,
      targeted: 7,
      timePassed: 0,
    });

    const launched = await launch(shop, { segmentId: seg.id, schedule });
    expect(launched.waves.map((w: any) => ({ timezones: w.timezones, sendAt: w.sendAt, devices: w.devices }))).toEqual(plan.body.waves);
    expect(launched.waves.every((w: any) => w.status === 'pending' && w.pastDue === false)).toBe(true);

    // Both same-day zones have had their moment; Tokyo waits for tomorrow.
    clock.advance(8 * HOUR + MIN);
    await waitWave(shop, launched.id, 'America/Phoenix', 'sent');
    await waitWave(shop, launched.id, 'UTC', 'sent');
    expect(waveOf(await get(shop, launched.id), 'Asia/Tokyo').status).toBe('pending');
    expect(await outboxDevices(t, shop, launched.id)).toEqual(['ph-1', 'ph-2', 'ut-1', 'ut-2']);

    clock.setOffset(tokyoNextDay - Date.now() + MIN);
    const done = await waitSent(t, shop, launched.id);
    expect(await outboxDevices(t, shop, launched.id)).toEqual(['ph-1', 'ph-2', 'tk-1', 'tk-2', 'tk-3', 'ut-1', 'ut-2']);
    expect(done.progress).toMatchObject({ targeted: 7, sent: 7, suppressed: 0, deferred: 0 });
    expect(done.progress.suppressedBy.timePassed).toBe(0);
    expect(done.waves.map((w: any) => w.status)).toEqual(['sent', 'sent', 'sent']);
  }, 60_000);

  test('the plan counts the hold-backs; deferred devices show while quiet hours hold them, and the wave is sent once they go', async () => {
    const shop = await t.tenant('plans-quiet');
    // qn-3 is pushed once first: with a cap of 1 a day it is over the cap for the next campaign.
    await registerDevices(t, shop, [['qn-3', { country: 'JP', timezone: 'America/New_York' }]]);
    const warmUp = await launch(shop, { segmentId: null });
    await waitSent(t, shop, warmUp.id);
    await registerDevices(t, shop, [
      ['qt-1', { country: 'JP', timezone: 'Asia/Tokyo' }],
      ['qt-2', { country: 'JP', timezone: 'Asia/Tokyo', platform: 'android' }],
      ['qn-1', { country: 'JP', timezone: 'America/New_York' }],
      ['qn-2', { country: 'JP', timezone: 'America/New_York' }],
    ]);
    const seg = await countrySegment(t, shop, 'Japan', ['JP']);
    // Quiet hours that cover "now" in Tokyo but not in New York (13 or 14 hours apart).
    const tokyoHour = Number(wallClock(clock.now(), 'Asia/Tokyo').slice(11, 13));
    const hh = (h: number) => `${String(h % 24).padStart(2, '0')}:00`;
    const settings = { frequencyCap: { maxPerDevice: 1, windowHours: 24 }, quietHours: { start: hh(tokyoHour), end: hh(tokyoHour + 2) } };
    expect((await call(shop, 'PUT', '/v1/settings', settings)).status).toBe(200);

    const plan = await call(shop, 'POST', '/v1/campaign-plans', { segmentId: seg.id, schedule: { type: 'now' } });
    expect(plan.status).toBe(200);
    expect(plan.body).toEqual({
      waves: [{ timezones: [], sendAt: expect.any(String), devices: 5 }],
      heldByQuietHours: 2,
      overFrequencyCap: 1,
      targeted: 5,
      timePassed: 0,
    });

    const launched = await launch(shop, { segmentId: seg.id });
    // A `now` launch runs no audience query: its wave's devices are unknown until it fires, then its targeted.
    expect(launched.waves).toEqual([expect.objectContaining({ timezones: [], devices: null })]);
    // New York goes out (qn-3 held by the cap); the two Tokyo devices wait for the end of quiet hours.
    const held = await waitFor(
      async () => {
        const c = await get(shop, launched.id);
        return c.progress.deferred === 2 && c.progress.sent === 2 && c.progress.suppressedBy.frequencyCap === 1 ? c : undefined;
      },
      20_000,
      'two sent, one capped, two deferred',
    );
    expect(held.status).toBe('sending');
    expect(held.waves[0].status).toBe('sending');
    expect(held.waves[0].devices).toBe(plan.body.waves[0].devices);
    expect(held.progress.deferred).toBe(plan.body.heldByQuietHours);
    expect(held.progress.suppressedBy.frequencyCap).toBe(plan.body.overFrequencyCap);
    expect(await outboxDevices(t, shop, launched.id)).toEqual(['qn-1', 'qn-2']);
    // Redeliveries and polls never move the figure while nothing changes.
    expect((await get(shop, launched.id)).progress.deferred).toBe(2);

    clock.advance(2 * HOUR + MIN);
    const done = await waitSent(t, shop, launched.id);
    expect(done.progress).toMatchObject({ targeted: plan.body.targeted, sent: 4, suppressed: 1, deferred: 0 });
    expect(done.waves[0].status).toBe('sent');
    expect(await outboxDevices(t, shop, launched.id)).toEqual(['qn-1', 'qn-2', 'qt-1', 'qt-2']);
  }, 60_000);

  test('bad input answers API.md errors and stores nothing', async () => {
    const shop = await t.tenant('plans-bad');
    const future = wallClock(new Date(clock.now().getTime() + 2 * HOUR), 'UTC');
    const plan = (body: unknown) => call(shop, 'POST', '/v1/campaign-plans', body);

    const onAt = await plan({ schedule: { type: 'at', at: future, timezone: 'UTC', ifPassed: 'skip' } });
    expectError(onAt, 400, 'validation_error');
    expect(onAt.body.error.details).toEqual([{ path: 'schedule.ifPassed', message: 'is only allowed on a local schedule' }]);
    const onNow = await plan({ schedule: { type: 'now', ifPassed: 'next_day' } });
    expectError(onNow, 400, 'validation_error');
    expect(onNow.body.error.details).toEqual([{ path: 'schedule.ifPassed', message: 'is only allowed on a local schedule' }]);
    const unknownValue = await plan({ schedule: { type: 'local', at: future, fallbackTimezone: 'UTC', ifPassed: 'later' } });
    expectError(unknownValue, 400, 'validation_error');
    expect(unknownValue.body.error.details).toEqual([{ path: 'schedule.ifPassed', message: expect.any(String) }]);
    // The campaign itself refuses the same schedule.
    const created = await call(
      shop,
      'POST',
      '/v1/campaigns',
      campaignBody({ schedule: { type: 'at', at: future, timezone: 'UTC', ifPassed: 'skip' } }),
    );
    expectError(created, 400, 'validation_error');
    expect(created.body.error.details).toEqual([{ path: 'schedule.ifPassed', message: 'is only allowed on a local schedule' }]);

    expectError(await plan({ segmentId: 'seg_missing', schedule: { type: 'now' } }), 404, 'not_found');
    const otherShop = await t.tenant('plans-bad-other');
    const theirs = await countrySegment(t, otherShop, 'Theirs', ['IT']);
    expectError(await plan({ segmentId: theirs.id, schedule: { type: 'now' } }), 404, 'not_found');

    const pastAt = await plan({ schedule: { type: 'at', at: '2021-03-01T09:00:00', timezone: 'UTC' } });
    expectError(pastAt, 400, 'validation_error');
    expect(pastAt.body.error.details).toEqual([{ path: 'schedule.at', message: 'is in the past' }]);
    const pastLocal = await plan({ schedule: { type: 'local', at: '2021-03-01T09:00:00', fallbackTimezone: 'UTC', ifPassed: 'next_day' } });
    expectError(pastLocal, 400, 'validation_error');
    expect(pastLocal.body.error.details).toEqual([{ path: 'schedule.at', message: 'is in the past' }]);
    expectError(await plan({ segmentId: null }), 400, 'validation_error');
    expectError(
      await t.request('POST', '/v1/campaign-plans', {
        token: shop.token,
        raw: '{"schedule":',
        headers: { 'content-type': 'application/json' },
      }),
      400,
    );

    // A plan stores nothing.
    expect((await call(shop, 'GET', '/v1/campaigns')).body.items).toEqual([]);
  });
});
