/**
 * Campaigns in the records table. API actions change named fields under a version check; senders
 * add their counts to counter shards (campaign-counters.ts), never to the campaign item, so the two
 * never overwrite each other and the item stays cold. Reads add the live counters of campaigns still
 * counting; completion folds them into the item. Waves live in a map attribute so one wave's cursor
 * can be moved with a conditional update.
 */
import type { Campaign } from '../../domain/campaigns/campaign-record';
import type { CampaignStatus } from '../../domain/campaigns/lifecycle';
import type { CampaignKind } from '../../domain/campaigns/campaign';
import type { CampaignChanges, CampaignStore } from '../../ports/campaign-store';
import type { Page } from '../../ports/segment-store';
import type { DailyCounters } from '../../domain/campaigns/campaign-record';
import { DAILY_COUNTERS } from '../../domain/campaigns/campaign-record';
import { CampaignCounters, hasLiveCounters, withLive } from './campaign-counters';
import { DailyCampaignCounters } from './daily-counters';
import { decodeCursor, encodeCursor } from './cursor';
import { keys } from './keys';
import { withoutKeys, type DynamoTable, type Item } from './table';

export class DynamoCampaignStore implements CampaignStore {
  constructor(
    private readonly table: DynamoTable,
    private readonly counters = new CampaignCounters(table),
    private readonly daily = new DailyCampaignCounters(table),
  ) {}

  addDailyCounters(tenantId: string, id: string, key: string, day: string, deltas: Partial<DailyCounters>): Promise<boolean> {
    return this.daily.apply(tenantId, id, key, day, deltas);
  }

  async create(c: Campaign): Promise<void> {
    await this.table.put({ ...keys.campaign(c.tenantId, c.id), ...c }, { ConditionExpression: 'attribute_not_exists(pk)' });
  }

  async get(tenantId: string, id: string, opts: { liveCounters?: boolean } = {}): Promise<Campaign | undefined> {
    const item = await this.table.get(keys.campaign(tenantId, id));
    if (!item) return undefined;
    return opts.liveCounters === false ? toCampaign(item) : (await this.withLiveCounters(tenantId, [toCampaign(item)]))[0];
  }

  async list(
    tenantId: string,
    opts: { limit: number; cursor?: string; status?: CampaignStatus; kind?: CampaignKind },
  ): Promise<Page<Campaign>> {
    // Records stored before automations carry kind "campaign" (the body's default), so the filter is exact.
    const filters = [...(opts.status ? ['#status = :s'] : []), ...(opts.kind ? ['#kind = :k'] : [])];
    const names = { ...(opts.status ? { '#status': 'status' } : {}), ...(opts.kind ? { '#kind': 'kind' } : {}) };
    const pk = keys.tenantItems(tenantId);
    // With a status filter DynamoDB may return short pages; keep reading until the page is full.
    const items: Item[] = [];
    let start = decodeCursor(opts.cursor, pk, 'CMP#');
    let lastKey: typeof start;
    do {
      const page = await this.table.queryPage({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: {
          ':pk': pk,
          ':p': 'CMP#',
          ...(opts.status ? { ':s': opts.status } : {}),
          ...(opts.kind ? { ':k': opts.kind } : {}),
        },
        ...(filters.length > 0 ? { FilterExpression: filters.join(' AND '), ExpressionAttributeNames: names } : {}),
        ScanIndexForward: false,
        Limit: opts.limit - items.length,
        ExclusiveStartKey: start,
      });
      items.push(...page.items);
      lastKey = page.lastKey;
      start = page.lastKey;
    } while (start && items.length < opts.limit);
    return { items: await this.withLiveCounters(tenantId, items.map(toCampaign)), nextCursor: encodeCursor(lastKey) };
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
    return item ? (await this.withLiveCounters(tenantId, [toCampaign(item)]))[0] : undefined;
  }

  async delete(tenantId: string, id: string, expectedVersion: number): Promise<boolean> {
    return this.table.delete(keys.campaign(tenantId, id), {
      ConditionExpression: 'version = :v',
      ExpressionAttributeValues: { ':v': expectedVersion },
    });
  }

