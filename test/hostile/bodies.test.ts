/**
 * Hostile bodies for every endpoint of API.md with a body: each generated body breaks at least one
 * rule (wrong types, missing and extra fields, huge strings and arrays, deep nesting, prototype keys,
 * NaN look-alikes, injection strings) → a 4xx with the API.md error body, never a 5xx, nothing stored.
 */
import fc from 'fast-check';
import { TestWorld, campaignBody, isoDaysAgo, registerDevices, type Caller } from '../integration/harness';
import {
  badDeviceId,
  campaignBase,
  campaignMutations,
  deviceBase,
  deviceMutations,
  erasureBody,
  estimateBase,
  estimateMutations,
  eventsBody,
  savedEstimateBody,
  segmentBase,
  segmentMutations,
  settingsBase,
  settingsMutations,
  tenantMutations,
} from './arbitraries';
import { brokenBody, encodeSegment, expectClientError, expectNoChange, fcOptions } from './support';

jest.setTimeout(180_000);

describe('hostile bodies → 4xx with the error body, nothing stored', () => {
  const t = new TestWorld();
  let me: Caller;
  let segmentId: string;
  let campaignId: string;

  const send = (method: string, path: string, raw: string, auth: 'token' | 'appKey' = 'token') =>
    t.request(method, path, {
      ...(auth === 'token' ? { token: me.token } : { appKey: me.appKey }),
      raw,
      headers: { 'content-type': 'application/json' },
    });

  /** Every generated body gets a 4xx, and the tenant's stored state is the same afterwards. */
  const property = (
    method: string,
    path: () => string,
    bodies: fc.Arbitrary<string>,
    auth: 'token' | 'appKey' = 'token',
    allowed?: number[],
  ) =>
    expectNoChange(t, me.tenantId, () =>
      fc.assert(
        fc.asyncProperty(bodies, async (raw) => expectClientError(await send(method, path(), raw, auth), allowed)),
        fcOptions(),
      ),
    );

  t.forSuite(async () => {
    me = await t.tenant('hostile');
    await registerDevices(t, me, [
      ['d-1', { country: 'US' }],
      ['d-2', { platform: 'android' }],
    ]);
    const ev = await t.request('POST', '/v1/events', {
      appKey: me.appKey,
      body: { events: [{ eventId: 'seed-1', deviceId: 'd-1', type: 'app_open', ts: isoDaysAgo(1) }] },
    });
    expect(ev.status).toBe(200);
    const seg = await t.request('POST', '/v1/segments', {
      token: me.token,
      body: { name: 'Owned', match: 'all', criteria: [{ filter: 'total_spend', operator: 'gte', value: 1 }] },
    });
    expect(seg.status).toBe(201);
    segmentId = seg.body.id;
    const cmp = await t.request('POST', '/v1/campaigns', {
      token: me.token,
      body: campaignBody({ segmentId, schedule: campaignBase().schedule }),
    });
    expect(cmp.status).toBe(201);
    campaignId = cmp.body.id;
    expect((await t.request('PUT', '/v1/settings', { token: me.token, body: settingsBase })).status).toBe(200);
  });

  test('PUT /v1/devices/{deviceId}: broken bodies', () =>
    property('PUT', () => '/v1/devices/d-hostile', brokenBody(deviceBase, deviceMutations), 'appKey'));

  test('PUT /v1/devices/{deviceId}: bad device ids with a valid body', () =>
    expectNoChange(t, me.tenantId, () =>
      fc.assert(
        // Cut so the request line stays under Node's 16 KiB header limit (a 431 is the HTTP layer's answer, not ours).
        fc.asyncProperty(
          badDeviceId.map((id) => id.slice(0, 1_200)).filter((id) => !/^[A-Za-z0-9._:-]{1,128}$/.test(id)),
          async (id) => expectClientError(await send('PUT', `/v1/devices/${encodeSegment(id)}`, JSON.stringify(deviceBase), 'appKey')),
        ),
        fcOptions(),
      ),
    ));

  test('DELETE /v1/devices/{deviceId}: bad device ids', () =>
    expectNoChange(t, me.tenantId, () =>
      fc.assert(
        fc.asyncProperty(
          badDeviceId.map((id) => id.slice(0, 1_200)).filter((id) => !/^[A-Za-z0-9._:-]{1,128}$/.test(id)),
          async (id) => {
            expectClientError(await t.request('DELETE', `/v1/devices/${encodeSegment(id)}`, { appKey: me.appKey }));
          },
        ),
        fcOptions(),
      ),
    ));

  test('POST /v1/erasures: both subjects, neither, wrong types, bad device ids, extra fields', async () => {
    await property('POST', () => '/v1/erasures', erasureBody);
    // Nothing was started either: a subject never sent validly has no erasure.
    expect(await t.world.deps.erasures.running()).toEqual([]);
  });

  test('POST /v1/events: batches where every event (or the envelope) is broken', () =>
    property('POST', () => '/v1/events', eventsBody, 'appKey'));

  test('POST /v1/segments', () => property('POST', () => '/v1/segments', brokenBody(segmentBase, segmentMutations)));

  test('PUT /v1/segments/{id}', () => property('PUT', () => `/v1/segments/${segmentId}`, brokenBody(segmentBase, segmentMutations)));

  test('POST /v1/segment-estimates: unsaved definitions', () =>
    property('POST', () => '/v1/segment-estimates', brokenBody(estimateBase, estimateMutations)));

  test('POST /v1/segment-estimates: saved-segment form', () =>
    property(
      'POST',
      () => '/v1/segment-estimates',
      savedEstimateBody.map((b) => JSON.stringify(b)),
    ));

  test('POST /v1/campaigns', () =>
    property('POST', () => '/v1/campaigns', brokenBody(fc.constant(null).map(campaignBase), campaignMutations)));

  test('PUT /v1/campaigns/{id}', () =>
    property('PUT', () => `/v1/campaigns/${campaignId}`, brokenBody(fc.constant(null).map(campaignBase), campaignMutations)));

  test('PUT /v1/settings', () => property('PUT', () => '/v1/settings', brokenBody(settingsBase, settingsMutations)));

  test('POST /local/tenants', async () => {
    await property('POST', () => '/local/tenants', brokenBody({ tenantId: 'fresh-tenant' }, tenantMutations));
    // No tenant came into being under any of those names (only the valid one we never sent).
    expect(await t.world.deps.tenants.tenantForAppKey('nope')).toBeUndefined();
  });

  test('prototype keys never pollute Object.prototype (the server shares this process)', async () => {
    const pollute = '{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}}';
    for (const [method, path, auth] of [
      ['PUT', '/v1/devices/d-proto', 'appKey'],
      ['POST', '/v1/events', 'appKey'],
      ['POST', '/v1/segments', 'token'],
      ['POST', '/v1/segment-estimates', 'token'],
      ['POST', '/v1/campaigns', 'token'],
      ['PUT', '/v1/settings', 'token'],
      ['POST', '/v1/erasures', 'token'],
      ['POST', '/local/tenants', 'token'],
    ] as const) {
      expectClientError(await send(method, path, pollute, auth));
    }
    // A valid campaign carrying prototype keys is refused (unknown fields), and nothing is polluted.
    const body = JSON.stringify(campaignBase()).replace(
      /^\{/,
      '{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}, ',
    );
    expectClientError(await send('POST', '/v1/campaigns', body));
    expect(({} as any).polluted).toBeUndefined();
    expect((Object.prototype as any).polluted).toBeUndefined();
  });
});
