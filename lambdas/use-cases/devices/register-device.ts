import { applyRegistration, deviceIdSchema, deviceLakeRow, deviceRegistrationSchema, publicDevice } from '../../domain/devices/device';
import { parseWith } from '../../domain/validation';
import type { Clock } from '../../ports/clock';
import type { DeviceStore } from '../../ports/device-store';
import type { EndpointRegistry } from '../../ports/endpoint-registry';
import type { EventLake } from '../../ports/event-lake';

export interface RegisterDeviceDeps {
  devices: DeviceStore;
  lake: EventLake;
  endpoints: EndpointRegistry;
  clock: Clock;
}

/** PUT /v1/devices/{deviceId}: validate, store (latest write wins), append the snapshot to the lake. */
export async function registerDevice(deps: RegisterDeviceDeps, input: { tenantId: string; deviceId: string; body: unknown }) {
  const deviceId = parseWith(deviceIdSchema, input.deviceId, 'deviceId');
  const reg = parseWith(deviceRegistrationSchema, input.body);
  // Compare-and-set loop: a concurrent registration of the same device makes us re-read and re-apply.
  for (let attempt = 0; ; attempt++) {
    const previous = await deps.devices.get(input.tenantId, deviceId);
    let next = applyRegistration(previous, input.tenantId, deviceId, reg, deps.clock.now());
    if (previous && next.updatedAt <= previous.updatedAt) {
      // Keep updatedAt strictly increasing so "latest wins" holds in the lake too.
      next = { ...next, updatedAt: new Date(Date.parse(previous.updatedAt) + 1).toISOString() };
    }
    // AWS recommends re-checking the endpoint at every registration (it may have been disabled).
    next = { ...next, endpointArn: await deps.endpoints.ensureEndpoint(next) };
    if (await deps.devices.put(next, previous)) {
      await deps.lake.appendDevices(input.tenantId, [deviceLakeRow(next)]);
      return publicDevice(next);
    }
    if (attempt >= 5) throw new Error('device registration kept losing a race');
  }
}
