/** Forged, expired and foreign credentials → 401 (or 404 for another tenant's resources), nothing changes. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SignJWT } from 'jose';
import { TestWorld, campaignBody, type Caller } from '../integration/harness';
import { campaignBase } from './arbitraries';
import { expectClientError, expectNoChange } from './support';

const t = new TestWorld();
let owner: Caller;
let other: Caller;
let segmentId: string;
let campaignId: string;
let erasureId: string;
let secret: Uint8Array;

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const mint = (claims: Record<string, unknown>, opts: { key?: Uint8Array; exp?: number; iss?: string; alg?: string } = {}) => {
  const now = Math.floor(Date.now() / 1000);
  let jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: opts.alg ?? 'HS256', typ: 'JWT' })
    .setIssuedAt(now - 3600)
    .setExpirationTime(opts.exp ?? now + 3600);
  if (opts.iss !== '') jwt = jwt.setIssuer(opts.iss ?? 'segmented-push-local');
  return jwt.sign(opts.key ?? secret);
};

beforeAll(async () => {
  await t.start();
  owner = await t.tenant('token-owner');
  other = await t.tenant('token-other');
  secret = new TextEncoder().encode(readFileSync(path.join(t.dataDir, 'local-jwt-secret'), 'utf8').trim());
  segmentId = (await t.request('POST', '/v1/segments', { token: owner.token, body: { name: 'Mine', match: 'all', criteria: [] } })).body.id;
  campaignId = (await t.request('POST', '/v1/campaigns', { token: owner.token, body: campaignBody({ schedule: campaignBase().schedule }) }))
    .body.id;
  erasureId = (await t.request('POST', '/v1/erasures', { token: owner.token, body: { customerId: 'cust-nobody' } })).body.id;
});
afterAll(() => t.stop());

const MERCHANT_CALLS = (): [string, string, unknown?][] => [
  ['GET', '/v1/segment-filters'],
  ['GET', '/v1/segments'],
  ['POST', '/v1/segments', { name: 'Forged', match: 'all', criteria: [] }],
  ['GET', `/v1/segments/${segmentId}`],
  ['PUT', `/v1/segments/${segmentId}`, { name: 'Forged', match: 'all', criteria: [] }],
  ['DELETE', `/v1/segments/${segmentId}`],
  ['GET', `/v1/segments/${segmentId}/explain/d-1`],
  ['POST', '/v1/segment-estimates', { match: 'all', criteria: [] }],
  ['GET', '/v1/campaigns'],
  ['POST', '/v1/campaigns', campaignBase()],
  ['GET', `/v1/campaigns/${campaignId}`],
  ['PUT', `/v1/campaigns/${campaignId}`, campaignBase()],
  ['POST', `/v1/campaigns/${campaignId}/launch`],
  ['POST', `/v1/campaigns/${campaignId}/cancel`],
  ['DELETE', `/v1/campaigns/${campaignId}`],
  ['GET', `/v1/campaigns/${campaignId}/insights`],
  ['GET', '/v1/settings'],
  ['PUT', '/v1/settings', {}],
  ['POST', '/v1/erasures', { customerId: 'cust-forged' }],
  ['GET', `/v1/erasures/${erasureId}`],
  ['GET', `/local/outbox?campaignId=${campaignId}`],
  ['PUT', '/local/push-gateway', { failureRate: 1 }],
];

describe('merchant tokens', () => {
  const forged = async (): Promise<[string, string | undefined][]> => {
    const now = Math.floor(Date.now() / 1000);
    const good = await mint({ tenant_id: 'token-owner' });
    const [h, p] = good.split('.');
    return [
      ['missing', undefined],
      ['empty bearer', ''],
      ['not a JWT', 'garbage'],
      ['expired', await mint({ tenant_id: 'token-owner' }, { exp: now - 60 })],
      ['wrong signature', await mint({ tenant_id: 'token-owner' }, { key: new TextEncoder().encode('not-the-secret-not-the-secret-123') })],
      ['signature stripped', `${h}.${p}.`],
      ['alg none', `${b64({ alg: 'none', typ: 'JWT' })}.${p}.`],
      ['alg none, upper case', `${b64({ alg: 'NONE', typ: 'JWT' })}.${p}.`],
      ['HS512 with the same secret', await mint({ tenant_id: 'token-owner' }, { alg: 'HS512' })],
      [
        'payload swapped to another tenant, old signature',
        `${h}.${b64({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), tenant_id: 'token-other' })}.${good.split('.')[2]}`,
      ],
      ['no tenant_id', await mint({ sub: 'merchant@token-owner' })],
      ['empty tenant_id', await mint({ tenant_id: '' })],
      ['tenant_id not a string', await mint({ tenant_id: ['token-owner'] })],
      ['wrong issuer', await mint({ tenant_id: 'token-owner' }, { iss: 'someone-else' })],
      ['no issuer', await mint({ tenant_id: 'token-owner' }, { iss: '' })],
      ['huge token', 'a'.repeat(8_000)],
    ];
  };

  test('forged, expired and malformed tokens → 401 unauthorized on every merchant route', async () => {
    await expectNoChange(t, 'token-owner', async () => {
      for (const [name, token] of await forged()) {
        for (const [method, p, body] of MERCHANT_CALLS()) {
          const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
          const res = await t.request(method, p, { headers, ...(body !== undefined ? { body } : {}) });
          try {
            expectClientError(res, [401]);
            expect(res.body.error.code).toBe('unauthorized');
          } catch (err) {
            throw new Error(`${name}: ${method} ${p}: ${(err as Error).message}`);
          }
        }
      }
    });
  });

  test('a freshly minted valid token works (the minting in this test is right)', async () => {
    const res = await t.request('GET', `/v1/segments/${segmentId}`, { token: await mint({ tenant_id: 'token-owner' }) });
    expect(res.status).toBe(200);
  });

  test("another tenant's valid token → 404 on the owner's resources, nothing changes", async () => {
    await expectNoChange(t, 'token-owner', async () => {
      for (const [method, p, body] of MERCHANT_CALLS()) {
        if (!/\/(seg_|cmp_|era_)/.test(p)) continue;
        const res = await t.request(method, p, { token: other.token, ...(body !== undefined ? { body } : {}) });
        expectClientError(res, [404]);
      }
    });
  });

  test('a device app key is no merchant token, and a token is no app key', async () => {
    await expectNoChange(t, 'token-owner', async () => {
      expectClientError(await t.request('GET', '/v1/segments', { headers: { authorization: `Bearer ${owner.appKey}` } }), [401]);
      expectClientError(await t.request('GET', '/v1/segments', { appKey: owner.appKey }), [401]);
      const device = { platform: 'ios', token: 'x', optedIn: true };
      expectClientError(await t.request('PUT', '/v1/devices/d-1', { token: owner.token, body: device }), [401]);
      expectClientError(await t.request('DELETE', '/v1/devices/d-1', { token: owner.token }), [401]);
      expectClientError(await t.request('POST', '/v1/erasures', { appKey: owner.appKey, body: { deviceId: 'd-1' } }), [401]);
    });
  });
});

describe('device app keys', () => {
  test('missing, wrong, over-long and look-alike keys → 401', async () => {
    await expectNoChange(t, 'token-owner', async () => {
      const keys = [undefined, '', 'ak_wrong', owner.appKey + 'x', owner.appKey.toUpperCase(), 'a'.repeat(201), "' OR '1'='1"];
      for (const appKey of keys) {
        const headers: Record<string, string> = appKey === undefined ? {} : { 'x-app-key': appKey };
        expectClientError(
          await t.request('PUT', '/v1/devices/d-1', { headers, body: { platform: 'ios', token: 'x', optedIn: true } }),
          [401],
        );
        expectClientError(
          await t.request('POST', '/v1/events', {
            headers,
            body: { events: [{ deviceId: 'd-1', type: 'app_open', ts: new Date().toISOString() }] },
          }),
          [401],
        );
        expectClientError(await t.request('DELETE', '/v1/devices/d-1', { headers }), [401]);
      }
    });
  });
});
