/**
 * Erasures in the records table, without transactions (dynalite has none), in three kinds of item:
 * - `T#<tenant>` / `ERASURE#<id>`: the erasure itself;
 * - `T#<tenant>` / `ERASUBJ#<subjectKey>`: the claim of a subject by its running erasure, taken with a
 *   conditional put, so one subject has one running erasure. The claim carries the erasure's creation
 *   record: whoever finds a claim whose erasure item is not written yet (its writer is slow, or died)
 *   writes that very item itself instead of starting a second erasure. A claim is stale only once
 *   its erasure has finished; then the next start takes it over (compare-and-set on the holder);
 * - `ERASURES#RUNNING` / `T#<tenant>#<id>`: the running index the hourly sweep lists (one small
 *   partition), written after the claim and before the erasure item, removed after it finished.
 * Every write is idempotent, so a start or finish cut short by a crash is completed by the next
 * start, finish or running() that comes across its leftovers.
 */
import { subjectKey, type Erasure, type ErasureSubject } from '../../domain/lake/erasure';
import { RESOURCE_ID_PATTERN } from '../../domain/ids';
import type { ErasureStore } from '../../ports/erasure-store';
import { keys } from './keys';
import { withoutKeys, type DynamoTable, type Item } from './table';

/** What a claim and an index item carry: enough to write the erasure item from either. */
interface Creation {
  id: string;
  tenantId: string;
  subject: ErasureSubject;
  createdAt: string;
}

type Outcome = Pick<Erasure, 'status' | 'devices' | 'events' | 'error' | 'completedAt'>;
const OUTCOME_FIELDS = ['devices', 'events', 'error', 'completedAt'] as const;

/** Rounds of "claim, else look at the holder" before giving up (each lost round means someone else moved). */
const MAX_ROUNDS = 5;

export class DynamoErasureStore implements ErasureStore {
  constructor(private readonly table: DynamoTable) {}

  async start(erasure: Erasure): Promise<{ erasure: Erasure; created: boolean }> {
    const mine: Creation = { id: erasure.id, tenantId: erasure.tenantId, subject: erasure.subject, createdAt: erasure.createdAt };
    const claimKey = keys.erasureSubject(erasure.tenantId, subjectKey(erasure.subject));
    const claim = { ...claimKey, ...creationAttributes(mine) };
    for (let round = 0; round < MAX_ROUNDS; round++) {
      if (await this.table.put(claim, { ConditionExpression: 'attribute_not_exists(pk)' }))
        return { erasure: await this.materialise(mine), created: true };
      const held = await this.table.get(claimKey);
      if (!held) continue; // released meanwhile: claim again
      const holder = creationOf(held);
      const current = await this.get(holder.tenantId, holder.id);
      // Claimed, item not written yet: write it for its starter (the same item it writes) and join it.
      if (!current) return { erasure: await this.materialise(holder), created: false };
      if (current.status === 'running') return { erasure: current, created: false };
      // Stale: its erasure finished, the release was cut short. Take it over, unless someone else just did.
      const took = await this.table.put(claim, {
        ConditionExpression: 'erasureId = :stale',
        ExpressionAttributeValues: { ':stale': holder.id },
      });
      if (took) return { erasure: await this.materialise(mine), created: true };
    }
    // No subject in the message: it names a shopper, and this ends up in the logs.
    throw new Error(`erasure ${erasure.id}: its subject's claim kept changing`);
  }

  async get(tenantId: string, id: string): Promise<Erasure | undefined> {
    // An id we could never have issued is not looked up (a key over DynamoDB's size limit would fail the read).
    if (!RESOURCE_ID_PATTERN.test(id)) return undefined;
    const item = await this.table.get(keys.erasure(tenantId, id));
    return item ? withoutKeys<Erasure>(item) : undefined;
  }

