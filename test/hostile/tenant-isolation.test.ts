/**
 * Two tenants with look-alike data (same device ids, same segment and campaign names, events for the
 * same devices). Every request of one with the other's ids gets a 404 (an empty list or outbox where
 * the endpoint is a list), and nothing the owner can read changes.
 */
import { TestWorld, campaignBody, isoDaysAgo, registerDevices, waitFor, type Caller } from '../integration/harness';
import { campaignBase } from './arbitraries';
import { expectClientError, snapshot } from './support';

jest.setTimeout(120_000);

const t = new TestWorld();
let a: Caller; // the owner
let b: Caller; // the look-alike intruder
const ids = {
  a: { segment: '', ref: '', draft: '', sent: '', erasure: '' },
  b: { segment: '', ref: '', draft: '', sent: '', erasure: '' },
};

const DEVICES: [string, Record<string, unknown>][] = [
  ['d-1', { country: 'US', customerId: 'cust-1' }],
  ['d-2', { country: 'CA', platform: 'android' }],
  ['d-3', { country: 'DE' }],
];

async function seed(c: Caller, key: 'a' | 'b', spend: number) {
  await registerDevices(
    t,
    c,
    DEVICES.map(([id, over]) => [id, { ...over, token: `${key}-tok-${id}` }]),
  );
  const events = [
    { eventId: 'e-1', deviceId: 'd-1', type: 'purchase', orderId: 'o-1', amount: spend, ts: isoDaysAgo(1) },
    { eventId: 'e-2', deviceId: 'd-2', type: 'app_open', ts: isoDaysAgo(1) },
    { eventId: 'e-3', deviceId: 'd-3', type: 'product_view', productId: 'sku-1', ts: isoDaysAgo(2) },
  ];
  expect((await t.request('POST', '/v1/events', { appKey: c.appKey, body: { events } })).body.accepted).toBe(3);
  const seg = await t.request('POST', '/v1/segments', {
    token: c.token,
    body: { name: 'Big spenders', match: 'all', criteria: [{ filter: 'total_spend', operator: 'gte', value: 100 }] },
  });
  const ref = await t.request('POST', '/v1/segments', {
    token: c.token,
    body: { name: 'Big spenders in US', match: 'all', criteria: [{ filter: 'in_segment', operator: 'is_member', value: seg.body.id }] },
  });
  const draft = await t.request('POST', '/v1/campaigns', {
    token: c.token,
    body: campaignBody({ name: 'Black Friday', segmentId: seg.body.id, schedule: campaignBase().schedule }),
  });
  const sent = await t.request('POST', '/v1/campaigns', { token: c.token, body: campaignBody({ name: 'Sent one' }) });
  expect((await t.request('POST', `/v1/campaigns/${sent.body.id}/launch`, { token: c.token })).status).toBe(200);
  expect(
    (
      await t.request('PUT', '/v1/settings', {
        token: c.token,
        body: { frequencyCap: { maxPerDevice: key === 'a' ? 3 : 9, windowHours: 24 } },
      })
    ).status,
  ).toBe(200);
  // An erasure of a shopper the tenant never had: it finishes without touching anything.
  const erasure = await t.request('POST', '/v1/erasures', { token: c.token, body: { customerId: 'cust-nobody' } });
  expect(erasure).toMatchObject({ status: 202, body: { status: 'running', customerId: 'cust-nobody' } });
  ids[key] = { segment: seg.body.id, ref: ref.body.id, draft: draft.body.id, sent: sent.body.id, erasure: erasure.body.id };
}

const erasureDone = (c: Caller, id: string) =>
  waitFor(
    async () => (await t.request('GET', `/v1/erasures/${id}`, { token: c.token })).body.status === 'succeeded',
    30_000,
    `erasure ${id} succeeded`,
  );

