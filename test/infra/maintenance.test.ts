/** Lake maintenance: its queue, DLQ, event source, schedules, and S3 access limited to the lake's table and maintenance prefixes. */
import { Match } from 'aws-cdk-lib/assertions';
import { MAINTENANCE_MAX_RECEIVES } from '../../lambdas/ports/maintenance-jobs';
import { ERASURE_SETTLE, MAINTENANCE_MAX_CONCURRENCY } from '../../lib/constructs/lake-maintenance';
import { FUNCTION_SIZING } from '../../lib/stacks/service-stack';
import { build, logicalId, statementsOfRole } from './helpers';

const b = build();
const t = b.service_t;
const fn = b.service.functions.maintenance;
const fnId = logicalId(fn.fn);

test('jobs come from a queue with a DLQ, one per invocation, a bounded number at once', () => {
  const queues = t.findResources('AWS::SQS::Queue');
  const [queueId, queue] = Object.entries(queues).find(([id]) => /MaintenanceJobsQueue/.test(id))!;
  expect(queue.Properties.VisibilityTimeout).toBe(FUNCTION_SIZING.maintenance.timeout.toSeconds() * 6);
  expect(queue.Properties.RedrivePolicy.maxReceiveCount).toBe(MAINTENANCE_MAX_RECEIVES);
  expect(queue.Properties.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0]).toMatch(/MaintenanceJobsDlq/);
  t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
    FunctionName: { Ref: fnId },
    EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
    BatchSize: 1,
    FunctionResponseTypes: ['ReportBatchItemFailures'],
    ScalingConfig: { MaximumConcurrency: MAINTENANCE_MAX_CONCURRENCY },
  });
});

test('an hourly and a daily schedule invoke the function with their kind, failures to the DLQ', () => {
  // Only this function's rules (the automations function has its own).
  const rules = Object.values(t.findResources('AWS::Events::Rule'))
    .map((r) => r.Properties)
    .filter((r) => JSON.stringify(r.Targets[0].Arn) === JSON.stringify({ 'Fn::GetAtt': [fnId, 'Arn'] }));
  const byKind: Record<string, any> = Object.fromEntries(rules.map((r) => [JSON.parse(r.Targets[0].Input).kind, r]));
  expect(Object.keys(byKind).sort()).toEqual(['daily', 'hourly']);
  expect(byKind.hourly.ScheduleExpression).toBe('cron(7 * * * ? *)');
  expect(byKind.daily.ScheduleExpression).toBe('cron(15 2 * * ? *)');
  for (const r of Object.values(byKind)) {
    expect(r.Targets[0].Arn).toEqual({ 'Fn::GetAtt': [fnId, 'Arn'] });
    expect(r.Targets[0].DeadLetterConfig.Arn['Fn::GetAtt'][0]).toMatch(/MaintenanceJobsDlq/);
  }
});

test('the erasure settle wait covers Firehose buffering and fits the function timeout', () => {
  expect(ERASURE_SETTLE.toSeconds()).toBeGreaterThanOrEqual(180); // 120 s buffer × 1.5
  expect(ERASURE_SETTLE.toSeconds() * 2).toBeLessThan(FUNCTION_SIZING.maintenance.timeout.toSeconds());
  const vars = t.toJSON().Resources[fnId].Properties.Environment.Variables;
  expect(vars.ERASURE_SETTLE_MS).toBe(String(ERASURE_SETTLE.toMilliseconds()));
});

test('S3 writes and deletes only under the table prefixes and _maintenance/, never elsewhere in the bucket', () => {
  const statements = statementsOfRole(t, logicalId(fn.role));
  const deletes = statements.filter((s) => [s.Action].flat().includes('s3:DeleteObject'));
  expect(deletes).toHaveLength(1);
  const resources = JSON.stringify(deletes[0].Resource);
  for (const prefix of ['events/*', 'devices/*', 'deliveries/*', '_maintenance/*']) expect(resources).toContain(prefix);
  expect(resources).not.toContain('errors/');
  expect(resources).not.toMatch(/lake-[^"]*\/\*"/); // no bucket-wide wildcard
  // The functions that start erasures may enqueue; only the maintenance function consumes.
  for (const name of ['devices', 'settings'] as const) {
    const s = statementsOfRole(t, logicalId(b.service.functions[name].role));
    expect(
      s.some((x) => [x.Action].flat().includes('sqs:SendMessage') && JSON.stringify(x.Resource).includes('MaintenanceJobsQueue')),
    ).toBe(true);
    expect(s.some((x) => [x.Action].flat().includes('sqs:ReceiveMessage'))).toBe(false);
  }
  t.hasResourceProperties('AWS::CloudWatch::Alarm', {
    MetricName: 'LakeDeliveryErrors',
    Threshold: 1,
    Dimensions: [{ Name: 'service', Value: 'maintenance' }],
  });
  t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ErasureFailed', Threshold: 1 });
  t.hasResourceProperties('AWS::CloudWatch::Alarm', {
    MetricName: 'ApproximateNumberOfMessagesVisible',
    Dimensions: Match.arrayWith([
      Match.objectLike({ Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('MaintenanceJobsDlq'), 'QueueName'] } }),
    ]),
  });
});
