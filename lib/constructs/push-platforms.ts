/**
 * SNS platform applications (APNs, FCM v1) that devices are registered with and pushes go through.
 *
 * CloudFormation has no resource type for SNS platform applications. We take EXISTING platform
 * applications by ARN (or by name, resolved in the stack's account and region) from context rather
 * than creating them with an AwsCustomResource fed from Secrets Manager, because:
 * - the APNs key/certificate and the FCM service-account JSON then never pass through CloudFormation,
 *   a custom-resource Lambda's parameters or its logs; they stay with whoever administers the apps;
 * - rotating a credential is one SetPlatformApplicationAttributes call, with no redeploy, and a
 *   stack rollback or deletion can never delete the apps (deleting one deletes every endpoint).
 * docs/deploy.md shows the one-time `aws sns create-platform-application` commands.
 */
import { Arn, ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ENV } from '../../lambdas/config/env';
import { acknowledgeWildcardResource } from '../nag';
import type { ServiceFunction } from './service-function';

export const DEVICE_ENDPOINT_ACTIONS = ['sns:GetEndpointAttributes', 'sns:SetEndpointAttributes'];

export interface PushPlatformsProps {
  /** ARN, or name of an application on platform APNS / APNS_SANDBOX (per apnsSandbox). */
  apnsPlatformApplication: string;
  /** ARN, or name of an application on platform GCM (FCM v1 credentials). */
  fcmPlatformApplication: string;
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
  readonly apnsSandbox: boolean;

  constructor(scope: Construct, id: string, props: PushPlatformsProps) {
    super(scope, id);
    this.apnsSandbox = props.apnsSandbox;
    this.apns = this.resolve(props.apnsPlatformApplication, props.apnsSandbox ? 'APNS_SANDBOX' : 'APNS');
    this.fcm = this.resolve(props.fcmPlatformApplication, 'GCM');
  }

  private resolve(value: string, platform: string): PlatformApp {
    if (value.startsWith('arn:')) {
      // A literal ARN: arn:<partition>:sns:<region>:<account>:app/<platform>/<name>
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

  /** The endpoints of this app's platform applications only. */
  endpointArns(): string[] {
    return [this.apns.endpoints, this.fcm.endpoints];
  }

  private setEnv(fn: ServiceFunction): void {
    fn.addEnvironment(ENV.apnsPlatformAppArn, this.apns.arn);
    fn.addEnvironment(ENV.fcmPlatformAppArn, this.fcm.arn);
    fn.addEnvironment(ENV.apnsSandbox, String(this.apnsSandbox));
  }

  /** Register/refresh device tokens: create endpoints on both apps, read/update them. */
  grantRegisterDevices(fn: ServiceFunction): void {
    fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['sns:CreatePlatformEndpoint'], resources: [this.apns.arn, this.fcm.arn] }),
    );
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: DEVICE_ENDPOINT_ACTIONS, resources: this.endpointArns() }));
    this.acknowledgeEndpoints(fn);
    this.setEnv(fn);
  }

  /** Publish to this app's endpoints only (never to topics or other apps' endpoints). */
  grantPublish(fn: ServiceFunction): void {
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: this.endpointArns() }));
    this.acknowledgeEndpoints(fn);
    this.setEnv(fn);
  }

  private acknowledgeEndpoints(fn: ServiceFunction): void {
    for (const arn of this.endpointArns()) {
      acknowledgeWildcardResource(
        fn.role,
        arn,
        'One SNS endpoint per device is created at run time; the ARN is limited to the endpoints of this ' +
          "app's own platform application.",
      );
    }
  }
}
