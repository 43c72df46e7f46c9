/**
 * Real answers of the local API validated against docs/openapi.json: every route of ROUTES is called
 * on the real local world (dynalite, lake, DuckDB, HTTP) with valid input, the request examples of the
 * document where they fit, and some with invalid input for 400/401/404/409/413, and each body is
 * validated with Ajv 2020-12 against the schema the document declares for that operation and status.
 * A status the document does not declare fails too. The last test names any route left uncovered.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { EXAMPLES_AS_OF, NAMED_REQUEST_EXAMPLES, REQUEST_EXAMPLES } from '../../../lambdas/domain/openapi/examples';
import { sweepDue } from '../../../lambdas/use-cases/automations/sweep-due';
import { ROUTES, routeKey } from '../../../lambdas/domain/http/routes';
import { TestWorld, waitFor, wallClock, type ApiResponse, type Caller } from '../../integration/harness';
import { ajvErrors, documentValidator } from './ajv';

type Json = any;
const doc = JSON.parse(readFileSync(path.join(__dirname, '../../../docs/openapi.json'), 'utf8')) as Json;
const validator = documentValidator(doc);

interface Call {
  who?: Caller | 'app' | 'none';
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
}

/** Route keys called, with the statuses seen. */
const covered = new Map<string, Set<number>>();
/** Bodies that did not match the document (checked once at the end as well). */
const mismatches: string[] = [];

/** A copy of a request example (examples.ts), with overrides. */
const example = (key: string, over: Record<string, unknown> = {}) => ({
  ...(structuredClone(REQUEST_EXAMPLES[key]) as Record<string, unknown>),
  ...over,
});

/** The schema the document declares for an operation's answer at a status; `null` for no body; throws when undeclared. */
function declaredSchema(key: string, status: number): unknown {
  const [method, template] = key.split(' ');
  const op = doc.paths[template]?.[method.toLowerCase()];
  if (!op) throw new Error(`${key} is not in the document`);
  let res = op.responses[String(status)];
  if (!res)
    throw new Error(`${key} answered ${status}, which the document does not declare (it has ${Object.keys(op.responses).join(', ')})`);
  if (res.$ref) res = doc.components.responses[res.$ref.split('/').pop()];
  return res.content ? res.content['application/json'].schema : null;
}

