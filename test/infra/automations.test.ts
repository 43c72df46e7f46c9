/**
 * Automated campaigns in AWS: the automations function (one at a time), its two EventBridge rules,
 * its IAM (records with the `due` index, the send queue, Athena like the trigger), the records
 * table's `due` index, and the alarms on its errors, throttles and due lag.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { ENV } from '../../lambdas/config/env';
import { METRICS } from '../../lambdas/config/metric-names';
import { AUTOMATION_DUE_LAG_LIMIT_SECONDS } from '../../lib/constructs/monitoring';
import { AUTOMATIONS_CONCURRENCY, FUNCTION_SIZING } from '../../lib/stacks/service-stack';
import { build, logicalId, statementsOfRole } from './helpers';

const b = build();
const t = b.service_t;
const sf = b.service.functions.automations;
const fnId = logicalId(sf.fn);
const props = t.toJSON().Resources[fnId].Properties;
const recordsId = logicalId(b.data.tables.table('records'));
const actionsOf = (s: { Action: string | string[] }) => [s.Action].flat();

describe('the automations function', () => {
  test('exists with 512 MB, a 5-minute timeout and reserved concurrency 1 (never two runs at once)', () => {
    expect(props.Environment.Variables[ENV.powertoolsService]).toBe('automations');
    expect(props.MemorySize).toBe(512);
    expect(props.Timeout).toBe(300);
    expect(FUNCTION_SIZING.automations.timeout.toSeconds()).toBe(300);
    expect(AUTOMATIONS_CONCURRENCY).toBe(1);
    expect(props.ReservedConcurrentExecutions).toBe(1);
    // No other function reserves concurrency (each reservation is taken from the account's unreserved pool).
    const reserved = Object.entries(t.findResources('AWS::Lambda::Function')).filter(
      ([, r]) => r.Properties.ReservedConcurrentExecutions !== undefined,
    );
    expect(reserved.map(([id]) => id)).toEqual([fnId]);
  });

  test('traced, its own log group with the configured retention', () => {
    expect(props.TracingConfig).toEqual({ Mode: 'Active' });
    expect(props.LoggingConfig.LogGroup).toEqual({ Ref: logicalId(sf.logGroup) });
    const group = t.toJSON().Resources[logicalId(sf.logGroup)];
    expect(group.Type).toBe('AWS::Logs::LogGroup');
    expect(group.Properties.RetentionInDays).toBe(b.config.logRetentionDays);
  });

  test('the Athena engine gives up on a query well before the function timeout', () => {
    const ms = Number(props.Environment.Variables[ENV.queryTimeoutMs]);
    expect(ms).toBeGreaterThanOrEqual(60_000);
    expect(ms).toBeLessThan(props.Timeout * 1000 - 60_000);
  });
});

describe('schedules', () => {
  const rules = Object.entries(t.findResources('AWS::Events::Rule')).filter(([, r]) =>
    (r.Properties.Targets as { Arn: unknown }[]).some((x) => JSON.stringify(x.Arn) === JSON.stringify({ 'Fn::GetAtt': [fnId, 'Arn'] })),
  );
  const byKind = Object.fromEntries(
    rules.map(([id, r]) => [JSON.parse(r.Properties.Targets[0].Input).kind as string, { id, ...r.Properties }]),
  );

  test('exactly two rules invoke it: the sweep every minute, the inactivity run daily at 03:30 UTC', () => {
    expect(Object.keys(byKind).sort()).toEqual(['inactivity', 'sweep']);
    expect(rules).toHaveLength(2);
    expect(byKind.sweep.ScheduleExpression).toBe('rate(1 minute)');
    expect(byKind.inactivity.ScheduleExpression).toBe('cron(30 3 * * ? *)');
    for (const r of Object.values(byKind)) expect(r.State).toBe('ENABLED');
  });

  test('each target has retries, a max event age and the schedules DLQ', () => {
    const dlqId = logicalId(b.service.automationSchedules.dlq);
    for (const r of Object.values(byKind)) {
      expect(r.Targets).toHaveLength(1);
      expect(r.Targets[0].RetryPolicy.MaximumRetryAttempts).toBe(2);
      expect(r.Targets[0].DeadLetterConfig.Arn).toEqual({ 'Fn::GetAtt': [dlqId, 'Arn'] });
    }
    // A sweep not delivered within 2 minutes is superseded by the next ones.
    expect(byKind.sweep.Targets[0].RetryPolicy.MaximumEventAgeInSeconds).toBe(120);
    expect(byKind.inactivity.Targets[0].RetryPolicy.MaximumEventAgeInSeconds).toBe(3600);
  });

  test('EventBridge may invoke the function from these two rules only', () => {
    const perms = Object.values(t.findResources('AWS::Lambda::Permission'))
      .map((p) => p.Properties)
      .filter((p) => JSON.stringify(p.FunctionName).includes(fnId));
    expect(perms).toHaveLength(2);
    for (const p of perms) expect(p).toMatchObject({ Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com' });
    expect(perms.map((p) => p.SourceArn['Fn::GetAtt'][0]).sort()).toEqual(
      Object.values(byKind)
        .map((r) => r.id)
        .sort(),
    );
  });
});

describe('IAM', () => {
  const statements = statementsOfRole(t, logicalId(sf.role));

  test('records table read/write, and Query on its `due` index', () => {
    const onTable = statements.filter((s) => JSON.stringify(s.Resource).includes(recordsId));
    const table = onTable.filter((s) => !JSON.stringify(s.Resource).includes('/index/'));
    for (const a of ['dynamodb:Query', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']) {
      expect([a, table.some((s) => actionsOf(s).includes(a))]).toEqual([a, true]);
    }
    const index = onTable.filter((s) => JSON.stringify(s.Resource).includes('/index/due'));
    expect(index).toHaveLength(1);
    expect(actionsOf(index[0])).toEqual(['dynamodb:Query']);
    expect(props.Environment.Variables[ENV.recordsTable]).toEqual({ 'Fn::ImportValue': expect.stringContaining(recordsId) });
  });

  test('sqs:SendMessage on the send queue (and on no other queue), with its URL', () => {
    const sendQueueId = logicalId(b.service.sendQueue.queue);
    const sends = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('sqs:')));
    expect(sends).toHaveLength(1);
    expect(sends[0].Action).toBe('sqs:SendMessage');
    expect(sends[0].Resource).toEqual({ 'Fn::GetAtt': [sendQueueId, 'Arn'] });
    expect(props.Environment.Variables[ENV.sendQueueUrl]).toEqual({ Ref: sendQueueId });
  });

  test('Athena, Glue, lake read and results write exactly as the trigger has them', () => {
    const query = (s: { Action: string | string[] }) => actionsOf(s).some((a) => /^(athena|glue|s3):/.test(a));
    const mine = statements.filter(query);
    const trigger = statementsOfRole(t, logicalId(b.service.functions.trigger.role)).filter(query);
    expect(mine.flatMap(actionsOf)).toEqual(
      expect.arrayContaining(['athena:StartQueryExecution', 'glue:GetTable', 's3:GetObject', 's3:PutObject']),
    );
    expect(mine).toEqual(trigger);
    const env = props.Environment.Variables;
    const triggerEnv = t.toJSON().Resources[logicalId(b.service.functions.trigger.fn)].Properties.Environment.Variables;
    for (const v of [ENV.athenaWorkgroup, ENV.athenaDatabase]) expect([v, env[v]]).toEqual([v, triggerEnv[v]]);
    expect(env[ENV.athenaWorkgroup]).toBeDefined();
  });

  test('no ledger, no Firehose, no SNS, no schedules: the sender does the pushing', () => {
    const all = statements.flatMap(actionsOf);
    expect(all.filter((a) => /^(firehose|sns|scheduler|lambda|iam):/.test(a))).toEqual([]);
    const deliveriesId = logicalId(b.data.tables.table('deliveries'));
    expect(statements.filter((s) => JSON.stringify(s.Resource).includes(deliveriesId))).toEqual([]);
  });

  test('the events function (which enters due items and exit marks) has read/write on records, index included', () => {
    const ev = statementsOfRole(t, logicalId(b.service.functions.events.role)).filter((s) =>
      JSON.stringify(s.Resource).includes(recordsId),
    );
    const acts = ev.flatMap(actionsOf);
    for (const a of ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem']) {
      expect([a, acts.includes(a)]).toEqual([a, true]);
    }
    expect(ev.some((s) => JSON.stringify(s.Resource).includes('/index/due'))).toBe(true);
  });
});

test('the records table has the sparse `due` index (duePk, dueSk), keys only', () => {
  const table = b.data_t.toJSON().Resources[recordsId].Properties;
  expect(table.GlobalSecondaryIndexes).toEqual([
    {
      IndexName: 'due',
      KeySchema: [
        { AttributeName: 'duePk', KeyType: 'HASH' },
        { AttributeName: 'dueSk', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    },
  ]);
  expect(table.AttributeDefinitions).toEqual(
    expect.arrayContaining([
      { AttributeName: 'duePk', AttributeType: 'S' },
      { AttributeName: 'dueSk', AttributeType: 'S' },
    ]),
  );
});

describe('alarms and dashboard', () => {
  const alarms = Object.values(t.findResources('AWS::CloudWatch::Alarm')).map((r) => r.Properties);
  const topic = { Ref: logicalId(b.service.monitoring.topic) };
  const onFn = (metric: string) =>
    alarms.filter((a) => a.Namespace === 'AWS/Lambda' && a.MetricName === metric && JSON.stringify(a.Dimensions).includes(fnId));

  test('any error of the function in 5 minutes', () => {
    const [a, ...more] = onFn('Errors');
    expect(more).toEqual([]);
    expect(a).toMatchObject({ Statistic: 'Sum', Period: 300, Threshold: 1, EvaluationPeriods: 1, AlarmActions: [topic] });
    expect(a.ComparisonOperator).toBe('GreaterThanOrEqualToThreshold');
  });

  test('throttles in three 5-minute periods in a row', () => {
    const [a, ...more] = onFn('Throttles');
    expect(more).toEqual([]);
    expect(a).toMatchObject({
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      AlarmActions: [topic],
    });
  });

  test('due lag: maximum over 120 s for 3 of 3 one-minute periods', () => {
    expect(METRICS.automationDueLag).toBe('AutomationDueLagSeconds');
    expect(AUTOMATION_DUE_LAG_LIMIT_SECONDS).toBe(120);
    const lag = alarms.filter((a) => a.MetricName === 'AutomationDueLagSeconds');
    expect(lag).toHaveLength(1);
    expect(lag[0]).toMatchObject({
      Namespace: 'SegmentedPush/dev',
      Dimensions: [{ Name: 'service', Value: 'automations' }],
      Statistic: 'Maximum',
      Period: 60,
      Threshold: 120,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      TreatMissingData: 'notBreaching',
      AlarmActions: [topic],
    });
  });

  test('messages in the schedules DLQ alarm', () => {
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: Match.arrayWith([
        Match.objectLike({ Value: { 'Fn::GetAtt': [logicalId(b.service.automationSchedules.dlq), 'QueueName'] } }),
      ]),
    });
  });

  test('the Athena failures alarm counts the automations function', () => {
    const athena = alarms.find((a) => a.Metrics?.some((m: any) => m.MetricStat?.Metric.MetricName === METRICS.athenaQueryFailed));
    const services = athena.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Metric.Dimensions[0].Value);
    expect(services).toContain('automations');
  });

  test('the dashboard graphs due lag and enqueued pushes', () => {
    const body = JSON.stringify(Object.values(t.findResources('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody);
    expect(body).toContain(METRICS.automationDueLag);
    expect(body).toContain(METRICS.automationsEnqueued);
  });
});
