/**
 * The fan-out queue between the trigger (which enqueues batches of devices) and the sender, with a
 * DLQ for batches that keep failing. The sender reports partial batch failures, so only the failed
 * messages come back and only they can end in the DLQ.
 */
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../../lambdas/config/env';
import type { ServiceFunction } from './service-function';

export const SEND_ACTIONS = ['sqs:SendMessage'];

export interface SendQueueProps {
  /** Must be at least 6× the sender's timeout (AWS's advice for Lambda event sources). */
  visibilityTimeout: Duration;
  maxReceiveCount?: number;
}

export class SendQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly dlq: sqs.Queue;

  constructor(scope: Construct, id: string, props: SendQueueProps) {
    super(scope, id);
    this.dlq = new sqs.Queue(this, 'Dlq', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: props.visibilityTimeout,
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.dlq, maxReceiveCount: props.maxReceiveCount ?? 5 },
    });
  }

  /** sqs:SendMessage on the send queue; sets SEND_QUEUE_URL. */
  grantSend(fn: ServiceFunction): void {
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: SEND_ACTIONS, resources: [this.queue.queueArn] }));
    fn.addEnvironment(ENV.sendQueueUrl, this.queue.queueUrl);
  }
}
