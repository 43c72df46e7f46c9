import type { Device } from '../../domain/devices/device';
import type { DeviceStore } from '../../ports/device-store';
import { keys } from './keys';
import { withoutKeys, type DynamoTable } from './table';

/** Device registry items in the records table. */
export class DynamoDeviceStore implements DeviceStore {
  constructor(private readonly table: DynamoTable) {}

  async get(tenantId: string, deviceId: string): Promise<Device | undefined> {
    const item = await this.table.get(keys.device(tenantId, deviceId));
    return item ? withoutKeys<Device>(item) : undefined;
  }

  async getMany(tenantId: string, deviceIds: string[]): Promise<Map<string, Device>> {
    const items = await this.table.getMany(deviceIds.map((d) => keys.device(tenantId, d)));
    return new Map(items.map((i) => [i.deviceId as string, withoutKeys<Device>(i)]));
  }

  async putMany(devices: Device[]): Promise<void> {
    await this.table.putMany(devices.map((d) => ({ ...keys.device(d.tenantId, d.deviceId), ...d })));
  }

  async put(next: Device, previous: Device | undefined): Promise<boolean> {
    return this.table.put(
      { ...keys.device(next.tenantId, next.deviceId), ...next },
      previous
        ? { ConditionExpression: 'updatedAt = :prev', ExpressionAttributeValues: { ':prev': previous.updatedAt } }
        : { ConditionExpression: 'attribute_not_exists(pk)' },
    );
  }

  async markTokenInvalid(tenantId: string, deviceId: string, token: string): Promise<void> {
    await this.table.update({
      Key: keys.device(tenantId, deviceId),
      UpdateExpression: 'SET tokenState = :invalid',
      ConditionExpression: 'attribute_exists(pk) AND #token = :token',
      ExpressionAttributeNames: { '#token': 'token' },
      ExpressionAttributeValues: { ':invalid': 'invalid', ':token': token },
    });
  }

  async delete(tenantId: string, deviceId: string): Promise<void> {
    await this.table.delete(keys.device(tenantId, deviceId));
  }

  async setEndpoint(tenantId: string, deviceId: string, token: string, endpointArn: string): Promise<void> {
    await this.table.update({
      Key: keys.device(tenantId, deviceId),
      UpdateExpression: 'SET endpointArn = :arn',
      ConditionExpression: 'attribute_exists(pk) AND #token = :token',
      ExpressionAttributeNames: { '#token': 'token' },
      ExpressionAttributeValues: { ':arn': endpointArn, ':token': token },
    });
  }
}
