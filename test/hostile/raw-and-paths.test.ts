/**
 * Hostile bytes the JSON client cannot produce (1e309, NaN, invalid UTF-8, lone surrogate escapes,
 * 100 000-deep nesting), hostile path ids and query strings, and SQL-injection strings that must be
 * matched literally or refused.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { TestWorld, campaignBody, isoDaysAgo, registerDevices, type Caller } from '../integration/harness';
import { campaignBase, deviceBase, settingsBase } from './arbitraries';
import {
  encodeSegment,
  expectClientError,
  expectNoChange,
  fcOptions,
  hostileString,
  NAN_LIKE,
  rawRequest,
  SQL_INJECTIONS,
  TRAVERSALS,
} from './support';

jest.setTimeout(180_000);

const t = new TestWorld();
let me: Caller;
let segmentId: string;
let campaignId: string;

beforeAll(async () => {
  await t.start();
  me = await t.tenant('hostile-raw');
  await registerDevices(t, me, [['d-1', {}]]);
  const seg = await t.request('POST', '/v1/segments', { token: me.token, body: { name: 'Owned', match: 'all', criteria: [] } });
  segmentId = seg.body.id;
  campaignId = (await t.request('POST', '/v1/campaigns', { token: me.token, body: campaignBody({ schedule: campaignBase().schedule }) }))
    .body.id;
});
afterAll(() => t.stop());

/** Every endpoint with a body, its auth and a valid body as JSON text to break. */
const ENDPOINTS = (): [string, string, 'token' | 'appKey', string][] => [
  ['PUT', '/v1/devices/d-raw', 'appKey', JSON.stringify(deviceBase)],
  [
    'POST',
    '/v1/events',
    'appKey',
    JSON.stringify({ events: [{ eventId: 'e-raw', deviceId: 'd-1', type: 'purchase', orderId: 'o-raw', amount: 5, ts: isoDaysAgo(1) }] }),
  ],
  [
    'POST',
    '/v1/segments',
    'token',
    JSON.stringify({ name: 'Raw', match: 'all', criteria: [{ filter: 'total_spend', operator: 'gte', value: 5 }] }),
  ],
  [
    'PUT',
    `/v1/segments/${segmentId}`,
    'token',
    JSON.stringify({ name: 'Raw', match: 'all', criteria: [{ filter: 'total_spend', operator: 'gte', value: 5 }] }),
  ],
  [
    'POST',
    '/v1/segment-estimates',
    'token',
    JSON.stringify({ match: 'all', criteria: [{ filter: 'total_spend', operator: 'gte', value: 5 }], sampleSize: 5 }),
  ],
  ['POST', '/v1/campaigns', 'token', JSON.stringify({ ...campaignBase(), message: { ...campaignBase().message, ttlSeconds: 5 } })],
  [
    'PUT',
    `/v1/campaigns/${campaignId}`,
    'token',
    JSON.stringify({ ...campaignBase(), message: { ...campaignBase().message, ttlSeconds: 5 } }),
  ],
  ['PUT', '/v1/settings', 'token', JSON.stringify(settingsBase)],
  ['POST', '/v1/erasures', 'token', JSON.stringify({ customerId: 'c-raw' })],
  ['POST', '/local/tenants', 'token', JSON.stringify({ tenantId: 'raw-tenant' })],
];

