/**
 * EventBridge Scheduler plumbing for timed campaigns: a schedule group holding one-time at()
 * schedules (one per campaign or time-zone wave), the execution role the schedules run with
 * (allowed to invoke the trigger function and nothing else, plus sending to its own DLQ), and a DLQ
 * for invocations that fail after the scheduler's retries. The schedules themselves are created at
 * run time by the campaigns and trigger functions.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../../lambdas/config/env';
import { acknowledgeWildcardResource } from '../nag';
import { deadLetterQueue } from './queues';
import type { ServiceFunction } from './service-function';

export const SCHEDULE_ACTIONS = [
  'scheduler:CreateSchedule',
  'scheduler:DeleteSchedule',
  'scheduler:GetSchedule',
  'scheduler:UpdateSchedule',
];

/** Lambda's own retries of a failed asynchronous trigger invocation (0–2; fire-wave is idempotent). */
export const TRIGGER_RETRY_ATTEMPTS = 2;
/** How long an undelivered wave trigger may wait in Lambda's async queue: later than this, an operator decides. */
export const TRIGGER_MAX_EVENT_AGE = Duration.hours(2);

export interface CampaignSchedulerProps {
  stage: string;
  /** The trigger function's ARN. A plain ARN string (not the function) keeps the trigger free to
   * hold this role's ARN in its own environment without a dependency cycle. */
  triggerFunctionArn: string;
}

export class CampaignScheduler extends Construct {
  readonly group: scheduler.ScheduleGroup;
  readonly role: iam.Role;
  readonly dlq: sqs.Queue;
  /** On-failure destination of the trigger's asynchronous invocations (see routeTriggerFailures). */
  triggerFailures?: sqs.Queue;
  readonly triggerFunctionArn: string;

  constructor(scope: Construct, id: string, props: CampaignSchedulerProps) {
    super(scope, id);
    this.triggerFunctionArn = props.triggerFunctionArn;
    this.group = new scheduler.ScheduleGroup(this, 'Group', { scheduleGroupName: `segmented-push-${props.stage}` });
    this.dlq = deadLetterQueue(
      this,
      'Dlq',
      'This queue IS a dead-letter queue: the DeadLetterConfig of every schedule (set at run time from SCHEDULER_DLQ_ARN), which cdk-nag cannot see.',
    );
    const stack = Stack.of(this);
    this.role = new iam.Role(this, 'ExecutionRole', {
      description: 'Runs campaign schedules: invokes the trigger function only',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        // Confused-deputy guard: only schedules of this account's group may assume the role. Scheduler
        // presents the schedule GROUP's ARN as aws:SourceArn (user guide, "Set up the execution role"),
        // so a schedule ARN or pattern here would never match and every schedule would fail to run.
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account, 'aws:SourceArn': this.groupArn() },
        },
      }),
    });
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [props.triggerFunctionArn] }));
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.dlq.queueArn] }));
  }

  /** arn:...:schedule-group/<group>: what Scheduler presents as aws:SourceArn when it assumes the role. */
  groupArn(): string {
    return Stack.of(this).formatArn({ service: 'scheduler', resource: 'schedule-group', resourceName: this.group.scheduleGroupName });
  }

  /** arn:...:schedule/<group>/* */
  scheduleArnPattern(): string {
    return Stack.of(this).formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${this.group.scheduleGroupName}/*`,
    });
  }

  /**
   * Create/update/delete/get schedules in the group and pass the execution role to the scheduler;
   * sets SCHEDULER_GROUP, SCHEDULER_ROLE_ARN, SCHEDULER_DLQ_ARN and TRIGGER_FUNCTION_ARN.
   */
  grantManageSchedules(fn: ServiceFunction): void {
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: SCHEDULE_ACTIONS, resources: [this.scheduleArnPattern()] }));
    acknowledgeWildcardResource(
      fn.role,
      this.scheduleArnPattern(),
      "Schedules are created at run time, one per campaign or time-zone wave; limited to this stage's schedule group.",
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.role.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    fn.addEnvironment(ENV.schedulerGroup, this.group.scheduleGroupName);
    fn.addEnvironment(ENV.schedulerRoleArn, this.role.roleArn);
    fn.addEnvironment(ENV.schedulerDlqArn, this.dlq.queueArn);
    fn.addEnvironment(ENV.triggerFunctionArn, this.triggerFunctionArn);
  }

  /**
   * Scheduler and "send now" invoke the trigger asynchronously, so a failing wave never reaches the
   * schedule's DLQ (that one only catches invocations Scheduler could not deliver): Lambda retries it
   * and then drops it. Here the dropped invocation goes to a queue instead, whose record carries the
   * wave trigger as `requestPayload`; re-invoking the trigger with it resumes the wave
   * (docs/deploy.md, "Redriving a failed wave").
   */
  routeTriggerFailures(trigger: ServiceFunction): sqs.Queue {
    const queue = deadLetterQueue(
      this,
      'TriggerFailures',
      "This queue IS a dead-letter queue: the trigger function's asynchronous on-failure destination, which cdk-nag does not recognise as one.",
    );
    // Lambda sends the failure record with the function's role: SendMessage on this queue, nothing
    // more (SqsDestination would also grant GetQueueAttributes and GetQueueUrl).
    trigger.addToRolePolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
    trigger.fn.configureAsyncInvoke({
      retryAttempts: TRIGGER_RETRY_ATTEMPTS,
      maxEventAge: TRIGGER_MAX_EVENT_AGE,
      onFailure: { bind: () => ({ destination: queue.queueArn }) },
    });
    this.triggerFailures = queue;
    return queue;
  }

  /** Invoke the trigger directly (asynchronously) for waves due now; sets TRIGGER_FUNCTION_ARN. */
  grantInvokeTrigger(fn: ServiceFunction): void {
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.triggerFunctionArn] }));
    fn.addEnvironment(ENV.triggerFunctionArn, this.triggerFunctionArn);
  }
}
