/** Test helper: an API Gateway HTTP API (payload 2.0) event as the gateway hands it to a handler. */
import type { ApiEvent } from '../../lambdas/handlers/http/http-api';

export interface ApiEventParts {
  routeKey: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  requestId: string;
  authorizer: unknown;
  pathParameters?: Record<string, string>;
}

export function apiEvent(e: ApiEventParts): ApiEvent {
  return {
    version: '2.0',
    routeKey: e.routeKey,
    rawPath: e.path,
    rawQueryString: '',
    headers: e.headers,
    ...(e.pathParameters ? { pathParameters: e.pathParameters } : {}),
    isBase64Encoded: false,
    requestContext: {
      accountId: 'a',
      apiId: 'a',
      domainName: 'd',
      domainPrefix: 'd',
      requestId: e.requestId,
      routeKey: e.routeKey,
      stage: '$default',
      time: '',
      timeEpoch: 0,
      http: { method: e.method, path: e.path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'jest' },
      authorizer: e.authorizer,
    },
  } as unknown as ApiEvent;
}
