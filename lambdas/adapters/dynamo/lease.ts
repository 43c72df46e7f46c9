/**
 * A named lease in the records table: one holder at a time until it releases or its lease runs out
 * (a holder that died never blocks for longer than `leaseMs`). Used to keep the maintenance of one
 * tenant's lake (compaction, erasure) to one worker at a time.
 */
import { randomUUID } from 'node:crypto';
import type { DynamoTable } from './table';

export class DynamoLease {
  constructor(
    private readonly table: DynamoTable,
    private readonly leaseMs: number,
  ) {}

  async exclusive<T>(key: { pk: string; sk: string }, now: Date, fn: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
    const holder = randomUUID();
    const taken = await this.table.put(
      { ...key, holder, leaseUntil: now.getTime() + this.leaseMs, expiresAt: Math.floor((now.getTime() + this.leaseMs) / 1000) + 86_400 },
      { ConditionExpression: 'attribute_not_exists(pk) OR leaseUntil < :now', ExpressionAttributeValues: { ':now': now.getTime() } },
    );
    if (!taken) return { ran: false };
    try {
      return { ran: true, value: await fn() };
    } finally {
      await this.table.delete(key, { ConditionExpression: 'holder = :h', ExpressionAttributeValues: { ':h': holder } });
    }
  }
}
