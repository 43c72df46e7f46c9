import { defaultSettings, type Settings } from '../../domain/settings';
import type { SettingsStore } from '../../ports/settings-store';
import { keys } from './keys';
import { type DynamoTable } from './table';

/** Tenant settings in the records table. */
export class DynamoSettingsStore implements SettingsStore {
  constructor(private readonly table: DynamoTable) {}

  async get(tenantId: string): Promise<Settings> {
    const item = await this.table.get(keys.settings(tenantId), false);
    return item ? (item.settings as Settings) : defaultSettings();
  }

  async put(tenantId: string, settings: Settings): Promise<void> {
    await this.table.put({ ...keys.settings(tenantId), settings });
  }
}
