import { TestWorld, expectError, isoDaysAgo } from './harness';

const device = (over: Record<string, unknown> = {}) => ({
  platform: 'ios',
  token: 'apns-token-1',
  optedIn: true,
  country: 'us',
  timezone: 'America/New_York',
  locale: 'en-US',
  appVersion: '5.2.0',
  customerId: 'cust-1',
  ...over,
});

describe('local world: tenants, devices, events', () => {
  const t = new TestWorld();
  const [acme] = t.tenants('acme');

  t.forSuite();

  test('health needs no auth', async () => {
    const res = await t.request('GET', '/health');
    expect(res).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  test('POST /local/tenants issues a token and an app key; earlier keys stay valid', async () => {
    const again = await t.tenant('acme');
    expect(again.tenantId).toBe('acme');
    expect(again.appKey).not.toBe(acme.appKey);
    const [header, payload] = again.token
      .split('.')
      .slice(0, 2)
      .map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()));
    expect(header.alg).toBe('HS256');
    expect(payload.tenant_id).toBe('acme');
    for (const appKey of [acme.appKey, again.appKey]) {
      const res = await t.request('PUT', '/v1/devices/d-key', { appKey, body: device() });
      expect(res.status).toBe(200);
    }
    expectError(await t.request('POST', '/local/tenants', { body: { tenantId: 'A!' } }), 400, 'validation_error');
    expectError(await t.request('POST', '/local/tenants', { body: { tenantId: 'ok-id', extra: 1 } }), 400, 'validation_error');
  });

  test('a device registers, updates (latest wins) and opts out; the token is never echoed', async () => {
    const first = await t.request('PUT', '/v1/devices/d-1', { appKey: acme.appKey, body: device() });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      deviceId: 'd-1',
      platform: 'ios',
      optedIn: true,
      country: 'US',
      appVersion: '5.2.0',
      customerId: 'cust-1',
    });
    expect(JSON.stringify(first.body)).not.toContain('apns-token-1');

    const second = await t.request('PUT', '/v1/devices/d-1', {
      appKey: acme.appKey,
      body: device({ optedIn: false, country: 'CA', customerId: undefined }),
    });
    expect(second.body).toMatchObject({ optedIn: false, country: 'CA', customerId: null, createdAt: first.body.createdAt });
    expect(second.body.updatedAt > first.body.updatedAt).toBe(true);

    const stored = await t.world.deps.devices.get('acme', 'd-1');
    expect(stored).toMatchObject({ optedIn: false, token: 'apns-token-1', country: 'CA' });
    const rows = (await t.lakeRows('devices', 'acme')).filter((r) => r.device_id === 'd-1');
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => r.opted_in).sort()).toEqual([false, true]);
  });

  test.each([
    ['bad platform', { platform: 'web' }, 'platform'],
    ['missing optedIn', { optedIn: undefined }, 'optedIn'],
    ['optedIn as string', { optedIn: 'yes' }, 'optedIn'],
    ['bad country', { country: 'XX' }, 'country'],
    ['bad time zone', { timezone: 'Mars/Olympus' }, 'timezone'],
    ['bad version', { appVersion: '5.2.0-beta' }, 'appVersion'],
    ['empty token', { token: '' }, 'token'],
    ['token too long', { token: 'x'.repeat(4097) }, 'token'],
    ['unknown field', { admin: true }, 'admin'],
  ])('device validation: %s → 400 naming the field, nothing stored', async (_name, over, field) => {
    const res = await t.request('PUT', '/v1/devices/d-invalid', { appKey: acme.appKey, body: device(over) });
    expectError(res, 400, 'validation_error');
    expect(res.body.error.details.map((d: any) => d.path)).toContain(field);
    expect(await t.world.deps.devices.get('acme', 'd-invalid')).toBeUndefined();
  });

  test('bad device ids are rejected', async () => {
    for (const id of ['has space', 'x'.repeat(129), 'semi;colon', 'slash%2Fid']) {
      const res = await t.request('PUT', `/v1/devices/${encodeURIComponent(id)}`, { appKey: acme.appKey, body: device() });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.body.error.code).toBeDefined();
    }
  });

  test('an event batch keeps the good events and rejects the bad ones by index', async () => {
    const now = new Date();
    const res = await t.request('POST', '/v1/events', {
      appKey: acme.appKey,
      body: {
        events: [
          { eventId: 'e-1', deviceId: 'd-1', type: 'app_open', ts: isoDaysAgo(1, now) },
          { eventId: 'e-2', deviceId: 'd-1', type: 'purchase', ts: isoDaysAgo(1, now) }, // no orderId/amount
          { eventId: 'e-3', deviceId: 'd-1', type: 'purchase', ts: isoDaysAgo(2, now), orderId: 'o-1', amount: 129.9, currency: 'USD' },
          { eventId: 'e-4', deviceId: 'd-1', type: 'teleport', ts: isoDaysAgo(1, now) },
          { eventId: 'e-5', deviceId: 'd-1', type: 'app_open', ts: isoDaysAgo(800, now) },
          { eventId: 'e-6', deviceId: 'd-1', type: 'app_open', ts: new Date(now.getTime() + 2 * 86_400_000).toISOString() },
          { eventId: 'e-7', deviceId: 'd-1', type: 'custom', name: 'Bad-Name', ts: isoDaysAgo(1, now) },
          {
            eventId: 'e-8',
            deviceId: 'd-1',
            type: 'product_view',
            productId: 'sku-1',
            ts: isoDaysAgo(1, now),
            properties: { color: 'red', size: 42, sale: true },
          },
          { eventId: 'e-9', deviceId: 'd-1', type: 'push_open', campaignId: 'cmp-1', ts: isoDaysAgo(1, now) },
          { eventId: 'e-10', deviceId: 'd-1', type: 'app_open', ts: isoDaysAgo(1, now), properties: { nested: { no: 1 } } },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.accepted).toBe(4);
    expect(res.body.rejected.map((r: any) => r.index)).toEqual([1, 3, 4, 5, 6, 9]);
    expect(res.body.rejected[0].error.details.map((d: any) => d.path)).toEqual(['events[1].orderId', 'events[1].amount']);
    const ids = (await t.lakeRows('events', 'acme')).map((r) => r.event_id).sort();
    expect(ids).toEqual(['e-1', 'e-3', 'e-8', 'e-9']);
  });

  test('a repeated eventId is counted once', async () => {
    const ev = { eventId: 'dup-1', deviceId: 'd-2', type: 'app_open', ts: isoDaysAgo(1) };
    for (let i = 0; i < 3; i++)
      expect((await t.request('POST', '/v1/events', { appKey: acme.appKey, body: { events: [ev, ev] } })).status).toBe(200);
    const [{ n }] = await t.world.engine.run({
      sql: `SELECT count(DISTINCT event_id) AS n FROM events WHERE tenant_id = ? AND device_id = ?`,
      params: ['acme', 'd-2'],
    });
    expect(n).toBe(1);
  });

  test('events without an eventId get one, so compaction retries cannot double them', async () => {
    await t.request('POST', '/v1/events', {
      appKey: acme.appKey,
      body: { events: [{ deviceId: 'd-3', type: 'app_open', ts: isoDaysAgo(0.5) }] },
    });
    const rows = (await t.lakeRows('events', 'acme')).filter((r) => r.device_id === 'd-3');
    expect(rows).toHaveLength(1);
    expect(String(rows[0].event_id)).toMatch(/^srv-/);
  });

  test.each([
    ['malformed JSON', { raw: '{"events": [' }, 400, 'invalid_json'],
    ['no body', {}, 400, 'validation_error'],
    ['events not an array', { body: { events: 'x' } }, 400, 'validation_error'],
    ['empty batch', { body: { events: [] } }, 400, 'validation_error'],
    ['501 events', { body: { events: Array.from({ length: 501 }, () => ({})) } }, 400, 'validation_error'],
    ['only bad events', { body: { events: [{ deviceId: 'd-1', type: 'teleport', ts: isoDaysAgo(1) }] } }, 400, 'validation_error'],
    [
      'extra top-level field',
      { body: { events: [{ deviceId: 'd-1', type: 'app_open', ts: isoDaysAgo(1) }], tenantId: 'other' } },
      400,
      'validation_error',
    ],
    [
      'body over 1 MiB',
      {
        raw: JSON.stringify({
          events: [{ deviceId: 'd-1', type: 'custom', name: 'x', ts: isoDaysAgo(1), properties: { pad: 'x'.repeat(1024 * 1024) } }],
        }),
      },
      413,
      'body_too_large',
    ],
  ])('bad event batch: %s → %s, nothing stored', async (_name, opts, status, code) => {
    const before = (await t.lakeRows('events', 'acme')).length;
    const res = await t.request('POST', '/v1/events', { appKey: acme.appKey, ...(opts as any) });
    expectError(res, status, code);
    expect((await t.lakeRows('events', 'acme')).length).toBe(before);
  });

  test('missing or wrong credentials → 401 with the error body', async () => {
    const ev = { events: [{ deviceId: 'd-1', type: 'app_open', ts: isoDaysAgo(1) }] };
    expectError(await t.request('POST', '/v1/events', { body: ev }), 401, 'unauthorized');
    expectError(await t.request('POST', '/v1/events', { appKey: 'ak_wrong', body: ev }), 401, 'unauthorized');
    expectError(await t.request('PUT', '/v1/devices/d-1', { appKey: 'ak_wrong', body: device() }), 401, 'unauthorized');
    // A merchant token is not an app key.
    expectError(await t.request('PUT', '/v1/devices/d-1', { token: acme.token, body: device() }), 401, 'unauthorized');
  });

  test('unknown routes answer 404 with the error body', async () => {
    expectError(await t.request('GET', '/v1/nothing-here', { token: acme.token }), 404, 'not_found');
  });

  test('restart on the same data folder keeps everything', async () => {
    // Compaction (duplicates and superseded snapshots out) before the picture: a restart must keep what is there.
    await t.world.compact({ dropSuperseded: true });
    const before = { events: await t.lakeRows('events', 'acme'), devices: await t.lakeRows('devices', 'acme') };
    // Compaction kept the latest registration of d-1 per shopper: with cust-1 (opted in), then logged out and opted out.
    const d1 = before.devices.filter((r) => r.device_id === 'd-1').map((r) => `${r.customer_id}:${r.opted_in}`);
    expect(d1.sort()).toEqual(['cust-1:true', 'null:false']);
    await t.restart();
    expect(await t.lakeRows('events', 'acme')).toEqual(before.events);
    expect(await t.lakeRows('devices', 'acme')).toEqual(before.devices);
    expect(await t.world.deps.devices.get('acme', 'd-1')).toMatchObject({ optedIn: false });
    // Tokens and app keys issued before the restart still work.
    expect((await t.request('PUT', '/v1/devices/d-9', { appKey: acme.appKey, body: device() })).status).toBe(200);
  });
});
