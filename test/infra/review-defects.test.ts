/**
 * Defects found by reading the synthesized templates against AWS documentation. Each test failed
 * before its fix; the AWS fact behind it is named in the test or beside the fix.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { serviceRefNames } from '../../lib/constructs/service-refs';
import { queryTimeoutOf } from '../../lib/stacks/service-stack';
import { HTTP_QUERY_BUDGET_MS } from '../../lambdas/use-cases/segments/query-budget';
import { build, logicalId, statementsOfRole } from './helpers';

const b = build();
const resolve = (v: unknown) => JSON.stringify(Stack.of(b.service).resolve(v));

describe('defect 1: EventBridge Scheduler execution role trust', () => {
  it('defect 1: scheduler role trust is scoped to the schedule group ARN', () => {
    const role = b.service_t.findResources('AWS::IAM::Role')[logicalId(b.service.scheduler.role)];
    const [statement] = role.Properties.AssumeRolePolicyDocument.Statement;
    expect(statement.Principal).toEqual({ Service: 'scheduler.amazonaws.com' });
    const conditions = JSON.stringify(statement.Condition);
    // "Set up the execution role" (confused deputy): aws:SourceArn is the schedule GROUP's ARN.
    expect(statement.Condition.StringEquals['aws:SourceArn']).toEqual(Stack.of(b.service).resolve(b.service.scheduler.groupArn()));
    expect(resolve(b.service.scheduler.groupArn())).toContain(':schedule-group/segmented-push-dev');
    expect(statement.Condition.StringEquals['aws:SourceAccount']).toEqual({ Ref: 'AWS::AccountId' });
    expect(conditions).not.toContain(':schedule/');
    expect(statement.Condition.ArnLike).toBeUndefined();
  });

  it('defect 1: the functions still manage schedules by schedule ARN (schedule/<group>/*)', () => {
    for (const fn of [b.service.functions.campaigns, b.service.functions.trigger]) {
      const s = statementsOfRole(b.service_t, logicalId(fn.role)).find((x) =>
        JSON.stringify(x.Action).includes('scheduler:CreateSchedule'),
      );
      expect(JSON.stringify(s?.Resource)).toContain(':schedule/segmented-push-dev/*');
    }
  });
});

describe('defect 8d: lake partition projection covers tomorrow', () => {
  it('defect 8d: dt projection range ends at NOW+1DAYS (events may be stamped up to 24 h ahead)', () => {
    const tables = Object.values(b.data_t.findResources('AWS::Glue::Table'));
    expect(tables.length).toBeGreaterThan(0);
    for (const t of tables) {
      // Every table partitioned by day (the rollups are partitioned by build, both injected).
      if (t.Properties.TableInput.Parameters['projection.dt.type'] === undefined) {
        expect(t.Properties.TableInput.Parameters['projection.build.type']).toBe('injected');
        continue;
      }
      expect(t.Properties.TableInput.Parameters['projection.dt.range']).toBe('2024-01-01,NOW+1DAYS');
    }
  });
});

describe('defect 8c: the SDK client has no OAuth', () => {
  it('defect 8c: the SDK user pool client has OAuth disabled (no flows, no callback URLs)', () => {
    const sdk = b.service_t.findResources('AWS::Cognito::UserPoolClient')[logicalId(b.service.auth.client)].Properties;
    expect(sdk.ExplicitAuthFlows).toEqual(expect.arrayContaining(['ALLOW_USER_SRP_AUTH']));
    expect(sdk.AllowedOAuthFlows ?? []).toEqual([]);
    expect(sdk.AllowedOAuthFlowsUserPoolClient ?? false).toBe(false);
    expect(sdk.CallbackURLs ?? []).toEqual([]);
    expect(sdk.AllowedOAuthScopes ?? []).toEqual([]);
  });

  it('defect 8c: the web UI client keeps its code + PKCE hosted-UI flow', () => {
    const ui = b.web_t.findResources('AWS::Cognito::UserPoolClient')[logicalId(b.web.signIn.client)].Properties;
    expect(ui).toMatchObject({ AllowedOAuthFlows: ['code'], AllowedOAuthFlowsUserPoolClient: true, GenerateSecret: false });
    expect(ui.CallbackURLs).toHaveLength(1);
  });
});

/**
 * The audit of docs/deploy.md ("What each function may touch"): for each function, the env vars of
 * the ports its use cases reach (lambdas/composition/aws.ts builds each port from them) and one
 * action per port that must be allowed. Kept in step with the table in docs/deploy.md.
 */
