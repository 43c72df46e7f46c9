/**
 * The local stand-in for API Gateway (HTTP API): matches a route, runs the route's authorizer, turns
 * the request into the same v2 event API Gateway sends and calls the same Lambda handler. Also serves
 * the merchant UI's static files.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { AuthKind } from '../../domain/http/routes';
import { tenantFromAuthorizer, type ApiEvent } from '../../ports/http-entry';
import { logger } from '../../logging/logger';

export type LambdaHttpHandler = (event: ApiEvent, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

export interface GatewayRoute {
  method: string;
  path: string;
  auth: AuthKind;
  handler: LambdaHttpHandler;
}

export interface GatewayOptions {
  routes: GatewayRoute[];
  /** Claims of a valid merchant bearer token (the JWT authorizer's job in AWS). */
  verifyMerchant(token: string): Promise<Record<string, unknown> | undefined>;
  /** The app-key authorizer Lambda's answer for a request. */
  authorizeDevice(headers: Record<string, string>, routeKey: string): Promise<{ isAuthorized: boolean; context: Record<string, unknown> }>;
  maxBodyBytes: number;
  staticDir?: string;
  /** Where an unexpected failure is logged; by default the service's structured logger. */
  log?: GatewayLog;
}

/** The part of the structured logger the gateway uses (injectable for tests). */
export interface GatewayLog {
  error(message: string, extra: Record<string, unknown>): void;
  warn(message: string, extra: Record<string, unknown>): void;
}

/** What is known of a request when it fails: filled in as the request goes through the gateway. */
interface RequestTrace {
  method: string;
  path: string;
  routeKey?: string;
  requestId?: string;
  tenantId?: string;
}

interface CompiledRoute extends GatewayRoute {
  regex: RegExp;
  params: string[];
  routeKey: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};

export function createHttpGateway(options: GatewayOptions): http.Server {
  const routes = options.routes.map(compile);
  const log: GatewayLog = options.log ?? logger;
  return http.createServer((req, res) => {
    const trace: RequestTrace = { method: (req.method ?? 'GET').toUpperCase(), path: pathOf(req.url) };
    handle(req, res, trace).catch((err: unknown) => {
      // The client hears only API.md's generic 500; the log gets the whole story.
      if (clientWentAway(err)) log.warn('local gateway: the client closed the connection mid-request', { ...trace, error: err });
      else log.error('local gateway: unexpected error', { ...trace, error: err });
      sendJson(res, 500, error('internal_error', 'the service failed to handle this request'));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse, trace: RequestTrace) {
    const url = new URL(req.url ?? '/', 'http://local');
    const method = trace.method;
    const match = findRoute(routes, method, url.pathname);
    if (!match) {
      if (method === 'GET' && options.staticDir && !isApiPath(url.pathname)) return serveStatic(options.staticDir, url.pathname, res);
      await drain(req);
      return sendJson(res, 404, error('not_found', `no route for ${method} ${url.pathname}`));
    }
    trace.routeKey = match.route.routeKey;
    const body = await readBody(req, options.maxBodyBytes);
    if (body === 'too_large')
      return sendJson(res, 413, error('body_too_large', `request body is over ${options.maxBodyBytes} bytes`), true);
    const headers = flattenHeaders(req);
    const requestId = randomUUID();
    trace.requestId = requestId;
    const authorizer = await authorize(match.route, headers);
    if (authorizer === 'denied') return sendJson(res, 401, error('unauthorized', 'missing or invalid credentials'));
    const event: ApiEvent = {
      version: '2.0',
      routeKey: match.route.routeKey,
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      headers,
      queryStringParameters: url.search ? Object.fromEntries(url.searchParams) : undefined,
      pathParameters: Object.keys(match.params).length > 0 ? match.params : undefined,
      // Bytes that are not UTF-8 go base64-encoded (as API Gateway sends binary), so the handler sees them as they came.
      body: body.length > 0 ? body.toString(isUtf8(body) ? 'utf8' : 'base64') : undefined,
      isBase64Encoded: body.length > 0 && !isUtf8(body),
      requestContext: {
        accountId: 'local',
        apiId: 'local',
        domainName: headers.host ?? 'localhost',
        domainPrefix: 'localhost',
        http: {
          method,
          path: url.pathname,
          protocol: 'HTTP/1.1',
          sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
          userAgent: headers['user-agent'] ?? '',
        },
        requestId,
        routeKey: match.route.routeKey,
        stage: '$default',
        time: new Date().toISOString(),
        timeEpoch: Date.now(),
        authorizer,
      },
    };
    trace.tenantId = tenantFromAuthorizer(event);
    const result = await match.route.handler(event, lambdaContext(requestId, match.route.routeKey));
    res.writeHead(result.statusCode ?? 200, { ...(result.headers as Record<string, string>), 'x-request-id': requestId });
    res.end(result.body ?? '');
  }

  async function authorize(
    route: CompiledRoute,
    headers: Record<string, string>,
  ): Promise<ApiEvent['requestContext']['authorizer'] | 'denied'> {
    if (route.auth === 'none') return undefined;
    if (route.auth === 'merchant') {
      const m = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '');
      const claims = m ? await options.verifyMerchant(m[1]) : undefined;
      return claims ? { jwt: { claims } } : 'denied';
    }
    const answer = await options.authorizeDevice(headers, route.routeKey);
    return answer.isAuthorized ? { lambda: answer.context } : 'denied';
  }
}

function compile(route: GatewayRoute): CompiledRoute {
  const params: string[] = [];
  const pattern = route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{(\w+)\\?\}/g, (_m, name: string) => {
    params.push(name);
    return '([^/]+)';
  });
  return { ...route, regex: new RegExp(`^${pattern}$`), params, routeKey: `${route.method} ${route.path}` };
}

function findRoute(routes: CompiledRoute[], method: string, pathname: string) {
  for (const route of routes) {
    if (route.method !== method) continue;
    const m = route.regex.exec(pathname);
    if (!m) continue;
    const params: Record<string, string> = {};
    try {
      route.params.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1])));
    } catch {
      continue; // a malformed %-escape matches no route
    }
    return { route, params };
  }
  return undefined;
}

