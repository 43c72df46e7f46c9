/**
 * The local stand-in for SQS: messages persisted in dynalite with SQS's semantics — a received
 * message is invisible for a visibility timeout, deleted only after success, received again after
 * a failure or a crash, and moved to a dead-letter partition after too many receives.
 */
import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import type { SendBatch, SendQueue } from '../../ports/send-queue';
import { systemClock, type Clock } from '../../ports/clock';
import type { DynamoTable } from '../dynamo/table';
import { PollingLoop } from './persisted-loop';

export interface LocalQueueOptions {
  concurrency?: number;
  visibilityTimeoutMs?: number;
  maxReceives?: number;
  pollMs?: number;
}

const PK = 'LQ#send';
const DLQ = 'LQ#send-dlq';

export class LocalSendQueue implements SendQueue {
  private readonly loop: PollingLoop;
  private readonly inFlight = new Set<string>();
  private readonly limit: ReturnType<typeof pLimit>;
  private handler: ((b: SendBatch) => Promise<void>) | undefined;
  private readonly opts: Required<LocalQueueOptions>;
  private readonly work = new Set<Promise<void>>();

  constructor(
    private readonly table: DynamoTable,
    options: LocalQueueOptions = {},
    private readonly log: (msg: string, extra?: unknown) => void = () => undefined,
    private readonly clock: Clock = systemClock,
  ) {
    this.opts = { concurrency: 4, visibilityTimeoutMs: 30_000, maxReceives: 8, pollMs: 200, ...options };
    this.limit = pLimit(this.opts.concurrency);
    this.loop = new PollingLoop(this.opts.pollMs, () => this.tick(), (err) => this.log('queue poll failed', err));
  }

  async enqueue(batches: SendBatch[]): Promise<void> {
    const now = this.clock.now().getTime();
    await this.table.putMany(
      batches.map((b) => ({
        pk: PK,
        sk: `${randomUUID()}`,
        body: JSON.stringify(b),
        visibleAt: b.notBefore ? Math.max(now, Date.parse(b.notBefore)) : now,
        receiveCount: 0,
        sentAt: now,
      })),
    );
    this.loop.wake();
  }

  /** Start consuming with this handler (the sender use case). */
  consume(handler: (b: SendBatch) => Promise<void>): void {
    this.handler = handler;
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    await Promise.allSettled([...this.work]);
  }

  /** Messages waiting or in flight, and dead letters (for tests and the bench). */
  async depth(): Promise<{ queued: number; dead: number }> {
    const [queued, dead] = await Promise.all([this.table.queryAll({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': PK } }), this.table.queryAll({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': DLQ } })]);
    return { queued: queued.length, dead: dead.length };
  }

  private async tick(): Promise<void> {
    const free = this.opts.concurrency * 2 - this.inFlight.size;
    if (free <= 0 || !this.handler) return;
    const now = this.clock.now().getTime();
    const due = (await this.table.queryAll({ KeyConditionExpression: 'pk = :pk', FilterExpression: 'visibleAt <= :now', ExpressionAttributeValues: { ':pk': PK, ':now': now } }))
      .filter((m) => !this.inFlight.has(m.sk))
      .sort((a, b) => a.visibleAt - b.visibleAt)
      .slice(0, free);
    for (const m of due) {
      const claimed = await this.table.update({
        Key: { pk: PK, sk: m.sk },
        UpdateExpression: 'SET visibleAt = :until ADD receiveCount :one',
        ConditionExpression: 'visibleAt = :seen',
        ExpressionAttributeValues: { ':until': now + this.opts.visibilityTimeoutMs, ':one': 1, ':seen': m.visibleAt },
      });
      if (!claimed) continue;
      if (claimed.receiveCount > this.opts.maxReceives) {
        await this.table.put({ ...claimed, pk: DLQ });
        await this.table.delete({ pk: PK, sk: m.sk });
        this.log('message moved to the dead-letter queue', { body: claimed.body });
        continue;
      }
      this.inFlight.add(m.sk);
      const job = this.limit(() => this.process(m.sk, claimed.body, claimed.receiveCount)).finally(() => {
        this.inFlight.delete(m.sk);
        this.work.delete(job);
        this.loop.wake();
      });
      this.work.add(job);
    }
  }

  private async process(sk: string, body: string, receiveCount: number): Promise<void> {
    try {
      await this.handler!(JSON.parse(body) as SendBatch);
      await this.table.delete({ pk: PK, sk });
    } catch (err) {
      // Visible again after a short backoff, as with an SQS visibility change on failure.
      const backoff = Math.min(this.opts.visibilityTimeoutMs, 200 * 2 ** receiveCount);
      await this.table.update({ Key: { pk: PK, sk }, UpdateExpression: 'SET visibleAt = :at', ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':at': this.clock.now().getTime() + backoff } }).catch(() => undefined);
      this.log('send batch failed; it will be retried', { error: (err as Error).message, receiveCount });
    }
  }
}
