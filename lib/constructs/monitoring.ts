/**
 * Alarms (to an SNS topic with an optional e-mail subscription) and one dashboard. Athena query
 * failures are counted by the segments, trigger and automations functions themselves, as a
 * Powertools metric.
 */
import { Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS } from '../../lambdas/config/metric-names';
import type { ServiceFunction } from './service-function';

/** Metric the segments/trigger functions emit (Powertools, default dimension `service`) per failed query. */
export const ATHENA_QUERY_FAILED_METRIC = METRICS.athenaQueryFailed;

export interface MonitoringProps {
  stage: string;
  metricsNamespace: string;
  alarmEmail?: string;
  api: apigw.HttpApi;
  functions: ServiceFunction[];
  sender: ServiceFunction;
  /** The trigger: invoked asynchronously, so a failure shows only in its Errors and its failure queue. */
  trigger: ServiceFunction;
  /** Functions that run Athena queries and emit ATHENA_QUERY_FAILED_METRIC. */
  athenaReporters: ServiceFunction[];
  sendQueue: sqs.IQueue;
  deadLetterQueues: Record<string, sqs.IQueue>;
  /** The lake maintenance function (compaction, erasure): its metrics are alarmed. */
  maintenance?: ServiceFunction;
  /** The automations function (per-minute sweep, daily inactivity run): errors, throttles and due lag are alarmed. */
  automations?: ServiceFunction;
}

/** The bound: a due device is handed to the send queue within 2 minutes of its due time. */
export const AUTOMATION_DUE_LAG_LIMIT_SECONDS = 120;

