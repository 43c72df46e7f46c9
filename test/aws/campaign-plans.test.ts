/**
 * The plan preview in the AWS world: POST /v1/campaign-plans through API Gateway into the real
 * `campaigns` entry, whose one Athena query reads the devices and (under a cap) the deliveries tables
 * within the function's own role (the box enforces IAM). For a small audience the figures are
 * exact, and launch records the very waves the preview showed.
 */
import { tokenFor } from './support/services/sns';
import { AwsWorld } from './support/world';

const TENANT = 'acme';
const HOUR = 3_600_000;
const message = { title: 'Hello', body: 'A push for you.' };

/** Local wall-clock "YYYY-MM-DDTHH:mm:00" of an instant in UTC. */
const utcWallClock = (ms: number) => new Date(ms).toISOString().slice(0, 16) + ':00';

describe('campaign plans (AWS world)', () => {
  let world: AwsWorld;
  const api = (method: string, path: string, body?: unknown) => world.http.request(method, path, { tenant: TENANT }, body);

  AwsWorld.forSuite((w) => (world = w));

  test('the campaigns function plans waves and hold-backs from Athena within its grants, and launch records the same waves', async () => {
    const appKey = await world.issueAppKey(TENANT);
    const register = async (id: string, timezone: string | undefined, platform: 'ios' | 'android' = 'ios') => {
      const body = {
        platform,
        token: tokenFor(platform === 'ios' ? 'shop-ios' : 'shop-android', id),
        optedIn: true,
        country: 'IT',
        timezone,
      };
      expect((await world.http.request('PUT', `/v1/devices/${id}`, { appKey }, body)).status).toBe(200);
    };
    // One device pushed first: under a cap of 1 a day it is over the cap for the next send.
    await register('ph-1', 'America/Phoenix');
    const warmUp = await api('POST', '/v1/campaigns', { name: 'warm-up', kind: 'campaign', message, schedule: { type: 'now' } });
    expect((await api('POST', `/v1/campaigns/${warmUp.body.id}/launch`)).status).toBe(200);
    await world.settle();
    expect((await api('GET', `/v1/campaigns/${warmUp.body.id}`)).body).toMatchObject({ status: 'sent', progress: { sent: 1 } });

    await register('tk-1', 'Asia/Tokyo');
    await register('tk-2', 'Asia/Tokyo', 'android');
    await register('ut-1', 'UTC');
    await register('nz-1', undefined, 'android'); // no zone: the fallback's (UTC) wave
    await register('ph-2', 'America/Phoenix');
    const seg = await api('POST', '/v1/segments', {
      name: 'Italy',
      match: 'all',
      criteria: [{ filter: 'device_country', operator: 'in', value: ['IT'] }],
    });
    expect(seg.status).toBe(201);
    // Quiet hours over the Phoenix wave's local send time (the schedule's wall-clock hour there), and a cap of 1 a day.
    const utcMoment = Date.parse(`${utcWallClock(world.now() + HOUR)}Z`);
    const at = utcWallClock(utcMoment);
    const hour = Number(at.slice(11, 13));
    const hh = (h: number) => `${String((h + 24) % 24).padStart(2, '0')}:00`;
    // Every zone of a local plan sends at the same wall-clock time, so quiet hours over it hold every sent wave.
    const settings = { frequencyCap: { maxPerDevice: 1, windowHours: 24 }, quietHours: { start: hh(hour), end: hh(hour + 1) } };
    expect((await api('PUT', '/v1/settings', settings)).status).toBe(200);

    // Tokyo (UTC+9) passed that time 8 h ago and is skipped; UTC sends in 1 h; Phoenix (UTC−7) in 8 h.
    const schedule = { type: 'local', at, fallbackTimezone: 'UTC', ifPassed: 'skip' };
    const denialsBefore = world.box.denials.length;
    const plan = await api('POST', '/v1/campaign-plans', { segmentId: seg.body.id, schedule });
    expect(plan.status).toBe(200);
    expect(plan.body).toEqual({
      waves: [
        { timezones: ['UTC'], sendAt: new Date(utcMoment).toISOString(), devices: 2 },
        { timezones: ['America/Phoenix'], sendAt: new Date(utcMoment + 7 * HOUR).toISOString(), devices: 2 },
      ],
      heldByQuietHours: 4,
      overFrequencyCap: 1,
      targeted: 6,
      timePassed: 2,
    });
    expect(world.box.denials.slice(denialsBefore)).toEqual([]);

    // The plan stored nothing; launching the same schedule records the same waves.
    const created = await api('POST', '/v1/campaigns', { name: 'Plan', kind: 'campaign', segmentId: seg.body.id, message, schedule });
    expect(created.status).toBe(201);
    const launched = await api('POST', `/v1/campaigns/${created.body.id}/launch`);
    expect(launched.status).toBe(200);
    expect(launched.body.waves.map((w: any) => ({ timezones: w.timezones, sendAt: w.sendAt, devices: w.devices }))).toEqual(
      plan.body.waves,
    );
    expect(launched.body.waves.map((w: any) => w.status)).toEqual(['pending', 'pending']);
    expect(launched.body.progress.suppressedBy.timePassed).toBe(2);

    // Unknown segment and a past moment: API.md's errors from the real entry.
    const missing = await api('POST', '/v1/campaign-plans', { segmentId: 'seg_missing', schedule });
    expect(missing).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    const past = await api('POST', '/v1/campaign-plans', { schedule: { type: 'at', at: '2021-03-01T09:00:00', timezone: 'UTC' } });
    expect(past).toMatchObject({ status: 400, body: { error: { code: 'validation_error', details: [{ path: 'schedule.at' }] } } });
    expect(world.box.denials.slice(denialsBefore)).toEqual([]);
  });
});