/** Ways to break valid JSON text without the JSON client's help. */
const RAW_BREAKS: [string, (text: string) => string | Buffer][] = [
  ['a number 1e309 (Infinity) where a number goes', (s) => s.replace(/(":\s*)(\d+(\.\d+)?)([,}])/, '$11e309$4')],
  ['-1e309', (s) => s.replace(/(":\s*)(\d+(\.\d+)?)([,}])/, '$1-1e309$4')],
  ['NaN literal', (s) => s.replace(/(":\s*)(\d+(\.\d+)?)([,}])/, '$1NaN$4')],
  ['Infinity literal', (s) => s.replace(/(":\s*)(true|\d+)/, '$1Infinity')],
  ['a lone high surrogate escape', (s) => s.replace(/":"([^"]*)"/, '":"$1\\ud800"')],
  ['a lone low surrogate escape in a key', (s) => s.replace(/^\{"/, '{"\\udc00x":1,"')],
  [
    'raw CESU-8 surrogate bytes',
    (s) =>
      Buffer.concat([
        Buffer.from(s.slice(0, s.indexOf(':"') + 2)),
        Buffer.from([0xed, 0xa0, 0x80]),
        Buffer.from(s.slice(s.indexOf(':"') + 2)),
      ]),
  ],
  [
    'an overlong encoding of "/"',
    (s) =>
      Buffer.concat([Buffer.from(s.slice(0, s.indexOf(':"') + 2)), Buffer.from([0xc0, 0xaf]), Buffer.from(s.slice(s.indexOf(':"') + 2))]),
  ],
  [
    'a truncated multi-byte sequence',
    (s) =>
      Buffer.concat([Buffer.from(s.slice(0, s.indexOf(':"') + 2)), Buffer.from([0xf0, 0x9f]), Buffer.from(s.slice(s.indexOf(':"') + 2))]),
  ],
  ['0xFF byte', (s) => Buffer.concat([Buffer.from(s.slice(0, -1)), Buffer.from([0xff]), Buffer.from('}')])],
  ['a trailing comma', (s) => s.replace(/}$/, ',}')],
  ['a comment', (s) => s.replace(/^\{/, '{/* hi */')],
  ['single quotes', (s) => s.replace(/"/g, "'")],
  ['truncated text', (s) => s.slice(0, Math.floor(s.length / 2))],
  ['100 000-deep arrays', () => '['.repeat(100_000) + ']'.repeat(100_000)],
  ['100 000-deep objects', () => '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000)],
  ['1000-deep arrays in a field', (s) => s.replace(/(":\s*)("[^"]*"|\d+|true|false)/, `$1${'['.repeat(1000)}${']'.repeat(1000)}`)],
  ['empty JSON text', () => ' '],
  ['null', () => 'null'],
  ['a bare string', () => '"{}"'],
];

describe('raw JSON text → 4xx with the error body, nothing stored', () => {
  test.each(RAW_BREAKS)('%s', async (_name, breakIt) => {
    await expectNoChange(t, me.tenantId, async () => {
      for (const [method, p, auth, text] of ENDPOINTS()) {
        const raw = breakIt(text);
        if (raw === text) continue; // this break does not apply to this body (e.g. it has no number)
        const res = await rawRequest(t, method, p, { caller: me, auth, body: raw });
        try {
          expectClientError(res);
        } catch (err) {
          throw new Error(`${method} ${p} with ${String(raw).slice(0, 120)}: ${(err as Error).message}`);
        }
      }
    });
  });

  test('lone surrogates and invalid UTF-8 get invalid_json, a proper pair is fine', async () => {
    const res = await rawRequest(t, 'POST', '/v1/segments', { caller: me, body: '{"name":"\\ud800","match":"all","criteria":[]}' });
    expect(res.body.error.code).toBe('invalid_json');
    const bytes = await rawRequest(t, 'POST', '/v1/segments', {
      caller: me,
      body: Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('","match":"all","criteria":[]}')]),
    });
    expect(bytes.body.error.code).toBe('invalid_json');
    const pair = await rawRequest(t, 'POST', '/v1/segments', {
      caller: me,
      body: '{"name":"party \\ud83c\\udf89","match":"all","criteria":[]}',
    });
    expect(pair.status).toBe(201);
    expect(pair.body.name).toBe('party 🎉');
    expect((await t.request('DELETE', `/v1/segments/${pair.body.id}`, { token: me.token })).status).toBe(204);
  });
});

describe('hostile path ids → 4xx, nothing changes', () => {
  const ID_ROUTES = (): [string, (id: string) => string, unknown?][] => [
    ['GET', (id) => `/v1/segments/${id}`],
    ['PUT', (id) => `/v1/segments/${id}`, { name: 'Renamed', match: 'all', criteria: [] }],
    ['DELETE', (id) => `/v1/segments/${id}`],
    ['GET', (id) => `/v1/segments/${id}/explain/d-1`],
    ['GET', (id) => `/v1/segments/${segmentId}/explain/${id}`],
    ['GET', (id) => `/v1/segment-estimates/${id}`],
    ['GET', (id) => `/v1/campaigns/${id}`],
    ['PUT', (id) => `/v1/campaigns/${id}`, campaignBase()],
    ['DELETE', (id) => `/v1/campaigns/${id}`],
    ['POST', (id) => `/v1/campaigns/${id}/launch`],
    ['POST', (id) => `/v1/campaigns/${id}/cancel`],
    ['GET', (id) => `/v1/campaigns/${id}/insights`],
    ['GET', (id) => `/v1/erasures/${id}`],
  ];
  const hostileId = () =>
    fc.oneof(
      // Cut so the request line stays under Node's 16 KiB header limit (a 431 is the HTTP layer's answer, not ours).
      hostileString.map((s) => s.slice(0, 1_200)).filter((s) => s.length > 0),
      fc.integer({ min: 65, max: 4_000 }).map((n) => 'x'.repeat(n)),
      fc.constantFrom(`${segmentId}/../${segmentId}`, `${campaignId}%00`, 'seg_' + "'; DROP TABLE x; --"),
    );

  test('generated ids, percent-encoded byte by byte', () =>
    expectNoChange(t, me.tenantId, () =>
      fc.assert(
        fc.asyncProperty(hostileId(), fc.constantFrom(...ID_ROUTES()), async (id, [method, route, body]) => {
          // Owned ids stay valid on purpose: only the other path part is hostile there.
          const res = await rawRequest(t, method, route(encodeSegment(id)), {
            caller: me,
            ...(body ? { body: JSON.stringify(body) } : {}),
          });
          expectClientError(res);
        }),
        fcOptions(),
      ),
    ));

  test('traversals, encoded slashes, malformed escapes and raw surrogate bytes as written', async () => {
    await expectNoChange(t, me.tenantId, async () => {
      const ids = [...TRAVERSALS, '%ED%A0%80', '%ZZ', '%', '%E0%A4%A', '..', '.', `${segmentId}%2F..%2F${segmentId}`, 'x'.repeat(8_000)];
      for (const id of ids) {
        for (const [method, route, body] of ID_ROUTES()) {
          const res = await rawRequest(t, method, route(id), { caller: me, ...(body ? { body: JSON.stringify(body) } : {}) });
          try {
            expectClientError(res);
          } catch (err) {
            throw new Error(`${method} ${route(id).slice(0, 100)}: ${(err as Error).message}`);
          }
        }
        expectClientError(
          await rawRequest(t, 'PUT', `/v1/devices/${id}`, { caller: me, auth: 'appKey', body: JSON.stringify(deviceBase) }),
        );
        expectClientError(await rawRequest(t, 'DELETE', `/v1/devices/${id}`, { caller: me, auth: 'appKey' }));
      }
      // Dot segments are resolved before routing; what is left names no route.
      expectClientError(await rawRequest(t, 'GET', '/v1/segments/../../etc/passwd', { caller: me }), [404]);
    });
    // The owned resources are untouched and still readable.
    expect((await t.request('GET', `/v1/segments/${segmentId}`, { token: me.token })).status).toBe(200);
    expect((await t.request('GET', `/v1/campaigns/${campaignId}`, { token: me.token })).body.status).toBe('draft');
  });

  test('static UI files: no way out of the folder, not even into a sibling sharing its name', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'spush-static-'));
    mkdirSync(path.join(dir, 'ui'));
    mkdirSync(path.join(dir, 'ui-secret'));
    writeFileSync(path.join(dir, 'ui', 'index.html'), '<html>shell</html>');
    writeFileSync(path.join(dir, 'ui-secret', 'secret.txt'), 'TOP-SECRET');
    writeFileSync(path.join(dir, 'secret.txt'), 'TOP-SECRET');
    const ui = new TestWorld({ staticDir: path.join(dir, 'ui') });
    await ui.start();
    try {
      for (const p of [
        '/..%2Fui-secret%2Fsecret.txt',
        '/..%2fsecret.txt',
        '/%2e%2e/secret.txt',
        '/..%5Csecret.txt',
        '/%E0%A4%A',
        '/%ZZ',
        '/%ED%A0%80',
        '/....//secret.txt',
      ]) {
        const res = await rawRequest(ui, 'GET', p);
        expect(res.status).toBeLessThan(500);
        expect(JSON.stringify(res.body)).not.toContain('TOP-SECRET');
      }
    } finally {
      await ui.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('hostile query strings → 4xx', () => {
  const q = (s: string) => encodeSegment(s);
  const cursorFor = (pk: string, sk: string) => Buffer.from(JSON.stringify({ pk, sk })).toString('base64url');

  test('limit, cursor and status', () =>
    fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.tuple(
            fc.constantFrom('/v1/segments', '/v1/campaigns'),
            fc
              .oneof(
                fc.constantFrom(...NAN_LIKE, '0', '101', '-1', '1.5', '99999999999999999999'),
                hostileString.map((s) => s.slice(0, 1_200)),
              )
              .map((v) => `limit=${q(v)}`),
          ),
          fc.tuple(
            fc.constantFrom('/v1/segments', '/v1/campaigns'),
            fc
              .oneof(
                hostileString.map((s) => s.slice(0, 1_200)),
                fc.constantFrom(
                  cursorFor('T#hostile-raw', ''),
                  cursorFor('T#hostile-raw', 'x'.repeat(2000)),
                  cursorFor('T#hostile-raw', 'SETTINGS'),
                  cursorFor('T#other', 'SEG#x'),
                  cursorFor("T#hostile-raw' OR '1'='1", 'SEG#x'),
                ),
              )
              .filter((v) => v !== '')
              .map((v) => `cursor=${q(v)}`),
          ),
          fc.tuple(
            fc.constant('/v1/campaigns'),
            fc
              .oneof(
                fc.constantFrom('DRAFT', 'draft ', '__proto__', 'constructor', ''),
                hostileString.map((s) => s.slice(0, 1_200)),
              )
              .map((v) => `status=${q(v)}`),
          ),
        ),
        async ([p, query]) => expectClientError(await rawRequest(t, 'GET', `${p}?${query}`, { caller: me }), [400]),
      ),
      fcOptions(),
    ));

  test('outbox campaignId: injection and junk find nothing, over-long is refused', async () => {
    for (const id of [...SQL_INJECTIONS, ...TRAVERSALS]) {
      const res = await rawRequest(t, 'GET', `/local/outbox?campaignId=${q(id)}`, { caller: me });
      expect(res).toMatchObject({ status: 200, body: { items: [] } });
    }
    expectClientError(await rawRequest(t, 'GET', `/local/outbox?campaignId=${'x'.repeat(65)}`, { caller: me }), [400]);
    expectClientError(await rawRequest(t, 'GET', '/local/outbox', { caller: me }), [400]);
  });
});

describe('SQL-injection strings are matched literally or refused', () => {
  beforeAll(async () => {
    await registerDevices(t, me, [
      ['d-sql1', { customerId: "' OR '1'='1" }],
      ['d-sql2', { customerId: "x' OR 'a'='a" }],
      ['d-sql3', {}],
    ]);
    const events = SQL_INJECTIONS.flatMap((inj, i) => [
      { eventId: `sqlv-${i}`, deviceId: 'd-sql1', type: 'product_view', productId: inj, ts: isoDaysAgo(1) },
      { eventId: `sqlf-${i}`, deviceId: 'd-sql1', type: 'product_favorite', productId: inj, ts: isoDaysAgo(1) },
    ]);
    events.push({ eventId: 'sql-p', deviceId: 'd-sql2', type: 'purchase', orderId: "o' OR 1=1 --", amount: 50, ts: isoDaysAgo(1) } as any);
    events.push({ eventId: 'sql-v3', deviceId: 'd-sql3', type: 'product_view', productId: 'plain-sku', ts: isoDaysAgo(1) });
    const res = await t.request('POST', '/v1/events', { appKey: me.appKey, body: { events } });
    expect(res.body).toMatchObject({ accepted: events.length, rejected: [] });
  });

  const estimate = (criteria: unknown[]) =>
    t.request('POST', '/v1/segment-estimates', { token: me.token, body: { match: 'all', criteria, sampleSize: 100 } });

  test.each(SQL_INJECTIONS)('product ids %s match exactly the device that used them', async (inj) => {
    for (const filter of ['product_viewed', 'product_favorited']) {
      const res = await estimate([{ filter, operator: 'any_of', value: [inj] }]);
      expect(res.status).toBe(200);
      expect(res.body.sample).toEqual(['d-sql1']);
      const none = await estimate([{ filter, operator: 'none_of', value: [inj] }]);
      expect(none.body.sample).not.toContain('d-sql1');
      expect(none.body.matched).toBe(none.body.total - 1);
    }
  });

  test('orders and customer ids with quotes are counted literally', async () => {
    const res = await estimate([{ filter: 'total_spend', operator: 'gte', value: 50 }]);
    expect(res.body.sample).toEqual(['d-sql2']);
    const explain = await t.request('GET', `/v1/segments/${segmentId}/explain/d-sql1`, { token: me.token });
    expect(explain.status).toBe(200);
  });

  test('custom event names, in_segment ids, explain device ids and cursors with SQL are refused', async () => {
    await expectNoChange(t, me.tenantId, async () => {
      for (const inj of SQL_INJECTIONS) {
        expectClientError(await estimate([{ filter: 'custom_event', operator: 'gt', value: 0, event: inj }]), [400]);
        expectClientError(await estimate([{ filter: 'in_segment', operator: 'is_member', value: inj }]), [400, 404]);
        expectClientError(await t.request('POST', '/v1/segment-estimates', { token: me.token, body: { segmentId: inj } }), [400, 404]);
        expectClientError(await rawRequest(t, 'GET', `/v1/segments/${segmentId}/explain/${q(inj)}`, { caller: me }), [400, 404]);
        expectClientError(await rawRequest(t, 'GET', `/v1/segments?cursor=${q(inj)}`, { caller: me }), [400]);
        const ev = await t.request('POST', '/v1/events', {
          appKey: me.appKey,
          body: { events: [{ deviceId: 'd-sql1', type: 'custom', name: inj, ts: isoDaysAgo(1) }] },
        });
        expectClientError(ev, [400]);
      }
    });
  });
  const q = (s: string) => encodeSegment(s);
});
