/**
 * An automated campaign's delivery counters, per UTC day: an automation never completes, so its
 * counts cannot live in counter shards that are folded on completion (campaign-counters.ts); they
 * accumulate per day instead, which is also its timeline. Items `T#t#CMP#<id>#DAYS` / `D#<day>#<shard>`
 * (one partition per automation: a GET reads every day in one query). Each batch adds its counts
 * with ONE UpdateItem conditional on its key's token not being in the item's `applied` set, so a
 * redelivered batch never counts twice. A day's shard holds its tokens (12 bytes a batch): 4 shards
 * take ~130,000 batches a day per automation before DynamoDB's 400 KB item limit; the sweeper makes
 * one batch per 100 due devices per run (one run a minute in AWS), far below that.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DailyCounters, DayCounts } from '../../domain/campaigns/campaign-record';
import { DAILY_COUNTERS } from '../../domain/campaigns/campaign-record';
import { counterToken } from './campaign-counters';
import type { DynamoTable } from './table';

export const DAILY_SHARDS = 4;
const partition = (t: string, id: string) => `T#${t}#CMP#${id}#DAYS`;

export class DailyCampaignCounters {
  constructor(private readonly table: DynamoTable) {}

  /** Add the deltas to `day` under `key` exactly once; true the first time. */
  async apply(tenantId: string, campaignId: string, key: string, day: string, deltas: Partial<DailyCounters>): Promise<boolean> {
    const { token, shard } = counterToken(key);
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':tok': token, ':set': new Set([token]), ':day': day };
    const adds = DAILY_COUNTERS.filter((k) => deltas[k]).map((k, i) => {
      names[`#c${i}`] = k;
      values[`:c${i}`] = deltas[k];
      return `#c${i} :c${i}`;
    });
    try {
      await this.table.client.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: { pk: partition(tenantId, campaignId), sk: `D#${day}#${shard % DAILY_SHARDS}` },
          UpdateExpression: `SET #day = :day ADD ${[...adds, 'applied :set'].join(', ')}`,
          ConditionExpression: 'NOT contains(applied, :tok)',
          ExpressionAttributeNames: { ...names, '#day': 'day' },
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  /** Every day's sums, oldest first (strongly consistent, without the token sets). */
  async read(tenantId: string, campaignId: string): Promise<DayCounts[]> {
    const names = Object.fromEntries(['day', ...DAILY_COUNTERS].map((k, i) => [`#p${i}`, k]));
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': partition(tenantId, campaignId) },
      ProjectionExpression: Object.keys(names).join(', '),
      ExpressionAttributeNames: names,
      ConsistentRead: true,
    });
    const byDay = new Map<string, DayCounts>();
    for (const item of items) {
      const day = String(item.day);
      const sums = byDay.get(day) ?? { day, ...zeroDaily() };
      for (const k of DAILY_COUNTERS) sums[k] += Number(item[k] ?? 0);
      byDay.set(day, sums);
    }
    return [...byDay.values()].sort((a, b) => a.day.localeCompare(b.day));
  }
}

export const zeroDaily = (): DailyCounters => Object.fromEntries(DAILY_COUNTERS.map((k) => [k, 0])) as DailyCounters;
