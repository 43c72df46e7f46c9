/**
 * The AWS world's own proof that it can fail: with one grant or one environment variable removed
 * from the template, the same calls that pass in scenario.test.ts fail as they would in AWS.
 */
import { ACCOUNT, REGION } from './support/cloud-assembly';
import { allows, trusts, wildcardMatch } from './support/iam';
import { AwsWorld } from './support/world';

describe('IAM evaluation', () => {
  it('matches actions case-insensitively and resources with wildcards', () => {
    expect(wildcardMatch('dynamodb:Get*', 'dynamodb:getitem', true)).toBe(true);
    expect(
      wildcardMatch(
        `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/records`,
        `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/records/index/gsi1`,
      ),
    ).toBe(false);
    const s = [{ Effect: 'Allow' as const, Action: ['sqs:SendMessage'], Resource: 'arn:aws:sqs:*:*:send-*' }];
    expect(allows(s, { action: 'sqs:SendMessage', resource: 'arn:aws:sqs:r:a:send-queue' })).toBe(true);
    expect(allows(s, { action: 'sqs:DeleteMessage', resource: 'arn:aws:sqs:r:a:send-queue' })).toBe(false);
    expect(
      allows([...s, { Effect: 'Deny', Action: '*', Resource: '*' }], { action: 'sqs:SendMessage', resource: 'arn:aws:sqs:r:a:send-queue' }),
    ).toBe(false);
  });

  it('requires every condition key of an Allow, and checks trust conditions', () => {
    const pass = [
      {
        Effect: 'Allow' as const,
        Action: 'iam:PassRole',
        Resource: '*',
        Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      },
    ];
    expect(allows(pass, { action: 'iam:PassRole', resource: 'r' })).toBe(false);
    expect(allows(pass, { action: 'iam:PassRole', resource: 'r', context: { 'iam:PassedToService': 'scheduler.amazonaws.com' } })).toBe(
      true,
    );
    const trust = [
      {
        Effect: 'Allow' as const,
        Action: 'sts:AssumeRole',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:scheduler:r:a:schedule/g/*' } },
      },
    ];
    expect(trusts(trust, 'scheduler.amazonaws.com', { 'aws:SourceArn': 'arn:aws:scheduler:r:a:schedule-group/g' })).toBe(false);
  });
});

describe('the harness refuses what AWS would refuse', () => {
  let world: AwsWorld;
  AwsWorld.forSuite((w) => (world = w), {
    tamper: (_assembly, functions) => {
      // The devices function loses its Firehose grant; the settings function loses its table's name.
      const devices = functions.find((f) => f.entry === 'devices')!;
      devices.statements = devices.statements.filter((s) => ![s.Action].flat().some((a) => String(a).startsWith('firehose:')));
      const settings = functions.find((f) => f.entry === 'settings')!;
      delete settings.env.RECORDS_TABLE;
    },
  });

  it('a removed grant fails the call with AccessDenied, as in AWS', async () => {
    const appKey = await world.issueAppKey('acme');
    const res = await world.http.request(
      'PUT',
      '/v1/devices/d-1',
      { appKey },
      { platform: 'android', token: 'tok:shop-android:d-1', optedIn: true },
    );
    expect(res.status).toBe(500);
    expect(world.box.denials).toEqual([expect.objectContaining({ action: 'firehose:PutRecordBatch', caller: world.fn('devices').name })]);
  });

  it('a removed environment variable fails the function, as in AWS', async () => {
    const res = await world.http.request('GET', '/v1/settings', { tenant: 'acme' });
    expect(res.status).toBe(500);
    expect(world.runtimes.get(world.fn('settings').name)!.logs.join('\n')).toMatch(/missing configuration RECORDS_TABLE/);
  });

  it('each function runs with exactly its template environment', () => {
    const env = world.runtimes.get(world.fn('sender').name)!.environment();
    const extra = Object.keys(env).filter((k) => !(k in world.fn('sender').env));
    expect(extra.sort()).toEqual(
      [
        'AWS_ACCESS_KEY_ID',
        'AWS_DEFAULT_REGION',
        'AWS_ENDPOINT_URL',
        'AWS_EXECUTION_ENV',
        'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
        'AWS_LAMBDA_FUNCTION_NAME',
        'AWS_LAMBDA_FUNCTION_VERSION',
        'AWS_LAMBDA_INITIALIZATION_TYPE',
        'AWS_REGION',
        'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
        'AWS_SECRET_ACCESS_KEY',
        'AWS_SESSION_TOKEN',
        'AWS_WORLD_ENTRY',
        'AWS_XRAY_CONTEXT_MISSING',
        'AWS_XRAY_DAEMON_ADDRESS',
        'LAMBDA_TASK_ROOT',
        'PATH',
        'TZ',
        '_AWS_XRAY_DAEMON_ADDRESS',
        '_AWS_XRAY_DAEMON_PORT',
        '_HANDLER',
      ].sort(),
    );
  });
});
