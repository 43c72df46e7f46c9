import { campaignBody, expectError, outboxDevices, registerDevices, TestWorld, waitFor, wallClock, type Caller } from './harness';

describe('campaigns: composer rules, lifecycle and scheduling through the HTTP API', () => {
  const t = new TestWorld();
  let shop: Caller;
  let segmentId: string;
  const api = t.as(() => shop);
  const create = async (over: Record<string, unknown> = {}) => {
    const res = await api('POST', '/v1/campaigns', campaignBody({ segmentId, ...over }));
    expect(res.status).toBe(201);
    return res.body;
  };
  const status = async (id: string) => (await api('GET', `/v1/campaigns/${id}`)).body;

  beforeAll(async () => {
    await t.start();
    shop = await t.tenant('camp-shop');
    await registerDevices(t, shop, [
      ['ny-1', { timezone: 'America/New_York', country: 'US' }],
      ['tokyo-1', { timezone: 'Asia/Tokyo', country: 'JP', platform: 'android' }],
      ['hnl-1', { timezone: 'Pacific/Honolulu', country: 'US' }],
      ['nozone-1', { country: 'US' }],
      ['gb-1', { timezone: 'Europe/London', country: 'GB' }],
      ['out-1', { timezone: 'America/New_York', country: 'US', optedIn: false }],
    ]);
    const seg = await api('POST', '/v1/segments', {
      name: 'Not GB',
      match: 'all',
      criteria: [{ filter: 'device_country', operator: 'not_in', value: ['GB'] }],
    });
    segmentId = seg.body.id;
  });
  afterAll(() => t.stop());

  test('create returns a draft with warnings for long text (graphemes, an emoji counts one)', async () => {
    const title = '🎉'.repeat(51);
    const c = await create({ message: { title, body: 'x'.repeat(121) } });
    expect(c.status).toBe('draft');
    expect(c.warnings.map((w: any) => w.code).sort()).toEqual(['body_long', 'title_long']);
    const fine = await create({ message: { title: '👨‍👩‍👧‍👦'.repeat(50), body: 'ok' } });
    expect(fine.warnings).toEqual([]);
  });

  test.each([
    ['automated with a segment', { kind: 'automated' }, 400, 'segments_not_supported_on_automated'],
    ['unknown segment', { segmentId: 'seg_nope' }, 400, 'validation_error'],
    ['http image', { message: { title: 't', body: 'b', imageUrl: 'http://cdn.example.com/x.jpg' } }, 400, 'validation_error'],
    [
      'three buttons',
      { message: { title: 't', body: 'b', buttons: [{ label: 'a' }, { label: 'b' }, { label: 'c' }] } },
      400,
      'validation_error',
    ],
    ['empty title', { message: { title: '', body: 'b' } }, 400, 'validation_error'],
    ['title of 201 characters', { message: { title: 'x'.repeat(201), body: 'b' } }, 400, 'validation_error'],
    ['payload over 4 KiB', { message: { title: 't', body: 'b', data: { blob: 'x'.repeat(4000) } } }, 400, 'payload_too_large'],
    ['moment in the past', { schedule: { type: 'at', at: '2020-01-01T09:00:00', timezone: 'America/New_York' } }, 400, 'validation_error'],
    ['unknown zone', { schedule: { type: 'at', at: '2030-01-01T09:00:00', timezone: 'Mars/Base' } }, 400, 'validation_error'],
    ['bad schedule type', { schedule: { type: 'whenever' } }, 400, 'validation_error'],
  ])('bad body: %s → %s %s, nothing stored', async (_n, over, code, errCode) => {
    const before = (await api('GET', '/v1/campaigns?limit=100')).body.items.length;
    const res = await api('POST', '/v1/campaigns', campaignBody({ segmentId, ...over }));
    expectError(res, code, errCode);
    expect((await api('GET', '/v1/campaigns?limit=100')).body.items.length).toBe(before);
  });

  test('send now reaches each opted-in member of the segment once', async () => {
    const c = await create();
    const launched = await api('POST', `/v1/campaigns/${c.id}/launch`);
    expect(launched.status).toBe(200);
    expect(launched.body.status).toBe('sending');
    const done = await waitFor(async () => ((await status(c.id)).status === 'sent' ? status(c.id) : undefined));
    expect(done.progress).toMatchObject({ targeted: 4, sent: 4, failed: 0, suppressed: 0 });
    expect(await outboxDevices(t, shop, c.id)).toEqual(['hnl-1', 'nozone-1', 'ny-1', 'tokyo-1']);
    const item = (await t.request('GET', `/local/outbox?campaignId=${c.id}`, { token: shop.token })).body.items.find(
      (i: any) => i.deviceId === 'tokyo-1',
    );
    expect(Object.keys(item.message)).toEqual(['GCM']);
    expect(JSON.parse(item.message.GCM).fcmV1Message.message.notification.title).toBe('24h only: 30% off 🎉');
    // A sent campaign can no longer be edited, launched or cancelled, but can be deleted.
    expectError(await api('PUT', `/v1/campaigns/${c.id}`, campaignBody()), 409, 'invalid_state');
    expectError(await api('POST', `/v1/campaigns/${c.id}/launch`), 409, 'invalid_state');
    expectError(await api('POST', `/v1/campaigns/${c.id}/cancel`), 409, 'invalid_state');
    expect((await api('GET', '/v1/campaigns?status=sent')).body.items.map((x: any) => x.id)).toContain(c.id);
    expect((await api('DELETE', `/v1/campaigns/${c.id}`)).status).toBe(204);
    expectError(await api('GET', `/v1/campaigns/${c.id}`), 404, 'not_found');
  });

  test('at a moment in a time zone: fires at that moment', async () => {
    const fireAt = new Date(Date.now() + 2500);
    const c = await create({ schedule: { type: 'at', at: wallClock(fireAt, 'Asia/Kolkata'), timezone: 'Asia/Kolkata' } });
    const launched = await api('POST', `/v1/campaigns/${c.id}/launch`);
    expect(launched.body.status).toBe('scheduled');
    expect(await outboxDevices(t, shop, c.id)).toEqual([]);
    const done = await waitFor(async () => ((await status(c.id)).status === 'sent' ? status(c.id) : undefined));
    expect(Date.parse(done.completedAt)).toBeGreaterThanOrEqual(Math.floor(fireAt.getTime() / 1000) * 1000);
    expect(await outboxDevices(t, shop, c.id)).toHaveLength(4);
  });

  test('a cancelled scheduled campaign never fires', async () => {
    const c = await create({ schedule: { type: 'at', at: wallClock(new Date(Date.now() + 1500), 'UTC'), timezone: 'UTC' } });
    await api('POST', `/v1/campaigns/${c.id}/launch`);
    const cancelled = await api('POST', `/v1/campaigns/${c.id}/cancel`);
    expect(cancelled.body.status).toBe('cancelled');
    await new Promise((r) => setTimeout(r, 3000));
    expect((await status(c.id)).status).toBe('cancelled');
    expect(await outboxDevices(t, shop, c.id)).toEqual([]);
    expect(await t.world.scheduler.pending()).not.toEqual(expect.arrayContaining([expect.objectContaining({ campaignId: c.id })]));
  });

  test('editing a scheduled campaign moves it: it fires at the new time only', async () => {
    const c = await create({ schedule: { type: 'at', at: wallClock(new Date(Date.now() + 3600_000), 'UTC'), timezone: 'UTC' } });
    await api('POST', `/v1/campaigns/${c.id}/launch`);
    const soon = new Date(Date.now() + 2000);
    const edited = await api(
      'PUT',
      `/v1/campaigns/${c.id}`,
      campaignBody({ name: c.name, segmentId, schedule: { type: 'at', at: wallClock(soon, 'UTC'), timezone: 'UTC' } }),
    );
    expect(edited.status).toBe(200);
    expect(edited.body.status).toBe('scheduled');
    expect(edited.body.waves[0].fireAt).toBe(new Date(Math.floor(soon.getTime() / 1000) * 1000).toISOString());
    await waitFor(async () => (await status(c.id)).status === 'sent');
    expect(await outboxDevices(t, shop, c.id)).toHaveLength(4);
    expect((await t.world.scheduler.pending()).filter((w) => w.campaignId === c.id)).toEqual([]);
  });

  test("local time: a device that moves to a later wave's zone after its wave sent is not pushed again (the lake knows it was reached)", async () => {
    const traveller = await t.tenant('camp-travel-shop');
    const call = (method: string, path: string, body?: unknown) => t.request(method, path, { token: traveller.token, body });
    await registerDevices(t, traveller, [
      ['tr-tokyo', { timezone: 'Asia/Tokyo', country: 'JP' }],
      ['tr-ny', { timezone: 'America/New_York', country: 'US' }],
    ]);
    const at = wallClock(new Date(Date.now() + 4000), 'America/New_York');
    const created = await call(
      'POST',
      '/v1/campaigns',
      campaignBody({ segmentId: null, schedule: { type: 'local', at, fallbackTimezone: 'America/New_York' } }),
    );
    const id = created.body.id as string;
    expect((await call('POST', `/v1/campaigns/${id}/launch`)).status).toBe(200);
    await waitFor(async () => (await outboxDevices(t, traveller, id)).includes('tr-tokyo'), 5000, 'the past-due Tokyo wave');
    // The phone lands in New York before the New York wave fires.
    await registerDevices(t, traveller, [['tr-tokyo', { timezone: 'America/New_York', country: 'JP' }]]);
    await waitFor(async () => (await call('GET', `/v1/campaigns/${id}`)).body.status === 'sent', 10_000, 'the New York wave');
    expect((await outboxDevices(t, traveller, id)).sort()).toEqual(['tr-ny', 'tr-tokyo']);
    expect((await call('GET', `/v1/campaigns/${id}`)).body.progress).toMatchObject({ sent: 2 });
  });

  test('local time: one wave per zone; zones whose moment passed are sent at once, later ones wait', async () => {
    // 3 s from now in New York (the fallback zone). Tokyo reached that wall-clock time hours ago; Honolulu will in hours.
    const at = wallClock(new Date(Date.now() + 3000), 'America/New_York');
    const c = await create({ schedule: { type: 'local', at, fallbackTimezone: 'America/New_York' } });
    const launched = (await api('POST', `/v1/campaigns/${c.id}/launch`)).body;
    expect(launched.status).toBe('scheduled');
    const waves = Object.fromEntries(launched.waves.map((w: any) => [w.timezone, w]));
    expect(Object.keys(waves).sort()).toEqual(['America/New_York', 'Asia/Tokyo', 'Pacific/Honolulu']);
    expect(waves['Asia/Tokyo'].pastDue).toBe(true);
    expect(waves['Pacific/Honolulu'].pastDue).toBe(false);
    await waitFor(async () => (await outboxDevices(t, shop, c.id)).includes('tokyo-1'), 5000, 'the past-due Tokyo wave');
    expect(await outboxDevices(t, shop, c.id)).toEqual(['tokyo-1']);
    // The New York wave takes New York devices and the device without a zone.
    await waitFor(async () => (await outboxDevices(t, shop, c.id)).length === 3, 8000, 'the New York wave');
    expect(await outboxDevices(t, shop, c.id)).toEqual(['nozone-1', 'ny-1', 'tokyo-1']);
    const mid = await status(c.id);
    expect(mid.status).toBe('sending');
    expect(mid.waves.find((w: any) => w.timezone === 'Pacific/Honolulu').status).toBe('pending');
    // Cancelling stops what has not gone yet: Honolulu never gets it.
    expect((await api('POST', `/v1/campaigns/${c.id}/cancel`)).body.status).toBe('cancelled');
    expect((await t.world.scheduler.pending()).filter((w) => w.campaignId === c.id)).toEqual([]);
  });

  test('a local time already past in every zone is rejected at launch', async () => {
    const c = await create({
      schedule: { type: 'local', at: wallClock(new Date(Date.now() + 40 * 3600_000), 'UTC'), fallbackTimezone: 'UTC' },
    });
    // Edit it to a time that has now passed everywhere: the create-time check allows nothing in the past either.
    const res = await api(
      'PUT',
      `/v1/campaigns/${c.id}`,
      campaignBody({ name: c.name, schedule: { type: 'local', at: '2021-03-01T09:00:00', fallbackTimezone: 'UTC' } }),
    );
    expectError(res, 400, 'validation_error');
  });

  test('the segment delete guard sees draft, scheduled and sending campaigns', async () => {
    const seg = (await api('POST', '/v1/segments', { name: 'Guarded', match: 'all', criteria: [] })).body;
    const c = await create({ segmentId: seg.id });
    const refused = await api('DELETE', `/v1/segments/${seg.id}`);
    expectError(refused, 409, 'segment_in_use');
    expect(refused.body.error.referrers).toEqual([expect.objectContaining({ type: 'campaign', id: c.id, status: 'draft' })]);
    expect((await api('DELETE', `/v1/campaigns/${c.id}`)).status).toBe(204);
    expect((await api('DELETE', `/v1/segments/${seg.id}`)).status).toBe(204);
  });

  test("another tenant's campaign ids answer 404", async () => {
    const c = await create();
    const other = await t.tenant('camp-other');
    for (const [m, p] of [
      ['GET', ''],
      ['PUT', ''],
      ['DELETE', ''],
      ['POST', '/launch'],
      ['POST', '/cancel'],
    ] as const) {
      expectError(
        await t.request(m, `/v1/campaigns/${c.id}${p}`, { token: other.token, body: m === 'PUT' ? campaignBody() : undefined }),
        404,
        'not_found',
      );
    }
    expect((await status(c.id)).status).toBe('draft');
  });
});

describe('a scheduled campaign survives a restart and fires exactly once', () => {
  const t = new TestWorld();
  afterAll(() => t.stop());

  test('stop while scheduled, start after its moment: it fires on start, once', async () => {
    await t.start();
    const shop = await t.tenant('restart-shop');
    await registerDevices(t, shop, [
      ['r-1', {}],
      ['r-2', { platform: 'android' }],
    ]);
    const c = (
      await t.request('POST', '/v1/campaigns', {
        token: shop.token,
        body: campaignBody({ schedule: { type: 'at', at: wallClock(new Date(Date.now() + 1500), 'UTC'), timezone: 'UTC' } }),
      })
    ).body;
    expect((await t.request('POST', `/v1/campaigns/${c.id}/launch`, { token: shop.token })).body.status).toBe('scheduled');
    await t.world.stop();
    await new Promise((r) => setTimeout(r, 2500));
    await t.start();
    await waitFor(
      async () => (await t.request('GET', `/v1/campaigns/${c.id}`, { token: shop.token })).body.status === 'sent',
      10000,
      'sent after restart',
    );
    expect(await outboxDevices(t, shop, c.id)).toEqual(['r-1', 'r-2']);
  });
});