/** Everything the owner can see through the API (plus the raw stores, via snapshot). */
async function ownerView(): Promise<string> {
  const get = async (p: string) => {
    const r = await t.request('GET', p, { token: a.token });
    return [r.status, r.body];
  };
  const view = {
    segments: await get('/v1/segments'),
    segment: await get(`/v1/segments/${ids.a.segment}`),
    ref: await get(`/v1/segments/${ids.a.ref}`),
    campaigns: await get('/v1/campaigns'),
    draft: await get(`/v1/campaigns/${ids.a.draft}`),
    sent: await get(`/v1/campaigns/${ids.a.sent}`),
    insights: await get(`/v1/campaigns/${ids.a.sent}/insights`),
    settings: await get('/v1/settings'),
    erasure: await get(`/v1/erasures/${ids.a.erasure}`),
    outbox: await get(`/local/outbox?campaignId=${ids.a.sent}`),
    explain: await get(`/v1/segments/${ids.a.segment}/explain/d-1`),
    estimate: (await t.request('POST', '/v1/segment-estimates', { token: a.token, body: { segmentId: ids.a.segment, sampleSize: 100 } }))
      .body,
    unsaved: (
      await t.request('POST', '/v1/segment-estimates', {
        token: a.token,
        body: { match: 'any', criteria: [{ filter: 'product_viewed', operator: 'any_of', value: ['sku-1', 'sku-b'] }], sampleSize: 100 },
      })
    ).body,
    store: await snapshot(t, a.tenantId),
  };
  // Evaluation times differ between calls; everything else must be identical.
  return JSON.stringify(view, (k, v) => (k === 'asOf' ? undefined : v));
}

beforeAll(async () => {
  await t.start();
  a = await t.tenant('iso-owner');
  b = await t.tenant('iso-other');
  await seed(a, 'a', 150);
  await seed(b, 'b', 150);
  for (const c of [a, b]) {
    const sent = c === a ? ids.a.sent : ids.b.sent;
    await waitFor(
      async () => (await t.request('GET', `/v1/campaigns/${sent}`, { token: c.token })).body.status === 'sent',
      30_000,
      'campaign sent',
    );
    await erasureDone(c, c === a ? ids.a.erasure : ids.b.erasure);
  }
});
afterAll(() => t.stop());

test('the look-alike data is really alike, and each tenant sees only its own', async () => {
  expect(ids.a.segment).not.toBe(ids.b.segment);
  for (const [c, own, foreign] of [
    [a, ids.a, ids.b],
    [b, ids.b, ids.a],
  ] as const) {
    const segs = (await t.request('GET', '/v1/segments', { token: c.token })).body.items.map((s: { id: string }) => s.id).sort();
    expect(segs).toEqual([own.segment, own.ref].sort());
    const cmps = (await t.request('GET', '/v1/campaigns', { token: c.token })).body.items.map((s: { id: string }) => s.id).sort();
    expect(cmps).toEqual([own.draft, own.sent].sort());
    expect(JSON.stringify(segs.concat(cmps))).not.toContain(foreign.segment);
    const outbox = (await t.request('GET', `/local/outbox?campaignId=${own.sent}`, { token: c.token })).body.items;
    expect(outbox.map((i: { deviceId: string }) => i.deviceId).sort()).toEqual(['d-1', 'd-2', 'd-3']);
  }
  const est = await t.request('POST', '/v1/segment-estimates', { token: a.token, body: { segmentId: ids.a.segment, sampleSize: 100 } });
  expect(est.body).toMatchObject({ matched: 1, total: 3, sample: ['d-1'] });
});

