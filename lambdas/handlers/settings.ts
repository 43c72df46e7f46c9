/** Lambda `settings`: the tenant's delivery settings. */
import type { SettingsStore } from '../ports/settings-store';
import { getSettings, putSettings } from '../use-cases/settings/settings';
import { httpApi } from './http/http-api';
import { ok } from './http/types';

export function settingsHandler(deps: { settings: SettingsStore }) {
  return httpApi({
    'GET /v1/settings': async (req) => ok(await getSettings(deps, req.tenantId)),
    'PUT /v1/settings': async (req) => ok(await putSettings(deps, req.tenantId, req.body)),
  });
}
