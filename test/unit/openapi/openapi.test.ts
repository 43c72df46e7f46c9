/**
 * The OpenAPI document: structurally valid 3.1 (every $ref resolves, path parameters declared,
 * operationIds unique), in step with ROUTES and with the routes the CDK service stack creates,
 * generated from the handlers' own schemas, and checked in as docs/openapi.json.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { z } from 'zod';
import { publicCampaign } from '../../../lambdas/domain/campaigns/campaign-record';
import { publicDevice, type Device } from '../../../lambdas/domain/devices/device';
import { ConflictError, ValidationError } from '../../../lambdas/domain/errors';
import { segmentInputDocSchema } from '../../../lambdas/domain/openapi/components';
import { buildOpenApiDocument, openApiDocument, pathParameterNames } from '../../../lambdas/domain/openapi/document';
import { GATEWAY_ANSWERS, GATEWAY_STATUSES } from '../../../lambdas/domain/openapi/gateway';
import { OPERATIONS } from '../../../lambdas/domain/openapi/operations';
import * as R from '../../../lambdas/domain/openapi/responses';
import { filterCatalog } from '../../../lambdas/domain/segments/catalog';
import { parseSegmentInput, publicSegment, type Segment } from '../../../lambdas/domain/segments/segment';
import { parseSettings } from '../../../lambdas/domain/settings';
import { errorResponse } from '../../../lambdas/handlers/http/error-body';
import { localHandler } from '../../../lambdas/handlers/local';
import { ROUTES, routeKey } from '../../../lambdas/domain/http/routes';
import type { ingestEvents } from '../../../lambdas/use-cases/events/ingest-events';
import { getEstimate, type EstimateDeps } from '../../../lambdas/use-cases/segments/estimate-segment';
import type { explainSegment } from '../../../lambdas/use-cases/segments/explain-segment';
import type { InsightsAnswer, listCampaignsWithInsights } from '../../../lambdas/use-cases/insights/campaign-insights';
import { openApiJson } from '../../../scripts/openapi';
import { build } from '../../infra/helpers';
import { campaign, wave } from '../use-cases/delivery/wave-fakes';
import { doc, type Json } from './doc';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];

const operations = (): { path: string; method: string; op: Json }[] =>
  Object.entries(doc.paths as Record<string, Record<string, Json>>).flatMap(([p, item]) =>
    Object.entries(item)
      .filter(([m]) => METHODS.includes(m))
      .map(([method, op]) => ({ path: p, method, op })),
  );
const documentedKeys = () =>
  operations()
    .map((o) => `${o.method.toUpperCase()} ${o.path}`)
    .sort();

/** Every `$ref` anywhere in the document, with where it was found. */
function refs(node: unknown, at = '#'): { ref: string; at: string }[] {
  if (Array.isArray(node)) return node.flatMap((v, i) => refs(v, `${at}/${i}`));
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([k, v]) => (k === '$ref' && typeof v === 'string' ? [{ ref: v, at }] : refs(v, `${at}/${k}`)));
}

function resolve(ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  return ref
    .slice(2)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), doc);
}

