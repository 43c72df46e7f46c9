/** Each function: runtime, architecture, sizing, environment, and exactly the IAM actions it gets. */
import { ENV } from '../../lambdas/config/env';
import { FUNCTION_SIZING } from '../../lib/stacks/service-stack';
import type { FunctionName } from '../../lib/constructs/service-function';
import { actionsOfRole, build, logicalId, statementsOfRole } from './helpers';

const b = build();
const t = b.service_t;

// Every function writes its own logs and its X-Ray traces (active tracing).
const LOGS = ['logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments'];
const READ = ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query'];
const WRITE = ['dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];
const FIREHOSE = ['firehose:PutRecord', 'firehose:PutRecordBatch'];
const QUERY = [
  'athena:GetQueryExecution',
  'athena:GetQueryResults',
  'athena:StartQueryExecution',
  'athena:StopQueryExecution',
  'glue:GetDatabase',
  'glue:GetPartition',
  'glue:GetPartitions',
  'glue:GetTable',
  's3:AbortMultipartUpload',
  's3:GetBucketLocation',
  's3:GetObject',
  's3:ListBucket',
  's3:ListBucketMultipartUploads',
  's3:ListMultipartUploadParts',
  's3:PutObject',
];
const SCHEDULES = [
  'iam:PassRole',
  'scheduler:CreateSchedule',
  'scheduler:DeleteSchedule',
  'scheduler:GetSchedule',
  'scheduler:UpdateSchedule',
];
const CONSUME = ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'];

const EXPECTED_ACTIONS: Record<FunctionName, string[]> = {
  devices: [
    ...LOGS,
    ...READ,
    ...WRITE,
    ...FIREHOSE,
    'sns:CreatePlatformEndpoint',
    'sns:DeleteEndpoint',
    'sns:GetEndpointAttributes',
    'sns:SetEndpointAttributes',
    'sqs:SendMessage',
  ],
  events: [...LOGS, ...READ, ...WRITE, ...FIREHOSE],
  segments: [...LOGS, ...READ, ...WRITE, ...QUERY],
  // sns:Publish: test sends (POST /v1/campaigns/{id}/test) go out from the campaigns function.
  campaigns: [...LOGS, ...READ, ...WRITE, ...QUERY, ...SCHEDULES, 'lambda:InvokeFunction', 'sns:Publish'],
  settings: [
    ...LOGS,
    ...READ,
    ...WRITE,
    'sns:CreatePlatformApplication',
    'sns:GetPlatformApplicationAttributes',
    'sns:SetPlatformApplicationAttributes',
    'secretsmanager:CreateSecret',
    'secretsmanager:PutSecretValue',
    'iam:PassRole',
    'sqs:SendMessage', // erasure jobs
  ],
  'app-key-authorizer': [...LOGS, ...READ],
  trigger: [...LOGS, ...READ, ...WRITE, ...QUERY, ...SCHEDULES, 'lambda:InvokeFunction', 'sqs:SendMessage', ...FIREHOSE],
  sender: [...LOGS, ...READ, ...WRITE, 'sqs:SendMessage', ...CONSUME, 'sns:Publish', ...FIREHOSE],
  maintenance: [...LOGS, ...READ, ...WRITE, ...QUERY, 's3:DeleteObject', 'sqs:SendMessage', ...CONSUME, 'sns:DeleteEndpoint'],
  // Due items (records, `due` index), the inactivity query (Athena), due devices to the send queue; no ledger, no stream.
  automations: [...LOGS, ...READ, ...WRITE, ...QUERY, 'sqs:SendMessage'],
};

const BASE_ENV = [ENV.stage, ENV.powertoolsService, ENV.powertoolsNamespace, 'NODE_OPTIONS'];
const PUSH_ENV = [ENV.apnsPlatformAppArn, ENV.fcmPlatformAppArn];
const PUSH_APPS_ENV = [...PUSH_ENV, ENV.pushAppArnPrefix, ENV.pushAppNamePrefix, ENV.pushSecretPrefix, ENV.pushFeedbackRoleArn];
const ATHENA_ENV = [ENV.athenaWorkgroup, ENV.athenaDatabase, ENV.queryTimeoutMs];
const SCHED_ENV = [ENV.schedulerGroup, ENV.schedulerRoleArn, ENV.schedulerDlqArn, ENV.triggerFunctionArn];
const EXPECTED_ENV: Record<FunctionName, string[]> = {
  devices: [ENV.recordsTable, ENV.devicesStream, ...PUSH_ENV, ENV.maintenanceQueueUrl],
  events: [ENV.recordsTable, ENV.eventsStream],
  segments: [ENV.recordsTable, ...ATHENA_ENV, ENV.lakeBucket],
  campaigns: [ENV.recordsTable, ...ATHENA_ENV, ...SCHED_ENV, ...PUSH_ENV],
  settings: [ENV.recordsTable, ...PUSH_APPS_ENV, ENV.maintenanceQueueUrl],
  'app-key-authorizer': [ENV.recordsTable],
  trigger: [ENV.recordsTable, ...ATHENA_ENV, ...SCHED_ENV, ENV.sendQueueUrl, ENV.maxSendsPerSecond, ENV.deliveriesStream],
  sender: [ENV.recordsTable, ENV.deliveriesTable, ENV.deliveriesStream, ENV.sendQueueUrl, ENV.maxSendsPerSecond, ...PUSH_ENV],
  maintenance: [
    ENV.recordsTable,
    ENV.deliveriesTable,
    ...ATHENA_ENV,
    ENV.lakeBucket,
    ENV.lakeRetentionDays,
    ENV.maintenanceQueueUrl,
    ENV.erasureSettleMs,
    ...PUSH_ENV,
  ],
  automations: [ENV.recordsTable, ...ATHENA_ENV, ENV.sendQueueUrl, ENV.maxSendsPerSecond],
};

const names = Object.keys(EXPECTED_ACTIONS) as FunctionName[];

test('there are exactly the ten service functions', () => {
  expect(Object.keys(b.service.functions).sort()).toEqual([...names].sort());
  t.resourceCountIs('AWS::Lambda::Function', names.length);
});

describe.each(names)('%s function', (name) => {
  const sf = b.service.functions[name];
  const props = t.toJSON().Resources[logicalId(sf.fn)].Properties;

  test('runtime, architecture, memory, timeout, log group', () => {
    expect(props.Runtime).toBe('nodejs24.x');
    expect(props.Architectures).toEqual(['arm64']);
    expect(props.MemorySize).toBe(FUNCTION_SIZING[name].memorySize);
    expect(props.Timeout).toBe(FUNCTION_SIZING[name].timeout.toSeconds());
    expect(props.LoggingConfig.LogGroup).toEqual({ Ref: logicalId(sf.logGroup) });
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: b.config.logRetentionDays });
  });

  test('environment variables', () => {
    const vars = props.Environment.Variables;
    expect(Object.keys(vars).sort()).toEqual([...new Set([...BASE_ENV, ...EXPECTED_ENV[name]])].sort());
    expect(vars[ENV.powertoolsService]).toBe(name);
    expect(vars[ENV.powertoolsNamespace]).toBe('SegmentedPush/dev');
    expect(vars[ENV.stage]).toBe('dev');
    expect(vars.NODE_OPTIONS).toBe('--enable-source-maps');
  });

  test('exactly the IAM actions it needs', () => {
    expect(actionsOfRole(t, logicalId(sf.role))).toEqual([...new Set(EXPECTED_ACTIONS[name])].sort());
  });

  test('no managed policies (own role, log writes on its own group only)', () => {
    expect(t.toJSON().Resources[logicalId(sf.role)].Properties.ManagedPolicyArns).toBeUndefined();
  });
});

