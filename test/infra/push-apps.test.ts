/** Push platforms: the ARN decides sandbox vs production (defect 5) and tenant apps' grants (defect 7, 8). */
import { ENV } from '../../lambdas/config/env';
import { parseConfig, resolveApnsSandbox } from '../../lib/config';
import { build, logicalId, statementsOfRole } from './helpers';

const PROD_ARN = 'arn:aws:sns:eu-west-1:111122223333:app/APNS/shop-prod';
const SANDBOX_ARN = 'arn:aws:sns:eu-west-1:111122223333:app/APNS_SANDBOX/shop-dev';

/** A CloudFormation value as one flat string (Fn::Join parts concatenated, Refs as <Name>). */
function flat(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(flat).join('');
  const o = v as Record<string, unknown>;
  if (o['Fn::Join']) {
    const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
    return parts.map(flat).join(sep);
  }
  if (o.Ref) return `<${String(o.Ref)}>`;
  if (o['Fn::GetAtt']) return `<${(o['Fn::GetAtt'] as string[]).join('.')}>`;
  return JSON.stringify(v);
}

const resourcesFor = (t: ReturnType<typeof build>['service_t'], roleId: string, action: string) =>
  statementsOfRole(t, roleId)
    .filter((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]).includes(action))
    .flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]).map(flat))
    .sort();

describe('apnsSandbox comes from the APNs application ARN', () => {
  test('an ARN decides; the flag is only for an app given by name', () => {
    expect(parseConfig({ apnsPlatformApplication: PROD_ARN }).apnsSandbox).toBe(false);
    expect(parseConfig({ apnsPlatformApplication: SANDBOX_ARN }).apnsSandbox).toBe(true);
    expect(parseConfig({ apnsPlatformApplication: 'shop', apnsSandbox: 'false' }).apnsSandbox).toBe(false);
    expect(parseConfig({ apnsPlatformApplication: 'shop' }).apnsSandbox).toBe(true);
    expect(resolveApnsSandbox(PROD_ARN, undefined)).toBe(false);
  });

  test('an explicit flag that contradicts the ARN is rejected, as are apps on the wrong platform', () => {
    expect(() => parseConfig({ apnsPlatformApplication: PROD_ARN, apnsSandbox: true })).toThrow(
      /apnsSandbox: true contradicts apnsPlatformApplication, an APNS application/,
    );
    expect(() => parseConfig({ apnsPlatformApplication: SANDBOX_ARN, apnsSandbox: 'false' })).toThrow(/contradicts/);
    expect(parseConfig({ apnsPlatformApplication: PROD_ARN, apnsSandbox: false }).apnsSandbox).toBe(false);
    expect(() => parseConfig({ apnsPlatformApplication: 'arn:aws:sns:eu-west-1:111122223333:app/GCM/x' })).toThrow(
      /apnsPlatformApplication: is an FCM/,
    );
    expect(() => parseConfig({ fcmPlatformApplication: PROD_ARN })).toThrow(/fcmPlatformApplication: is an APNS application/);
  });

  test('a production ARN: no APNS_SANDBOX variable any more, endpoints of the APNS app granted', () => {
    // cdk.json still carries apnsSandbox: true, so this build states false; without cdk.json's flag the ARN alone decides.
    const b = build({ apnsPlatformApplication: PROD_ARN, apnsSandbox: false });
    const sender = b.service.functions.sender;
    const vars = b.service_t.toJSON().Resources[logicalId(sender.fn)].Properties.Environment.Variables;
    expect(vars[ENV.apnsPlatformAppArn]).toBe(PROD_ARN);
    expect(Object.keys(vars)).not.toContain('APNS_SANDBOX');
    expect(resourcesFor(b.service_t, logicalId(sender.role), 'sns:Publish')).toContain(
      'arn:aws:sns:eu-west-1:111122223333:endpoint/APNS/shop-prod/*',
    );
  });
});

