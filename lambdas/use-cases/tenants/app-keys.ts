import { createHash, randomBytes } from 'node:crypto';
import { UnauthorizedError } from '../../domain/errors';
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