describe('structure (OpenAPI 3.1)', () => {
  test('version, info, relative server, security schemes', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(doc.servers).toEqual([{ url: '/' }]);
    expect(doc.components.securitySchemes).toEqual({
      merchantJwt: expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }),
      appKey: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-App-Key' }),
    });
  });

  test('every $ref is local and resolves', () => {
    const all = refs(doc);
    expect(all.length).toBeGreaterThan(50);
    const broken = all.filter((r) => resolve(r.ref) === undefined).map((r) => `${r.ref} at ${r.at}`);
    expect(broken).toEqual([]);
  });

  test('no nested $defs, $id or $schema left in component schemas (they would resolve against the wrong root)', () => {
    const text = JSON.stringify(doc.components.schemas);
    expect(text).not.toMatch(/"\$defs"|"\$id"|"\$schema"|__shared/);
  });

  test('operationIds are unique', () => {
    const ids = operations().map((o) => o.op.operationId);
    expect(ids.every((id) => typeof id === 'string' && /^[A-Za-z][A-Za-z0-9]*$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test.each(operations().map((o) => [`${o.method.toUpperCase()} ${o.path}`, o] as const))(
    '%s: parameters, security, responses',
    (_key, { path: p, op }) => {
      const params = (op.parameters ?? []).map((x: Json) => (x.$ref ? resolve(x.$ref) : x)) as Json[];
      const inPath = params.filter((x) => x.in === 'path');
      expect(inPath.map((x) => x.name).sort()).toEqual(pathParameterNames(p).sort());
      expect(inPath.every((x) => x.required === true && x.schema)).toBe(true);
      const unique = new Set(params.map((x) => `${x.in}:${x.name}`));
      expect(unique.size).toBe(params.length);

      for (const req of op.security) for (const name of Object.keys(req)) expect(doc.components.securitySchemes[name]).toBeDefined();
      for (const tag of op.tags) expect(doc.tags.map((t: Json) => t.name)).toContain(tag);

      const statuses = Object.keys(op.responses);
      expect(statuses.some((s) => /^2\d\d$/.test(s))).toBe(true);
      expect(statuses).toEqual(expect.arrayContaining(['429', '500']));
      // The service's own errors are ErrorBody (API.md "Errors"); where AWS's gateway also answers a
      // status, the body is ErrorBody or GatewayError; 403 comes from the gateway alone.
      for (const s of statuses.filter((x) => /^[45]/.test(x))) {
        const res = (op.responses[s].$ref ? resolve(op.responses[s].$ref) : op.responses[s]) as Json;
        const expected =
          s === '403'
            ? { $ref: '#/components/schemas/GatewayError' }
            : GATEWAY_STATUSES.includes(Number(s))
              ? { oneOf: [{ $ref: '#/components/schemas/ErrorBody' }, { $ref: '#/components/schemas/GatewayError' }] }
              : { $ref: '#/components/schemas/ErrorBody' };
        expect({ status: s, schema: res.content['application/json'].schema }).toEqual({ status: s, schema: expected });
        if (GATEWAY_STATUSES.includes(Number(s))) expect(res.description).toContain(`{"message":"${GATEWAY_ANSWERS[Number(s)].message}"}`);
      }
      if (op.requestBody) expect(statuses).toEqual(expect.arrayContaining(['400', '413']));
    },
  );
});

describe('routes', () => {
  test('every route of ROUTES is documented, and nothing else', () => {
    expect(documentedKeys()).toEqual(ROUTES.map(routeKey).sort());
  });

  test('operations.ts describes exactly the routes of ROUTES', () => {
    expect(Object.keys(OPERATIONS).sort()).toEqual(ROUTES.map(routeKey).sort());
  });

  test('a route without a description fails the generator', () => {
    expect(() => buildOpenApiDocument([...ROUTES, { method: 'GET', path: '/v1/nope', fn: 'settings', auth: 'merchant' }])).toThrow(
      /GET \/v1\/nope/,
    );
  });

  test('the CDK service stack creates exactly the documented routes', () => {
    const t = build().service_t;
    const keys = Object.values(t.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties.RouteKey as string);
    expect(keys.sort()).toEqual(documentedKeys());
  });

  test.each(ROUTES.map((r) => [routeKey(r), r] as const))('%s declares its auth', (_k, r) => {
    const op = doc.paths[r.path][r.method.toLowerCase()];
    const expected = { merchant: [{ merchantJwt: [] }], device: [{ appKey: [] }], none: [] }[r.auth];
    expect(op.security).toEqual(expected);
    expect(op.responses['401'] !== undefined).toBe(r.auth !== 'none');
    // Only the app-key (Lambda request) authorizer denies with 403; the JWT authorizer answers 401.
    expect(op.responses['403'] !== undefined).toBe(r.auth === 'device');
  });
});

describe('schemas come from zod, with their structure', () => {
  const s = () => doc.components.schemas;

  test('segment criteria are recursive through components', () => {
    expect(s().SegmentDefinition.properties.criteria.items).toEqual({ $ref: '#/components/schemas/Criterion' });
    expect(s().Criterion.anyOf).toEqual([{ $ref: '#/components/schemas/Condition' }, { $ref: '#/components/schemas/Group' }]);
    expect(s().Group.properties.criteria).toMatchObject({ type: 'array', minItems: 1, items: { $ref: '#/components/schemas/Criterion' } });
    expect(s().Condition.discriminator.mapping.total_spend).toBe('#/components/schemas/TotalSpendCondition');
    expect(s().StoredGroup.properties.criteria.items).toEqual({ $ref: '#/components/schemas/StoredCriterion' });
    expect(s().SegmentInput.properties.criteria.items).toEqual({ $ref: '#/components/schemas/Criterion' });
  });

  test('the campaign schedule is one of now, at and local', () => {
    const variants = s().Schedule.oneOf ?? s().Schedule.anyOf;
    expect(variants.map((v: Json) => v.properties.type.const).sort()).toEqual(['at', 'local', 'now']);
    // Null (or absent) on an automated campaign, which sends on its trigger.
    const nullableSchedule = { anyOf: [{ $ref: '#/components/schemas/Schedule' }, { type: 'null' }] };
    expect(s().CampaignInput.properties.schedule).toMatchObject(nullableSchedule);
    expect(s().Campaign.properties.schedule).toMatchObject(nullableSchedule);
  });

  test('requests in input mode, responses in output mode', () => {
    expect(s().CampaignInput.required).not.toContain('kind'); // defaulted on input
    expect(s().MessageInput.required).not.toContain('ttlSeconds');
    expect(s().Message.required).toContain('ttlSeconds'); // always present on output
    expect(s().SettingsInput.required ?? []).toEqual([]);
    expect([...s().Settings.required].sort()).toEqual([
      'attributionWindowHours',
      'defaultTimezone',
      'frequencyCap',
      'quietHours',
      'testDevices',
    ]);
    expect(s().DeviceRegistration.properties.country).toMatchObject({ type: 'string', description: expect.stringMatching(/ISO 3166/) });
    expect(s().EventBatch.properties.events).toMatchObject({ minItems: 1, maxItems: 500, items: { $ref: '#/components/schemas/Event' } });
    expect(s().Event.oneOf.map((v: Json) => v.properties.type.const)).toContain('purchase');
  });

  test('request bodies and responses reference the right components', () => {
    const body = (k: string) => {
      const [m, p] = k.split(' ');
      return doc.paths[p][m.toLowerCase()].requestBody?.content['application/json'].schema.$ref;
    };
    expect(body('PUT /v1/devices/{deviceId}')).toBe('#/components/schemas/DeviceRegistration');
    expect(body('POST /v1/segments')).toBe('#/components/schemas/SegmentInput');
    expect(body('PUT /v1/settings')).toBe('#/components/schemas/SettingsInput');
    const est = doc.paths['/v1/segment-estimates'].post.responses;
    expect(Object.keys(est)).toEqual(expect.arrayContaining(['200', '202']));
    expect(doc.paths['/v1/segments/{id}'].delete.responses['204']).toEqual({ description: 'Deleted' });
    expect(doc.paths['/v1/campaigns'].get.parameters).toEqual(
      expect.arrayContaining([{ $ref: '#/components/parameters/status' }, { $ref: '#/components/parameters/kind' }]),
    );
  });

  test('the segment body documented agrees with parseSegmentInput', () => {
    const bodies: unknown[] = [
      { name: 'VIP', match: 'all', criteria: [{ filter: 'total_spend', operator: 'gte', value: 500 }] },
      {
        name: 'Groups',
        description: null,
        match: 'any',
        criteria: [{ match: 'all', criteria: [{ filter: 'last_app_open', operator: 'exists' }], negate: true }],
      },
      { name: '', match: 'all', criteria: [] },
      { name: 'x'.repeat(101), match: 'all', criteria: [] },
      { name: 'extra', match: 'all', criteria: [], tenantId: 'other' },
      { name: 'no match', criteria: [] },
      { name: 'empty group', match: 'all', criteria: [{ match: 'all', criteria: [] }] },
    ];
    for (const b of bodies) {
      let handler = true;
      try {
        parseSegmentInput(b);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        handler = false;
      }
      expect([JSON.stringify(b), segmentInputDocSchema.safeParse(b).success]).toEqual([JSON.stringify(b), handler]);
    }
  });
});

// Compile-time: what the handlers return fits the documented response schemas (tsc checks this file).
type Fits<Actual, Documented> = [Actual] extends [Documented] ? true : false;
const fits: [
  Fits<ReturnType<typeof publicSegment>, z.output<typeof R.segmentSchema>>,
  Fits<ReturnType<typeof publicCampaign>, z.output<typeof R.campaignSchema>>,
  Fits<ReturnType<typeof publicDevice>, z.output<typeof R.deviceSchema>>,
  Fits<ReturnType<typeof filterCatalog>, z.output<typeof R.filterCatalogSchema>>,
  Fits<ReturnType<typeof errorResponse>['body'], z.output<typeof R.errorBodySchema>>,
  Fits<Awaited<ReturnType<typeof ingestEvents>>, z.output<typeof R.eventsResultSchema>>,
  Fits<Awaited<ReturnType<typeof explainSegment>>, z.output<typeof R.explanationSchema>>,
  Fits<Extract<InsightsAnswer, { ready: true }>['result'], z.output<typeof R.insightsSchema>>,
  Fits<Extract<InsightsAnswer, { ready: false }>['result'], z.output<typeof R.insightsRunningSchema>>,
  Fits<Awaited<ReturnType<typeof listCampaignsWithInsights>>['items'][number], z.output<typeof R.campaignListItemSchema>>,
] = [true, true, true, true, true, true, true, true, true, true];
// The estimate use cases return `status` as a plain string, so they are checked at run time below.

describe('response schemas describe real bodies', () => {
  const at = '2026-11-20T10:00:00.000Z';

  test('compile-time checks hold', () => {
    expect(fits.every(Boolean)).toBe(true);
  });

  test('segment, device, catalog, settings and error bodies parse', () => {
    const seg: Segment = {
      id: 'seg_1',
      tenantId: 't',
      name: 'VIP',
      description: null,
      match: 'all',
      version: 1,
      createdAt: at,
      updatedAt: at,
      criteria: [
        { filter: 'device_country', operator: 'in', value: ['US'] },
        { match: 'any', negate: true, criteria: [{ filter: 'total_spend', operator: 'between', value: [1, 2] }] },
      ],
    };
    expect(R.segmentSchema.parse(publicSegment(seg))).toEqual(publicSegment(seg));
    const device: Device = {
      tenantId: 't',
      deviceId: 'd-1',
      platform: 'ios',
      token: 'tok',
      optedIn: true,
      country: 'US',
      timezone: null,
      locale: null,
      appVersion: '5.2.0',
      customerId: null,
      tokenState: 'valid',
      endpointArn: null,
      createdAt: at,
      updatedAt: at,
    };
    expect(R.deviceSchema.parse(publicDevice(device))).toEqual(publicDevice(device));
    expect(R.filterCatalogSchema.safeParse(filterCatalog()).success).toBe(true);
    for (const err of [
      new ValidationError('a: b', [{ path: 'a', message: 'b' }]),
      new ConflictError('segment_in_use', 'used', { referrers: [] }),
      new Error('boom'),
    ]) {
      expect(R.errorBodySchema.safeParse(errorResponse(err).body).success).toBe(true);
    }
    expect(parseSettings({})).toEqual(expect.objectContaining({ defaultTimezone: 'UTC' }));
  });

  test.each([
    ['succeeded', { count: [{ matched: 5, total: 50 }], sample: [{ device_id: 'd-1' }] }, { status: 'running' }],
    ['running', undefined, { status: 'running' }],
    ['failed', undefined, { status: 'failed', error: 'boom' }],
  ] as const)('a %s estimate poll parses', async (status, result, outcome) => {
    const deps = {
      estimates: {
        get: async () => ({
          id: 'est_1',
          tenantId: 't',
          queryId: 'q',
          sampleQueryId: result ? 's' : null,
          asOf: at,
          createdAt: at,
          result,
        }),
      },
      queryEngine: { dialect: 'duckdb', poll: async () => outcome },
    } as unknown as EstimateDeps;
    const body = await getEstimate(deps, 't', 'est_1');
    expect(body.status).toBe(status);
    expect(R.estimatePollSchema.safeParse(body).error?.issues ?? []).toEqual([]);
  });

  test('campaign body parses', () => {
    const c = campaign({
      id: 'cmp_1',
      tenantId: 't',
      name: 'BF',
      message: { title: 'Hi', body: 'Sale', ttlSeconds: 86400 },
      schedule: { type: 'at', at: '2026-12-01T09:00', timezone: 'America/New_York' },
      status: 'scheduled',
      version: 2,
      createdAt: at,
      updatedAt: at,
      launchedAt: at,
      timezone: 'America/New_York',
      waves: { at: wave({ id: 'at', timezone: 'America/New_York', fireAt: at, intendedAt: at }) },
    });
    const parsed = R.campaignSchema.safeParse(publicCampaign(c));
    expect(parsed.error?.issues ?? []).toEqual([]);
  });
});

describe('publishing', () => {
  test('docs/openapi.json is what scripts/openapi.ts prints (run `npx tsx scripts/openapi.ts > docs/openapi.json`)', () => {
    const file = path.join(__dirname, '../../../docs/openapi.json');
    expect(fs.readFileSync(file, 'utf8')).toBe(openApiJson());
  });

  test('the local server answers GET /openapi.json with the document', async () => {
    const handler = localHandler({ openApi: openApiDocument } as any);
    const res = (await handler(
      { routeKey: 'GET /openapi.json', headers: {}, requestContext: { requestId: 'r', http: { method: 'GET' } } } as any,
      { awsRequestId: 'a' } as any,
    )) as { statusCode: number; body: string };
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual(JSON.parse(JSON.stringify(doc)));
    expect(openApiDocument()).toBe(openApiDocument()); // memoised
  });

  test('the web stack publishes openapi.json next to the UI', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'web-dist-'));
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html>');
    const deployments = Object.values(build({}, dir).web_t.findResources('Custom::CDKBucketDeployment'));
    expect(deployments).toHaveLength(1);
    expect(deployments[0].Properties.SourceObjectKeys).toHaveLength(3);
  });
});
