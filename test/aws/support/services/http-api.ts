/**
 * API Gateway HTTP API as the template defines it: routes (AWS::ApiGatewayV2::Route) to Lambda
 * integrations, the JWT authorizer (a signed-in merchant's ID-token claims; validation of the
 * token itself is API Gateway's job) and the Lambda REQUEST authorizer with simple responses (the
 * real app-key-authorizer entry runs). Events are payload format 2.0; gateway answers use API
 * Gateway's own bodies (401 Unauthorized, 403 Forbidden, 404 Not Found, 500 Internal Server Error).
 */
import { randomUUID } from 'node:crypto';
import type { CloudAssembly, FunctionModel } from '../cloud-assembly';
import { ACCOUNT } from '../cloud-assembly';
import type { LambdaStandIn } from './lambda';

interface Route {
  method: string;
  path: string;
  pattern: RegExp;
  params: string[];
  fn: FunctionModel;
  auth: 'JWT' | 'CUSTOM' | 'NONE';
  authorizerFn?: FunctionModel;
  identityHeader?: string;
}

export interface Caller {
  /** A signed-in merchant of this tenant (JWT authorizer). */
  tenant?: string;
  /** A device's app key (Lambda authorizer). */
  appKey?: string;
  headers?: Record<string, string>;
}

export interface HttpAnswer {
  status: number;
  body: any;
  headers: Record<string, string>;
}

export class HttpApiStandIn {
  readonly routes: Route[] = [];

  constructor(
    assembly: CloudAssembly,
    functions: FunctionModel[],
    private readonly lambda: LambdaStandIn,
  ) {
    const refIn = (v: unknown) => /"Ref":"([A-Za-z0-9]+)"/.exec(JSON.stringify(v))?.[1];
    const fnByArn = (arn: string) => functions.find((f) => arn.includes(f.arn));
    for (const r of assembly.ofType('AWS::ApiGatewayV2::Route')) {
      const [method, path] = String(r.props.RouteKey).split(' ');
      const integration = assembly.get(r.stack, refIn(r.props.Target)!);
      const fn = fnByArn(assembly.resolve(r.stack, integration.props.IntegrationUri));
      if (!fn) throw new Error(`route ${r.props.RouteKey} integrates no known function`);
      const route: Route = { method, path, ...compile(path), fn, auth: r.props.AuthorizationType ?? 'NONE' };
      if (route.auth === 'CUSTOM') {
        const authorizer = assembly.get(r.stack, refIn(r.props.AuthorizerId)!);
        route.authorizerFn = fnByArn(assembly.resolve(r.stack, authorizer.props.AuthorizerUri));
        route.identityHeader = String(authorizer.props.IdentitySource?.[0] ?? '')
          .replace('$request.header.', '')
          .toLowerCase();
      }
      this.routes.push(route);
    }
  }

  async request(method: string, rawPath: string, caller: Caller = {}, body?: unknown): Promise<HttpAnswer> {
    const url = new URL(rawPath, 'https://api.example.com');
    const route = this.routes.find((r) => r.method === method && r.pattern.test(url.pathname));
    if (!route) return gateway(404, 'Not Found');
    const values = route.pattern.exec(url.pathname)!.slice(1);
    const headers: Record<string, string> = { 'content-type': 'application/json', ...lower(caller.headers ?? {}) };
    if (caller.appKey) headers['x-app-key'] = caller.appKey;
    const routeKey = `${route.method} ${route.path}`;
    const requestContext: Record<string, unknown> = {
      accountId: ACCOUNT,
      apiId: 'box',
      domainName: 'api.example.com',
      http: { method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: '203.0.113.1', userAgent: 'aws-world' },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
    };
    if (route.auth === 'JWT') {
      if (!caller.tenant) return gateway(401, 'Unauthorized');
      requestContext.authorizer = {
        jwt: { claims: { sub: `user-${caller.tenant}`, 'custom:tenant_id': caller.tenant, token_use: 'id' }, scopes: null },
      };
    } else if (route.auth === 'CUSTOM') {
      const identity = headers[route.identityHeader!];
      if (!identity) return gateway(401, 'Unauthorized');
      const out = await this.lambda.invoke(route.authorizerFn!, {
        version: '2.0',
        type: 'REQUEST',
        routeArn: `arn:aws:execute-api:eu-west-1:${ACCOUNT}:box/$default/${method}${url.pathname}`,
        identitySource: [identity],
        routeKey,
        rawPath: url.pathname,
        rawQueryString: url.search.slice(1),
        headers,
        requestContext,
      });
      if (!out.ok) return gateway(500, 'Internal Server Error');
      const decision = out.result as { isAuthorized?: boolean; context?: Record<string, unknown> };
      if (!decision?.isAuthorized) return gateway(403, 'Forbidden');
      requestContext.authorizer = { lambda: decision.context ?? {} };
    }
    const event = {
      version: '2.0',
      routeKey,
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      headers,
      ...(url.search ? { queryStringParameters: Object.fromEntries(url.searchParams) } : {}),
      ...(route.params.length
        ? { pathParameters: Object.fromEntries(route.params.map((p, i) => [p, decodeURIComponent(values[i])])) }
        : {}),
      requestContext,
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      isBase64Encoded: false,
    };
    const out = await this.lambda.invoke(route.fn, event);
    if (!out.ok) return gateway(500, 'Internal Server Error');
    const res = out.result as { statusCode: number; headers?: Record<string, string>; body?: string };
    let parsed: unknown = res.body;
    try {
      parsed = res.body ? JSON.parse(res.body) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.statusCode, body: parsed, headers: lower(res.headers ?? {}) };
  }
}

function compile(path: string): { pattern: RegExp; params: string[] } {
  const params: string[] = [];
  const re = path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    params.push(name);
    return '([^/]+)';
  });
  return { pattern: new RegExp(`^${re}$`), params };
}

function gateway(status: number, message: string): HttpAnswer {
  return { status, body: { message }, headers: { 'content-type': 'application/json' } };
}

function lower(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}
