/**
 * Reservations under a frequency cap. Every push a campaign sends is in the lake's deliveries table,
 * cap or not; the trigger reads each device's pushes of the window from it with the wave's members
 * query (when a cap is set) and hands them to the sender with the batch, so a cap switched on later
 * counts the pushes of its window and recording a push costs no DynamoDB write of its own.
 *
 * Reserving under a cap must stay strict when several campaigns push the same device at once: the
 * reservation is made on one item per device (`CAP`), changed only by compare-and-set on `rev`. Its
 * history is the reservations made under a cap, merged with the lake's pushes (one per campaign).
 * A chunk reserves its devices together: one BatchGetItem reads their items, then one conditional
 * PutItem per device the cap allows (a device whose item changed meanwhile is decided again, alone).
 * Cost per pushed device under a cap: 1/100 BatchGetItem + 1 conditional PutItem; without a cap: nothing.
 * The lake lags by Firehose's buffer (2 minutes in AWS): a push made without a cap in the last
 * minutes before a cap is switched on, or after the wave's query ran, can be missed.
 */
import { MAX_CAP_WINDOW_HOURS, applyFrequencyCap, trimSendHistory, type SendRecord } from '../../domain/campaigns/frequency-cap';
import pLimit from 'p-limit';
import type { Cap, CapCandidate, FrequencyCapStore } from '../../ports/delivery-ledger';
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

  async reserveMany(tenantId: string, campaignId: string, now: Date, cap: Cap, devices: readonly CapCandidate[]): Promise<Set<string>> {
    const allowed = new Set<string>();
    if (devices.length === 0) return allowed;
    const read = await this.table.getMany(devices.map((d) => deliveryKeys.cap(tenantId, d.deviceId)));
    const byPk = new Map(read.map((i) => [String(i.pk), i as CapItem & Item]));
    const limit = pLimit(8);
    await Promise.all(
      devices.map((d) =>
        limit(async () => {
          const key = deliveryKeys.cap(tenantId, d.deviceId);
          if (await this.reserveOne(key, byPk.get(key.pk), campaignId, now, cap, d.sent)) allowed.add(d.deviceId);
        }),
      ),
    );
    return allowed;
  }

  async underCap(tenantId: string, campaignId: string, now: Date, cap: Cap, devices: readonly CapCandidate[]): Promise<Set<string>> {
    if (devices.length === 0) return new Set();
    const read = await this.table.getMany(devices.map((d) => deliveryKeys.cap(tenantId, d.deviceId)));
    const byPk = new Map(read.map((i) => [String(i.pk), i as CapItem & Item]));
    return new Set(
      devices
        .filter(
          (d) => capVerdict(byPk.get(deliveryKeys.cap(tenantId, d.deviceId).pk)?.sends ?? [], campaignId, now, cap, d.sent) !== 'capped',
        )
        .map((d) => d.deviceId),
    );
  }

  async forget(tenantId: string, deviceIds: readonly string[]): Promise<void> {
    const limit = pLimit(8);
    await Promise.all([...new Set(deviceIds)].map((d) => limit(() => this.table.delete(deliveryKeys.cap(tenantId, d)))));
  }

  /** Decide one device from its item as read; when someone changed it meanwhile, read it again and retry. */
  private async reserveOne(
    key: { pk: string; sk: string },
    first: (CapItem & Item) | undefined,
    campaignId: string,
    now: Date,
    cap: Cap,
    sent: readonly SendRecord[],
  ): Promise<boolean> {
    let item = first;
    for (let attempt = 0; attempt < 20; attempt++) {
      if (attempt > 0) item = (await this.table.get(key)) as (CapItem & Item) | undefined;
      const reserved = item?.sends ?? [];
      const verdict = capVerdict(reserved, campaignId, now, cap, sent);
      if (verdict === 'own') return true;
      if (verdict === 'capped') return false;
      const next = trimSendHistory([...reserved, { campaignId, at: now.toISOString() }], now);
      if (await this.replace(key, item, next, now)) return true;
    }
    throw new Error('frequency cap: too much contention on one device');
  }

  /** Write the reservations back if nobody changed them since they were read. */
  private async replace(
    key: { pk: string; sk: string },
    read: (CapItem & Item) | undefined,
    sends: SendRecord[],
    now: Date,
  ): Promise<boolean> {
    const next: Item = { ...key, sends, rev: (read?.rev ?? 0) + 1, expiresAt: expiresAt(now) };
    return this.table.put(
      next,
      read
        ? { ConditionExpression: 'rev = :rev', ExpressionAttributeValues: { ':rev': read.rev } }
        : { ConditionExpression: 'attribute_not_exists(pk)' },
    );
  }
}

/**
 * Whether a device may be pushed for `campaignId` now: `own` when this campaign already holds a
 * reservation or a push (a retry finds its own), `capped` when its history in the window reaches the
 * cap, else `allowed`. History: the reservations made under a cap merged with the lake's pushes.
 */
function capVerdict(
  reserved: readonly SendRecord[],
  campaignId: string,
  now: Date,
  cap: Cap,
  sent: readonly SendRecord[],
): 'own' | 'allowed' | 'capped' {
  if (reserved.some((s) => s.campaignId === campaignId)) return 'own';
  // One push per campaign: the lake may hold a chunk's rows twice (a retried chunk writes them again).
  const pushed = [...new Map(sent.map((s) => [s.campaignId, s])).values()];
  // A push the reservations already hold is not counted again from the lake: a campaign's reservation is its
  // id, an automation's is `<automation id>/<batch id>` (one per occurrence) while its lake rows carry the id.
  const reservedBy = new Set(reserved.map((r) => r.campaignId.split('/')[0]));
  const history = [...reserved, ...pushed.filter((s) => !reservedBy.has(s.campaignId))];
  if (history.some((s) => s.campaignId === campaignId)) return 'own'; // already pushed for this campaign
  return applyFrequencyCap(
    history.map((s) => s.at),
    now,
    cap,
  ).allowed
    ? 'allowed'
    : 'capped';
}
