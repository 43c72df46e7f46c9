/** Lambda `devices`: the mobile SDK registers push subscriptions, and deletes them. */
import { registerDevice, type RegisterDeviceDeps } from '../use-cases/devices/register-device';
import { deleteDevice, type DeleteDeviceDeps } from '../use-cases/lake/erasure';
import { httpApi } from './http/http-api';
import { noContent, ok } from './http/types';

export function devicesHandler(deps: RegisterDeviceDeps & DeleteDeviceDeps) {
  return httpApi({
    'PUT /v1/devices/{deviceId}': async (req) =>
      ok(await registerDevice(deps, { tenantId: req.tenantId, deviceId: req.pathParameters.deviceId, body: req.body })),
    'DELETE /v1/devices/{deviceId}': async (req) => {
      await deleteDevice(deps, req.tenantId, req.pathParameters.deviceId);
      return noContent();
    },
  });
}
