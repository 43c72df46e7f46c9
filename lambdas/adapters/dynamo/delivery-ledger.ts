/**
 * The delivery ledger in the deliveries table: one item per (campaign, device), claimed with a
 * conditional put and a lease, so a retried or crashed batch never pushes a device twice. Items sit
 * in LEDGER_SHARDS partitions per campaign (by device id) and expire 90 days after they are written.
 */
import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import type { ClaimResult, DeliveryLedger, LedgerEntry } from '../../ports/delivery-ledger';
import { deliveryKeys } from './keys';
import type { DynamoTable } from './table';

/** Ledger items outlive insights' use of them (attribution windows are at most 30 days). */
export const LEDGER_TTL_SECONDS = 90 * 86_400;

const expiresAt = (ms: number) => Math.floor(ms / 1000) + LEDGER_TTL_SECONDS;

export class DynamoDeliveryLedger implements DeliveryLedger {
  constructor(private readonly table: DynamoTable) {}

  async claim(tenantId: string, campaignId: string, deviceId: string, now: Date, leaseMs: number): Promise<ClaimResult> {
    const key = deliveryKeys.ledger(tenantId, campaignId, deviceId);
    const lease = randomUUID();
    const item = { ...key, campaignId, deviceId, state: 'sending', lease, leaseUntil: now.getTime() + leaseMs, at: now.toISOString(), expiresAt: expiresAt(now.getTime()) };
    if (await this.table.put(item, { ConditionExpression: 'attribute_not_exists(pk)' })) return { outcome: 'claimed', lease };
    const current = await this.table.get(key);
    if (!current) return this.claim(tenantId, campaignId, deviceId, now, leaseMs);
    if (current.state !== 'sending') return { outcome: 'done', state: current.state, reason: current.reason ?? null, batchId: current.batchId ?? null, at: current.at };
    if (current.leaseUntil > now.getTime()) return { outcome: 'busy' };
    // The holder's lease ran out: take it over, unless someone else just did.
    const taken = await this.table.put(item, { ConditionExpression: 'lease = :old', ExpressionAttributeValues: { ':old': current.lease } });
    return taken ? { outcome: 'expired', lease } : { outcome: 'busy' };
  }

  async finish(tenantId: string, campaignId: string, deviceId: string, lease: string, entry: Omit<LedgerEntry, 'campaignId' | 'deviceId'>): Promise<boolean> {
    const key = deliveryKeys.ledger(tenantId, campaignId, deviceId);
    // A sent item also carries the sends-by-device index keys: that index is the frequency cap's history.
    const sent = entry.state === 'sent' ? deliveryKeys.sentByDevice(tenantId, deviceId, entry.at, campaignId) : {};
    const item = { ...key, ...sent, campaignId, deviceId, ...entry, batchId: entry.batchId ?? null, expiresAt: expiresAt(Date.parse(entry.at) || Date.now()) };
    return this.table.put(item, { ConditionExpression: 'lease = :lease', ExpressionAttributeValues: { ':lease': lease } });
  }

  async release(tenantId: string, campaignId: string, deviceId: string, lease: string): Promise<void> {
    await this.table.delete(deliveryKeys.ledger(tenantId, campaignId, deviceId), { ConditionExpression: 'lease = :lease', ExpressionAttributeValues: { ':lease': lease } });
  }

  async entries(tenantId: string, campaignId: string): Promise<LedgerEntry[]> {
    const limit = pLimit(8);
    const pages = await Promise.all(
      deliveryKeys.ledgerPartitions(tenantId, campaignId).map((pk) =>
        limit(() => this.table.queryAll({ KeyConditionExpression: 'pk = :pk AND begins_with(sk, :dev)', ExpressionAttributeValues: { ':pk': pk, ':dev': 'DEV#' } })),
      ),
    );
    return pages.flat().map((i) => ({ campaignId: i.campaignId, deviceId: i.deviceId, state: i.state, reason: i.reason ?? null, platform: i.platform ?? null, at: i.at, batchId: i.batchId ?? null }));
  }
}
