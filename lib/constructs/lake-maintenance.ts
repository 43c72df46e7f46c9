/**
 * Lake maintenance: the maintenance function's queue (compaction and erasure jobs, one at a time per
 * invocation, at most MAINTENANCE_MAX_CONCURRENCY at once to stay well inside Athena's DML query
 * quota), its DLQ, and the two schedules (EventBridge rules): hourly (sweep replaced files, count
 * Firehose error objects, resume stuck erasures) and daily at 02:15 UTC (one compaction job per
 * tenant for the closed days). Costs and the schedule are in docs/deploy.md, "Lake compaction".
 */
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../../lambdas/config/env';
import { MAINTENANCE_MAX_RECEIVES } from '../../lambdas/ports/maintenance-jobs';
import { queueWithDlq } from './queues';
import { scheduledRun } from './scheduled-run';
import type { ServiceFunction } from './service-function';

/** Maintenance invocations at once: each runs one Athena UNLOAD at a time (Athena's default DML quota is 20–25 concurrent queries, shared with segment queries). */
export const MAINTENANCE_MAX_CONCURRENCY = 5;
/** Firehose's buffer interval (lake-streams.ts) × 1.5 (its multi-stage buffering) plus a margin: rows accepted before an erasure are in S3 by then. */
export const ERASURE_SETTLE = Duration.seconds(240);

export interface LakeMaintenanceProps {
  fn: ServiceFunction;
}

export class LakeMaintenanceJobs extends Construct {
  readonly queue: sqs.Queue;
  readonly dlq: sqs.Queue;

  constructor(scope: Construct, id: string, props: LakeMaintenanceProps) {
    super(scope, id);
    const timeout = props.fn.fn.timeout ?? Duration.minutes(15);
    ({ queue: this.queue, dlq: this.dlq } = queueWithDlq(this, {
      // AWS's advice for Lambda event sources: at least 6× the function's timeout.
      visibilityTimeout: Duration.seconds(timeout.toSeconds() * 6),
      maxReceiveCount: MAINTENANCE_MAX_RECEIVES,
    }));
    props.fn.fn.addEventSource(
      new SqsEventSource(this.queue, { batchSize: 1, reportBatchItemFailures: true, maxConcurrency: MAINTENANCE_MAX_CONCURRENCY }),
    );
    this.grantEnqueue(props.fn);
    props.fn.addEnvironment(ENV.erasureSettleMs, String(ERASURE_SETTLE.toMilliseconds()));

    for (const [name, schedule, kind] of [
      ['Hourly', events.Schedule.cron({ minute: '7' }), 'hourly'],
      ['Daily', events.Schedule.cron({ minute: '15', hour: '2' }), 'daily'],
    ] as const) {
      scheduledRun(this, name, { schedule, fn: props.fn, kind, what: 'Lake maintenance', maxEventAge: Duration.hours(1), dlq: this.dlq });
    }
  }

  /** sqs:SendMessage on the maintenance queue; sets MAINTENANCE_QUEUE_URL. */
  grantEnqueue(fn: ServiceFunction): void {
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }));
    fn.addEnvironment(ENV.maintenanceQueueUrl, this.queue.queueUrl);
  }
}