const AUDIT: Record<string, { env: string[]; actions: string[]; notActions?: string[] }> = {
  devices: {
    env: ['RECORDS_TABLE', 'DEVICES_FIREHOSE_STREAM', 'APNS_PLATFORM_APPLICATION_ARN', 'FCM_PLATFORM_APPLICATION_ARN'],
    actions: ['dynamodb:PutItem', 'firehose:PutRecordBatch', 'sns:CreatePlatformEndpoint'],
  },
  events: { env: ['EVENTS_FIREHOSE_STREAM'], actions: ['firehose:PutRecordBatch'] },
  segments: {
    env: ['RECORDS_TABLE', 'ATHENA_WORKGROUP', 'ATHENA_DATABASE'],
    actions: ['dynamodb:PutItem', 'athena:StartQueryExecution', 'glue:GetTable', 's3:GetObject'],
  },
  campaigns: {
    env: [
      'RECORDS_TABLE',
      'ATHENA_WORKGROUP',
      'ATHENA_DATABASE',
      'SCHEDULER_GROUP',
      'SCHEDULER_ROLE_ARN',
      'SCHEDULER_DLQ_ARN',
      'TRIGGER_FUNCTION_ARN',
    ],
    actions: [
      'dynamodb:PutItem',
      'dynamodb:Query',
      'athena:StartQueryExecution',
      'scheduler:CreateSchedule',
      'iam:PassRole',
      'lambda:InvokeFunction',
    ],
  },
  settings: { env: ['RECORDS_TABLE'], actions: ['dynamodb:PutItem'] },
  'app-key-authorizer': { env: ['RECORDS_TABLE'], actions: ['dynamodb:GetItem'], notActions: ['dynamodb:PutItem'] },
  trigger: {
    env: ['RECORDS_TABLE', 'ATHENA_WORKGROUP', 'ATHENA_DATABASE', 'SEND_QUEUE_URL', 'MAX_SENDS_PER_SECOND', 'DELIVERIES_FIREHOSE_STREAM'],
    actions: ['dynamodb:UpdateItem', 'dynamodb:Query', 'athena:StartQueryExecution', 'sqs:SendMessage', 'firehose:PutRecordBatch'],
  },
  sender: {
    env: ['RECORDS_TABLE', 'DELIVERIES_TABLE', 'DELIVERIES_FIREHOSE_STREAM', 'SEND_QUEUE_URL'],
    actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'sqs:SendMessage', 'sns:Publish', 'firehose:PutRecordBatch'],
  },
  automations: {
    env: ['RECORDS_TABLE', 'ATHENA_WORKGROUP', 'ATHENA_DATABASE', 'QUERY_TIMEOUT_MS', 'SEND_QUEUE_URL'],
    actions: [
      'dynamodb:Query',
      'dynamodb:BatchGetItem',
      'dynamodb:UpdateItem',
      'athena:StartQueryExecution',
      'glue:GetTable',
      'sqs:SendMessage',
    ],
  },
};

describe('defect 3: every function may touch what its use cases touch', () => {
  const fns = Object.values(b.service_t.findResources('AWS::Lambda::Function'));
  const envOf = (name: string) => {
    const fn = fns.find((f) => f.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === name);
    return fn?.Properties.Environment.Variables as Record<string, unknown>;
  };
  const allowed = (name: string, table?: 'deliveries' | 'records') =>
    statementsOfRole(b.service_t, logicalId(b.service.functions[name as keyof typeof b.service.functions].role))
      .filter((s) => !table || JSON.stringify(s.Resource).includes(logicalId(b.data.tables.table(table))))
      .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

  it('defect 3: the trigger completes campaigns from counters, so it needs (and has) no ledger access', () => {
    expect(envOf('trigger').DELIVERIES_TABLE).toBeUndefined();
    expect(allowed('trigger', 'deliveries')).toEqual([]);
  });

  it('insights read the lake, so the campaigns function has no access to the ledger either', () => {
    expect(envOf('campaigns').DELIVERIES_TABLE).toBeUndefined();
    expect(allowed('campaigns', 'deliveries')).toEqual([]);
  });

  it.each(Object.entries(AUDIT))('defect 3: audit: %s has the env var and grant of every port it uses', (name, want) => {
    const env = envOf(name);
    expect(env).toBeDefined();
    for (const v of want.env) expect([name, v, env[v] !== undefined]).toEqual([name, v, true]);
    const actions = allowed(name);
    for (const a of want.actions) expect([name, a, actions.includes(a)]).toEqual([name, a, true]);
    for (const a of want.notActions ?? []) expect(actions).not.toContain(a);
  });
});

