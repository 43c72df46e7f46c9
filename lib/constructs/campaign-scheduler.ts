/**
 * EventBridge Scheduler plumbing for timed campaigns: a schedule group holding one-time at()
 * schedules (one per campaign or time-zone wave), the execution role the schedules run with
 * (allowed to invoke the trigger function and nothing else, plus sending to its own DLQ), and a DLQ
 * for invocations that fail after the scheduler's retries. The schedules themselves are created at
 * run time by the campaigns and trigger functions.
 */
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../../lambdas/config/env';
import { acknowledgeWildcardResource } from '../nag';
import type { ServiceFunction } from './service-function';

export const SCHEDULE_ACTIONS = [
  'scheduler:CreateSchedule',
  'scheduler:DeleteSchedule',
  'scheduler:GetSchedule',
  'scheduler:UpdateSchedule',
];

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
  readonly triggerFunctionArn: string;

  constructor(scope: Construct, id: string, props: CampaignSchedulerProps) {
    super(scope, id);
    this.triggerFunctionArn = props.triggerFunctionArn;
    this.group = new scheduler.ScheduleGroup(this, 'Group', { scheduleGroupName: `segmented-push-${props.stage}` });
    this.dlq = new sqs.Queue(this, 'Dlq', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.dlq).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue IS a dead-letter queue: the DeadLetterConfig of every schedule (set at run time from SCHEDULER_DLQ_ARN), which cdk-nag cannot see.',
    });
    const stack = Stack.of(this);
    this.role = new iam.Role(this, 'ExecutionRole', {
      description: 'Runs campaign schedules: invokes the trigger function only',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        // Confused-deputy guard: only schedules of this account's group may assume the role.
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': this.scheduleArnPattern() },
        },
      }),
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [props.triggerFunctionArn] }),
    );
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.dlq.queueArn] }));
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
      'Schedules are created at run time, one per campaign or time-zone wave; limited to this stage\'s schedule group.',
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

  /** Invoke the trigger directly (asynchronously) for waves due now; sets TRIGGER_FUNCTION_ARN. */
  grantInvokeTrigger(fn: ServiceFunction): void {
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.triggerFunctionArn] }));
    fn.addEnvironment(ENV.triggerFunctionArn, this.triggerFunctionArn);
  }
}
