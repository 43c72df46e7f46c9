/** Tenants and their app keys (stored as SHA-256 hashes, never in clear). */
export interface TenantStore {
  /** Create the tenant if it does not exist; an existing tenant is left as it is. */
  ensureTenant(tenantId: string, now: Date): Promise<void>;
  /** Remember an app key (by hash) for a tenant. */
  addAppKey(tenantId: string, keyHash: string, now: Date): Promise<void>;
  /** The tenant an app key (by hash) belongs to, if any. */
  tenantForAppKey(keyHash: string): Promise<string | undefined>;
}
