import { httpApi, type ApiEvent } from '../../../lambdas/handlers/http/http-api';
import { ok } from '../../../lambdas/handlers/http/types';
import { ConflictError, ValidationError } from '../../../lambdas/domain/errors';
import { apiEvent } from '../../support/api-event';

function event(over: Partial<ApiEvent> & { claims?: Record<string, unknown>; lambdaCtx?: Record<string, unknown> } = {}): ApiEvent {
  const { claims, lambdaCtx, ...rest } = over;
  const base = apiEvent({
    routeKey: 'POST /v1/things/{id}',
    method: 'POST',
    path: '/v1/things/1',
    headers: { 'Content-Type': 'application/json' },
    pathParameters: { id: '1' },
    requestId: 'req-1',
    authorizer: claims ? { jwt: { claims } } : lambdaCtx ? { lambda: lambdaCtx } : undefined,
  });
  return { ...base, ...rest };
}

const ctx = { awsRequestId: 'aws-1' } as any;

describe('httpApi: the API Gateway v2 event → route → response adapter', () => {
  const seen: any[] = [];
  const handler = httpApi({
    'POST /v1/things/{id}': async (req) => {
      seen.push(req);
      if ((req.body as any)?.fail === 'validation')
        throw new ValidationError('name: is required', [{ path: 'name', message: 'is required' }]);
      if ((req.body as any)?.fail === 'conflict') throw new ConflictError('version_mismatch', 'stale', { currentVersion: 3 });
      if ((req.body as any)?.fail === 'crash') throw new Error('db password is hunter2');
      return ok({ got: req.body, id: req.pathParameters.id, tenant: req.tenantId }, 201);
    },
  });

  test('parses JSON, passes path params, headers (lower-cased) and the tenant from Cognito claims', async () => {
    const res = await handler(event({ body: '{"a":1}', claims: { 'custom:tenant_id': 'acme' } }), ctx);
    expect(res.statusCode).toBe(201);
    expect(JSON.parse(res.body!)).toEqual({ got: { a: 1 }, id: '1', tenant: 'acme' });
    expect(seen.at(-1).headers['content-type']).toBe('application/json');
  });

  test('takes the tenant from a local token claim or the app-key authorizer context', async () => {
    expect(JSON.parse((await handler(event({ body: '{}', claims: { tenant_id: 'local-t' } }), ctx)).body!).tenant).toBe('local-t');
    expect(JSON.parse((await handler(event({ body: '{}', lambdaCtx: { tenantId: 'dev-t' } }), ctx)).body!).tenant).toBe('dev-t');
  });

  test('decodes base64 bodies', async () => {
    const res = await handler(
      event({ body: Buffer.from('{"b":2}').toString('base64'), isBase64Encoded: true, claims: { tenant_id: 't' } }),
      ctx,
    );
    expect(JSON.parse(res.body!).got).toEqual({ b: 2 });
  });

  test.each([
    ['no tenant', event({ body: '{}' }), 401, 'unauthorized'],
    ['invalid JSON', event({ body: '{x', claims: { tenant_id: 't' } }), 400, 'invalid_json'],
    ['body over 1 MiB', event({ body: JSON.stringify({ x: 'y'.repeat(1024 * 1024) }), claims: { tenant_id: 't' } }), 413, 'body_too_large'],
    ['unknown route', event({ routeKey: 'GET /nope', claims: { tenant_id: 't' } }), 404, 'not_found'],
    ['validation error', event({ body: '{"fail":"validation"}', claims: { tenant_id: 't' } }), 400, 'validation_error'],
    ['conflict', event({ body: '{"fail":"conflict"}', claims: { tenant_id: 't' } }), 409, 'version_mismatch'],
  ])('%s → %s %s with the API.md error body', async (_n, ev, status, code) => {
    const res = await handler(ev, ctx);
    expect(res.statusCode).toBe(status);
    const body = JSON.parse(res.body!);
    expect(body.error.code).toBe(code);
    expect(typeof body.error.message).toBe('string');
  });

  test('validation details and extra fields reach the body', async () => {
    const v = JSON.parse((await handler(event({ body: '{"fail":"validation"}', claims: { tenant_id: 't' } }), ctx)).body!);
    expect(v.error.details).toEqual([{ path: 'name', message: 'is required' }]);
    const c = JSON.parse((await handler(event({ body: '{"fail":"conflict"}', claims: { tenant_id: 't' } }), ctx)).body!);
    expect(c.error.currentVersion).toBe(3);
  });

  test('an unknown error is a generic 500 that reveals nothing', async () => {
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const res = await handler(event({ body: '{"fail":"crash"}', claims: { tenant_id: 't' } }), ctx);
    spy.mockRestore();
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('hunter2');
    expect(JSON.parse(res.body!).error.code).toBe('internal_error');
  });
});