  async startWave(tenantId: string, id: string, waveId: string, now: string): Promise<Campaign | undefined> {
    const claim = (setFiredAt: boolean) =>
      this.table.update({
        Key: keys.campaign(tenantId, id),
        // The version moves too: an edit or a cancel that read the campaign before its wave started
        // fails its version check and reads again (an edit then finds it sending: 409), instead of
        // writing back waves that have already begun to fan out.
        UpdateExpression: `SET waves.#w.#ws = :firing, #status = :sending, #version = #version + :one${setFiredAt ? ', waves.#w.firedAt = :now' : ''}`,
        ConditionExpression:
          'attribute_exists(waves.#w) AND (waves.#w.#ws = :scheduled OR waves.#w.#ws = :firing) AND (#status = :scheduled OR #status = :sending)' +
          // The first claim stamps firedAt (launch stores it as null, which if_not_exists would keep); a re-take keeps it.
          (setFiredAt ? ' AND (attribute_not_exists(waves.#w.firedAt) OR attribute_type(waves.#w.firedAt, :null))' : ''),
        ExpressionAttributeNames: { '#w': waveId, '#ws': 'status', '#status': 'status', '#version': 'version' },
        ExpressionAttributeValues: {
          ':firing': 'firing',
          ':scheduled': 'scheduled',
          ':sending': 'sending',
          ':one': 1,
          ...(setFiredAt ? { ':now': now, ':null': 'NULL' } : {}),
        },
      });
    const item = (await claim(true)) ?? (await claim(false));
    return item ? toCampaign(item) : undefined;
  }

  // The long signatures below are the port's (its tuple of parameters), so they are written once, there.
  async recordWaveExecution(
    ...[tenantId, id, waveId, expected, execution]: Parameters<CampaignStore['recordWaveExecution']>
  ): Promise<boolean> {
    const item = await this.table.update({
      Key: keys.campaign(tenantId, id),
      UpdateExpression: 'SET waves.#w.execution = :exec, waves.#w.pageToken = :first',
      ConditionExpression: `waves.#w.#ws = :firing AND waves.#w.pages = :pages AND ${sameExecution(expected.execution)}`,
      ExpressionAttributeNames: { '#w': waveId, '#ws': 'status' },
      ExpressionAttributeValues: {
        ':exec': execution,
        ':first': null,
        ':firing': 'firing',
        ':pages': expected.pages,
        ...executionValue(expected.execution),
      },
    });
    return item !== undefined;
  }

  async advanceWave(
    ...[tenantId, id, waveId, prev, next, added, lastPage = false]: Parameters<CampaignStore['advanceWave']>
  ): Promise<boolean> {
    const item = await this.table.update({
      Key: keys.campaign(tenantId, id),
      // ADD works on top-level attributes only; the wave's own count is a SET with arithmetic.
      // The last page also finishes the wave (firing → enqueued) in the same write: a crash between the two
      // would leave a wave whose cursor says "read to the end" but which a re-fire could not tell from "not started".
      UpdateExpression:
        'SET waves.#w.#cursor = :cursor, waves.#w.pages = :pages, waves.#w.execution = :exec, waves.#w.pageToken = :token, waves.#w.batches = :batches, ' +
        `waves.#w.targeted = waves.#w.targeted + :n${lastPage ? ', waves.#w.#ws = :enqueued' : ''} ADD targeted :n, batchesEnqueued :b${lastPage ? ', wavesPending :minus' : ''}`,
      // Pages only grow and a re-run changes the execution: a firing that fell behind another cannot move the wave.
      ConditionExpression: `waves.#w.#ws = :firing AND waves.#w.pages = :prevPages AND ${sameExecution(prev.execution)}`,
      ExpressionAttributeNames: { '#w': waveId, '#cursor': 'cursor', '#ws': 'status' },
      ExpressionAttributeValues: {
        ':firing': 'firing',
        ...(lastPage ? { ':enqueued': 'enqueued', ':minus': -1 } : {}),
        ':cursor': next.cursor,
        ':pages': next.pages,
        ':exec': next.execution,
        ':token': next.pageToken,
        ':batches': next.batches,
        ':n': added.devices,
        ':b': added.batches,
        ':prevPages': prev.pages,
        ...executionValue(prev.execution),
      },
    });
    return item !== undefined;
  }

