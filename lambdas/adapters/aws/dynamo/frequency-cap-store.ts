/**
 * Per-device send history for the frequency cap: one item per device (its recent pushes), kept
 * whether or not a cap is set, so a cap switched on later counts the pushes of its window.
 *
 * Cost per pushed device: with a cap, 1 GetItem + 1 conditional PutItem (compare-and-set on `rev`,
 * the verdict needs the history); without one, 1 UpdateItem and no read (an append). Every write
 * bumps `rev`, so a reservation racing an append retries and sees it: the cap stays strict under
 * concurrent campaigns even while settings change. Appends trim the list (one more CAS put) only
 * once it holds 20 entries beyond what any cap can use.
 */
import { MAX_CAP_PER_DEVICE, MAX_CAP_WINDOW_HOURS, applyFrequencyCap, trimSendHistory, type SendRecord } from '../../../domain/campaigns/frequency-cap';
import type { Cap, FrequencyCapStore } from '../../../ports/delivery-ledger';
import { deliveryKeys } from './keys';
import type { DynamoTable, Item } from './table';

/** History older than the longest window cannot count: the item expires a day after that. */
const CAP_TTL_SECONDS = MAX_CAP_WINDOW_HOURS * 3600 + 86_400;
const TRIM_SLACK = 20;

interface CapItem {
  sends: SendRecord[];
  /** Campaign ids in `sends`, as a string set: an append is conditional on its campaign's absence. */
  cids?: Set<string>;
  rev: number;
}

const expiresAt = (now: Date) => Math.floor(now.getTime() / 1000) + CAP_TTL_SECONDS;

export class DynamoFrequencyCapStore implements FrequencyCapStore {
  constructor(private readonly table: DynamoTable) {}

  async reserve(tenantId: string, deviceId: string, campaignId: string, now: Date, cap: Cap): Promise<boolean> {
    const key = deliveryKeys.cap(tenantId, deviceId);
    for (let attempt = 0; attempt < 20; attempt++) {
      const item = (await this.table.get(key)) as (CapItem & Item) | undefined;
      const sends = item?.sends ?? [];
      if (sends.some((s) => s.campaignId === campaignId)) return true; // a retry finds its own reservation
      const verdict = applyFrequencyCap(sends.map((s) => s.at), now, cap);
      if (!verdict.allowed) return false;
      const next = trimSendHistory([...sends.filter((s) => s.at !== now.toISOString()), { campaignId, at: now.toISOString() }], now);
      if (await this.replace(key, item, next, now)) return true;
    }
    throw new Error('frequency cap: too much contention on one device');
  }

  async record(tenantId: string, deviceId: string, campaignId: string, now: Date): Promise<void> {
    const key = deliveryKeys.cap(tenantId, deviceId);
    const item = (await this.table.update({
      Key: key,
      UpdateExpression: 'SET sends = list_append(if_not_exists(sends, :none), :one), rev = if_not_exists(rev, :zero) + :inc, expiresAt = :exp ADD cids :cid',
      ConditionExpression: 'NOT contains(cids, :c)',
      ExpressionAttributeValues: { ':none': [], ':one': [{ campaignId, at: now.toISOString() }], ':zero': 0, ':inc': 1, ':exp': expiresAt(now), ':cid': new Set([campaignId]), ':c': campaignId },
    })) as (CapItem & Item) | undefined;
    if (!item) return; // this campaign is recorded already (a retried batch)
    if (item.sends.length > MAX_CAP_PER_DEVICE + TRIM_SLACK) await this.replace(key, item, trimSendHistory(item.sends, now), now); // lost race: the next append trims
  }

  /** Write the whole history back if nobody changed it since it was read. */
  private async replace(key: { pk: string; sk: string }, read: (CapItem & Item) | undefined, sends: SendRecord[], now: Date): Promise<boolean> {
    const next: Item = { ...key, sends, rev: (read?.rev ?? 0) + 1, expiresAt: expiresAt(now) };
    if (sends.length > 0) next.cids = new Set(sends.map((s) => s.campaignId));
    return this.table.put(next, read ? { ConditionExpression: 'rev = :rev', ExpressionAttributeValues: { ':rev': read.rev } } : { ConditionExpression: 'attribute_not_exists(pk)' });
  }
}
