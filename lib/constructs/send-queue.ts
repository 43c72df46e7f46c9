/**
 * The fan-out queue between the trigger (which enqueues batches of devices) and the sender, with a
 * DLQ for batches that keep failing. The sender reports partial batch failures, so only the failed
 * messages come back and only they can end in the DLQ. The queue is also where the account-wide
 * send ceiling is enforced: by how many senders may consume it at once, never by sleeping.
 */
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../../lambdas/config/env';
import { DEVICES_PER_BATCH } from '../../lambdas/ports/send-queue';
import { queueWithDlq } from './queues';
import type { ServiceFunction } from './service-function';

export const SEND_ACTIONS = ['sqs:SendMessage'];

/** Receives of one message before it goes to the DLQ (each receive may publish each of its devices once more). */
export const SEND_MAX_RECEIVE_COUNT = 5;

/**
 * The sender's throughput, on the fast side so the ceiling holds even when SNS answers quickly:
 * - one invocation takes SENDER_BATCH_SIZE = 25 messages × DEVICES_PER_BATCH = 100 devices (2,500)
 *   and works through them one message after another;
 * - it keeps PUBLISHES_IN_FLIGHT = 8 publishes in flight (send-batch.ts's default concurrency);
 * - a Publish to a platform endpoint takes FASTEST_PUBLISH_MS ≈ 20 ms or more in region;
 * so one concurrent sender reaches at most 8 × 1000 / 20 = 400 devices/s (2,500 devices in ≥ 6.25 s,
 * far inside its 60 s timeout). The event source's maximum concurrency is then ⌊ceiling / 400⌋:
 * the default 1,200/s gives 3 senders. Lambda's floor of 2 makes 800/s the smallest ceiling the
 * queue alone can hold; below it the trigger's pacing (each campaign lowered to the ceiling) and
 * the SNS client's adaptive rate limiting do the rest.
 */
export const SENDER_BATCH_SIZE = 25;
export const PUBLISHES_IN_FLIGHT = 8;
export const FASTEST_PUBLISH_MS = 20;
export const MAX_DEVICES_PER_SECOND_PER_SENDER = (PUBLISHES_IN_FLIGHT * 1000) / FASTEST_PUBLISH_MS;
/** Lambda's bounds on an SQS event source's maximum concurrency. */
export const SQS_MAX_CONCURRENCY_BOUNDS = { min: 2, max: 1000 } as const;

/** How many senders may run at once so that, together, they stay under `maxSendsPerSecond`. */
export function senderMaxConcurrency(maxSendsPerSecond: number): number {
  const senders = Math.floor(maxSendsPerSecond / MAX_DEVICES_PER_SECOND_PER_SENDER);
  return Math.min(SQS_MAX_CONCURRENCY_BOUNDS.max, Math.max(SQS_MAX_CONCURRENCY_BOUNDS.min, senders));
}

/** Devices one sender invocation receives (for the arithmetic above and docs). */
export const DEVICES_PER_SENDER_INVOCATION = SENDER_BATCH_SIZE * DEVICES_PER_BATCH;

export interface SendQueueProps {
  /** Must be at least 6× the sender's timeout (AWS's advice for Lambda event sources). */
  visibilityTimeout: Duration;
  maxReceiveCount?: number;
  /** The account-wide ceiling on pushes a second (config `maxSendsPerSecond`). */
  maxSendsPerSecond: number;
}

export class SendQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly dlq: sqs.Queue;
  readonly maxSendsPerSecond: number;
  /** Senders that may consume the queue at once (the event source's maximum concurrency). */
  readonly senderMaxConcurrency: number;

  constructor(scope: Construct, id: string, props: SendQueueProps) {
    super(scope, id);
    this.maxSendsPerSecond = props.maxSendsPerSecond;
    this.senderMaxConcurrency = senderMaxConcurrency(props.maxSendsPerSecond);
    ({ queue: this.queue, dlq: this.dlq } = queueWithDlq(this, {
      visibilityTimeout: props.visibilityTimeout,
      maxReceiveCount: props.maxReceiveCount ?? SEND_MAX_RECEIVE_COUNT,
    }));
  }

  /**
   * sqs:SendMessage on the send queue; sets SEND_QUEUE_URL and MAX_SENDS_PER_SECOND (whoever enqueues
   * paces what it enqueues: the trigger lowers a campaign's sendRate to the ceiling).
   */
  grantSend(fn: ServiceFunction): void {
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: SEND_ACTIONS, resources: [this.queue.queueArn] }));
    fn.addEnvironment(ENV.sendQueueUrl, this.queue.queueUrl);
    fn.addEnvironment(ENV.maxSendsPerSecond, String(this.maxSendsPerSecond));
  }
}
