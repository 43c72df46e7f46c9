/**
 * Alarms (to an SNS topic with an optional e-mail subscription) and one dashboard. Athena query
 * failures are counted by the segments and trigger functions themselves, as a Powertools metric.
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
}

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
  }

  private alarm(
    id: string,
    metric: cloudwatch.IMetric,
    opts: { threshold: number; description: string; evaluationPeriods?: number },
  ): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      threshold: opts.threshold,
      evaluationPeriods: opts.evaluationPeriods ?? 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: opts.description,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.topic));
    alarm.addOkAction(new actions.SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}
