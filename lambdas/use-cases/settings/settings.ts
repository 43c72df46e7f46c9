import { ValidationError, type ErrorDetail } from '../../domain/errors';
import { parseSettings, uniqueIds } from '../../domain/settings';
import type { DeviceStore } from '../../ports/device-store';
import type { SettingsStore } from '../../ports/settings-store';

/** The ports the settings use cases need: the store, and the device registry (test devices must exist). */
export interface SettingsDeps {
  settings: SettingsStore;
  devices: Pick<DeviceStore, 'getMany'>;
}

/** GET /v1/settings */
export async function getSettings(deps: Pick<SettingsDeps, 'settings'>, tenantId: string) {
  return deps.settings.get(tenantId);
}

/**
 * PUT /v1/settings: replaces the whole object; omitted fields take their defaults. Every test device
 * must be a device of the tenant now (one BatchGetItem of at most 20 keys); a repeated id is kept once.
 */
export async function putSettings(deps: SettingsDeps, tenantId: string, body: unknown) {
  const parsed = parseSettings(body);
  const testDevices = uniqueIds(parsed.testDevices);
  if (testDevices.length > 0) {
    const known = await deps.devices.getMany(tenantId, testDevices);
    const details: ErrorDetail[] = [];
    parsed.testDevices.forEach((id, i) => {
      if (!known.has(id)) details.push({ path: `testDevices[${i}]`, message: `no device ${id} is registered for this tenant` });
    });
    if (details.length > 0) throw new ValidationError(`${details[0].path}: ${details[0].message}`, details);
  }
  const settings = { ...parsed, testDevices };
  await deps.settings.put(tenantId, settings);
  return settings;
}
