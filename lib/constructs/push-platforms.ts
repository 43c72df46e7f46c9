/**
 * SNS platform applications (APNs, FCM v1) that devices are registered with and pushes go through.
 *
 * Two kinds:
 * - The deploy-time DEFAULT pair, for tenants without their own app (a single-brand install). CloudFormation
 *   has no resource type for SNS platform applications, and we take EXISTING ones by ARN (or by name,
 *   resolved in the stack's account and region) from context rather than creating them with a custom
 *   resource, so their credentials never pass through CloudFormation and a rollback can never delete them
 *   (deleting an app deletes every endpoint). docs/deploy.md shows the one-time CLI commands.
 *   The ARN decides the platform (`app/APNS/…` production, `app/APNS_SANDBOX/…` sandbox); the
 *   `apnsSandbox` flag only picks the platform of an app given by NAME.
 * - TENANT apps, created at run time by the settings function (PUT /v1/push-apps/*) and named
 *   `segmented-push-<stage>-<tenant>-ios|android`, so every grant below is scoped to that prefix; their
 *   credentials live in Secrets Manager under `segmented-push/<stage>/push/`. They log delivery status
 *   to CloudWatch Logs with a role this construct creates.
 */
import { Arn, ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ENV } from '../../lambdas/config/env';
import { acknowledgeWildcardResource } from '../nag';
import type { ServiceFunction } from './service-function';

export const DEVICE_ENDPOINT_ACTIONS = ['sns:GetEndpointAttributes', 'sns:SetEndpointAttributes'];
export const MANAGE_PUSH_APP_ACTIONS = [
  'sns:CreatePlatformApplication',
  'sns:GetPlatformApplicationAttributes',
  'sns:SetPlatformApplicationAttributes',
];
export const PUSH_SECRET_ACTIONS = ['secretsmanager:CreateSecret', 'secretsmanager:PutSecretValue'];
/** SNS platforms tenant apps may be on. */
const TENANT_PLATFORMS = ['APNS', 'APNS_SANDBOX', 'GCM'] as const;

export interface PushPlatformsProps {
  stage: string;
  /** ARN, or name of an application on platform APNS / APNS_SANDBOX (per apnsSandbox). */
  apnsPlatformApplication: string;
  /** ARN, or name of an application on platform GCM (FCM v1 credentials). */
  fcmPlatformApplication: string;
  /** Only for an APNs app given by name: APNS_SANDBOX (true) or APNS (false). An ARN names its platform. */
  apnsSandbox: boolean;
}

interface PlatformApp {
  arn: string;
  /** The SNS platform segment of the ARN: APNS, APNS_SANDBOX or GCM. */
  platform: string;
  name: string;
  /** arn:...:endpoint/<platform>/<name>/* */
  endpoints: string;
}

export class PushPlatforms extends Construct {
  readonly apns: PlatformApp;
  readonly fcm: PlatformApp;
  /** Whether the default APNs app is a sandbox app (from its ARN's platform). */
  readonly apnsSandbox: boolean;
  /** `segmented-push-<stage>-`: the name prefix of tenant apps. */
  readonly tenantAppNamePrefix: string;
  /** `segmented-push/<stage>/push/`: the name prefix of tenant push secrets. */
  readonly secretPrefix: string;
  /** The role SNS writes delivery-status logs with (tenant apps; usable for the default apps too). */
  readonly feedbackRole: iam.Role;

