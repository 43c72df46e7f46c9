/**
 * The shared middy pipeline of every HTTP Lambda: body limit and JSON parsing, tenant from the
 * authorizer, dispatch by route key, domain errors mapped to API.md's error body. Each log entry of
 * a request carries the Lambda context and the request's correlation id, which every response
 * returns in `x-correlation-id`.
 */
import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { BodyTooLargeError, NotFoundError, UnauthorizedError, ValidationError } from '../../domain/errors';
import { tenantFromAuthorizer, type ApiEvent } from '../../ports/http-entry';
import { errorResponse } from './error-body';
import { lambdaLogContext, logger, setCorrelationId } from '../../logging/logger';
import { lambdaTracing } from '../../logging/tracer';
import { CORRELATION_ID_HEADER, correlationIdOf } from './correlation';
import type { HttpRequest, HttpResult, RouteTable } from './types';

export const MAX_BODY_BYTES = 1024 * 1024;

// The event contract of the HTTP entry (a port); re-exported for the handlers' users.
export { tenantFromAuthorizer, type ApiEvent } from '../../ports/http-entry';

export interface HttpApiOptions {
  /** Routes that need no tenant (health, local tenant creation). */
  public?: string[];
}

/** Build the Lambda handler for a set of routes. */
export function httpApi(routes: RouteTable, options: HttpApiOptions = {}) {
  const publicRoutes = new Set(options.public ?? []);
  const base = async (event: ApiEvent, context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
    const correlationId = correlationIdOf(event, context);
    const route = routes[event.routeKey];
    if (!route) throw new NotFoundError('route');
    const tenantId = tenantFromAuthorizer(event);
    if (!tenantId && !publicRoutes.has(event.routeKey)) throw new UnauthorizedError();
    const req: HttpRequest = {
      routeKey: event.routeKey,
      method: event.requestContext.http.method,
      pathParameters: (event.pathParameters ?? {}) as Record<string, string>,
      query: (event.queryStringParameters ?? {}) as Record<string, string>,
      headers: lowerCaseHeaders(event.headers),
      body: parseBody(event),
      tenantId: tenantId ?? '',
      requestId: event.requestContext.requestId ?? context.awsRequestId,
      ...(correlationId ? { correlationId } : {}),
    };
    return toResponse(await route(req), correlationId);
  };
  return middy<ApiEvent, APIGatewayProxyStructuredResultV2>(base)
    .use(lambdaLogContext())
    .use(lambdaTracing())
    .use({ before: async (request) => setCorrelationId(correlationIdOf(request.event, request.context)) })
    .use({
      onError: async (request) => {
        const { status, body } = errorResponse(request.error);
        if (status >= 500) {
          logger.error('unhandled error', {
            requestId: request.event?.requestContext?.requestId,
            routeKey: request.event?.routeKey,
            error: request.error as Error,
          });
        }
        request.response = toResponse({ status, body }, correlationIdOf(request.event, request.context));
      },
    });
}

function parseBody(event: ApiEvent): unknown {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (raw.byteLength > MAX_BODY_BYTES) throw new BodyTooLargeError(MAX_BODY_BYTES);
  let parsed: unknown;
  try {
    parsed = JSON.parse(UTF8.decode(raw));
  } catch {
    throw new ValidationError('the request body is not valid JSON', undefined, 'invalid_json');
  }
  // Invalid UTF-8 throws above; a lone surrogate escape (\ud800) is valid JSON text but no Unicode.
  if (!wellFormed(parsed)) throw new ValidationError('the request body holds a lone UTF-16 surrogate', undefined, 'invalid_json');
  return parsed;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });
// With the `u` flag a surrogate range matches only unpaired surrogates.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** True when every string and key of a parsed JSON value is well-formed Unicode (iterative: bodies may nest deeply). */
function wellFormed(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (LONE_SURROGATE.test(v)) return false;
    } else if (Array.isArray(v)) {
      for (const x of v) stack.push(x);
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (LONE_SURROGATE.test(k)) return false;
        stack.push(x);
      }
    }
  }
  return true;
}

function lowerCaseHeaders(headers: ApiEvent['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (v !== undefined) out[k.toLowerCase()] = v;
  return out;
}

function toResponse(result: HttpResult, correlationId: string | undefined): APIGatewayProxyStructuredResultV2 {
  const correlation: Record<string, string> = correlationId ? { [CORRELATION_ID_HEADER]: correlationId } : {};
  if (result.status === 204 || result.body === undefined) {
    return { statusCode: result.status, headers: { ...result.headers, ...correlation } };
  }
  return {
    statusCode: result.status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...result.headers, ...correlation },
    body: JSON.stringify(result.body),
  };
}
