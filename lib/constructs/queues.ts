/**
 * SQS queues with the house's settings, written once: SQS-managed encryption and TLS only; a
 * dead-letter queue keeps its messages 14 days (SQS's longest) for an operator, a work queue 4 days.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

const SECURE: Pick<sqs.QueueProps, 'encryption' | 'enforceSSL'> = { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true };

/**
 * A dead-letter queue. `nagReason`: for a queue that is a DLQ of something cdk-nag cannot see (a
 * schedule, an on-failure destination), why it has no DLQ of its own (AwsSolutions-SQS3).
 */
export function deadLetterQueue(scope: Construct, id: string, nagReason?: string): sqs.Queue {
  const dlq = new sqs.Queue(scope, id, { ...SECURE, retentionPeriod: Duration.days(14) });
  if (nagReason) Validations.of(dlq).acknowledge({ id: 'AwsSolutions-SQS3', reason: nagReason });
  return dlq;
}

/** A work queue (`Queue`) and its DLQ (`Dlq`): a message goes to the DLQ after `maxReceiveCount` receives. */
export function queueWithDlq(scope: Construct, props: { visibilityTimeout: Duration; maxReceiveCount: number }) {
  const dlq = deadLetterQueue(scope, 'Dlq');
  const queue = new sqs.Queue(scope, 'Queue', {
    ...SECURE,
    visibilityTimeout: props.visibilityTimeout,
    retentionPeriod: Duration.days(4),
    deadLetterQueue: { queue: dlq, maxReceiveCount: props.maxReceiveCount },
  });
  return { queue, dlq };
}
