/** Lambda `devices`: the mobile SDK registers push subscriptions. */
import { registerDevice, type RegisterDeviceDeps } from '../use-cases/devices/register-device';
import { httpApi } from './http/http-api';
import { ok } from './http/types';

export function devicesHandler(deps: RegisterDeviceDeps) {
  return httpApi({
    'PUT /v1/devices/{deviceId}': async (req) =>
      ok(await registerDevice(deps, { tenantId: req.tenantId, deviceId: req.pathParameters.deviceId, body: req.body })),
  });
}
