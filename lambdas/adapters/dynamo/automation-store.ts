/**
 * Automations' state in the records table (see ports/automation-store.ts for what each item is for).
 *
 * Items (t = tenant, d = device, a = automation):
 * - `T#t#AUTOS` / `A#a`: an active automation (its trigger), one query per events request;
 *   `AUTOS#INACTIVITY` / `T#t#a`: the active inactivity automations of every tenant (the daily run).
 * - `T#t#DEV#d` / `AUTO#a#OCC#<occurrence>`: a due item, beside the device's record (an erasure of
 *   the device finds it there). While it waits, `duePk` = `DUE#<shard>` and `dueSk` = its due time (then its key)
 *   put it in the sparse `due` index, which the sweeper reads with `dueSk <= now`; a paused
 *   automation's items move to `PARK#t#a`; a finished one leaves the index but stays until
 *   `expiresAt` (due time + 3 days), so an event ingested again cannot enter the same occurrence twice.
 * - `T#t#DEV#d` / `AUTO#a#LAST`: when the automation last handed the device to a batch (re-entry).
 * - `AUTOBATCH#OPEN` / `<batch id>`: a sweeper batch between its opening and its hand-over (its items).
 * - `T#t#DEV#d` / `FIRSTOPEN`: the device's first app open (welcome).
 * - `T#t#DEV#d` / `EXIT#<key>` and `T#t#CUST#<customer>` / `EXIT#<key>`: the latest exit event.
 *
 * Writes per triggered device: 1 conditional put on entry, 1 to finish it (BatchWriteItem, 25 a
 * request) (+ 1 re-entry mark when the automation has a re-entry window), + the open batch's record
 * (written and deleted) per 100 devices. The sweeper reads DUE_SHARDS index
 * partitions per run (keys only) and the items with one BatchGetItem per 100.
 */
import pLimit from 'p-limit';
import type {
  ActiveAutomation,
  AutomationStore,
  DueItem,
  DueOutcome,
  ExitMark,
  ExitSubject,
  OpenBatch,
} from '../../ports/automation-store';
import { subjectTag } from '../../ports/automation-store';
import { stableHash } from './keys';
import type { DynamoTable, Item, Key } from './table';

/** Index partitions of waiting items: spreads the writes of a burst of triggers (a partition takes ~1,000 writes/s). */
export const DUE_SHARDS = 8;
const DUE_INDEX = 'due';
const DAY_S = 86_400;
/** Finished items are kept this long after their due time (an event can enter at most 24 h after it). */
const KEEP_DONE_S = 3 * DAY_S;
/** Exit marks outlive the longest delay (30 days). */
const KEEP_EXIT_S = 31 * DAY_S;

const epoch = (iso: string | Date) => Math.floor(new Date(iso).getTime() / 1000);
const devicePk = (t: string, d: string) => `T#${t}#DEV#${d}`;
const dueKey = (i: Pick<DueItem, 'tenantId' | 'deviceId' | 'automationId' | 'occurrence'>): Key => ({
  pk: devicePk(i.tenantId, i.deviceId),
  sk: `AUTO#${i.automationId}#OCC#${i.occurrence}`,
});
const duePk = (deviceId: string) => `DUE#${stableHash(deviceId) % DUE_SHARDS}`;
const parkPk = (t: string, a: string) => `PARK#${t}#${a}`;
/** Open sweeper batches of every tenant, in one small partition (the sweeper, one at a time, reads it first). */
const OPEN_BATCHES = 'AUTOBATCH#OPEN';
const openBatchKey = (batchId: string): Key => ({ pk: OPEN_BATCHES, sk: batchId });

/**
 * The index sort key of a waiting item: its due time, then its table key. The due time alone would be
 * enough for DynamoDB, but dynalite keys an index entry by (index keys, a 6-hex-digit hash of the table
 * key): thousands of items due at the same instant in one shard collide there (~1 in 3 runs at 10,000),
 * and a colliding entry silently replaces another, whose item would never be listed again.
 */
function dueSortKey(i: Pick<DueItem, 'dueAt'> & Parameters<typeof dueKey>[0]): string {
  const { pk, sk } = dueKey(i);
  return `${i.dueAt}|${pk}|${sk}`;
}