  async addBatchCounters(...[tenantId, id, key, deltas, wave]: Parameters<CampaignStore['addBatchCounters']>): Promise<boolean> {
    return this.counters.apply(tenantId, id, key, deltas, wave);
  }

  async completeIfDone(tenantId: string, id: string, now: string): Promise<boolean> {
    const item = await this.table.get(keys.campaign(tenantId, id));
    if (!item || item.status !== 'sending' || (item.wavesPending ?? 0) !== 0) return false;
    const { waves: _perWave, ...live } = (await this.counters.read(tenantId, [id])).get(id)!;
    if ((item.batchesDone ?? 0) + live.batchesDone < (item.batchesEnqueued ?? 0) + live.batchesEnqueued) return false;
    // Fold the live counters into the item, so a sent campaign reads as one item. The condition
    // fails if a wave enqueued more batches since the read (they are not done yet).
    const names: Record<string, string> = { '#status': 'status', '#version': 'version' };
    const values: Record<string, unknown> = {
      ':sent': 'sent',
      ':sending': 'sending',
      ':zero': 0,
      ':now': now,
      ':one': 1,
      ':enq': item.batchesEnqueued ?? 0,
    };
    const adds = Object.entries(live).map(([k, v], i) => {
      names[`#c${i}`] = k;
      values[`:c${i}`] = v;
      return `#c${i} :c${i}`;
    });
    const done = await this.table.update({
      Key: keys.campaign(tenantId, id),
      UpdateExpression: `SET #status = :sent, completedAt = :now ADD #version :one, ${adds.join(', ')}`,
      ConditionExpression: '#status = :sending AND wavesPending = :zero AND batchesEnqueued = :enq',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
    return done !== undefined;
  }

  /** An automated campaign with its days summed into its counters (one query); others as they are. */
  private async withDailyCounters(tenantId: string, c: Campaign): Promise<Campaign> {
    if (c.kind !== 'automated' || c.status === 'draft') return c;
    const days = await this.daily.read(tenantId, c.id);
    const out = { ...c, days };
    for (const day of days) for (const k of DAILY_COUNTERS) out[k] = (out[k] ?? 0) + day[k];
    return out;
  }

  /**
   * Campaigns with the live counters of those still counting (one BatchGet for all of them), and
   * the per-wave figures of their enqueued waves (whether each has anything left to send).
   */
  private async withLiveCounters(tenantId: string, all: Campaign[]): Promise<Campaign[]> {
    const campaigns = await Promise.all(all.map((c) => this.withDailyCounters(tenantId, c)));
    const counting = campaigns.filter((c) => c.kind !== 'automated' && hasLiveCounters(c));
    if (counting.length === 0) return campaigns;
    const waves = new Map(
      counting.map((c) => [
        c.id,
        Object.values(c.waves ?? {})
          .filter((w) => w.status === 'enqueued')
          .map((w) => w.id),
      ]),
    );
    const live = await this.counters.read(
      tenantId,
      counting.map((c) => c.id),
      waves,
    );
    return campaigns.map((c) => {
      const sums = live.get(c.id);
      if (!sums) return c;
      const { waves: liveWaves, ...counters } = sums;
      return { ...withLive(c, counters), liveWaves };
    });
  }
}

/** The wave's execution is `expected` (null: none recorded yet, also on waves stored before it existed). */
function sameExecution(expected: string | null): string {
  return expected === null
    ? '(attribute_not_exists(waves.#w.execution) OR attribute_type(waves.#w.execution, :nullType))'
    : 'waves.#w.execution = :prevExec';
}

function executionValue(expected: string | null): Record<string, unknown> {
  return expected === null ? { ':nullType': 'NULL' } : { ':prevExec': expected };
}

function toCampaign(item: Item): Campaign {
  return withoutKeys<Campaign>(item);
}
