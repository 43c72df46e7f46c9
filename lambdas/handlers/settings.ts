/** Lambda `settings`: the tenant's delivery settings, its own push apps and erasures. */
import { getErasure, startErasure, type StartErasureDeps } from '../use-cases/lake/erasure';
import { getPushApps, putPushApp, type PushAppsDeps } from '../use-cases/push-apps/push-apps';
import { getSettings, putSettings, type SettingsDeps } from '../use-cases/settings/settings';
import { httpApi } from './http/http-api';
import { ok } from './http/types';

export function settingsHandler(deps: SettingsDeps & PushAppsDeps & StartErasureDeps) {
  return httpApi({
    'GET /v1/settings': async (req) => ok(await getSettings(deps, req.tenantId)),
    'PUT /v1/settings': async (req) => ok(await putSettings(deps, req.tenantId, req.body)),
    'GET /v1/push-apps': async (req) => ok(await getPushApps(deps, req.tenantId)),
    'PUT /v1/push-apps/ios': async (req) => ok(await putPushApp(deps, req.tenantId, 'ios', req.body)),
    'PUT /v1/push-apps/android': async (req) => ok(await putPushApp(deps, req.tenantId, 'android', req.body)),
    'POST /v1/erasures': async (req) => ok(await startErasure(deps, req.tenantId, req.body), 202),
    'GET /v1/erasures/{id}': async (req) => ok(await getErasure(deps, req.tenantId, req.pathParameters.id)),
  });
}
