/**
 * SQS (JSON protocol) with the semantics the product relies on: SendMessage/SendMessageBatch limits
 * (10 entries, unique valid ids, 1 MiB per batch, DelaySeconds ≤ 900), MD5 of bodies (the SDK checks
 * them), visibility timeouts and receive counts on the world's clock, redrive to the DLQ after
 * maxReceiveCount, and Lambda event source mappings with ReportBatchItemFailures.
 */
import { createHash, randomUUID } from 'node:crypto';
import { authorize, json, jsonCall, ServiceError, type BoxRequest, type BoxResponse, type Service } from '../box';
import { REGION, type CloudAssembly } from '../cloud-assembly';

export const SQS_MAX_BATCH_BYTES = 1024 * 1024;

export interface SqsMessage {
  messageId: string;
  body: string;
  sentAt: number;
  visibleAt: number;
  receiveCount: number;
  receiptHandle: string;
}

export interface QueueModel {
  name: string;
  arn: string;
  url: string;
  visibilityTimeoutSeconds: number;
  redrive?: { deadLetterTargetArn: string; maxReceiveCount: number };
  messages: SqsMessage[];
}

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');

export class SqsStandIn implements Service {
  readonly protocol = 'json' as const;
  readonly accessDeniedCode = 'AccessDenied';
  readonly queues = new Map<string, QueueModel>();

  constructor(
    assembly: CloudAssembly,
    private readonly now: () => number,
  ) {
    for (const q of assembly.ofType('AWS::SQS::Queue')) {
      const p = assembly.resolve(q.stack, q.props);
      const model: QueueModel = {
        name: assembly.physicalName(q),
        arn: assembly.getAtt(q, 'Arn'),
        url: assembly.ref(q),
        visibilityTimeoutSeconds: Number(p.VisibilityTimeout ?? 30),
        redrive: p.RedrivePolicy
          ? { deadLetterTargetArn: p.RedrivePolicy.deadLetterTargetArn, maxReceiveCount: Number(p.RedrivePolicy.maxReceiveCount) }
          : undefined,
        messages: [],
      };
      this.queues.set(model.arn, model);
    }
  }

  byUrl(url: string): QueueModel {
    const q = [...this.queues.values()].find((x) => x.url === url);
    if (!q) throw new ServiceError('QueueDoesNotExist', `The specified queue does not exist: ${url}`);
    return q;
  }

  byArn(arn: string): QueueModel {
    const q = this.queues.get(arn);
    if (!q) throw new Error(`no queue ${arn} in the template`);
    return q;
  }

  /** Put a message on a queue (also used by Lambda destinations and Scheduler DLQs). */
  deliver(q: QueueModel, body: string, delaySeconds = 0): SqsMessage {
    const m: SqsMessage = {
      messageId: randomUUID(),
      body,
      sentAt: this.now(),
      visibleAt: this.now() + delaySeconds * 1000,
      receiveCount: 0,
      receiptHandle: '',
    };
    q.messages.push(m);
    return m;
  }

  /** Receive up to max visible messages (moving over-received ones to the DLQ first, as SQS does). */
  receive(q: QueueModel, max: number): SqsMessage[] {
    const now = this.now();
    const out: SqsMessage[] = [];
    for (const m of [...q.messages]) {
      if (out.length >= max) break;
      if (m.visibleAt > now) continue;
      if (q.redrive && m.receiveCount >= q.redrive.maxReceiveCount) {
        q.messages.splice(q.messages.indexOf(m), 1);
        this.byArn(q.redrive.deadLetterTargetArn).messages.push({ ...m, visibleAt: now });
        continue;
      }
      m.receiveCount++;
      m.visibleAt = now + q.visibilityTimeoutSeconds * 1000;
      m.receiptHandle = randomUUID();
      out.push(m);
    }
    return out;
  }

  /**
   * The earliest instant at which a message sent with DelaySeconds (never received yet) becomes
   * visible, if any is still hidden. Messages hidden by a visibility timeout after a failed receive
   * are not counted: when those come back is the test's to decide (world.advance).
   */
  nextDelayedAt(): number | undefined {
    const now = this.now();
    let next: number | undefined;
    for (const q of this.queues.values()) {
      for (const m of q.messages)
        if (m.receiveCount === 0 && m.visibleAt > now && (next === undefined || m.visibleAt < next)) next = m.visibleAt;
    }
    return next;
  }