  constructor(scope: Construct, id: string, props: PushPlatformsProps) {
    super(scope, id);
    this.apns = this.resolve(props.apnsPlatformApplication, props.apnsSandbox ? 'APNS_SANDBOX' : 'APNS');
    this.fcm = this.resolve(props.fcmPlatformApplication, 'GCM');
    this.apnsSandbox = this.apns.platform === 'APNS_SANDBOX';
    this.tenantAppNamePrefix = `segmented-push-${props.stage}-`;
    this.secretPrefix = `segmented-push/${props.stage}/push/`;

    const stack = Stack.of(this);
    // SNS writes to sns/<region>/<account>/app/<platform>/<name>[/Failure]; it may do so for this account only.
    const logGroups = stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: `sns/${stack.region}/${stack.account}/app/*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.feedbackRole = new iam.Role(this, 'DeliveryStatusRole', {
      description: 'SNS writes delivery-status logs of the push platform applications to CloudWatch Logs',
      assumedBy: new iam.ServicePrincipal('sns.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': stack.account } }),
      inlinePolicies: {
        DeliveryStatusLogs: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              actions: [
                'logs:CreateLogGroup',
                'logs:CreateLogStream',
                'logs:PutLogEvents',
                'logs:PutMetricFilter',
                'logs:PutRetentionPolicy',
              ],
              resources: [logGroups],
            }),
          ],
        }),
      },
    });
    acknowledgeWildcardResource(
      this.feedbackRole,
      logGroups,
      'SNS names one log group per platform application (and one for failures) at run time; the ARN is limited to ' +
        'the SNS application log groups of this account and region.',
    );
  }

  private resolve(value: string, platform: string): PlatformApp {
    if (value.startsWith('arn:')) {
      // A literal ARN: arn:<partition>:sns:<region>:<account>:app/<platform>/<name>. Its platform wins.
      const parts = Arn.split(value, ArnFormat.SLASH_RESOURCE_NAME);
      const [p, ...rest] = (parts.resourceName ?? '').split('/');
      const name = rest.join('/');
      const endpoints = Arn.format({ ...parts, resource: 'endpoint', resourceName: `${p}/${name}/*` });
      return { arn: value, platform: p, name, endpoints };
    }
    const stack = Stack.of(this);
    return {
      arn: stack.formatArn({ service: 'sns', resource: 'app', resourceName: `${platform}/${value}` }),
      platform,
      name: value,
      endpoints: stack.formatArn({ service: 'sns', resource: 'endpoint', resourceName: `${platform}/${value}/*` }),
    };
  }

  /** The endpoints of the default platform applications. */
  endpointArns(): string[] {
    return [this.apns.endpoints, this.fcm.endpoints];
  }

  /** Tenant applications: app/<APNS|APNS_SANDBOX|GCM>/segmented-push-<stage>-*. */
  tenantAppArns(): string[] {
    const stack = Stack.of(this);
    return TENANT_PLATFORMS.map((p) =>
      stack.formatArn({ service: 'sns', resource: 'app', resourceName: `${p}/${this.tenantAppNamePrefix}*` }),
    );
  }

  /** Endpoints of tenant applications: endpoint/<platform>/segmented-push-<stage>-*\/*. */
  tenantEndpointArns(): string[] {
    const stack = Stack.of(this);
    return TENANT_PLATFORMS.map((p) =>
      stack.formatArn({ service: 'sns', resource: 'endpoint', resourceName: `${p}/${this.tenantAppNamePrefix}*/*` }),
    );
  }

  /** Tenant push secrets (Secrets Manager appends a random suffix to each ARN). */
  secretArns(): string {
    return Stack.of(this).formatArn({
      service: 'secretsmanager',
      resource: 'secret',
      resourceName: `${this.secretPrefix}*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }

  private setEnv(fn: ServiceFunction): void {
    fn.addEnvironment(ENV.apnsPlatformAppArn, this.apns.arn);
    fn.addEnvironment(ENV.fcmPlatformAppArn, this.fcm.arn);
  }

  /** Register/refresh device tokens: create endpoints on the default and the tenant apps, read/update them. */
  grantRegisterDevices(fn: ServiceFunction): void {
    const apps = [this.apns.arn, this.fcm.arn, ...this.tenantAppArns()];
    const endpoints = [...this.endpointArns(), ...this.tenantEndpointArns()];
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sns:CreatePlatformEndpoint'], resources: apps }));
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: DEVICE_ENDPOINT_ACTIONS, resources: endpoints }));
    this.acknowledge(fn, [...this.tenantAppArns(), ...endpoints]);
    this.setEnv(fn);
  }

  /** Delete device endpoints (DELETE /v1/devices, erasure) of the default and the tenant apps only. */
  grantDeleteEndpoints(fn: ServiceFunction): void {
    const endpoints = [...this.endpointArns(), ...this.tenantEndpointArns()];
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sns:DeleteEndpoint'], resources: endpoints }));
    this.acknowledge(fn, endpoints);
    this.setEnv(fn); // the endpoint registry is built with the default apps' ARNs
  }

  /** Publish to endpoints of the default and the tenant apps only (never to topics or other apps' endpoints). */
  grantPublish(fn: ServiceFunction): void {
    const endpoints = [...this.endpointArns(), ...this.tenantEndpointArns()];
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: endpoints }));
    this.acknowledge(fn, endpoints);
    this.setEnv(fn);
  }

  /**
   * PUT /v1/push-apps/*: create/update tenant apps (with delivery-status logging, hence PassRole of the
   * feedback role to SNS), keep their credentials in Secrets Manager; GET shows the defaults too.
   */
  grantManageTenantApps(fn: ServiceFunction): void {
    const stack = Stack.of(this);
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: MANAGE_PUSH_APP_ACTIONS, resources: this.tenantAppArns() }));
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: PUSH_SECRET_ACTIONS, resources: [this.secretArns()] }));
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.feedbackRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'sns.amazonaws.com' } },
      }),
    );
    this.acknowledge(fn, this.tenantAppArns());
    acknowledgeWildcardResource(
      fn.role,
      this.secretArns(),
      'One secret per tenant and platform is created at run time; the ARN is limited to the push secrets of this stage.',
    );
    this.setEnv(fn);
    fn.addEnvironment(ENV.pushAppArnPrefix, `arn:${stack.partition}:sns:${stack.region}:${stack.account}:app/`);
    fn.addEnvironment(ENV.pushAppNamePrefix, this.tenantAppNamePrefix);
    fn.addEnvironment(ENV.pushSecretPrefix, this.secretPrefix);
    fn.addEnvironment(ENV.pushFeedbackRoleArn, this.feedbackRole.roleArn);
  }

  private acknowledge(fn: ServiceFunction, arns: string[]): void {
    for (const arn of new Set(arns)) {
      if (!arn.includes('*')) continue; // the default apps themselves are exact ARNs
      acknowledgeWildcardResource(
        fn.role,
        arn,
        'SNS platform applications per tenant and one endpoint per device are created at run time; the ARN is limited to ' +
          "this deployment's own platform applications (the default pair and segmented-push-<stage>-* tenant apps).",
      );
    }
  }
}