test("every request of one tenant with the other's ids → 404 or empty, and the owner's view is unchanged", async () => {
  const before = await ownerView();
  const seg = ids.a.segment;
  const cmp = ids.a.draft;
  const segBody = { name: 'Hijacked', match: 'all', criteria: [] };
  const calls: [string, string, unknown?][] = [
    ['GET', `/v1/segments/${seg}`],
    ['GET', `/v1/segments/${ids.a.ref}`],
    ['PUT', `/v1/segments/${seg}`, segBody],
    ['DELETE', `/v1/segments/${seg}`],
    ['DELETE', `/v1/segments/${ids.a.ref}`],
    ['GET', `/v1/segments/${seg}/explain/d-1`],
    ['GET', `/v1/segments/${ids.a.ref}/explain/d-2`],
    ['POST', '/v1/segment-estimates', { segmentId: seg }],
    ['POST', '/v1/segment-estimates', { segmentId: seg, sampleSize: 100 }],
    ['GET', `/v1/segment-estimates/${seg}`],
    ['GET', `/v1/campaigns/${cmp}`],
    ['GET', `/v1/campaigns/${ids.a.sent}`],
    ['PUT', `/v1/campaigns/${cmp}`, campaignBase()],
    ['POST', `/v1/campaigns/${cmp}/launch`],
    ['POST', `/v1/campaigns/${cmp}/cancel`],
    ['POST', `/v1/campaigns/${ids.a.sent}/cancel`],
    ['DELETE', `/v1/campaigns/${cmp}`],
    ['DELETE', `/v1/campaigns/${ids.a.sent}`],
    ['GET', `/v1/campaigns/${ids.a.sent}/insights`],
    ['GET', `/v1/erasures/${ids.a.erasure}`],
  ];
  for (const [method, p, body] of calls) {
    const res = await t.request(method, p, { token: b.token, ...(body !== undefined ? { body } : {}) });
    try {
      expectClientError(res, [404]);
    } catch (err) {
      throw new Error(`${method} ${p}: ${(err as Error).message}`);
    }
  }

  // Outbox: the owner's campaign id in the intruder's outbox is simply empty.
  const outbox = await t.request('GET', `/local/outbox?campaignId=${ids.a.sent}`, { token: b.token });
  expect(outbox).toMatchObject({ status: 200, body: { items: [] } });

  // References to the owner's segment answer exactly like references to a segment that does not exist.
  const refs = async (id: string) => [
    await t.request('POST', '/v1/segments', {
      token: b.token,
      body: { name: 'Ref', match: 'all', criteria: [{ filter: 'in_segment', operator: 'is_member', value: id }] },
    }),
    await t.request('POST', '/v1/segment-estimates', {
      token: b.token,
      body: { match: 'all', criteria: [{ filter: 'in_segment', operator: 'is_not_member', value: id }] },
    }),
    await t.request('POST', '/v1/campaigns', { token: b.token, body: campaignBody({ segmentId: id, schedule: campaignBase().schedule }) }),
    await t.request('PUT', `/v1/campaigns/${ids.b.draft}`, {
      token: b.token,
      body: campaignBody({ segmentId: id, schedule: campaignBase().schedule }),
    }),
    await t.request('PUT', `/v1/segments/${ids.b.segment}`, {
      token: b.token,
      body: { name: 'Big spenders', match: 'all', criteria: [{ filter: 'in_segment', operator: 'is_member', value: id }] },
    }),
  ];
  const forOwners = await refs(seg);
  const forNobody = await refs('seg_0000000000000000nobody');
  forOwners.forEach((res, i) => {
    expectClientError(res, [400, 404]);
    expect(res.status).toBe(forNobody[i].status);
    expect(JSON.stringify(res.body).replaceAll(seg, 'ID')).toBe(
      JSON.stringify(forNobody[i].body).replaceAll('seg_0000000000000000nobody', 'ID'),
    );
  });

  // A cursor from the owner's list is refused for the intruder (it names the owner's partition).
  const page = await t.request('GET', '/v1/segments?limit=1', { token: a.token });
  expect(page.body.nextCursor).toEqual(expect.any(String));
  expectClientError(await t.request('GET', `/v1/segments?cursor=${page.body.nextCursor}`, { token: b.token }), [400]);
  const cpage = await t.request('GET', '/v1/campaigns?limit=1', { token: a.token });
  expectClientError(await t.request('GET', `/v1/campaigns?cursor=${cpage.body.nextCursor}`, { token: b.token }), [400]);

  expect(await ownerView()).toBe(before);
});