function isApiPath(p: string): boolean {
  return p.startsWith('/v1/') || p.startsWith('/local/') || p === '/health' || p === '/openapi.json';
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too_large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit)
      over = true; // keep reading (and dropping) so the client sees our answer
    else chunks.push(chunk as Buffer);
  }
  return over ? 'too_large' : Buffer.concat(chunks);
}

async function drain(req: IncomingMessage) {
  for await (const _ of req);
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
  return out;
}

function error(code: string, message: string) {
  return { error: { code, message } };
}

function sendJson(res: ServerResponse, status: number, body: unknown, close = false) {
  if (res.headersSent) return res.end();
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...(close ? { connection: 'close' } : {}) });
  res.end(JSON.stringify(body));
}

async function serveStatic(dir: string, pathname: string, res: ServerResponse) {
  const root = path.resolve(dir);
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return sendJson(res, 404, error('not_found', 'no such file')); // a malformed %-escape names no file
  }
  let file = path.resolve(root, '.' + decoded);
  // root + separator, so a sibling folder sharing the root's name as a prefix (web/dist-old) stays out of reach.
  if (file !== root && !file.startsWith(root + path.sep)) return sendJson(res, 404, error('not_found', 'no such file'));
  const stat = await statIfThere(file);
  if (!stat || stat.isDirectory()) {
    // Single-page app: unknown paths get the shell.
    file = path.join(root, 'index.html');
    if (!(await statIfThere(file))) return sendJson(res, 404, error('not_found', 'the UI is not built (npm run build:web)'));
  }
  res.writeHead(200, { 'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
  // Awaited, so a read error reaches the gateway's catch (and its log) instead of crashing the process.
  await pipeline(createReadStream(file), res);
}

/** Codes that mean "no such file" for a name built from a URL; anything else (EACCES, EIO) is a real failure. */
const NOT_THERE = new Set(['ENOENT', 'ENOTDIR', 'ENAMETOOLONG', 'ERR_INVALID_ARG_VALUE']);

async function statIfThere(file: string) {
  try {
    return await fs.stat(file);
  } catch (err) {
    if (NOT_THERE.has((err as NodeJS.ErrnoException).code ?? '')) return undefined; // a name the URL made up (or with a NUL): not a file of ours
    throw err;
  }
}

/** The request's path without its query string (which may carry tokens), for logs. */
function pathOf(url: string | undefined): string {
  return (url ?? '/').split('?')[0];
}

/** A failure that only means the client hung up (reset, or closed before the answer was written). */
function clientWentAway(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE';
}

function lambdaContext(requestId: string, routeKey: string): Context {
  const started = Date.now();
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `local:${routeKey}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:local',
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: 'local',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, 30000 - (Date.now() - started)),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
