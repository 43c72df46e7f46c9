import { randomUUID } from 'node:crypto';
import { defaultSettings, withDefaults, type Settings } from '../../domain/settings';
import type { SettingsStore } from '../../ports/settings-store';
import { keys } from './keys';
import { type DynamoTable } from './table';

/** Tenant settings in the records table. */
export class DynamoSettingsStore implements SettingsStore {
  constructor(private readonly table: DynamoTable) {}

  async get(tenantId: string): Promise<Settings> {
    const item = await this.table.get(keys.settings(tenantId), false);
    // Settings saved before a field existed (testDevices) read back with its default.
    return item ? withDefaults(item.settings as Partial<Settings>) : defaultSettings();
  }

  /** Every write leaves a new `rev`, which removeTestDevices compares (the item has no version). */
  async put(tenantId: string, settings: Settings): Promise<void> {
    await this.table.put({ ...keys.settings(tenantId), settings, rev: randomUUID() });
  }

  /** Compare-and-set of the one list: retried when a settings write landed between the read and the update. */
  async removeTestDevices(tenantId: string, deviceIds: string[]): Promise<void> {
    const gone = new Set(deviceIds);
    for (let attempt = 0; attempt < 10; attempt++) {
      const item = await this.table.get(keys.settings(tenantId), true);
      const current = (item?.settings as Partial<Settings> | undefined)?.testDevices;
      if (!current || !current.some((d) => gone.has(d))) return;
      const rev = item?.rev as string | undefined;
      const updated = await this.table.update({
        Key: keys.settings(tenantId),
        UpdateExpression: 'SET #s.#td = :kept, #rev = :next',
        // Settings saved before `rev` existed have none: then its absence is what must still hold.
        ConditionExpression: rev ? '#rev = :rev' : 'attribute_not_exists(#rev)',
        ExpressionAttributeNames: { '#s': 'settings', '#td': 'testDevices', '#rev': 'rev' },
        ExpressionAttributeValues: { ':kept': current.filter((d) => !gone.has(d)), ':next': randomUUID(), ...(rev ? { ':rev': rev } : {}) },
      });
      if (updated) return;
    }
    throw new Error(`the settings of tenant ${tenantId} kept changing while removing test devices`);
  }
}