  delete(q: QueueModel, receiptHandle: string): void {
    const i = q.messages.findIndex((m) => m.receiptHandle === receiptHandle);
    if (i >= 0) q.messages.splice(i, 1);
  }

  async handle(req: BoxRequest): Promise<BoxResponse> {
    const { op, input } = jsonCall(req);
    const q = this.byUrl(input.QueueUrl);
    const action = op === 'SendMessageBatch' ? 'SendMessage' : op === 'DeleteMessageBatch' ? 'DeleteMessage' : op;
    authorize(req.caller, `sqs:${action}`, q.arn);
    switch (op) {
      case 'SendMessage': {
        validateDelay(input.DelaySeconds);
        if (Buffer.byteLength(input.MessageBody ?? '') > SQS_MAX_BATCH_BYTES)
          throw new ServiceError('InvalidParameterValue', 'message too long');
        const m = this.deliver(q, input.MessageBody, input.DelaySeconds ?? 0);
        return json({ MessageId: m.messageId, MD5OfMessageBody: md5(m.body) });
      }
      case 'SendMessageBatch': {
        const entries: any[] = input.Entries ?? [];
        if (entries.length === 0)
          throw new ServiceError('EmptyBatchRequest', 'There should be at least one SendMessageBatchRequestEntry in the request.');
        if (entries.length > 10)
          throw new ServiceError(
            'TooManyEntriesInBatchRequest',
            `Maximum number of entries per request are 10. You have sent ${entries.length}.`,
          );
        const ids = new Set<string>();
        for (const e of entries) {
          if (!/^[A-Za-z0-9_-]{1,80}$/.test(e.Id))
            throw new ServiceError(
              'InvalidBatchEntryId',
              `A batch entry id can only contain alphanumeric characters, hyphens and underscores: ${e.Id}`,
            );
          if (ids.has(e.Id)) throw new ServiceError('BatchEntryIdsNotDistinct', `Id ${e.Id} repeated`);
          ids.add(e.Id);
          validateDelay(e.DelaySeconds);
        }
        const total = entries.reduce((n, e) => n + Buffer.byteLength(e.MessageBody ?? ''), 0);
        if (total > SQS_MAX_BATCH_BYTES)
          throw new ServiceError(
            'BatchRequestTooLong',
            `Batch requests cannot be longer than ${SQS_MAX_BATCH_BYTES} bytes. You have sent ${total} bytes.`,
          );
        const successful = entries.map((e) => {
          const m = this.deliver(q, e.MessageBody, e.DelaySeconds ?? 0);
          return { Id: e.Id, MessageId: m.messageId, MD5OfMessageBody: md5(m.body) };
        });
        return json({ Successful: successful, Failed: [] });
      }
      case 'ReceiveMessage': {
        const got = this.receive(q, Math.min(10, input.MaxNumberOfMessages ?? 1));
        return json({
          Messages: got.map((m) => ({ MessageId: m.messageId, ReceiptHandle: m.receiptHandle, Body: m.body, MD5OfBody: md5(m.body) })),
        });
      }
      case 'DeleteMessage':
        this.delete(q, input.ReceiptHandle);
        return json({});
      default:
        throw new ServiceError('InvalidAction', `the AWS world's SQS does not model ${op}`);
    }
  }

  /** The SQS event Lambda receives for these messages. */
  eventFor(q: QueueModel, messages: SqsMessage[]) {
    return {
      Records: messages.map((m) => ({
        messageId: m.messageId,
        receiptHandle: m.receiptHandle,
        body: m.body,
        attributes: {
          ApproximateReceiveCount: String(m.receiveCount),
          SentTimestamp: String(m.sentAt),
          SenderId: 'box',
          ApproximateFirstReceiveTimestamp: String(m.sentAt),
        },
        messageAttributes: {},
        md5OfBody: md5(m.body),
        eventSource: 'aws:sqs',
        eventSourceARN: q.arn,
        awsRegion: REGION,
      })),
    };
  }
}

function validateDelay(d: unknown): void {
  if (d !== undefined && (typeof d !== 'number' || d < 0 || d > 900))
    throw new ServiceError(
      'InvalidParameterValue',
      `Value ${String(d)} for parameter DelaySeconds is invalid. Reason: must be between 0 and 900, if provided.`,
    );
}
