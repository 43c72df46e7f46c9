/**
 * The local stand-in for SQS: messages persisted in dynalite with SQS's semantics — a received
 * message is invisible for a visibility timeout, deleted only after success, received again after
 * a failure or a crash, and moved to a dead-letter partition after too many receives.
 *
 * Which messages are due is kept in memory (loaded from dynalite once, then updated with every
 * enqueue, receive, delete and failure), so a poll costs nothing however long the queue is: a
 * 1 M-device wave is 10,000 messages, and reading them all on every poll made sending quadratic.
 * Dynalite stays the record: receiving is still a conditional update, so a restart loses nothing.
 */
import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import { backoffDelay, LOCAL_QUEUE_REDELIVERY } from '../../domain/backoff';
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
  /** visibleAt of every message waiting or in flight, by sk (null until loaded from dynalite). */
  private index: Map<string, number> | null = null;
  /** Enqueued before the index was loaded (its query may or may not have seen them). */
  private readonly beforeLoad = new Map<string, number>();

  constructor(
    private readonly table: DynamoTable,
    options: LocalQueueOptions = {},
    private readonly log: (msg: string, extra?: unknown) => void = () => undefined,
    private readonly clock: Clock = systemClock,
  ) {
    this.opts = { concurrency: 4, visibilityTimeoutMs: 30_000, maxReceives: 8, pollMs: 200, ...options };
    this.limit = pLimit(this.opts.concurrency);
    this.loop = new PollingLoop(
      this.opts.pollMs,
      () => this.tick(),
      (err) => this.log('queue poll failed', err),
    );
  }

  async enqueue(batches: SendBatch[]): Promise<void> {
    const now = this.clock.now().getTime();
    const items = batches.map((b) => ({
      pk: PK,
      sk: `${randomUUID()}`,
      body: JSON.stringify(b),
      visibleAt: b.notBefore ? Math.max(now, Date.parse(b.notBefore)) : now,
      receiveCount: 0,
      sentAt: now,
    }));
    await this.table.putMany(items);
    for (const m of items) (this.index ?? this.beforeLoad).set(m.sk, m.visibleAt);
    this.loop.wake();
  }

  /** Start consuming with this handler (the sender use case). */
  consume(handler: (b: SendBatch) => Promise<void>): void {
    this.handler = handler;
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Messages waiting or in flight, and dead letters (for tests and the bench). */
  async depth(): Promise<{ queued: number; dead: number }> {
    const [queued, dead] = await Promise.all([
      this.table.queryAll({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': PK } }),
      this.table.queryAll({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': DLQ } }),
    ]);
    return { queued: queued.length, dead: dead.length };
  }

  /** The messages' visibility, loaded once (messages enqueued before a restart, or by another process before this one polled). */
  private async loadIndex(): Promise<Map<string, number>> {
    if (!this.index) {
      const items = await this.table.queryAll({
        KeyConditionExpression: 'pk = :pk',
        ProjectionExpression: 'sk, visibleAt',
        ExpressionAttributeValues: { ':pk': PK },
      });
      const index = new Map(items.map((m) => [String(m.sk), Number(m.visibleAt)]));
      for (const [sk, visibleAt] of this.beforeLoad) if (!index.has(sk)) index.set(sk, visibleAt);
      this.beforeLoad.clear();
      this.index = index;
    }
    return this.index;
  }

  /** Up to `free` due messages not in flight, earliest first. */
  private dueMessages(index: Map<string, number>, now: number, free: number): { sk: string; visibleAt: number }[] {
    const due: { sk: string; visibleAt: number }[] = [];
    for (const [sk, visibleAt] of index) {
      if (visibleAt > now || this.inFlight.has(sk)) continue;
      if (due.length < free) due.push({ sk, visibleAt });
      else if (visibleAt < due[due.length - 1].visibleAt) due[due.length - 1] = { sk, visibleAt };
      else continue;
      due.sort((a, b) => a.visibleAt - b.visibleAt);
    }
    return due;
  }

  private async tick(): Promise<void> {
    const free = this.opts.concurrency * 2 - this.inFlight.size;
    if (free <= 0 || !this.handler) return;
    const now = this.clock.now().getTime();
    const index = await this.loadIndex();
    for (const m of this.dueMessages(index, now, free)) {
      const claimed = await this.table.update({
        Key: { pk: PK, sk: m.sk },
        UpdateExpression: 'SET visibleAt = :until ADD receiveCount :one',
        ConditionExpression: 'visibleAt = :seen',
        ExpressionAttributeValues: { ':until': now + this.opts.visibilityTimeoutMs, ':one': 1, ':seen': m.visibleAt },
      });
      if (!claimed) {
        // Changed or gone behind our back (another process consuming the same data dir): read it again.
        const current = await this.table.get({ pk: PK, sk: m.sk });
        if (current) index.set(m.sk, Number(current.visibleAt));
        else index.delete(m.sk);
        continue;
      }
      index.set(m.sk, Number(claimed.visibleAt));
      if (claimed.receiveCount > this.opts.maxReceives) {
        await this.table.put({ ...claimed, pk: DLQ });
        await this.table.delete({ pk: PK, sk: m.sk });
        index.delete(m.sk);
        this.log('message moved to the dead-letter queue', { body: claimed.body });
        continue;
      }
      this.inFlight.add(m.sk);
      const job = this.limit(() => this.process(m.sk, claimed.body, claimed.receiveCount)).finally(() => {
        this.inFlight.delete(m.sk);
        this.loop.wake();
      });
      this.loop.track(job);
    }
  }

  private async process(sk: string, body: string, receiveCount: number): Promise<void> {
    try {
      await this.handler!(JSON.parse(body) as SendBatch);
      await this.table.delete({ pk: PK, sk });
      this.index?.delete(sk);
    } catch (err) {
      // Visible again after a short backoff, as with an SQS visibility change on failure.
      const backoff = backoffDelay(receiveCount - 1, { ...LOCAL_QUEUE_REDELIVERY, capMs: this.opts.visibilityTimeoutMs });
      const at = this.clock.now().getTime() + backoff;
      const changed = await this.table
        .update({
          Key: { pk: PK, sk },
          UpdateExpression: 'SET visibleAt = :at',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':at': at },
        })
        .catch((updateErr: unknown) => {
          this.log('could not delay a failed send batch; it comes back when the visibility timeout of its receive ends', {
            sk,
            error: (updateErr as Error).message,
          });
          return undefined;
        });
      // When the update failed (or the message is gone: undefined) it keeps the visibility of its receive (the index has it).
      if (changed) this.index?.set(sk, at);
      this.log('send batch failed; it will be retried', { error: (err as Error).message, receiveCount });
    }
  }
}
