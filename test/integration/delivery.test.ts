import { offsetClock } from '../../lambdas/ports/clock';
import {
  campaignBody,
  countrySegment,
  outboxDevices,
  registerDevices,
  TestWorld,
  waitFor,
  type Caller,
  launchNow as launchNowOn,
  waitSent,
} from './harness';

describe('delivery rules on the local world', () => {
  const clock = offsetClock();
  const t = new TestWorld({ clock, queue: { concurrency: 4 } });
  const [shop] = t.tenants('deliver-shop');
  const api = t.as(() => shop);
  const launchNow = (over: Record<string, unknown> = {}, who: Caller = shop) => launchNowOn(t, who, over);
  const sent = (id: string, who: Caller = shop, timeout = 20_000) => waitSent(t, who, id, timeout);

  t.forSuite();
  beforeEach(async () => {
    await api('PUT', '/v1/settings', {});
    await api('PUT', '/local/push-gateway', {});
  });

  test('a campaign reaches each opted-in matching device exactly once and no one else', async () => {
    const devices: [string, Record<string, unknown>][] = [];
    for (let i = 0; i < 150; i++)
      devices.push([
        `m-${String(i).padStart(3, '0')}`,
        { country: i % 3 === 0 ? 'DE' : 'FR', optedIn: i % 10 !== 0, platform: i % 2 ? 'ios' : 'android' },
      ]);
    await registerDevices(t, shop, devices);
    const seg = await countrySegment(t, shop, 'Germany', ['DE']);
    const id = await launchNow({ segmentId: seg.id });
    const done = await sent(id);
    const expected = devices
      .filter(([, d]) => d.country === 'DE' && d.optedIn)
      .map(([id]) => id)
      .sort();
    expect(await outboxDevices(t, shop, id)).toEqual(expected);
    expect(done.progress).toMatchObject({ targeted: expected.length, sent: expected.length, failed: 0, suppressed: 0 });
  });

  test('a device that opts out after scheduling gets nothing; edits to the segment apply at send time', async () => {
    await registerDevices(t, shop, [
      ['oo-1', { country: 'NL' }],
      ['oo-2', { country: 'NL' }],
      ['oo-3', { country: 'BE' }],
    ]);
    const seg = await countrySegment(t, shop, 'NL', ['NL']);
    const c = (
      await api(
        'POST',
        '/v1/campaigns',
        campaignBody({
          segmentId: seg.id,
          schedule: { type: 'at', at: new Date(clock.now().getTime() + 2000).toISOString().slice(0, 19), timezone: 'UTC' },
        }),
      )
    ).body;
    await api('POST', `/v1/campaigns/${c.id}/launch`);
    await registerDevices(t, shop, [['oo-2', { country: 'NL', optedIn: false }]]);
    await api('PUT', `/v1/segments/${seg.id}`, {
      name: 'NL',
      match: 'all',
      criteria: [{ filter: 'device_country', operator: 'in', value: ['NL', 'BE'] }],
    });
    await sent(c.id);
    expect(await outboxDevices(t, shop, c.id)).toEqual(['oo-1', 'oo-3']);
  });

  test('the frequency cap holds when three campaigns launch at the same moment', async () => {
    await registerDevices(
      t,
      shop,
      Array.from({ length: 20 }, (_, i) => [`fc-${i}`, { country: 'AT' }] as [string, Record<string, unknown>]),
    );
    const seg = await countrySegment(t, shop, 'Austria', ['AT']);
    await api('PUT', '/v1/settings', { frequencyCap: { maxPerDevice: 2, windowHours: 24 } });
    const ids = await Promise.all([0, 1, 2].map(() => launchNow({ segmentId: seg.id })));
    const results = await Promise.all(ids.map((id) => sent(id)));
    const perDevice = new Map<string, number>();
    for (const id of ids) for (const d of await outboxDevices(t, shop, id)) perDevice.set(d, (perDevice.get(d) ?? 0) + 1);
    expect([...perDevice.keys()].sort()).toHaveLength(20);
    expect([...perDevice.values()].every((n) => n === 2)).toBe(true);
    const capped = results.reduce((s, c) => s + c.progress.suppressedBy.frequencyCap, 0);
    expect(capped).toBe(20);
  });

  test('quiet hours defer a device, never drop it', async () => {
    await registerDevices(t, shop, [
      ['qh-tokyo', { country: 'JP', timezone: 'Asia/Tokyo' }],
      ['qh-ny', { country: 'JP', timezone: 'America/New_York' }],
    ]);
    const seg = await countrySegment(t, shop, 'Japan', ['JP']);
    // Quiet hours that cover "now" in Tokyo but not in New York (13 or 14 hours apart).
    const tokyoHour = Number(
      new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', hour: '2-digit', hourCycle: 'h23' }).format(clock.now()),
    );
    const start = `${String(tokyoHour).padStart(2, '0')}:00`;
    const end = `${String((tokyoHour + 2) % 24).padStart(2, '0')}:00`;
    await api('PUT', '/v1/settings', { quietHours: { start, end } });
    const id = await launchNow({ segmentId: seg.id });
    await waitFor(async () => (await outboxDevices(t, shop, id)).includes('qh-ny'), 10_000, 'the New York device');
    await new Promise((r) => setTimeout(r, 1000));
    expect(await outboxDevices(t, shop, id)).toEqual(['qh-ny']);
    expect((await api('GET', `/v1/campaigns/${id}`)).body.status).toBe('sending');
    // Two hours later in Tokyo the quiet hours are over and the deferred push goes out.
    clock.advance(2 * 3600_000 + 60_000);
    await sent(id);
    expect(await outboxDevices(t, shop, id)).toEqual(['qh-ny', 'qh-tokyo']);
    clock.setOffset(0);
  });

  test('a device reported unregistered is suppressed, and stays out until it registers a new token', async () => {
    await registerDevices(t, shop, [
      ['ur-1', { country: 'PT' }],
      ['ur-2', { country: 'PT' }],
    ]);
    const seg = await countrySegment(t, shop, 'Portugal', ['PT']);
    await api('PUT', '/local/push-gateway', { unregisteredTokens: ['tok-ur-2'] });
    const first = await sent(await launchNow({ segmentId: seg.id }));
    expect(first.progress.suppressedBy.invalidToken).toBe(1);
    await api('PUT', '/local/push-gateway', {});
    const secondId = await launchNow({ segmentId: seg.id });
    const second = await sent(secondId);
    expect(await outboxDevices(t, shop, secondId)).toEqual(['ur-1']);
    expect(second.progress.suppressedBy.invalidToken).toBe(1);
    await t.request('PUT', '/v1/devices/ur-2', {
      appKey: shop.appKey,
      body: { platform: 'ios', token: 'tok-ur-2-new', optedIn: true, country: 'PT' },
    });
    const thirdId = await launchNow({ segmentId: seg.id });
    await sent(thirdId);
    expect(await outboxDevices(t, shop, thirdId)).toEqual(['ur-1', 'ur-2']);
  });

  test('with 20 % transient gateway failures every device still gets exactly one push', async () => {
    const devices = Array.from(
      { length: 200 },
      (_, i) => [`tf-${String(i).padStart(3, '0')}`, { country: 'SE' }] as [string, Record<string, unknown>],
    );
    await registerDevices(t, shop, devices);
    const seg = await countrySegment(t, shop, 'Sweden', ['SE']);
    await api('PUT', '/local/push-gateway', { failureRate: 0.2 });
    const id = await launchNow({ segmentId: seg.id });
    const done = await sent(id, shop, 60_000);
    expect(await outboxDevices(t, shop, id)).toEqual(devices.map(([d]) => d));
    expect(done.progress).toMatchObject({ sent: 200, failed: 0 });
  });

  test('the outbox and the gateway switches are per tenant', async () => {
    const other = await t.tenant('deliver-other');
    const id = await launchNow({}, shop);
    await sent(id);
    expect((await t.request('GET', `/local/outbox?campaignId=${id}`, { token: other.token })).body.items).toEqual([]);
    expect((await api('GET', '/local/push-gateway', undefined, other)).body.failureRate).toBe(0);
  });
});
