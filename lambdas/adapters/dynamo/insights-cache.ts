/**
 * Cached campaign insights in the records table (pk `T#<tenant>`, sk `INS#<campaignId>`), expired by
 * TTL in AWS, and per tenant the mark of its latest accepted events (sk `EVENTS_NOTED`).
 */
import type { InsightsCache, InsightsCacheEntry } from '../../ports/insights-cache';
import { keys } from './keys';
import { withoutKeys, type DynamoTable } from './table';

const key = (tenantId: string, campaignId: string) => ({ pk: keys.tenantItems(tenantId), sk: `INS#${campaignId}` });
const markKey = (tenantId: string) => ({ pk: keys.tenantItems(tenantId), sk: 'EVENTS_NOTED' });

/** Entries outlive their use by far; TTL only keeps the table tidy (freshness is the use case's call). */
const TTL_SECONDS = 86_400;

export class DynamoInsightsCache implements InsightsCache {
  /** When this instance (one Lambda container, or the local process) last wrote each tenant's mark. */
  private readonly written = new Map<string, number>();

  /**
   * `noteEveryMs`: this instance writes a tenant's mark at most once per that interval (events in
   * between are covered by `eventsNotedBy` adding it), so a busy tenant costs one write per
   * container per interval, not one per batch. 0 writes every note.
   */
  constructor(
    private readonly table: DynamoTable,
    private readonly noteEveryMs = 0,
  ) {}

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

  async noteEvents(tenantId: string, at: Date): Promise<void> {
    const last = this.written.get(tenantId);
    if (last !== undefined && at.getTime() - last < this.noteEveryMs && at.getTime() >= last) return;
    // Only ever forward: a container with an older time (a slow request) never moves the mark back.
    await this.table.update({
      Key: markKey(tenantId),
      UpdateExpression: 'SET #at = :at',
      ConditionExpression: 'attribute_not_exists(#at) OR #at < :at',
      ExpressionAttributeNames: { '#at': 'eventsAt' },
      ExpressionAttributeValues: { ':at': at.getTime() },
    });
    this.written.set(tenantId, at.getTime());
  }

  async eventsNotedBy(tenantId: string): Promise<Date | null> {
    const item = await this.table.get(markKey(tenantId));
    return typeof item?.eventsAt === 'number' ? new Date(item.eventsAt + this.noteEveryMs) : null;
  }
}

function strip(item: Record<string, any>): InsightsCacheEntry {
  const { expiresAt: _e, ...rest } = withoutKeys<InsightsCacheEntry & { expiresAt: number }>(item);
  return rest;
}
