/**
 * The delivery ledger in the deliveries table: one item per (campaign, device), claimed with a
 * conditional put and a lease, so a retried or crashed batch never pushes a device twice.
 */
import { randomUUID } from 'node:crypto';
import type { ClaimResult, DeliveryLedger, LedgerEntry } from '../../../ports/delivery-ledger';
import { deliveryKeys } from './keys';
import type { DynamoTable } from './table';

export class DynamoDeliveryLedger implements DeliveryLedger {
  constructor(private readonly table: DynamoTable) {}

  async claim(tenantId: string, campaignId: string, deviceId: string, now: Date, leaseMs: number): Promise<ClaimResult> {
    const key = deliveryKeys.ledger(tenantId, campaignId, deviceId);
    const lease = randomUUID();
    const item = { ...key, campaignId, deviceId, state: 'sending', lease, leaseUntil: now.getTime() + leaseMs, at: now.toISOString() };
    if (await this.table.put(item, { ConditionExpression: 'attribute_not_exists(pk)' })) return { outcome: 'claimed', lease };
    const current = await this.table.get(key);
    if (!current) return this.claim(tenantId, campaignId, deviceId, now, leaseMs);
    if (current.state !== 'sending') return { outcome: 'done', state: current.state };
    if (current.leaseUntil > now.getTime()) return { outcome: 'busy' };
    // The holder's lease ran out: take it over, unless someone else just did.
    const taken = await this.table.put(item, { ConditionExpression: 'lease = :old', ExpressionAttributeValues: { ':old': current.lease } });
    return taken ? { outcome: 'expired', lease } : { outcome: 'busy' };
  }

  async finish(tenantId: string, campaignId: string, deviceId: string, lease: string, entry: Omit<LedgerEntry, 'campaignId' | 'deviceId'>): Promise<boolean> {
    const key = deliveryKeys.ledger(tenantId, campaignId, deviceId);
    return this.table.put({ ...key, campaignId, deviceId, ...entry }, { ConditionExpression: 'lease = :lease', ExpressionAttributeValues: { ':lease': lease } });
  }

  async release(tenantId: string, campaignId: string, deviceId: string, lease: string): Promise<void> {
    await this.table.delete(deliveryKeys.ledger(tenantId, campaignId, deviceId), { ConditionExpression: 'lease = :lease', ExpressionAttributeValues: { ':lease': lease } });
  }

  async markBatch(tenantId: string, campaignId: string, batchId: string, milestone: 'enqueued' | 'done'): Promise<boolean> {
    return this.table.put({ ...deliveryKeys.batch(tenantId, campaignId, batchId, milestone), at: new Date().toISOString() }, { ConditionExpression: 'attribute_not_exists(pk)' });
  }

  async entries(tenantId: string, campaignId: string): Promise<LedgerEntry[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :dev)',
      ExpressionAttributeValues: { ':pk': deliveryKeys.ledgerPartition(tenantId, campaignId), ':dev': 'DEV#' },
    });
    return items.map((i) => ({ campaignId: i.campaignId, deviceId: i.deviceId, state: i.state, reason: i.reason ?? null, platform: i.platform ?? null, at: i.at }));
  }
}
