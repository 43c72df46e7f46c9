/**
 * A campaign's live delivery counters, in COUNTER_SHARDS small items of the records table beside the
 * campaign item (which only the trigger and the API write). Each sender batch adds its counts with
 * ONE UpdateItem, conditional on its key's token not being in the shard's `applied` string set, so a
 * retried or crashed-and-redelivered batch never counts twice: the live counters are exact.
 *
 * Sizes: a token is 12 characters. 1 M devices = 10,000 batches (100 a batch) → ~625 tokens a shard
 * ≈ 8 KB; 10 M devices ≈ 80 KB; the 400 KB item limit is ~50 M devices away. An update costs the
 * item's size in WCU (~4 on average for 1 M devices); at 25,000 devices/s = 250 batches/s, each
 * shard (its own partition key) takes ~16 updates/s ≈ 65–130 WCU/s, far below 1,000 per partition.
 */
import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { backoffDelay, DYNAMO_BATCH_RETRY } from '../../domain/backoff';
import type { Campaign, DeliveryCounters } from '../../domain/campaigns/campaign-record';
import { keys } from './keys';
import type { DynamoTable, Item, Key } from './table';

export const COUNTER_SHARDS = 16;

/** The counters senders add to; `targeted`, `batchesEnqueued` of waves and `wavesPending` stay on the campaign item. */
export const LIVE_COUNTERS = [
  'sent',
  'failed',
  'supOptedOut',
  'supFrequencyCap',
  'supInvalidToken',
  'batchesEnqueued',
  'batchesDone',
  'deferred',
  'heldOut',
] as const;
export type LiveCounters = Record<(typeof LIVE_COUNTERS)[number], number>;

/**
 * Per-wave figure kept in the same shards, under `w#<wave id>`: batches of the wave done minus the
 * quiet-hours batches it spawned. A wave has nothing left to send when it reaches the batches its
 * trigger enqueued (kept on the campaign item). One more number in the same conditional update, so
 * it is exactly-once like the rest; read only for waves that are enqueued and not known sent.
 */
export const waveAttribute = (waveId: string) => `w#${waveId}`;

/**
 * Wave figures one read projects at most: `#pNNN, ` is ≤ 7 characters, so 100 names (plus `pk` and
 * the counters) stay near 1 KB, well under DynamoDB's 4 KB expression limit.
 */
export const WAVE_NAMES_PER_READ = 100;

/** One wave's change in a batch's update. */
export interface WaveDelta {
  waveId: string;
  net: number;
}

/** Campaigns whose counters still live in shards (on completion they are folded into the campaign item). */
export const hasLiveCounters = (c: Pick<Campaign, 'status'>) => c.status === 'sending' || c.status === 'cancelled' || c.status === 'failed';

/** The token of a counting key and the shard it lives in (both stable, so a retry finds its token). */
export function counterToken(key: string): { token: string; shard: number } {
  const digest = createHash('sha256').update(key).digest();
  return { token: digest.subarray(0, 9).toString('base64url'), shard: digest[9] % COUNTER_SHARDS };
}

export const zeroLive = (): LiveCounters => Object.fromEntries(LIVE_COUNTERS.map((k) => [k, 0])) as LiveCounters;

/** The campaign with its live counters added to those on its item. */
export function withLive(c: Campaign, live: LiveCounters): Campaign {
  const out = { ...c };
  for (const k of LIVE_COUNTERS) out[k] = (out[k] ?? 0) + live[k];
  return out;
}

export class CampaignCounters {
  constructor(private readonly table: DynamoTable) {}

