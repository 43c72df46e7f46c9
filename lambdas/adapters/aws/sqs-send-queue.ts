/**
 * The fan-out queue in AWS: one SQS message per SendBatch, sent with SendMessageBatch (10 per
 * call). SendMessageBatch answers 200 even when some entries failed, so the Failed entries are
 * resent; enqueue() resolves only when every message was accepted.
 */
import { SendMessageBatchCommand, SQSClient, type SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { backoffDelay, SQS_SEND_RETRY } from '../../domain/backoff';
import { CORRELATION_ID_PATTERN } from '../../domain/ids';
import type { SendBatch, SendQueue } from '../../ports/send-queue';

/** Options of the SQS queue adapter. */
export interface SqsSendQueueOptions {
  client: SQSClient;
  /** SEND_QUEUE_URL (a standard queue: per-message DelaySeconds is not allowed on FIFO queues). */
  queueUrl: string;
  /** Sends per group before giving up on failed entries (default 5). */
  maxAttempts?: number;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  /** Injectable clock for the notBefore delay. */
  now?: () => Date;
}

/** SQS limits: 10 entries and 256 KiB (sum of bodies) per SendMessageBatch; 900 s longest delay. */
export const SQS_LIMITS = { entries: 10, batchBytes: 256 * 1024, maxDelaySeconds: 900 } as const;

/** Some messages could not be enqueued. */
export class EnqueueError extends Error {
  override name = 'EnqueueError';
  constructor(
    message: string,
    readonly failedBatchIds: string[],
  ) {
    super(message);
  }
}

/** A queue message body that is not a SendBatch (a bug or a foreign message: let it go to the DLQ). */
export class MalformedSendBatchError extends Error {
  override name = 'MalformedSendBatchError';
}

const sendBatchSchema = z.strictObject({
  tenantId: z.string().min(1),
  campaignId: z.string().min(1),
  waveId: z.string().min(1),
  batchId: z.string().min(1),
  deviceIds: z.array(z.string().min(1)),
  notBefore: z.iso.datetime({ offset: true }).optional(),
  history: z.record(z.string(), z.array(z.strictObject({ campaignId: z.string().min(1), at: z.string().min(1) }))).optional(),
  correlationId: z.string().regex(CORRELATION_ID_PATTERN).optional(),
  automated: z.literal(true).optional(),
});

/** Parses and validates a queue message body (the sender Lambda's input). */
export function parseSendBatch(body: string): SendBatch {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new MalformedSendBatchError('send batch message is not JSON');
  }
  const parsed = sendBatchSchema.safeParse(json);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new MalformedSendBatchError(`invalid send batch message: ${detail}`);
  }
  return parsed.data;
}

/**
 * Seconds SQS should hide the message: up to 900 s towards notBefore. A later notBefore is
 * reached by the sender deferring again, since SQS cannot delay longer.
 */
export function delaySeconds(batch: SendBatch, now: Date): number | undefined {
  if (!batch.notBefore) return undefined;
  const seconds = Math.ceil((new Date(batch.notBefore).getTime() - now.getTime()) / 1000);
  return seconds > 0 ? Math.min(SQS_LIMITS.maxDelaySeconds, seconds) : undefined;
}

/** SQS as the send queue. */
export class SqsSendQueue implements SendQueue {
  private readonly client: SQSClient;
  private readonly queueUrl: string;
  private readonly maxAttempts: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => Date;

  constructor(opts: SqsSendQueueOptions) {
    this.client = opts.client;
    this.queueUrl = opts.queueUrl;
    this.maxAttempts = Math.max(1, opts.maxAttempts ?? 5);
    this.sleep = opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = opts.now ?? (() => new Date());
  }

  async enqueue(batches: SendBatch[]): Promise<void> {
    const now = this.now();
    const entries = batches.map((b, i): SendMessageBatchRequestEntry & { batchId: string } => ({
      // Ids only need to be unique within one call; the index keeps them valid whatever batchId holds.
      Id: `m${i}`,
      MessageBody: JSON.stringify(b),
      DelaySeconds: delaySeconds(b, now),
      batchId: b.batchId,
    }));
    for (const group of groupEntries(entries)) await this.sendGroup(group);
  }

  private async sendGroup(group: (SendMessageBatchRequestEntry & { batchId: string })[]): Promise<void> {
    let pending = group;
    for (let attempt = 1; ; attempt++) {
      const out = await this.client.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: pending.map(({ Id, MessageBody, DelaySeconds }) => ({ Id, MessageBody, DelaySeconds })),
        }),
      );
      const failed = out.Failed ?? [];
      if (failed.length === 0) return;
      const failedIds = new Set(failed.map((f) => f.Id));
      pending = pending.filter((e) => failedIds.has(e.Id));
      const describe = failed.map((f) => `${f.Id}: ${f.Code}${f.Message ? ` ${f.Message}` : ''}`).join('; ');
      // A sender fault (e.g. an invalid body) fails the same way every time: do not retry it.
      const senderFault = failed.some((f) => f.SenderFault);
      if (senderFault || attempt >= this.maxAttempts) {
        throw new EnqueueError(
          `SQS rejected ${pending.length} message(s)${senderFault ? '' : ` after ${attempt} attempts`}: ${describe}`,
          pending.map((e) => e.batchId),
        );
      }
      await this.sleep(backoffDelay(attempt - 1, SQS_SEND_RETRY));
    }
  }
}

/** Groups entries by SendMessageBatch's entry count and payload size limits. */
function groupEntries<T extends SendMessageBatchRequestEntry>(entries: T[]): T[][] {
  const groups: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const e of entries) {
    const size = Buffer.byteLength(e.MessageBody ?? '', 'utf8');
    if (current.length === SQS_LIMITS.entries || (current.length > 0 && bytes + size > SQS_LIMITS.batchBytes)) {
      groups.push(current);
      current = [];
      bytes = 0;
    }
    current.push(e);
    bytes += size;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}
