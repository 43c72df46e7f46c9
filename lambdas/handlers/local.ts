/** Routes served only by the local world (`npm start`): health, local tenants, the outbox, the OpenAPI document. */
import type { Clock } from '../ports/clock';
import type { TenantStore } from '../ports/tenant-store';
import type { TokenIssuer } from '../ports/token-issuer';
import { issueLocalTenant } from '../use-cases/tenants/issue-local-tenant';
import { httpApi } from './http/http-api';
import { ok } from './http/types';
import type { AuthKind } from './routes';

export const LOCAL_ROUTES: { method: 'GET' | 'POST'; path: string; auth: AuthKind }[] = [
  { method: 'GET', path: '/health', auth: 'none' },
  { method: 'POST', path: '/local/tenants', auth: 'none' },
];

export interface LocalHandlerDeps {
  tenants: TenantStore;
  tokens: TokenIssuer;
  clock: Clock;
}

export function localHandler(deps: LocalHandlerDeps) {
  return httpApi(
    {
      'GET /health': async () => ok({ status: 'ok' }),
      'POST /local/tenants': async (req) => ok(await issueLocalTenant(deps, req.body)),
    },
    { public: ['GET /health', 'POST /local/tenants'] },
  );
}