/** A due item as stored, off the due list (callers add `duePk`/`dueSk` to list it). */
function stored(i: DueItem): Item {
  return {
    ...dueKey(i),
    tenantId: i.tenantId,
    automationId: i.automationId,
    deviceId: i.deviceId,
    occurrence: i.occurrence,
    triggerTs: i.triggerTs,
    dueAt: i.dueAt,
    expiresAt: epoch(i.dueAt) + KEEP_DONE_S,
  };
}
const subjectPk = (t: string, s: ExitSubject) => ('deviceId' in s ? devicePk(t, s.deviceId) : `T#${t}#CUST#${s.customerId}`);

function toDue(item: Item): DueItem {
  return {
    tenantId: String(item.tenantId),
    automationId: String(item.automationId),
    deviceId: String(item.deviceId),
    occurrence: String(item.occurrence),
    triggerTs: String(item.triggerTs),
    dueAt: String(item.dueAt),
    batch: item.batch ?? null,
  };
}

export class DynamoAutomationStore implements AutomationStore {
  constructor(private readonly table: DynamoTable) {}

  async activate(a: ActiveAutomation): Promise<void> {
    const body = {
      tenantId: a.tenantId,
      automationId: a.automationId,
      trigger: a.trigger,
      activeSince: a.activeSince,
      paused: a.paused ?? false,
    };
    await this.table.put({ pk: `T#${a.tenantId}#AUTOS`, sk: `A#${a.automationId}`, ...body });
    // The daily inactivity run looks at running automations only.
    if (a.trigger.type === 'inactivity' && !a.paused)
      await this.table.put({ pk: 'AUTOS#INACTIVITY', sk: `T#${a.tenantId}#${a.automationId}`, ...body });
    else await this.table.delete({ pk: 'AUTOS#INACTIVITY', sk: `T#${a.tenantId}#${a.automationId}` });
  }

  async deactivate(tenantId: string, automationId: string): Promise<void> {
    await this.table.delete({ pk: `T#${tenantId}#AUTOS`, sk: `A#${automationId}` });
    await this.table.delete({ pk: 'AUTOS#INACTIVITY', sk: `T#${tenantId}#${automationId}` });
  }