test('sns:Publish is limited to endpoints of this app', () => {
  const stmts = statementsOfRole(t, logicalId(b.service.functions.sender.role)).filter((s) => s.Action === 'sns:Publish');
  const text = JSON.stringify(stmts);
  expect(text).toContain(':endpoint/APNS_SANDBOX/segmented-push-apns/*');
  expect(text).toContain(':endpoint/GCM/segmented-push-fcm/*');
});

test('iam:PassRole only for the scheduler role and only to the scheduler', () => {
  for (const name of ['campaigns', 'trigger'] as const) {
    const pass = statementsOfRole(t, logicalId(b.service.functions[name].role)).filter((s) => s.Action === 'iam:PassRole');
    expect(pass).toHaveLength(1);
    expect(pass[0].Resource).toEqual({ 'Fn::GetAtt': [logicalId(b.service.scheduler.role), 'Arn'] });
    expect(pass[0].Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } });
  }
});

test('campaigns may invoke the trigger function and nothing else', () => {
  const invoke = statementsOfRole(t, logicalId(b.service.functions.campaigns.role)).filter((s) => s.Action === 'lambda:InvokeFunction');
  expect(invoke).toHaveLength(1);
  expect(JSON.stringify(invoke[0].Resource)).toContain(':function:segmented-push-dev-trigger');
});

test('scheduler execution role may invoke only the trigger function (and write its DLQ)', () => {
  const roleId = logicalId(b.service.scheduler.role);
  expect(actionsOfRole(t, roleId)).toEqual(['lambda:InvokeFunction', 'sqs:SendMessage']);
  const invoke = statementsOfRole(t, roleId).find((s) => s.Action === 'lambda:InvokeFunction');
  expect(JSON.stringify(invoke?.Resource)).toContain(':function:segmented-push-dev-trigger');
  const trigger = t.toJSON().Resources[logicalId(b.service.functions.trigger.fn)].Properties;
  expect(trigger.FunctionName).toBe('segmented-push-dev-trigger');
});

test('sender consumes the send queue in batches of 25 with partial batch failures', () => {
  t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
    FunctionName: { Ref: logicalId(b.service.functions.sender.fn) },
    BatchSize: 25,
    FunctionResponseTypes: ['ReportBatchItemFailures'],
    // The default ceiling, 1,200 pushes/s, at ≤ 400 devices/s per sender.
    ScalingConfig: { MaximumConcurrency: 3 },
  });
  t.hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 360, RedrivePolicy: { maxReceiveCount: 5 } });
});
