/** Cached campaign insights in the records table (pk `T#<tenant>`, sk `INS#<campaignId>`), expired by TTL in AWS. */
import type { InsightsCache, InsightsCacheEntry } from '../../ports/insights-cache';
import { keys } from './keys';
import { withoutKeys, type DynamoTable } from './table';

const key = (tenantId: string, campaignId: string) => ({ pk: keys.tenantItems(tenantId), sk: `INS#${campaignId}` });

/** Entries outlive their use by far; TTL only keeps the table tidy (freshness is the use case's call). */
const TTL_SECONDS = 86_400;

export class DynamoInsightsCache implements InsightsCache {
  constructor(private readonly table: DynamoTable) {}

  async get(tenantId: string, campaignId: string): Promise<InsightsCacheEntry | undefined> {
    const item = await this.table.get(key(tenantId, campaignId));
    return item ? strip(item) : undefined;
  }

  async getMany(tenantId: string, campaignIds: readonly string[]): Promise<InsightsCacheEntry[]> {
    if (campaignIds.length === 0) return [];
    const items = await this.table.getMany([...new Set(campaignIds)].map((id) => key(tenantId, id)));
    return items.map(strip);
  }

  async put(entry: InsightsCacheEntry): Promise<void> {
    const expiresAt = Math.floor(Date.parse(entry.asOf) / 1000) + TTL_SECONDS;
    await this.table.put({ ...key(entry.tenantId, entry.campaignId), ...entry, expiresAt });
  }

  async forgetTenant(tenantId: string): Promise<void> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :ins)',
      ExpressionAttributeValues: { ':pk': keys.tenantItems(tenantId), ':ins': 'INS#' },
      ProjectionExpression: 'pk, sk',
    });
    for (const item of items) await this.table.delete({ pk: item.pk, sk: item.sk });
  }
}

function strip(item: Record<string, any>): InsightsCacheEntry {
  const { expiresAt: _e, ...rest } = withoutKeys<InsightsCacheEntry & { expiresAt: number }>(item);
  return rest;
}
