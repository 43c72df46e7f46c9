/**
 * The frequency cap's view of a device's pushes. Every push a campaign sends is in the deliveries
 * table's sends-by-device index (the sent ledger item carries its keys), so recording a push costs
 * no write of its own and a cap switched on later counts the pushes of its window.
 *
 * Reserving under a cap must stay strict when several campaigns push the same device at once: the
 * reservation is made on one item per device (`CAP`), changed only by compare-and-set on `rev`. Its
 * history is the reservations made under a cap, merged with the index (pushes made while no cap was
 * set). Cost per pushed device under a cap: 1 GetItem + 1 Query on the index + 1 conditional PutItem;
 * without a cap: nothing. The index is eventually consistent in AWS (typically well under a second):
 * only a push made without a cap in the very last moments before a cap is switched on can be missed.
 */
import { SENDS_BY_DEVICE_INDEX } from '../../config/tables';
import { MAX_CAP_WINDOW_HOURS, applyFrequencyCap, trimSendHistory, type SendRecord } from '../../domain/campaigns/frequency-cap';
import type { Cap, FrequencyCapStore } from '../../ports/delivery-ledger';
import { deliveryKeys } from './keys';
import type { DynamoTable, Item } from './table';

/** Reservations older than the longest window cannot count: the item expires a day after that. */
const CAP_TTL_SECONDS = MAX_CAP_WINDOW_HOURS * 3600 + 86_400;

interface CapItem {
  sends: SendRecord[];
  rev: number;
}

const expiresAt = (now: Date) => Math.floor(now.getTime() / 1000) + CAP_TTL_SECONDS;

export class DynamoFrequencyCapStore implements FrequencyCapStore {
  constructor(private readonly table: DynamoTable) {}

  async reserve(tenantId: string, deviceId: string, campaignId: string, now: Date, cap: Cap): Promise<boolean> {
    const key = deliveryKeys.cap(tenantId, deviceId);
    const sent = await this.sentInWindow(tenantId, deviceId, now, cap.windowHours);
    for (let attempt = 0; attempt < 20; attempt++) {
      const item = (await this.table.get(key)) as (CapItem & Item) | undefined;
      const reserved = item?.sends ?? [];
      if (reserved.some((s) => s.campaignId === campaignId)) return true; // a retry finds its own reservation
      const history = [...reserved, ...sent.filter((s) => !reserved.some((r) => r.campaignId === s.campaignId))];
      if (history.some((s) => s.campaignId === campaignId)) return true; // already pushed for this campaign
      const verdict = applyFrequencyCap(history.map((s) => s.at), now, cap);
      if (!verdict.allowed) return false;
      const next = trimSendHistory([...reserved.filter((s) => s.at !== now.toISOString()), { campaignId, at: now.toISOString() }], now);
      if (await this.replace(key, item, next, now)) return true;
    }
    throw new Error('frequency cap: too much contention on one device');
  }

  /** The device's pushes since the window opened, from the sends-by-device index. */
  private async sentInWindow(tenantId: string, deviceId: string, now: Date, windowHours: number): Promise<SendRecord[]> {
    const from = new Date(now.getTime() - windowHours * 3_600_000).toISOString();
    const items = await this.table.queryAll({
      IndexName: SENDS_BY_DEVICE_INDEX.name,
      KeyConditionExpression: '#p = :p AND #s >= :from',
      ExpressionAttributeNames: { '#p': SENDS_BY_DEVICE_INDEX.partitionKey, '#s': SENDS_BY_DEVICE_INDEX.sortKey },
      ExpressionAttributeValues: { ':p': deliveryKeys.sentByDevicePartition(tenantId, deviceId), ':from': from },
    });
    return items.map((i) => {
      const dsk = String(i[SENDS_BY_DEVICE_INDEX.sortKey]);
      const cut = dsk.indexOf('#');
      return { at: dsk.slice(0, cut), campaignId: dsk.slice(cut + 1) };
    });
  }

  /** Write the reservations back if nobody changed them since they were read. */
  private async replace(key: { pk: string; sk: string }, read: (CapItem & Item) | undefined, sends: SendRecord[], now: Date): Promise<boolean> {
    const next: Item = { ...key, sends, rev: (read?.rev ?? 0) + 1, expiresAt: expiresAt(now) };
    return this.table.put(next, read ? { ConditionExpression: 'rev = :rev', ExpressionAttributeValues: { ':rev': read.rev } } : { ConditionExpression: 'attribute_not_exists(pk)' });
  }
}