test("the intruder's writes on look-alike ids stay in its own tenant", async () => {
  const before = await ownerView();
  // Same device ids, opted out and moved; purchases for the same device ids; settings and faults changed.
  for (const [id] of DEVICES) {
    expect(
      (
        await t.request('PUT', `/v1/devices/${id}`, {
          appKey: b.appKey,
          body: { platform: 'ios', token: `b-new-${id}`, optedIn: false, country: 'FR' },
        })
      ).status,
    ).toBe(200);
  }
  const events = DEVICES.map(([id], i) => ({
    eventId: 'e-1',
    deviceId: id,
    type: 'purchase',
    orderId: `o-b-${i}`,
    amount: 10_000,
    ts: isoDaysAgo(0.5),
  }));
  expect((await t.request('POST', '/v1/events', { appKey: b.appKey, body: { events } })).status).toBe(200);
  expect(
    (
      await t.request('PUT', '/v1/settings', {
        token: b.token,
        body: { quietHours: { start: '00:00', end: '23:59' }, defaultTimezone: 'Asia/Tokyo' },
      })
    ).status,
  ).toBe(200);
  expect((await t.request('PUT', '/local/push-gateway', { token: b.token, body: { failureRate: 1 } })).status).toBe(200);
  expect(
    (
      await t.request('PUT', `/v1/segments/${ids.b.segment}`, {
        token: b.token,
        body: { name: 'Big spenders', match: 'all', criteria: [] },
      })
    ).status,
  ).toBe(200);
  expect((await t.request('DELETE', `/v1/campaigns/${ids.b.sent}`, { token: b.token })).status).toBe(204);
  // Deletion and erasure of the look-alike device and shopper: only the intruder's own are forgotten.
  expect((await t.request('DELETE', '/v1/devices/d-1', { appKey: b.appKey })).status).toBe(204);
  const erasure = await t.request('POST', '/v1/erasures', { token: b.token, body: { customerId: 'cust-1' } });
  expect(erasure.status).toBe(202);
  await erasureDone(b, erasure.body.id);
  expectClientError(await t.request('GET', `/v1/erasures/${erasure.body.id}`, { token: a.token }), [404]);
  expect(await t.world.deps.devices.get(b.tenantId, 'd-1')).toBeUndefined();
  expect(await t.world.deps.devices.get(a.tenantId, 'd-1')).toMatchObject({ deviceId: 'd-1', customerId: 'cust-1', optedIn: true });

  // The intruder sees its own change…
  const bEst = await t.request('POST', '/v1/segment-estimates', { token: b.token, body: { match: 'all', criteria: [] } });
  expect(bEst.body).toMatchObject({ matched: 0, total: 0 });
  // …and the owner sees none of it.
  expect(await ownerView()).toBe(before);
  expect((await t.request('GET', '/local/push-gateway', { token: a.token })).body).toMatchObject({ failureRate: 0 });

  // The owner's next send is untouched by the intruder's injected faults and opted-out look-alikes.
  const next = await t.request('POST', '/v1/campaigns', { token: a.token, body: campaignBody({ name: 'After intrusion' }) });
  expect((await t.request('POST', `/v1/campaigns/${next.body.id}/launch`, { token: a.token })).status).toBe(200);
  await waitFor(
    async () => (await t.request('GET', `/v1/campaigns/${next.body.id}`, { token: a.token })).body.status === 'sent',
    30_000,
    'owner campaign sent',
  );
  const items = (await t.request('GET', `/local/outbox?campaignId=${next.body.id}`, { token: a.token })).body.items;
  expect(items.map((i: { deviceId: string }) => i.deviceId).sort()).toEqual(['d-1', 'd-2', 'd-3']);
  expect((await t.request('GET', `/local/outbox?campaignId=${next.body.id}`, { token: b.token })).body.items).toEqual([]);
});
