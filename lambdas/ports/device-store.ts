/** The device registry (DynamoDB): the current state of each push subscription. */
import type { Device } from '../domain/devices/device';

export interface DeviceStore {
  get(tenantId: string, deviceId: string): Promise<Device | undefined>;
  /** Many at once (delivery re-checks devices at send time); missing ids are absent from the map. */
  getMany(tenantId: string, deviceIds: string[]): Promise<Map<string, Device>>;
  /**
   * Write `next` only if the stored item is still `previous` (compare-and-set on updatedAt), so two
   * concurrent registrations cannot interleave half of each. Returns false when it lost the race.
   */
  put(next: Device, previous: Device | undefined): Promise<boolean>;
  /** Bulk import without conditions (demo data, benchmarks). */
  putMany(devices: Device[]): Promise<void>;
  /** Mark a token invalid, unless the device registered a different token meanwhile. */
  markTokenInvalid(tenantId: string, deviceId: string, token: string): Promise<void>;
  /** Remove the device's record (deletion, erasure); no-op when there is none. */
  delete(tenantId: string, deviceId: string): Promise<void>;
  /** Remember the SNS endpoint created for a device's token (AWS only). */
  setEndpoint(tenantId: string, deviceId: string, token: string, endpointArn: string): Promise<void>;
}
