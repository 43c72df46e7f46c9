/** The request and result shapes our HTTP route functions see (decoupled from API Gateway's event). */
export interface HttpRequest {
  routeKey: string;
  method: string;
  pathParameters: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** Parsed JSON body (undefined when there was none). */
  body: unknown;
  /** The caller's tenant, from the authorizer (absent only on routes without auth). */
  tenantId: string;
  requestId: string;
  /** The request's correlation id (the caller's valid `x-correlation-id`, else the request id): work the request starts carries it on. */
  correlationId?: string;
}

export interface HttpResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type RouteFn = (req: HttpRequest) => Promise<HttpResult>;

/** Route functions by API Gateway route key, e.g. "GET /v1/segments/{id}". */
export type RouteTable = Record<string, RouteFn>;

export const ok = (body: unknown, status = 200): HttpResult => ({ status, body });
export const noContent = (): HttpResult => ({ status: 204 });
