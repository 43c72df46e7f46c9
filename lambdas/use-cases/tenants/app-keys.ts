import { createHash, randomBytes } from 'node:crypto';
import { UnauthorizedError } from '../../domain/errors';
import type { Clock } from '../../ports/clock';
import type { TenantStore } from '../../ports/tenant-store';

/** SHA-256 of an app key: the only form in which keys are stored. */
export function hashAppKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** A fresh random app key. */
export function newAppKey(): string {
  return `ak_${randomBytes(24).toString('base64url')}`;
}

/** Resolve the tenant of an X-App-Key header or fail with 401. */
export async function authorizeAppKey(deps: { tenants: TenantStore }, appKey: string | undefined): Promise<string> {
  if (!appKey || appKey.length > 200) throw new UnauthorizedError('missing or invalid app key');
  const tenantId = await deps.tenants.tenantForAppKey(hashAppKey(appKey));
  if (!tenantId) throw new UnauthorizedError('missing or invalid app key');
  return tenantId;
}

/**
 * Create the tenant if needed and issue it a fresh app key (older keys stay valid). The key is
 * returned once and stored only as its hash. Used by POST /local/tenants and, in AWS, by the
 * platform team's `scripts/issue-app-key.ts`.
 */
export async function issueAppKey(deps: { tenants: TenantStore; clock: Clock }, tenantId: string): Promise<string> {
  const now = deps.clock.now();
  await deps.tenants.ensureTenant(tenantId, now);
  const appKey = newAppKey();
  await deps.tenants.addAppKey(tenantId, hashAppKey(appKey), now);
  return appKey;
}
