import * as z from 'zod';
import { parseWith } from '../../domain/validation';
import type { Clock } from '../../ports/clock';
import type { TenantStore } from '../../ports/tenant-store';
import type { TokenIssuer } from '../../ports/token-issuer';
import { issueAppKey } from './app-keys';

export const tenantIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{2,39}$/, 'must match ^[a-z0-9][a-z0-9-]{2,39}$');

const bodySchema = z.strictObject({ tenantId: tenantIdSchema });

/** POST /local/tenants: create the tenant if needed and issue a fresh token and app key (older keys stay valid). */
export async function issueLocalTenant(deps: { tenants: TenantStore; tokens: TokenIssuer; clock: Clock }, body: unknown) {
  const { tenantId } = parseWith(bodySchema, body);
  const appKey = await issueAppKey(deps, tenantId);
  return { tenantId, token: await deps.tokens.issue(tenantId), appKey };
}