describe('defect 4: failed trigger invocations are kept and alarmed', () => {
  const t = b.service_t;
  const trigger = b.service.functions.trigger;
  const queue = b.service.scheduler.triggerFailures!;
  const alarms = Object.values(t.findResources('AWS::CloudWatch::Alarm')).map((r) => r.Properties);

  it('defect 4: the trigger has an async-invoke config with retries, a max event age and an SQS on-failure destination', () => {
    expect(queue).toBeDefined();
    const configs = Object.values(t.findResources('AWS::Lambda::EventInvokeConfig')).map((r) => r.Properties);
    expect(configs).toHaveLength(1);
    const [c] = configs;
    expect(c.FunctionName).toEqual({ Ref: logicalId(trigger.fn) });
    expect(c.Qualifier).toBe('$LATEST'); // Scheduler and "send now" invoke the unqualified ARN
    expect(c.MaximumRetryAttempts).toBe(2);
    expect(c.MaximumEventAgeInSeconds).toBeGreaterThanOrEqual(60);
    expect(c.MaximumEventAgeInSeconds).toBeLessThanOrEqual(6 * 3600);
    expect(c.DestinationConfig.OnFailure.Destination).toEqual({ 'Fn::GetAtt': [logicalId(queue), 'Arn'] });
    // Lambda sends the failure record with the function's own role.
    const send = statementsOfRole(t, logicalId(trigger.role)).find((s) => JSON.stringify(s.Resource).includes(logicalId(queue)));
    expect(send?.Action).toBe('sqs:SendMessage'); // and nothing more
  });

  it('defect 4: the failure queue is encrypted, SSL-only and keeps messages 14 days', () => {
    const q = t.findResources('AWS::SQS::Queue')[logicalId(queue)].Properties;
    expect(q).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    const policies = Object.values(t.findResources('AWS::SQS::QueuePolicy')).filter((p) =>
      JSON.stringify(p.Properties.Queues).includes(logicalId(queue)),
    );
    expect(JSON.stringify(policies)).toContain('"aws:SecureTransport":"false"');
  });

  it("defect 4: alarms on the failure queue's visible messages and on the trigger's Errors", () => {
    expect(
      alarms.some((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible' && JSON.stringify(a.Dimensions).includes(logicalId(queue))),
    ).toBe(true);
    expect(
      alarms.some(
        (a) => a.MetricName === 'Errors' && a.Namespace === 'AWS/Lambda' && JSON.stringify(a.Dimensions).includes(logicalId(trigger.fn)),
      ),
    ).toBe(true);
  });
});

describe('defect 6: Athena waits stay inside each function', () => {
  const fns = Object.values(b.service_t.findResources('AWS::Lambda::Function')).map((f) => f.Properties);
  const of = (name: string) => fns.find((f) => f.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === name);

  it('defect 6: HTTP functions that query get QUERY_TIMEOUT_MS below the use-case budget and the function timeout', () => {
    for (const name of ['segments', 'campaigns']) {
      const fn = of(name);
      const ms = Number(fn.Environment.Variables.QUERY_TIMEOUT_MS);
      expect([name, ms]).toEqual([name, queryTimeoutOf(name as 'segments').toMilliseconds()]);
      expect(ms).toBeLessThan(HTTP_QUERY_BUDGET_MS);
      expect(HTTP_QUERY_BUDGET_MS).toBeLessThan(fn.Timeout * 1000 - 3000);
      expect(fn.Timeout).toBeLessThan(30); // API Gateway's integration timeout
    }
  });

  it('defect 6: the trigger keeps a long query timeout, below its own function timeout', () => {
    const fn = of('trigger');
    const ms = Number(fn.Environment.Variables.QUERY_TIMEOUT_MS);
    expect(ms).toBeGreaterThanOrEqual(120_000);
    expect(ms).toBeLessThan(fn.Timeout * 1000 - 60_000);
  });

  it('defect 6: functions that run no queries get no QUERY_TIMEOUT_MS', () => {
    for (const name of ['devices', 'events', 'settings', 'sender', 'app-key-authorizer']) {
      expect([name, of(name).Environment.Variables.QUERY_TIMEOUT_MS]).toEqual([name, undefined]);
    }
  });
});

describe('defect 8b: the web stack references the service stack weakly', () => {
  const names = serviceRefNames('dev');

  it('defect 8b: the web stack template has no Fn::ImportValue of the service stack (authorizer, API, pool, client)', () => {
    const web = JSON.stringify(b.web_t.toJSON());
    expect(web).not.toContain('Fn::ImportValue');
    expect(web).not.toContain(b.service.stackName);
    // ...and the service stack exports nothing another stack could pin.
    expect(Object.keys(b.service_t.toJSON().Outputs ?? {}).filter((k) => k.startsWith('ExportsOutput'))).toEqual([]);
  });

  it('defect 8b: the service stack writes the ids to SSM, the web stack reads them at deploy time', () => {
    const params = Object.values(b.service_t.findResources('AWS::SSM::Parameter')).map((p) => p.Properties);
    const byName = Object.fromEntries(params.map((p) => [p.Name, p.Value]));
    const [jwtId] = Object.entries(b.service_t.findResources('AWS::ApiGatewayV2::Authorizer')).find(
      ([, a]) => a.Properties.AuthorizerType === 'JWT',
    )!;
    expect(byName[names.merchantAuthorizerId]).toEqual({ Ref: jwtId });
    expect(byName[names.apiId]).toEqual({ Ref: logicalId(b.service.httpApi.api) });
    expect(byName[names.userPoolId]).toEqual({ Ref: logicalId(b.service.auth.userPool) });
    expect(byName[names.sdkClientId]).toEqual({ Ref: logicalId(b.service.auth.client) });
    const webParams = Object.values((b.web_t.toJSON().Parameters ?? {}) as Record<string, { Type: string; Default: string }>);
    for (const name of Object.values(names)) {
      expect(webParams).toContainEqual({ Type: 'AWS::SSM::Parameter::Value<String>', Default: name });
    }
  });

  it('defect 8b: `cdk deploy --all` still deploys the service stack before the web stack', () => {
    expect(b.web.dependencies.map((s) => s.stackName)).toContain(b.service.stackName);
  });

  it('defect 8b: restoring the audience of a replaced (gone) authorizer does not fail the web deploy', () => {
    const cr = Object.values(b.web_t.findResources('Custom::AWS'))[0].Properties;
    expect(JSON.stringify(cr.Delete)).toContain('NotFoundException');
  });
});

describe('defect 8a: retained lake bucket with a fixed name', () => {
  it('defect 8a: the lake keeps its fixed, pseudo-parameter name (grants in other stacks need no export) and is retained', () => {
    const [id, bucket] = Object.entries(b.data_t.findResources('AWS::S3::Bucket')).find(([k]) => k === logicalId(b.data.lake.bucket))!;
    expect(id).toBeDefined();
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(JSON.stringify(bucket.Properties.BucketName)).toBe(
      JSON.stringify({ 'Fn::Join': ['', ['segpush-dev-lake-', { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }]] }),
    );
    // The service stack's grants name the same bucket without importing anything.
    expect(JSON.stringify(b.service_t.toJSON())).toContain('segpush-dev-lake-');
    const imports = JSON.stringify(b.service_t.toJSON()).match(/"Fn::ImportValue":"[^"]+"/g) ?? [];
    expect(imports.filter((i) => i.includes(logicalId(b.data.lake.bucket)))).toEqual([]);
  });

  it('defect 8a: docs/deploy.md says how to re-deploy after cdk destroy (import the retained bucket, or delete it)', () => {
    const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'deploy.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## Re-deploying after `cdk destroy`'));
    expect(section.length).toBeGreaterThan(100);
    expect(section).toContain('segpush-<stage>-lake-<account>-<region>');
    expect(section).toContain('cdk import');
    expect(section).toContain('aws s3 rb');
  });
});
