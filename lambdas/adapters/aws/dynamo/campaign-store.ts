/**
 * Campaigns in the records table. API actions change named fields under a version check; senders
 * only ADD to counters, so the two never overwrite each other. Waves live in a map attribute so one
 * wave's cursor can be moved with a conditional update.
 */
import type { Campaign, DeliveryCounters, WaveState } from '../../../domain/campaigns/campaign-record';
import type { CampaignStatus } from '../../../domain/campaigns/lifecycle';
import type { CampaignChanges, CampaignStore } from '../../../ports/campaign-store';
import type { Page } from '../../../ports/segment-store';
import { decodeCursor, encodeCursor } from './cursor';
import { keys } from './keys';
import { withoutKeys, type DynamoTable, type Item } from './table';

export class DynamoCampaignStore implements CampaignStore {
  constructor(private readonly table: DynamoTable) {}

  async create(c: Campaign): Promise<void> {
    await this.table.put({ ...keys.campaign(c.tenantId, c.id), ...c }, { ConditionExpression: 'attribute_not_exists(pk)' });
  }

  async get(tenantId: string, id: string): Promise<Campaign | undefined> {
    const item = await this.table.get(keys.campaign(tenantId, id));
    return item ? toCampaign(item) : undefined;
  }

  async list(tenantId: string, opts: { limit: number; cursor?: string; status?: CampaignStatus }): Promise<Page<Campaign>> {
    const pk = keys.tenantItems(tenantId);
    // With a status filter DynamoDB may return short pages; keep reading until the page is full.
    const items: Item[] = [];
    let start = decodeCursor(opts.cursor, pk, 'CMP#');
    let lastKey: typeof start;
    do {
      const page = await this.table.queryPage({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': pk, ':p': 'CMP#', ...(opts.status ? { ':s': opts.status } : {}) },
        ...(opts.status ? { FilterExpression: '#status = :s', ExpressionAttributeNames: { '#status': 'status' } } : {}),
        ScanIndexForward: false,
        Limit: opts.limit - items.length,
        ExclusiveStartKey: start,
      });
      items.push(...page.items);
      lastKey = page.lastKey;
      start = page.lastKey;
    } while (start && items.length < opts.limit);
    return { items: items.map(toCampaign), nextCursor: encodeCursor(lastKey) };
  }

  async listAll(tenantId: string): Promise<Campaign[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': keys.tenantItems(tenantId), ':p': 'CMP#' },
    });
    return items.map(toCampaign);
  }

  async update(tenantId: string, id: string, expectedVersion: number, changes: CampaignChanges): Promise<Campaign | undefined> {
    const names: Record<string, string> = { '#version': 'version' };
    const values: Record<string, unknown> = { ':v': expectedVersion, ':one': 1 };
    const sets = Object.entries(changes).map(([k, v], i) => {
      names[`#f${i}`] = k;
      values[`:f${i}`] = v;
      return `#f${i} = :f${i}`;
    });
    const item = await this.table.update({
      Key: keys.campaign(tenantId, id),
      UpdateExpression: `SET ${[...sets, '#version = #version + :one'].join(', ')}`,
      ConditionExpression: '#version = :v',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
    return item ? toCampaign(item) : undefined;
  }

  async delete(tenantId: string, id: string, expectedVersion: number): Promise<boolean> {
    return this.table.delete(keys.campaign(tenantId, id), { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expectedVersion } });
  }

  async startWave(tenantId: string, id: string, waveId: string, now: string): Promise<Campaign | undefined> {
    const item = await this.table.update({
      Key: keys.campaign(tenantId, id),
      UpdateExpression: 'SET waves.#w.#ws = :firing, waves.#w.firedAt = if_not_exists(waves.#w.firedAt, :now), #status = :sending',
      ConditionExpression: 'attribute_exists(waves.#w) AND (waves.#w.#ws = :scheduled OR waves.#w.#ws = :firing) AND (#status = :scheduled OR #status = :sending)',
      ExpressionAttributeNames: { '#w': waveId, '#ws': 'status', '#status': 'status' },
      ExpressionAttributeValues: { ':firing': 'firing', ':scheduled': 'scheduled', ':sending': 'sending', ':now': now },
    });
    return item ? toCampaign(item) : undefined;
  }

  async advanceWave(tenantId: string, id: string, waveId: string, prevCursor: string | null, next: Pick<WaveState, 'cursor' | 'pages'>, added: { devices: number; batches: number }): Promise<boolean> {
    const item = await this.table.update({
      Key: keys.campaign(tenantId, id),
      // ADD works on top-level attributes only; the wave's own count is a SET with arithmetic.
      UpdateExpression: 'SET waves.#w.#cursor = :next, waves.#w.pages = :pages, waves.#w.targeted = waves.#w.targeted + :n ADD targeted :n, batchesEnqueued :b',
      ConditionExpression: 'waves.#w.#cursor = :prev',
      ExpressionAttributeNames: { '#w': waveId, '#cursor': 'cursor' },
      ExpressionAttributeValues: { ':next': next.cursor, ':pages': next.pages, ':n': added.devices, ':b': added.batches, ':prev': prevCursor },
    });
    return item !== undefined;
  }

  async finishWave(tenantId: string, id: string, waveId: string): Promise<Campaign | undefined> {
    const item = await this.table.update({
      Key: keys.campaign(tenantId, id),
      UpdateExpression: 'SET waves.#w.#ws = :enqueued ADD wavesPending :minus',
      ConditionExpression: 'waves.#w.#ws = :firing',
      ExpressionAttributeNames: { '#w': waveId, '#ws': 'status' },
      ExpressionAttributeValues: { ':enqueued': 'enqueued', ':firing': 'firing', ':minus': -1 },
    });
    return item ? toCampaign(item) : undefined;
  }

  async addCounters(tenantId: string, id: string, deltas: Partial<DeliveryCounters>): Promise<Campaign | undefined> {
    const entries = Object.entries(deltas).filter(([, v]) => v !== undefined && v !== 0);
    if (entries.length === 0) return this.get(tenantId, id);
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const adds = entries.map(([k, v], i) => {
      names[`#c${i}`] = k;
      values[`:c${i}`] = v;
      return `#c${i} :c${i}`;
    });
    const item = await this.table.update({
      Key: keys.campaign(tenantId, id),
      UpdateExpression: `ADD ${adds.join(', ')}`,
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
    return item ? toCampaign(item) : undefined;
  }

  async completeIfDone(tenantId: string, id: string, now: string): Promise<boolean> {
    const item = await this.table.update({
      Key: keys.campaign(tenantId, id),
      UpdateExpression: 'SET #status = :sent, completedAt = :now ADD #version :one',
      ConditionExpression: '#status = :sending AND wavesPending = :zero AND batchesDone >= batchesEnqueued',
      ExpressionAttributeNames: { '#status': 'status', '#version': 'version' },
      ExpressionAttributeValues: { ':sent': 'sent', ':sending': 'sending', ':zero': 0, ':now': now, ':one': 1 },
    });
    return item !== undefined;
  }
}

function toCampaign(item: Item): Campaign {
  return withoutKeys<Campaign>(item);
}