  /** Add the deltas under `key` exactly once; true the first time. */
  async apply(tenantId: string, campaignId: string, key: string, deltas: Partial<DeliveryCounters>, wave?: WaveDelta): Promise<boolean> {
    const { token, shard } = counterToken(key);
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':tok': token, ':set': new Set([token]) };
    const adds = LIVE_COUNTERS.filter((k) => deltas[k]).map((k, i) => {
      names[`#c${i}`] = k;
      values[`:c${i}`] = deltas[k];
      return `#c${i} :c${i}`;
    });
    if (wave && wave.net !== 0) {
      names['#wave'] = waveAttribute(wave.waveId);
      values[':wave'] = wave.net;
      adds.push('#wave :wave');
    }
    try {
      await this.table.client.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: keys.campaignCounter(tenantId, campaignId, shard),
          UpdateExpression: `ADD ${[...adds, 'applied :set'].join(', ')}`,
          ConditionExpression: 'NOT contains(applied, :tok)',
          ...(adds.length > 0 ? { ExpressionAttributeNames: names } : {}),
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  /**
   * The sums of each campaign's shards (strongly consistent; without the token sets), and of the
   * per-wave figures of `waves` (campaign id → wave ids) under `waves`.
   */
  async read(
    tenantId: string,
    campaignIds: string[],
    waves: ReadonlyMap<string, readonly string[]> = new Map(),
  ): Promise<Map<string, LiveCounters & { waves: Record<string, number> }>> {
    const sums = new Map(campaignIds.map((id) => [id, { ...zeroLive(), waves: {} as Record<string, number> }]));
    const wanted: Key[] = campaignIds.flatMap((id) =>
      Array.from({ length: COUNTER_SHARDS }, (_, k) => keys.campaignCounter(tenantId, id, k)),
    );
    const waveAttrs = [...new Set([...waves.values()].flat().map(waveAttribute))];
    const prefix = `T#${tenantId}#CMP#`;
    const campaignOf = (item: Item) =>
      String(item.pk)
        .slice(prefix.length)
        .replace(/#CNT#\d+$/, '');
    const addWaves = (item: Item, only?: ReadonlySet<string>) => {
      const sum = sums.get(campaignOf(item));
      if (!sum) return;
      for (const w of waves.get(campaignOf(item)) ?? [])
        if (!only || only.has(w)) sum.waves[w] = (sum.waves[w] ?? 0) + Number(item[waveAttribute(w)] ?? 0);
    };
    // Usually one pass reads the counters and every wave's figure. A projection names each attribute,
    // and an expression may hold 4 KB (~600 names): past WAVE_NAMES_PER_READ wave figures, the waves
    // are read per campaign in slices of that many (a local campaign has up to ~400 zones).
    const onePass = waveAttrs.length <= WAVE_NAMES_PER_READ;
    for (const item of await this.batchGet(wanted, onePass ? waveAttrs : [])) {
      const sum = sums.get(campaignOf(item));
      if (!sum) continue;
      for (const k of LIVE_COUNTERS) sum[k] += Number(item[k] ?? 0);
      if (onePass) addWaves(item);
    }
    if (onePass) return sums;
    for (const [id, ids] of waves) {
      if (!sums.has(id)) continue;
      const shards = Array.from({ length: COUNTER_SHARDS }, (_, k) => keys.campaignCounter(tenantId, id, k));
      const unique = [...new Set(ids)];
      for (let i = 0; i < unique.length; i += WAVE_NAMES_PER_READ) {
        const slice = unique.slice(i, i + WAVE_NAMES_PER_READ);
        const only = new Set(slice);
        for (const item of await this.batchGet(shards, slice.map(waveAttribute), false)) addWaves(item, only);
      }
    }
    return sums;
  }

  /** BatchGetItem in requests of 100 keys, projecting `pk` (and the live counters unless `withCounters` is false) and `extra`. */
  private async batchGet(wanted: Key[], extra: readonly string[] = [], withCounters = true): Promise<Item[]> {
    const names = Object.fromEntries(['pk', ...(withCounters ? LIVE_COUNTERS : []), ...extra].map((k, i) => [`#p${i}`, k]));
    const out: Item[] = [];
    for (let i = 0; i < wanted.length; i += 100) {
      let pending = wanted.slice(i, i + 100);
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, backoffDelay(attempt - 1, DYNAMO_BATCH_RETRY)));
        const res = await this.table.client.send(
          new BatchGetCommand({
            RequestItems: {
              [this.table.name]: {
                Keys: pending,
                ConsistentRead: true,
                ProjectionExpression: Object.keys(names).join(', '),
                ExpressionAttributeNames: names,
              },
            },
          }),
        );
        out.push(...(res.Responses?.[this.table.name] ?? []));
        pending = (res.UnprocessedKeys?.[this.table.name]?.Keys as Key[] | undefined) ?? [];
      }
    }
    return out;
  }
}
