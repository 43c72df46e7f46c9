/**
 * The local push gateway: records every push it "delivers" (exactly the SNS message it would
 * publish) in an outbox, one item per push, so tests can see a duplicate if one ever happened.
 * It can be told to fail a fraction of sends (transiently) or to report tokens as unregistered.
 */
import { randomUUID } from 'node:crypto';
import { TransientPushError, type Push, type PushGateway, type PushResult } from '../../ports/push-gateway';
import type { DynamoTable } from '../dynamo/table';

export interface OutboxItem {
  deviceId: string;
  platform: 'ios' | 'android';
  message: Record<string, string>;
  sentAt: string;
}

export interface GatewayFaults {
  /** Fraction (0–1) of provider calls that fail transiently. */
  failureRate: number;
  /** Tokens the provider reports as unregistered. */
  unregisteredTokens: string[];
  /** Simulated provider latency per push (ms). */
  latencyMs: number;
}

const pk = (tenantId: string, campaignId: string) => `OUTBOX#${tenantId}#${campaignId}`;

export class OutboxPushGateway implements PushGateway {
  /** Injected faults per tenant, so one tenant's test switches never touch another's pushes. */
  private readonly faults = new Map<string, GatewayFaults>();

  constructor(
    private readonly table: DynamoTable,
    private readonly random: () => number = Math.random,
    private readonly attempts = 3,
  ) {}

  faultsFor(tenantId: string): GatewayFaults {
    return this.faults.get(tenantId) ?? { failureRate: 0, unregisteredTokens: [], latencyMs: 0 };
  }

  setFaults(tenantId: string, faults: GatewayFaults): void {
    this.faults.set(tenantId, faults);
  }

  async send(push: Push): Promise<PushResult> {
    const faults = this.faultsFor(push.tenantId);
    if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
    // Like the SNS adapter, retry transient provider failures a few times before giving up.
    for (let attempt = 1; ; attempt++) {
      if (faults.unregisteredTokens.includes(push.token)) return { outcome: 'invalid_token', reason: 'Unregistered' };
      if (this.random() >= faults.failureRate) break;
      if (attempt >= this.attempts) throw new TransientPushError('injected transient provider failure');
      await new Promise((r) => setTimeout(r, 5 * attempt));
    }
    const item: OutboxItem = { deviceId: push.deviceId, platform: push.platform, message: push.message as Record<string, string>, sentAt: new Date().toISOString() };
    await this.table.put({ pk: pk(push.tenantId, push.campaignId), sk: `${push.deviceId}#${randomUUID()}`, ...item, attributes: push.attributes });
    return { outcome: 'sent', providerId: `local-${randomUUID()}` };
  }

  async deliveryRecord(tenantId: string, campaignId: string, deviceId: string): Promise<'delivered' | 'not_delivered'> {
    const page = await this.table.queryPage({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :dev)',
      ExpressionAttributeValues: { ':pk': pk(tenantId, campaignId), ':dev': `${deviceId}#` },
      Limit: 1,
    });
    return page.items.length > 0 ? 'delivered' : 'not_delivered';
  }

  /** Every push delivered for a campaign of a tenant, oldest first. */
  async outbox(tenantId: string, campaignId: string): Promise<OutboxItem[]> {
    const items = await this.table.queryAll({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk(tenantId, campaignId) } });
    return items
      .map((i) => ({ deviceId: i.deviceId, platform: i.platform, message: i.message, sentAt: i.sentAt }))
      .sort((a, b) => a.sentAt.localeCompare(b.sentAt) || a.deviceId.localeCompare(b.deviceId));
  }
}
