import type { PushApp, PushPlatform } from '../../domain/push-apps';
import type { PushAppStore } from '../../ports/push-apps';
import { type DynamoTable, withoutKeys } from './table';

/** A tenant's push app sits in the tenant's partition beside its settings (never a secret here). */
export const pushAppKey = (tenantId: string, platform: PushPlatform) => ({ pk: `T#${tenantId}`, sk: `PUSHAPP#${platform}` });

/** Tenants' push apps (public view) in the records table. */
export class DynamoPushAppStore implements PushAppStore {
  constructor(private readonly table: DynamoTable) {}

  async get(tenantId: string, platform: PushPlatform): Promise<PushApp | null> {
    // Consistent: a device registering right after the merchant switched apps must see the new one.
    const item = await this.table.get(pushAppKey(tenantId, platform), true);
    return item ? withoutKeys<PushApp>(item) : null;
  }

  async put(app: PushApp): Promise<void> {
    await this.table.put({ ...pushAppKey(app.tenantId, app.platform), ...app });
  }
}
