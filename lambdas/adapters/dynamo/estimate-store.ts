import type { EstimateStore, StoredEstimate } from '../../ports/estimate-store';
import { keys } from './keys';
import { withoutKeys, type DynamoTable } from './table';

/** Running estimates in the records table; they expire after a day (TTL in AWS). */
export class DynamoEstimateStore implements EstimateStore {
  constructor(private readonly table: DynamoTable) {}

  async put(e: StoredEstimate): Promise<void> {
    await this.table.put({ ...keys.estimate(e.tenantId, e.id), ...e, expiresAt: Math.floor(Date.parse(e.createdAt) / 1000) + 86400 });
  }

  async get(tenantId: string, id: string): Promise<StoredEstimate | undefined> {
    const item = await this.table.get(keys.estimate(tenantId, id));
    if (!item) return undefined;
    const { expiresAt: _e, ...rest } = withoutKeys<StoredEstimate & { expiresAt: number }>(item);
    return rest;
  }
}