describe('real answers conform to docs/openapi.json', () => {
  const t = new TestWorld();
  let shop: Caller;
  const future = wallClock(new Date(Date.now() + 30 * 86_400_000), 'America/New_York').slice(0, 16);

  /** Calls a route (by its key, path parameters filled in) and validates the answer against the document. */
  async function call(key: string, c: Call = {}): Promise<ApiResponse> {
    const [method, template] = key.split(' ');
    let p = template.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(c.params?.[name] ?? ''));
    if (c.query) p += `?${new URLSearchParams(c.query)}`;
    const who = c.who ?? (key.includes('/v1/devices/') || key === 'POST /v1/events' ? 'app' : shop);
    const auth = who === 'none' ? {} : who === 'app' ? { appKey: shop.appKey } : { token: who.token };
    const res = await t.request(method, p, { ...auth, body: c.body, raw: c.raw, headers: c.headers });
    const schema = declaredSchema(key, res.status);
    if (schema === null) expect({ key, status: res.status, body: res.body }).toEqual({ key, status: res.status, body: undefined });
    else {
      const validate = validator.schema(schema);
      if (!validate(res.body)) {
        mismatches.push(`${key} ${res.status}: ${ajvErrors(validate.errors).join('; ')}`);
        expect({ key, status: res.status, body: res.body, errors: ajvErrors(validate.errors) }).toEqual({
          key,
          status: res.status,
          errors: [],
        });
      }
    }
    (covered.get(key) ?? covered.set(key, new Set()).get(key)!).add(res.status);
    return res;
  }

  beforeAll(async () => {
    await t.start();
    shop = await t.tenant('conform-shop');
  });
  afterAll(() => t.stop());

  let segmentId: string;
  let campaignId: string;
  const deviceId = 'd-8f14e45f';

  test('devices and events', async () => {
    expect((await call('PUT /v1/devices/{deviceId}', { params: { deviceId }, body: example('PUT /v1/devices/{deviceId}') })).status).toBe(
      200,
    );
    const other = example('PUT /v1/devices/{deviceId}', { platform: 'android', country: 'CA', customerId: 'cust-456' });
    expect((await call('PUT /v1/devices/{deviceId}', { params: { deviceId: 'd-2' }, body: other })).status).toBe(200);
    expect((await call('PUT /v1/devices/{deviceId}', { params: { deviceId }, body: { platform: 'web' } })).status).toBe(400);
    expect((await call('PUT /v1/devices/{deviceId}', { params: { deviceId }, body: {}, who: 'none' })).status).toBe(401);

    // The example's events, moved to the last hour (the server refuses events older than 730 days).
    const batch = example('POST /v1/events') as { events: Record<string, unknown>[] };
    const events = batch.events.map((e, i) => ({ ...e, ts: new Date(Date.now() - (3 - i) * 60_000).toISOString() }));
    const ingest = await call('POST /v1/events', { body: { events: [...events, { type: 'app_open' }] } });
    expect(ingest).toMatchObject({ status: 200, body: { accepted: 3, rejected: [{ index: 3 }] } });
    expect((await call('POST /v1/events', { body: { events: [{ type: 'nope' }] } })).status).toBe(400);
    expect((await call('POST /v1/events', { raw: '{"events": [' })).status).toBe(400);
    expect(new Date(EXAMPLES_AS_OF).getTime()).toBeLessThanOrEqual(Date.now());
  });

  test('segments, estimates, explain, catalog', async () => {
    expect((await call('GET /v1/segment-filters')).status).toBe(200);
    const created = await call('POST /v1/segments', { body: example('POST /v1/segments') });
    expect(created.status).toBe(201);
    segmentId = created.body.id;
    expect((await call('POST /v1/segments', { body: example('POST /v1/segments') })).body.error.code).toBe('conflict');
    expect((await call('POST /v1/segments', { body: { name: '', match: 'all', criteria: [] } })).status).toBe(400);
    expect((await call('POST /v1/segments', { body: {}, who: 'none' })).status).toBe(401);
    expect((await call('POST /v1/segments', { raw: JSON.stringify({ name: 'x'.repeat(1_100_000) }) })).status).toBe(413);

    const page = await call('GET /v1/segments', { query: { limit: '1' } });
    expect(page.status).toBe(200);
    expect((await call('GET /v1/segments', { query: { limit: '0' } })).status).toBe(400);
    expect((await call('GET /v1/segments/{id}', { params: { id: segmentId } })).status).toBe(200);
    expect((await call('GET /v1/segments/{id}', { params: { id: 'seg_nope' } })).status).toBe(404);

    const update = example('PUT /v1/segments/{id}');
    expect((await call('PUT /v1/segments/{id}', { params: { id: segmentId }, body: update, headers: { 'if-match': '"1"' } })).status).toBe(
      200,
    );
    const stale = await call('PUT /v1/segments/{id}', { params: { id: segmentId }, body: update, headers: { 'if-match': '"1"' } });
    expect(stale.body.error.code).toBe('version_mismatch');

    expect((await call('GET /v1/segments/{id}/explain/{deviceId}', { params: { id: segmentId, deviceId } })).status).toBe(200);
    expect((await call('GET /v1/segments/{id}/explain/{deviceId}', { params: { id: segmentId, deviceId: 'bad id' } })).status).toBe(400);

    const estimate = await call('POST /v1/segment-estimates', { body: example('POST /v1/segment-estimates') });
    expect([200, 202]).toContain(estimate.status);
    expect((await call('POST /v1/segment-estimates', { body: { segmentId, sampleSize: 2 } })).status).toBe(200);
    expect((await call('POST /v1/segment-estimates', { body: { segmentId: 'seg_nope' } })).status).toBe(404);
    // A running estimate to poll: the use case answers 202 when the engine has not answered within estimateWaitMs.
    const deps = t.world.deps as unknown as { estimateWaitMs?: number };
    const wait = deps.estimateWaitMs;
    deps.estimateWaitMs = 0;
    const running = await call('POST /v1/segment-estimates', { body: { segmentId } });
    deps.estimateWaitMs = wait;
    expect(running.status).toBe(202);
    const polled = await waitFor(async () => {
      const r = await call('GET /v1/segment-estimates/{id}', { params: { id: running.body.id } });
      return r.body.status === 'succeeded' ? r : undefined;
    });
    expect(polled.status).toBe(200);
    expect((await call('GET /v1/segment-estimates/{id}', { params: { id: 'est_nope' } })).status).toBe(404);

    expect((await call('GET /v1/catalog/products', { query: { query: 'sku', limit: '5' } })).status).toBe(200);
    expect((await call('GET /v1/catalog/products', { query: { limit: '1000' } })).status).toBe(400);
  });

  test('campaigns', async () => {
    const body = example('POST /v1/campaigns', {
      segmentId,
      schedule: { type: 'local', at: future, fallbackTimezone: 'America/New_York' },
    });
    const created = await call('POST /v1/campaigns', { body });
    expect(created.status).toBe(201);
    campaignId = created.body.id;
    expect((await call('POST /v1/campaigns', { body: { ...body, schedule: { type: 'soon' } } })).status).toBe(400);
    const plan = example('POST /v1/campaign-plans', {
      segmentId,
      schedule: { type: 'local', at: future, fallbackTimezone: 'UTC', ifPassed: 'skip' },
    });
    expect((await call('POST /v1/campaign-plans', { body: plan })).status).toBe(200);
    expect((await call('POST /v1/campaign-plans', { body: { ...plan, segmentId: 'seg_nope' } })).status).toBe(404);
    expect((await call('POST /v1/campaign-plans', { body: { schedule: { type: 'now', ifPassed: 'skip' } } })).status).toBe(400);
    expect((await call('GET /v1/campaigns', { query: { status: 'draft', limit: '10' } })).status).toBe(200);
    expect((await call('GET /v1/campaigns/{id}', { params: { id: campaignId } })).status).toBe(200);
    const edit = example('PUT /v1/campaigns/{id}', { segmentId, schedule: { type: 'at', at: future, timezone: 'America/New_York' } });
    expect((await call('PUT /v1/campaigns/{id}', { params: { id: campaignId }, body: edit })).status).toBe(200);
    expect((await call('POST /v1/campaigns/{id}/launch', { params: { id: campaignId } })).status).toBe(200);
    expect((await call('POST /v1/campaigns/{id}/launch', { params: { id: campaignId } })).status).toBe(409);
    expect((await call('DELETE /v1/campaigns/{id}', { params: { id: campaignId } })).status).toBe(409);
    expect((await call('POST /v1/campaigns/{id}/cancel', { params: { id: campaignId } })).status).toBe(200);
    const testBody = example('POST /v1/campaigns/{id}/test');
    expect((await call('POST /v1/campaigns/{id}/test', { params: { id: campaignId }, body: testBody })).status).toBe(409);
    expect((await call('POST /v1/campaigns/{id}/duplicate', { params: { id: campaignId } })).status).toBe(201);
    expect((await call('PUT /v1/campaigns/{id}', { params: { id: campaignId }, body: edit })).status).toBe(409);
    expect((await call('DELETE /v1/campaigns/{id}', { params: { id: campaignId } })).status).toBe(204);
    expect((await call('GET /v1/campaigns/{id}', { params: { id: campaignId } })).status).toBe(404);

    // One sent now, for insights and the `status=sent` list with headline figures.
    const now = await call('POST /v1/campaigns', { body: { ...body, name: 'Now', schedule: { type: 'now' }, sendRate: null } });
    expect((await call('POST /v1/campaigns/{id}/launch', { params: { id: now.body.id } })).status).toBe(200);
    await waitFor(async () => (await call('GET /v1/campaigns/{id}', { params: { id: now.body.id } })).body.status === 'sent', 30_000);
    expect([200, 202]).toContain((await call('GET /v1/campaigns/{id}/insights', { params: { id: now.body.id } })).status);
    expect((await call('GET /v1/campaigns', { query: { status: 'sent' } })).status).toBe(200);
    expect((await call('GET /v1/campaigns/{id}/insights', { params: { id: 'cmp_nope' } })).status).toBe(404);
    // Recipients: a page of a campaign to every subscriber (its item checked against the document), a filter, a bad one, an unknown campaign.
    const everyone = await call('POST /v1/campaigns', {
      body: { ...body, name: 'Everyone', segmentId: null, schedule: { type: 'now' }, sendRate: null },
    });
    expect((await call('POST /v1/campaigns/{id}/launch', { params: { id: everyone.body.id } })).status).toBe(200);
    await waitFor(async () => (await call('GET /v1/campaigns/{id}', { params: { id: everyone.body.id } })).body.status === 'sent', 30_000);
    const recipients = await call('GET /v1/campaigns/{id}/recipients', { params: { id: everyone.body.id }, query: { limit: '1' } });
    expect(recipients.status).toBe(200);
    expect(recipients.body.items).toEqual([expect.objectContaining({ outcome: 'sent' })]);
    expect((await call('GET /v1/campaigns/{id}/recipients', { params: { id: now.body.id }, query: { outcome: 'opened' } })).status).toBe(
      200,
    );
    expect((await call('GET /v1/campaigns/{id}/recipients', { params: { id: now.body.id }, query: { outcome: 'bounced' } })).status).toBe(
      400,
    );
    expect((await call('GET /v1/campaigns/{id}/recipients', { params: { id: 'cmp_nope' } })).status).toBe(404);
    // Test sends: to the example's device, and (no test devices saved yet) nobody without a body.
    expect((await call('POST /v1/campaigns/{id}/test', { params: { id: now.body.id }, body: testBody })).body).toEqual({
      sent: 1,
      skipped: [],
    });
    expect((await call('POST /v1/campaigns/{id}/test', { params: { id: now.body.id } })).status).toBe(400);
    expect((await call('POST /v1/campaigns/{id}/test', { params: { id: 'cmp_nope' } })).status).toBe(404);
    expect((await call('POST /v1/campaigns/{id}/duplicate', { params: { id: 'cmp_nope' } })).status).toBe(404);
    // A draft names the segment: deleting it is refused with its referrers.
    expect((await call('POST /v1/campaigns', { body: { ...body, name: 'Draft' } })).status).toBe(201);
    expect((await call('DELETE /v1/segments/{id}', { params: { id: segmentId } })).body.error.code).toBe('segment_in_use');
  });

  test('automated campaigns: create, edit, launch, pause, resume, push, list by kind, insights, cancel', async () => {
    const named = (key: string) => structuredClone(NAMED_REQUEST_EXAMPLES[key].cartReminder.value) as Record<string, unknown>;
    const created = await call('POST /v1/campaigns', { body: named('POST /v1/campaigns') });
    expect(created).toMatchObject({ status: 201, body: { kind: 'automated', status: 'draft', schedule: null } });
    const id = created.body.id as string;
    expect((await call('POST /v1/campaigns', { body: { ...named('POST /v1/campaigns'), schedule: { type: 'now' } } })).status).toBe(400);
    expect((await call('POST /v1/campaigns', { body: { ...named('POST /v1/campaigns'), kind: 'campaign' } })).status).toBe(400);
    expect((await call('POST /v1/campaigns/{id}/pause', { params: { id } })).status).toBe(409); // a draft
    const edit = named('PUT /v1/campaigns/{id}');
    expect((await call('PUT /v1/campaigns/{id}', { params: { id }, body: edit })).status).toBe(200);

    expect((await call('POST /v1/campaigns/{id}/launch', { params: { id } })).body.status).toBe('active');
    expect((await call('PUT /v1/campaigns/{id}', { params: { id }, body: edit })).status).toBe(409); // active
    expect((await call('POST /v1/campaigns/{id}/resume', { params: { id } })).status).toBe(200); // active already: a repeated resume is answered again
    expect((await call('POST /v1/campaigns/{id}/pause', { params: { id } })).body.status).toBe('paused');
    expect((await call('POST /v1/campaigns/{id}/pause', { params: { id } })).body.error.code).toBe('invalid_state');
    // Paused: editable again; the push now goes right after the cart add.
    const now = { ...edit, trigger: { ...(edit.trigger as object), delayMinutes: 0 } };
    expect((await call('PUT /v1/campaigns/{id}', { params: { id }, body: now })).status).toBe(200);
    expect((await call('POST /v1/campaigns/{id}/resume', { params: { id } })).body.status).toBe('active');
    expect((await call('POST /v1/campaigns/{id}/pause', { params: { id: 'cmp_nope' } })).status).toBe(404);
    expect((await call('POST /v1/campaigns/{id}/resume', { params: { id: 'cmp_nope' } })).status).toBe(404);

    // A cart add on each device; the second device purchases before the sweep, so it exits.
    const ts = (s: number) => new Date(Date.now() - s * 1000).toISOString();
    const events = [
      { eventId: 'auto-1', type: 'add_to_cart', deviceId, productId: 'sku-1', ts: ts(30) },
      { eventId: 'auto-2', type: 'add_to_cart', deviceId: 'd-2', productId: 'sku-1', ts: ts(30) },
      { eventId: 'auto-3', type: 'purchase', deviceId: 'd-2', orderId: 'ord-auto', amount: 10, currency: 'USD', ts: ts(20) },
    ];
    expect((await call('POST /v1/events', { body: { events } })).body.accepted).toBe(3);
    await sweepDue(t.world.deps);
    const settled = await waitFor(async () => {
      const r = await call('GET /v1/campaigns/{id}', { params: { id } });
      const p = r.body.progress;
      return p.targeted >= 1 && p.exited >= 1 && p.sent + p.failed + p.suppressed === p.targeted ? r : undefined;
    }, 30_000);
    expect(settled.body).toMatchObject({ status: 'active', progress: { exited: 1 } });

    const list = await call('GET /v1/campaigns', { query: { kind: 'automated' } });
    expect(list.body.items.map((c: Json) => c.id)).toEqual([id]);
    expect(list.body.items[0]).toHaveProperty('insights');
    expect((await call('GET /v1/campaigns', { query: { kind: 'campaign', status: 'active' } })).body.items).toEqual([]);
    expect((await call('GET /v1/campaigns', { query: { kind: 'bogus' } })).status).toBe(400);
    const insights = await waitFor(async () => {
      const r = await call('GET /v1/campaigns/{id}/insights', { params: { id } });
      return r.status === 200 ? r : undefined;
    });
    expect(insights.body.timeline[0]).toHaveProperty('day');
    expect((await call('POST /v1/campaigns/{id}/cancel', { params: { id } })).body.status).toBe('cancelled');
    expect((await call('POST /v1/campaigns/{id}/resume', { params: { id } })).status).toBe(409);
  });

  test('segment deletion', async () => {
    const throwaway = await call('POST /v1/segments', { body: example('POST /v1/segments', { name: 'Throwaway' }) });
    expect((await call('DELETE /v1/segments/{id}', { params: { id: throwaway.body.id }, headers: { 'if-match': '"1"' } })).status).toBe(
      204,
    );
    expect((await call('DELETE /v1/segments/{id}', { params: { id: throwaway.body.id } })).status).toBe(404);
  });

  test('settings, push apps, erasures, device deletion', async () => {
    expect((await call('GET /v1/settings')).status).toBe(200);
    expect((await call('PUT /v1/settings', { body: example('PUT /v1/settings') })).status).toBe(200);
    expect((await call('PUT /v1/settings', { body: { attributionWindowHours: 0 } })).status).toBe(400);
    expect((await call('GET /v1/push-apps')).status).toBe(200);
    for (const key of ['PUT /v1/push-apps/ios', 'PUT /v1/push-apps/android']) {
      expect((await call(key, { body: example(key) })).status).toBe(200);
      expect((await call(key, { body: { platformApplicationArn: 'arn:nope' } })).status).toBe(400);
    }
    const erasure = await call('POST /v1/erasures', { body: example('POST /v1/erasures') });
    expect(erasure.status).toBe(202);
    expect((await call('GET /v1/erasures/{id}', { params: { id: erasure.body.id } })).status).toBe(200);
    expect((await call('GET /v1/erasures/{id}', { params: { id: 'era_nope' } })).status).toBe(404);
    expect((await call('POST /v1/erasures', { body: { customerId: 'a', deviceId: 'b' } })).status).toBe(400);
    expect((await call('DELETE /v1/devices/{deviceId}', { params: { deviceId: 'd-2' } })).status).toBe(204);
  });

  test('every route of ROUTES was called, every answer matched', () => {
    const missing = ROUTES.map(routeKey).filter((k) => !covered.has(k));
    expect({ missing, mismatches }).toEqual({ missing: [], mismatches: [] });
    const statuses = new Set([...covered.values()].flatMap((s) => [...s]));
    expect([...statuses].sort()).toEqual(expect.arrayContaining([200, 201, 202, 204, 400, 401, 404, 409, 413]));
    // The validation can fail: a body missing required members does not pass the declared schema.
    expect(validator.schema(declaredSchema('GET /v1/settings', 200))({ defaultTimezone: 'UTC' })).toBe(false);
    expect(() => declaredSchema('GET /v1/settings', 418)).toThrow(/does not declare/);
  });
});