  async activeOf(tenantId: string): Promise<ActiveAutomation[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `T#${tenantId}#AUTOS` },
      ConsistentRead: true,
    });
    return items.map(toActive);
  }

  async activeInactivity(): Promise<ActiveAutomation[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'AUTOS#INACTIVITY' },
      ConsistentRead: true,
    });
    return items.map(toActive);
  }

  async markEvaluated(tenantId: string, automationId: string, through: Date): Promise<void> {
    // Only while it is still registered (a pause or cancel meanwhile removed it: nothing to remember).
    await this.table.update({
      Key: { pk: 'AUTOS#INACTIVITY', sk: `T#${tenantId}#${automationId}` },
      UpdateExpression: 'SET evaluatedThrough = :t',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':t': through.toISOString() },
    });
  }

  async enter(items: readonly DueItem[], now: Date): Promise<DueItem[]> {
    const limit = pLimit(8);
    const fresh = await Promise.all(
      items.map((i) =>
        limit(async () => {
          const put = await this.table.put(
            { ...stored(i), duePk: duePk(i.deviceId), dueSk: dueSortKey(i), enteredAt: now.toISOString() },
            { ConditionExpression: 'attribute_not_exists(pk)' },
          );
          return put ? i : undefined;
        }),
      ),
    );
    return fresh.filter((i): i is DueItem => i !== undefined);
  }

  async due(now: Date, limit: number): Promise<DueItem[]> {
    // An equal share from every shard (a burst in one shard does not hold up items due earlier in another).
    const perShard = Math.max(1, Math.ceil(limit / DUE_SHARDS));
    const pages = await Promise.all(
      Array.from({ length: DUE_SHARDS }, (_, shard) =>
        // The index is eventually consistent: the items themselves are read back below, strongly.
        this.table.queryPage({
          IndexName: DUE_INDEX,
          // `~` sorts after the `|` that follows the due time in every sort key: all items due at or before now.
          KeyConditionExpression: 'duePk = :p AND dueSk <= :now',
          ExpressionAttributeValues: { ':p': `DUE#${shard}`, ':now': `${now.toISOString()}~` },
          Limit: perShard,
        }),
      ),
    );
    const keys: Key[] = pages.flatMap((page) => page.items.map((i) => ({ pk: String(i.pk), sk: String(i.sk) })));
    if (keys.length === 0) return [];
    const items = await this.table.getMany(keys);
    return items
      .filter((i) => typeof i.duePk === 'string' && i.duePk.startsWith('DUE#') && String(i.dueAt) <= now.toISOString())
      .map(toDue)
      .sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.deviceId.localeCompare(b.deviceId));
  }

  async openBatch(batch: OpenBatch): Promise<void> {
    await this.table.put({ ...openBatchKey(batch.batchId), ...batch, expiresAt: epoch(new Date()) + KEEP_DONE_S });
  }

  async openBatches(): Promise<OpenBatch[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': OPEN_BATCHES },
      ConsistentRead: true,
    });
    return items.map((i) => ({
      batchId: String(i.batchId),
      tenantId: String(i.tenantId),
      automationId: String(i.automationId),
      items: i.items,
    }));
  }

  async closeBatch(batch: Pick<OpenBatch, 'batchId'>): Promise<void> {
    await this.table.delete(openBatchKey(batch.batchId));
  }

  async finishMany(items: readonly DueItem[], outcome: DueOutcome, now: Date, batch?: string): Promise<void> {
    await this.table.putMany(items.map((i) => ({ ...stored(i), outcome, doneAt: now.toISOString(), ...(batch ? { batch } : {}) })));
  }

  async parkMany(items: readonly DueItem[]): Promise<void> {
    await this.table.putMany(items.map((i) => ({ ...stored(i), duePk: parkPk(i.tenantId, i.automationId), dueSk: dueSortKey(i) })));
  }

  async unpark(tenantId: string, automationId: string): Promise<number> {
    return this.eachParked(tenantId, automationId, async (key, deviceId) => {
      const out = await this.table.update({
        Key: key,
        UpdateExpression: 'SET duePk = :due',
        ConditionExpression: 'duePk = :park',
        ExpressionAttributeValues: { ':due': duePk(deviceId), ':park': parkPk(tenantId, automationId) },
      });
      return out !== undefined;
    });
  }

  async dropParked(tenantId: string, automationId: string, now: Date): Promise<number> {
    return this.eachParked(tenantId, automationId, async (key) => {
      const out = await this.table.update({
        Key: key,
        UpdateExpression: 'SET outcome = :o, doneAt = :now REMOVE duePk, dueSk',
        ConditionExpression: 'duePk = :park',
        ExpressionAttributeValues: { ':o': 'dropped', ':now': now.toISOString(), ':park': parkPk(tenantId, automationId) },
      });
      return out !== undefined;
    });
  }

  /** Apply `change` to each parked item of an automation, a page of keys at a time, 32 writes in flight; how many it changed. */
  private async eachParked(
    tenantId: string,
    automationId: string,
    change: (key: Key, deviceId: string) => Promise<boolean>,
  ): Promise<number> {
    const limit = pLimit(32);
    let changed = 0;
    let start: Key | undefined;
    do {
      const page = await this.table.queryPage({
        IndexName: DUE_INDEX,
        KeyConditionExpression: 'duePk = :p',
        ExpressionAttributeValues: { ':p': parkPk(tenantId, automationId) },
        ExclusiveStartKey: start,
      });
      const done = await Promise.all(
        page.items.map((k) => limit(() => change({ pk: String(k.pk), sk: String(k.sk) }, String(k.pk).slice(`T#${tenantId}#DEV#`.length)))),
      );
      changed += done.filter(Boolean).length;
      start = page.lastKey;
    } while (start);
    return changed;
  }

  async noteExits(tenantId: string, marks: readonly ExitMark[], now: Date): Promise<void> {
    // The latest ts per (subject, key) of this call; the stored one is replaced only by a later one.
    const latest = new Map<string, ExitMark>();
    for (const m of marks) {
      const id = `${subjectTag(m.subject)}|${m.key}`;
      if (!latest.has(id) || latest.get(id)!.ts < m.ts) latest.set(id, m);
    }
    const limit = pLimit(8);
    await Promise.all(
      [...latest.values()].map((m) =>
        limit(() =>
          this.table.update({
            Key: { pk: subjectPk(tenantId, m.subject), sk: `EXIT#${m.key}` },
            UpdateExpression: 'SET ts = :ts, expiresAt = :exp',
            ConditionExpression: 'attribute_not_exists(ts) OR ts < :ts',
            ExpressionAttributeValues: { ':ts': m.ts, ':exp': Math.max(epoch(m.ts), epoch(now)) + KEEP_EXIT_S },
          }),
        ),
      ),
    );
  }

  async exitsOf(tenantId: string, subjects: readonly ExitSubject[], keys: readonly string[]): Promise<Map<string, Map<string, string>>> {
    const out = new Map<string, Map<string, string>>();
    if (subjects.length === 0 || keys.length === 0) return out;
    const tagOf = new Map(subjects.map((s) => [subjectPk(tenantId, s), subjectTag(s)]));
    const wanted = [...tagOf.keys()].flatMap((pk) => keys.map((k) => ({ pk, sk: `EXIT#${k}` })));
    for (const item of await this.table.getMany(wanted)) {
      const tag = tagOf.get(String(item.pk))!;
      if (!out.has(tag)) out.set(tag, new Map());
      out.get(tag)!.set(String(item.sk).slice('EXIT#'.length), String(item.ts));
    }
    return out;
  }

  async lastPushed(tenantId: string, automationId: string, deviceIds: readonly string[]): Promise<Map<string, string>> {
    const items = await this.table.getMany(
      [...new Set(deviceIds)].map((d) => ({ pk: devicePk(tenantId, d), sk: `AUTO#${automationId}#LAST` })),
    );
    return new Map(items.map((i) => [String(i.deviceId), String(i.at)]));
  }

  async notePushed(tenantId: string, automationId: string, deviceIds: readonly string[], at: Date, keepDays: number): Promise<void> {
    if (keepDays <= 0) return;
    await this.table.putMany(
      [...new Set(deviceIds)].map((d) => ({
        pk: devicePk(tenantId, d),
        sk: `AUTO#${automationId}#LAST`,
        deviceId: d,
        at: at.toISOString(),
        expiresAt: epoch(at) + (keepDays + 1) * DAY_S,
      })),
    );
  }

  async firstOpened(tenantId: string, deviceIds: readonly string[]): Promise<Set<string>> {
    const items = await this.table.getMany([...new Set(deviceIds)].map((d) => ({ pk: devicePk(tenantId, d), sk: 'FIRSTOPEN' })));
    return new Set(items.map((i) => String(i.deviceId)));
  }

  async noteFirstOpens(tenantId: string, opens: readonly { deviceId: string; ts: string }[]): Promise<void> {
    const limit = pLimit(8);
    await Promise.all(
      opens.map((o) =>
        limit(() =>
          this.table.put(
            { pk: devicePk(tenantId, o.deviceId), sk: 'FIRSTOPEN', deviceId: o.deviceId, ts: o.ts },
            { ConditionExpression: 'attribute_not_exists(pk)' },
          ),
        ),
      ),
    );
  }

  async forget(tenantId: string, deviceIds: readonly string[], customerIds: readonly string[]): Promise<void> {
    const limit = pLimit(8);
    const partitions = [
      ...[...new Set(deviceIds)].map((d) => ({ pk: devicePk(tenantId, d), prefixes: ['AUTO#', 'EXIT#', 'FIRSTOPEN'] })),
      ...[...new Set(customerIds)].map((c) => ({ pk: `T#${tenantId}#CUST#${c}`, prefixes: ['EXIT#'] })),
    ];
    await Promise.all(
      partitions.map(({ pk, prefixes }) =>
        limit(async () => {
          for (const prefix of prefixes) {
            const items = await this.table.queryAll({
              KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
              ExpressionAttributeValues: { ':pk': pk, ':p': prefix },
              ProjectionExpression: 'pk, sk',
            });
            for (const i of items) await this.table.delete({ pk: String(i.pk), sk: String(i.sk) });
          }
        }),
      ),
    );
  }
}

function toActive(item: Item): ActiveAutomation {
  return {
    tenantId: String(item.tenantId),
    automationId: String(item.automationId),
    trigger: item.trigger,
    activeSince: String(item.activeSince),
    paused: item.paused === true,
    ...(typeof item.evaluatedThrough === 'string' ? { evaluatedThrough: item.evaluatedThrough } : {}),
  };
}
