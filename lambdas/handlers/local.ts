/** Routes served only by the local world (`npm start`): health, local tenants, the outbox and its fault switches. */
import * as z from 'zod';
import type { AuthKind } from '../domain/http/routes';
import { parseWith } from '../domain/validation';
import type { Clock } from '../ports/clock';
import type { LocalOutbox } from '../ports/local-outbox';
import type { TenantStore } from '../ports/tenant-store';
import type { TokenIssuer } from '../ports/token-issuer';
import { issueLocalTenant } from '../use-cases/tenants/issue-local-tenant';
import { httpApi } from './http/http-api';
import { ok } from './http/types';

export const LOCAL_ROUTES: { method: 'GET' | 'POST' | 'PUT'; path: string; auth: AuthKind }[] = [
  { method: 'GET', path: '/health', auth: 'none' },
  { method: 'POST', path: '/local/tenants', auth: 'none' },
  { method: 'GET', path: '/local/outbox', auth: 'merchant' },
  { method: 'GET', path: '/local/push-gateway', auth: 'merchant' },
  { method: 'PUT', path: '/local/push-gateway', auth: 'merchant' },
  { method: 'GET', path: '/openapi.json', auth: 'none' },
];

export interface LocalHandlerDeps {
  tenants: TenantStore;
  tokens: TokenIssuer;
  clock: Clock;
  outbox: LocalOutbox;
  openApi: () => unknown;
}

const faultsSchema = z.strictObject({
  failureRate: z.number().min(0).max(1).default(0),
  unregisteredTokens: z.array(z.string().min(1).max(4096)).max(10_000).default([]),
  latencyMs: z.number().int().min(0).max(10_000).default(0),
});

export function localHandler(deps: LocalHandlerDeps) {
  return httpApi(
    {
      'GET /health': async () => ok({ status: 'ok' }),
      'POST /local/tenants': async (req) => ok(await issueLocalTenant(deps, req.body)),
      'GET /local/outbox': async (req) => {
        const { campaignId } = parseWith(z.object({ campaignId: z.string().min(1).max(64) }), req.query);
        return ok({ items: await deps.outbox.outbox(req.tenantId, campaignId) });
      },
      // Fault injection for tests and demos: make the recording gateway fail or reject tokens.
      'GET /local/push-gateway': async (req) => ok(deps.outbox.faultsFor(req.tenantId)),
      'PUT /local/push-gateway': async (req) => {
        deps.outbox.setFaults(req.tenantId, parseWith(faultsSchema, req.body));
        return ok(deps.outbox.faultsFor(req.tenantId));
      },
      'GET /openapi.json': async () => ok(deps.openApi()),
    },
    { public: ['GET /health', 'POST /local/tenants', 'GET /openapi.json'] },
  );
}