export class Monitoring extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'AlarmTopic', { displayName: `segmented-push ${props.stage} alarms`, enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new subs.EmailSubscription(props.alarmEmail));
    const period = Duration.minutes(5);

    for (const [name, dlq] of Object.entries(props.deadLetterQueues)) {
      this.alarm(`${name}DlqDepth`, dlq.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }), {
        threshold: 1,
        description: `Messages in the ${name} dead-letter queue: something failed for good. Inspect, fix, redrive.`,
      });
    }
    this.alarm('SenderErrors', props.sender.fn.metricErrors({ period }), {
      threshold: 1,
      evaluationPeriods: 2,
      description: 'The sender function fails whole invocations (not single messages).',
    });
    if (props.maintenance) {
      const custom = (metricName: string, p = Duration.hours(1)) =>
        new cloudwatch.Metric({
          namespace: props.metricsNamespace,
          metricName,
          dimensionsMap: { service: props.maintenance!.name },
          statistic: 'Sum',
          period: p,
        });
      this.alarm('LakeDeliveryErrors', custom(METRICS.lakeDeliveryErrors), {
        threshold: 1,
        description:
          'Firehose wrote objects under the lake error prefix (errors/<table>/<type>/…): records it could not partition (activePartitionExceeded: raise lakeStreamShards or the quota) or convert. They are kept 30 days. See docs/deploy.md, "Lake partitions and Firehose limits".',
      });
      this.alarm('ErasureFailed', custom(METRICS.erasureFailed), {
        threshold: 1,
        description:
          'An erasure failed after every attempt (status failed). The merchant may start it again; see the maintenance function logs.',
      });
      this.alarm('MaintenanceErrors', props.maintenance.fn.metricErrors({ period: Duration.hours(1), statistic: 'Sum' }), {
        threshold: 3,
        description:
          'The lake maintenance function keeps failing (compaction or erasure jobs are retried by its queue, then dead-lettered).',
      });
    }
    this.alarm('TriggerErrors', props.trigger.fn.metricErrors({ period, statistic: 'Sum' }), {
      threshold: 1,
      description:
        'A campaign wave failed to fire (Lambda retries it; after the retries it lands in the TriggerFailures queue and the wave stays "firing"). See docs/deploy.md, "Redriving a failed wave".',
    });
    const automationWidgets: cloudwatch.IWidget[] = [];
    if (props.automations) {
      const fn = props.automations;
      const custom = (metricName: string, statistic: string) =>
        new cloudwatch.Metric({
          namespace: props.metricsNamespace,
          metricName,
          dimensionsMap: { service: fn.name },
          statistic,
          period: Duration.minutes(1),
        });
      // A daily inactivity run that fails fast makes its three attempts (Lambda's two async retries)
      // within one 5-minute period, so "2 periods with errors" could miss it: any error alarms.
      this.alarm('AutomationsErrors', fn.fn.metricErrors({ period, statistic: 'Sum' }), {
        threshold: 1,
        description:
          'The automations function failed a sweep or the daily inactivity run (Lambda retries it twice; due items stay due, so the next sweep takes them). See docs/deploy.md, "Automated campaigns".',
      });
      // Reserved concurrency 1: a sweep that starts while another run still holds the slot is throttled and
      // retried by Lambda's async queue, which is expected now and then (and for the ≤ 5 minutes of the daily
      // inactivity run). Throttles in three 5-minute periods in a row mean runs keep overlapping.
      this.alarm('AutomationsThrottles', fn.fn.metricThrottles({ period, statistic: 'Sum' }), {
        threshold: 1,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        description:
          'The automations function has been throttled for 15 minutes: runs keep overlapping (a sweep over 60 s) or the account has no concurrency left for its reserved slot.',
      });
      const dueLag = custom(METRICS.automationDueLag, 'Maximum');
      this.alarm('AutomationDueLag', dueLag, {
        threshold: AUTOMATION_DUE_LAG_LIMIT_SECONDS,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        description: `Automated pushes are handed to the send queue more than ${AUTOMATION_DUE_LAG_LIMIT_SECONDS} s after their due time, for 3 minutes in a row (the bound is 2 minutes). See docs/deploy.md, "Automated campaigns".`,
      });
      automationWidgets.push(
        new cloudwatch.GraphWidget({
          title: 'Automated campaigns',
          left: [dueLag.with({ label: 'due lag (s, max)' })],
          leftAnnotations: [{ value: AUTOMATION_DUE_LAG_LIMIT_SECONDS, label: '2-minute bound' }],
          right: [custom(METRICS.automationsEnqueued, 'Sum').with({ label: 'pushes enqueued' })],
          width: 12,
        }),
        new cloudwatch.GraphWidget({
          title: 'Automations runs',
          left: [fn.fn.metricInvocations({ period: Duration.minutes(1) }), fn.fn.metricErrors({ period: Duration.minutes(1) })],
          right: [
            fn.fn.metricThrottles({ period: Duration.minutes(1) }),
            fn.fn.metricDuration({ period: Duration.minutes(1), statistic: 'Maximum' }),
          ],
          width: 12,
        }),
      );
    }
    const athenaFailed = new cloudwatch.MathExpression({
      label: 'Athena failed queries',
      expression: props.athenaReporters.map((_, i) => `FILL(m${i}, 0)`).join(' + '),
      usingMetrics: Object.fromEntries(
        props.athenaReporters.map((f, i) => [
          `m${i}`,
          new cloudwatch.Metric({
            namespace: props.metricsNamespace,
            metricName: ATHENA_QUERY_FAILED_METRIC,
            dimensionsMap: { service: f.name },
            statistic: 'Sum',
            period,
          }),
        ]),
      ),
      period,
    });
    this.alarm('AthenaQueryFailures', athenaFailed, {
      threshold: 3,
      description: 'Segment queries fail in Athena (scan cutoff, schema drift, permissions).',
    });
    const api5xx = props.api.metricServerError({ period, statistic: 'Sum' });
    this.alarm('Api5xx', api5xx, { threshold: 5, description: 'The HTTP API answers 5xx: a fault of the service.' });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `segmented-push-${props.stage}`,
      defaultInterval: Duration.hours(6),
    });
    const fnMetric = (m: 'metricInvocations' | 'metricErrors' | 'metricThrottles') =>
      props.functions.map((f) => f.fn[m]({ period, label: f.name }));
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'API requests and errors',
        left: [props.api.metricCount({ period }), props.api.metricClientError({ period }), api5xx],
        right: [props.api.metricLatency({ period, statistic: 'p90' })],
        width: 12,
      }),
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 12 }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Invocations', left: fnMetric('metricInvocations'), width: 8 }),
      new cloudwatch.GraphWidget({ title: 'Errors', left: fnMetric('metricErrors'), width: 8 }),
      new cloudwatch.GraphWidget({ title: 'Throttles', left: fnMetric('metricThrottles'), width: 8 }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Send queue',
        left: [props.sendQueue.metricApproximateNumberOfMessagesVisible({ period })],
        right: [props.sendQueue.metricApproximateAgeOfOldestMessage({ period })],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Dead-letter queues',
        left: Object.entries(props.deadLetterQueues).map(([n, q]) => q.metricApproximateNumberOfMessagesVisible({ period, label: n })),
        width: 8,
      }),
      new cloudwatch.GraphWidget({ title: 'Athena failed queries', left: [athenaFailed], width: 8 }),
    );
    if (automationWidgets.length > 0) this.dashboard.addWidgets(...automationWidgets);
  }

  private alarm(
    id: string,
    metric: cloudwatch.IMetric,
    opts: {
      threshold: number;
      description: string;
      evaluationPeriods?: number;
      datapointsToAlarm?: number;
      comparisonOperator?: cloudwatch.ComparisonOperator;
    },
  ): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      threshold: opts.threshold,
      evaluationPeriods: opts.evaluationPeriods ?? 1,
      datapointsToAlarm: opts.datapointsToAlarm,
      comparisonOperator: opts.comparisonOperator ?? cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: opts.description,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.topic));
    alarm.addOkAction(new actions.SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}
