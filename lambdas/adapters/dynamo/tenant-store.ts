import type { TenantStore } from '../../ports/tenant-store';
import { keys } from './keys';
import type { DynamoTable } from './table';

/** Tenants and hashed app keys in the records table. */
export class DynamoTenantStore implements TenantStore {
  constructor(private readonly table: DynamoTable) {}

  async ensureTenant(tenantId: string, now: Date): Promise<void> {
    await this.table.put(
      { ...keys.tenant(tenantId), tenantId, createdAt: now.toISOString() },
      { ConditionExpression: 'attribute_not_exists(pk)' },
    );
  }

  async addAppKey(tenantId: string, keyHash: string, now: Date): Promise<void> {
    await this.table.put({ ...keys.appKey(keyHash), tenantId, createdAt: now.toISOString() });
  }

  async tenantForAppKey(keyHash: string): Promise<string | undefined> {
    const item = await this.table.get(keys.appKey(keyHash), false);
    return item?.tenantId;
  }
}
