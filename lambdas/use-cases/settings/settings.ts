import { parseSettings } from '../../domain/settings';
import type { SettingsStore } from '../../ports/settings-store';

/** GET /v1/settings */
export async function getSettings(deps: { settings: SettingsStore }, tenantId: string) {
  return deps.settings.get(tenantId);
}

/** PUT /v1/settings: replaces the whole object; omitted fields take their defaults. */
export async function putSettings(deps: { settings: SettingsStore }, tenantId: string, body: unknown) {
  const settings = parseSettings(body);
  await deps.settings.put(tenantId, settings);
  return settings;
}