describe('tenant push apps: grants', () => {
  const b = build();
  const t = b.service_t;
  const f = b.service.functions;
  const tenantApps = ['APNS', 'APNS_SANDBOX', 'GCM'].map(
    (p) => `arn:<AWS::Partition>:sns:<AWS::Region>:<AWS::AccountId>:app/${p}/segmented-push-dev-*`,
  );
  const tenantEndpoints = ['APNS', 'APNS_SANDBOX', 'GCM'].map(
    (p) => `arn:<AWS::Partition>:sns:<AWS::Region>:<AWS::AccountId>:endpoint/${p}/segmented-push-dev-*/*`,
  );
  const defaultApps = ['APNS_SANDBOX/segmented-push-apns', 'GCM/segmented-push-fcm'].map(
    (r) => `arn:<AWS::Partition>:sns:<AWS::Region>:<AWS::AccountId>:app/${r}`,
  );
  const defaultEndpoints = ['APNS_SANDBOX/segmented-push-apns/*', 'GCM/segmented-push-fcm/*'].map(
    (r) => `arn:<AWS::Partition>:sns:<AWS::Region>:<AWS::AccountId>:endpoint/${r}`,
  );

  test('settings manages only this stage’s tenant apps and push secrets', () => {
    const role = logicalId(f.settings.role);
    for (const action of [
      'sns:CreatePlatformApplication',
      'sns:SetPlatformApplicationAttributes',
      'sns:GetPlatformApplicationAttributes',
    ]) {
      expect(resourcesFor(t, role, action)).toEqual([...tenantApps].sort());
    }
    for (const action of ['secretsmanager:CreateSecret', 'secretsmanager:PutSecretValue']) {
      expect(resourcesFor(t, role, action)).toEqual([
        'arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:segmented-push/dev/push/*',
      ]);
    }
    const pass = statementsOfRole(t, role).find((s) => s.Action === 'iam:PassRole');
    expect(pass?.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'sns.amazonaws.com' } });
    expect(flat(pass?.Resource)).toMatch(/^<PushDeliveryStatusRole[0-9A-F]+\.Arn>$/);
  });

  test('settings gets the names and the role it needs', () => {
    const vars = t.toJSON().Resources[logicalId(f.settings.fn)].Properties.Environment.Variables;
    expect(vars[ENV.pushAppNamePrefix]).toBe('segmented-push-dev-');
    expect(vars[ENV.pushSecretPrefix]).toBe('segmented-push/dev/push/');
    expect(flat(vars[ENV.pushAppArnPrefix])).toBe('arn:<AWS::Partition>:sns:<AWS::Region>:<AWS::AccountId>:app/');
    expect(flat(vars[ENV.pushFeedbackRoleArn])).toMatch(/^<PushDeliveryStatusRole[0-9A-F]+\.Arn>$/);
  });

  test('devices create endpoints on the default and the tenant apps, and manage their endpoints', () => {
    const role = logicalId(f.devices.role);
    expect(resourcesFor(t, role, 'sns:CreatePlatformEndpoint')).toEqual([...defaultApps, ...tenantApps].sort());
    expect(resourcesFor(t, role, 'sns:SetEndpointAttributes')).toEqual([...defaultEndpoints, ...tenantEndpoints].sort());
    expect(resourcesFor(t, role, 'sns:DeleteEndpoint')).toEqual([...defaultEndpoints, ...tenantEndpoints].sort());
  });

  test.each(['sender', 'campaigns'] as const)(
    '%s publishes to endpoints of the default and tenant apps only (campaigns: test sends)',
    (name) => {
      expect(resourcesFor(t, logicalId(f[name].role), 'sns:Publish')).toEqual([...defaultEndpoints, ...tenantEndpoints].sort());
    },
  );

  test('SNS may write delivery-status logs with its own role, for this account only', () => {
    const roles = t.findResources('AWS::IAM::Role', {
      Properties: { Description: 'SNS writes delivery-status logs of the push platform applications to CloudWatch Logs' },
    });
    const [role] = Object.values(roles);
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      },
    ]);
    const [statement] = role.Properties.Policies[0].PolicyDocument.Statement;
    expect(statement.Action).toEqual([
      'logs:CreateLogGroup',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'logs:PutMetricFilter',
      'logs:PutRetentionPolicy',
    ]);
    expect(flat(statement.Resource)).toBe(
      'arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:sns/<AWS::Region>/<AWS::AccountId>/app/*',
    );
  });
});
