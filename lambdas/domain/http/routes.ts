/**
 * Every HTTP route of API.md, the function that serves it and how callers authenticate.
 * The CDK service stack creates exactly these routes; the local server dispatches with them;
 * the OpenAPI check compares against them. Plain data, shared by both worlds; it lives in the domain
 * so that every layer (and lib/) may import it.
 */
export type AuthKind = 'merchant' | 'device' | 'none';

/** Lambda functions that serve HTTP routes (entries in lambdas/composition/entries/<fn>.ts). */
export type ApiFunction = 'devices' | 'events' | 'segments' | 'campaigns' | 'settings';

export interface RouteDefinition {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** API Gateway path template, e.g. /v1/segments/{id} */
  path: string;
  fn: ApiFunction;
  auth: AuthKind;
}

export const ROUTES: RouteDefinition[] = [
  { method: 'PUT', path: '/v1/devices/{deviceId}', fn: 'devices', auth: 'device' },
  { method: 'DELETE', path: '/v1/devices/{deviceId}', fn: 'devices', auth: 'device' },
  { method: 'POST', path: '/v1/events', fn: 'events', auth: 'device' },

  { method: 'GET', path: '/v1/segment-filters', fn: 'segments', auth: 'merchant' },
  { method: 'POST', path: '/v1/segments', fn: 'segments', auth: 'merchant' },
  { method: 'GET', path: '/v1/segments', fn: 'segments', auth: 'merchant' },
  { method: 'GET', path: '/v1/segments/{id}', fn: 'segments', auth: 'merchant' },
  { method: 'PUT', path: '/v1/segments/{id}', fn: 'segments', auth: 'merchant' },
  { method: 'DELETE', path: '/v1/segments/{id}', fn: 'segments', auth: 'merchant' },
  { method: 'GET', path: '/v1/segments/{id}/explain/{deviceId}', fn: 'segments', auth: 'merchant' },
  { method: 'POST', path: '/v1/segment-estimates', fn: 'segments', auth: 'merchant' },
  { method: 'GET', path: '/v1/segment-estimates/{id}', fn: 'segments', auth: 'merchant' },
  { method: 'GET', path: '/v1/catalog/products', fn: 'segments', auth: 'merchant' },

  { method: 'POST', path: '/v1/campaigns', fn: 'campaigns', auth: 'merchant' },
  { method: 'GET', path: '/v1/campaigns', fn: 'campaigns', auth: 'merchant' },
  { method: 'GET', path: '/v1/campaigns/{id}', fn: 'campaigns', auth: 'merchant' },
  { method: 'PUT', path: '/v1/campaigns/{id}', fn: 'campaigns', auth: 'merchant' },
  { method: 'DELETE', path: '/v1/campaigns/{id}', fn: 'campaigns', auth: 'merchant' },
  { method: 'POST', path: '/v1/campaigns/{id}/launch', fn: 'campaigns', auth: 'merchant' },
  { method: 'POST', path: '/v1/campaigns/{id}/cancel', fn: 'campaigns', auth: 'merchant' },
  { method: 'POST', path: '/v1/campaigns/{id}/pause', fn: 'campaigns', auth: 'merchant' },
  { method: 'POST', path: '/v1/campaigns/{id}/resume', fn: 'campaigns', auth: 'merchant' },
  { method: 'POST', path: '/v1/campaigns/{id}/test', fn: 'campaigns', auth: 'merchant' },
  { method: 'POST', path: '/v1/campaigns/{id}/duplicate', fn: 'campaigns', auth: 'merchant' },
  { method: 'GET', path: '/v1/campaigns/{id}/insights', fn: 'campaigns', auth: 'merchant' },
  { method: 'GET', path: '/v1/campaigns/{id}/recipients', fn: 'campaigns', auth: 'merchant' },
  { method: 'POST', path: '/v1/campaign-plans', fn: 'campaigns', auth: 'merchant' },

  { method: 'GET', path: '/v1/settings', fn: 'settings', auth: 'merchant' },
  { method: 'PUT', path: '/v1/settings', fn: 'settings', auth: 'merchant' },
  { method: 'GET', path: '/v1/push-apps', fn: 'settings', auth: 'merchant' },
  { method: 'PUT', path: '/v1/push-apps/ios', fn: 'settings', auth: 'merchant' },
  { method: 'PUT', path: '/v1/push-apps/android', fn: 'settings', auth: 'merchant' },
  { method: 'POST', path: '/v1/erasures', fn: 'settings', auth: 'merchant' },
  { method: 'GET', path: '/v1/erasures/{id}', fn: 'settings', auth: 'merchant' },
];

export function routeKey(r: Pick<RouteDefinition, 'method' | 'path'>): string {
  return `${r.method} ${r.path}`;
}
