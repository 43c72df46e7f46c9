/** Test helper: stored device records. */
import type { Device } from '../../lambdas/domain/devices/device';

/** An opted-in iOS device of tenant t1 with a valid token `tok-<deviceId>`, no endpoint and no optional attributes; `over` changes any field. */
export function deviceRecord(deviceId: string, over: Partial<Device> = {}): Device {
  return {
    tenantId: 't1',
    deviceId,
    platform: 'ios',
    token: `tok-${deviceId}`,
    optedIn: true,
    country: null,
    timezone: null,
    locale: null,
    appVersion: null,
    customerId: null,
    tokenState: 'valid',
    endpointArn: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...over,
  };
}