  async finish(tenantId: string, id: string, outcome: Outcome): Promise<void> {
    if (outcome.status === 'running') throw new Error('an erasure finishes as succeeded or failed');
    // status first: #f0 is also what the condition reads.
    const fields: [string, unknown][] = [['status', outcome.status]];
    for (const k of OUTCOME_FIELDS) if (outcome[k] !== undefined) fields.push([k, outcome[k]]);
    const updated = await this.table.update({
      Key: keys.erasure(tenantId, id),
      UpdateExpression: `SET ${fields.map((_, i) => `#f${i} = :f${i}`).join(', ')}`,
      ConditionExpression: '#f0 = :running',
      ExpressionAttributeNames: Object.fromEntries(fields.map(([k], i) => [`#f${i}`, k])),
      ExpressionAttributeValues: { ...Object.fromEntries(fields.map(([, v], i) => [`:f${i}`, v])), ':running': 'running' },
    });
    // Already finished (a repeated finish): not rewritten, but its leftovers are cleared all the same.
    const finished = updated ? withoutKeys<Erasure>(updated) : await this.get(tenantId, id);
    if (finished && finished.status !== 'running') await this.release(finished);
  }

  async recordCounts(tenantId: string, id: string, counts: { devices: number; events: number }): Promise<void> {
    await this.table.update({
      Key: keys.erasure(tenantId, id),
      UpdateExpression: 'SET #d = :d, #e = :e',
      ConditionExpression: '#s = :running',
      ExpressionAttributeNames: { '#d': 'devices', '#e': 'events', '#s': 'status' },
      ExpressionAttributeValues: { ':d': counts.devices, ':e': counts.events, ':running': 'running' },
    });
  }

  async running(): Promise<Array<Pick<Erasure, 'tenantId' | 'id' | 'createdAt'>>> {
    const index = (
      await this.table.queryAll({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.erasuresRunning } })
    ).map(creationOf);
    const stored = await this.table.getMany(index.map((c) => keys.erasure(c.tenantId, c.id)));
    const byKey = new Map(stored.map((i) => [`${i.tenantId}#${i.id}`, withoutKeys<Erasure>(i)]));
    const out: Array<Pick<Erasure, 'tenantId' | 'id' | 'createdAt'>> = [];
    for (const c of index) {
      // Indexed, item not written yet (its starter died after claiming): it holds its subject, so it runs.
      const e = byKey.get(`${c.tenantId}#${c.id}`) ?? (await this.materialise(c));
      if (e.status === 'running') out.push({ tenantId: e.tenantId, id: e.id, createdAt: e.createdAt });
      else await this.release(e); // finished, its finish cut short (or re-indexed by a slow starter)
    }
    return out;
  }

  /** Index the erasure and write its item (both idempotent); the stored erasure is returned. */
  private async materialise(c: Creation): Promise<Erasure> {
    await this.table.put({ ...keys.erasureRunning(c.tenantId, c.id), ...creationAttributes(c) });
    const erasure: Erasure = { id: c.id, tenantId: c.tenantId, subject: c.subject, status: 'running', createdAt: c.createdAt };
    if (await this.table.put({ ...keys.erasure(c.tenantId, c.id), ...erasure }, { ConditionExpression: 'attribute_not_exists(pk)' }))
      return erasure;
    return (await this.get(c.tenantId, c.id)) ?? erasure;
  }

  /** Drop a finished erasure's index item and free its subject (if it still holds it). */
  private async release(e: Erasure): Promise<void> {
    await this.table.delete(keys.erasureRunning(e.tenantId, e.id));
    await this.table.delete(keys.erasureSubject(e.tenantId, subjectKey(e.subject)), {
      ConditionExpression: 'erasureId = :me',
      ExpressionAttributeValues: { ':me': e.id },
    });
  }
}

function creationAttributes(c: Creation): Item {
  return { erasureId: c.id, tenantId: c.tenantId, subject: c.subject, createdAt: c.createdAt };
}

function creationOf(item: Item): Creation {
  return {
    id: String(item.erasureId),
    tenantId: String(item.tenantId),
    subject: item.subject as ErasureSubject,
    createdAt: String(item.createdAt),
  };
}
