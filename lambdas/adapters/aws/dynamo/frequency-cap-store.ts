/** Per-device send history for the frequency cap, changed only by compare-and-set on a revision number. */
import { applyFrequencyCap } from '../../../domain/campaigns/frequency-cap';
import type { FrequencyCapStore } from '../../../ports/delivery-ledger';
import { deliveryKeys } from './keys';
import type { DynamoTable } from './table';

interface CapItem {
  sends: { campaignId: string; at: string }[];
  rev: number;
}

export class DynamoFrequencyCapStore implements FrequencyCapStore {
  constructor(private readonly table: DynamoTable) {}

  async reserve(tenantId: string, deviceId: string, campaignId: string, now: Date, cap: { maxPerDevice: number; windowHours: number }): Promise<boolean> {
    const key = deliveryKeys.cap(tenantId, deviceId);
    for (let attempt = 0; attempt < 20; attempt++) {
      const item = (await this.table.get(key)) as (CapItem & { pk: string }) | undefined;
      const sends = item?.sends ?? [];
      if (sends.some((s) => s.campaignId === campaignId)) return true; // a retry finds its own reservation
      const verdict = applyFrequencyCap(sends.map((s) => s.at), now, cap);
      if (!verdict.allowed) return false;
      const kept = sends.filter((s) => verdict.sentAt.includes(s.at));
      const next = { ...key, sends: [...kept.filter((s) => s.at !== now.toISOString()), { campaignId, at: now.toISOString() }], rev: (item?.rev ?? 0) + 1 };
      const ok = await this.table.put(
        next,
        item ? { ConditionExpression: 'rev = :rev', ExpressionAttributeValues: { ':rev': item.rev } } : { ConditionExpression: 'attribute_not_exists(pk)' },
      );
      if (ok) return true;
    }
    throw new Error('frequency cap: too much contention on one device');
  }
}
