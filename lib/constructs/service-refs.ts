/**
 * Weak references from the web stack to the service stack. A strong reference (an Fn::ImportValue of
 * a CloudFormation export) pins the exported resource: CloudFormation refuses to change or delete
 * an export another stack imports, so the merchant authorizer, the API or the SDK client could never
 * be replaced. Instead the service stack writes their ids to SSM parameters and the web stack reads
 * them as `AWS::SSM::Parameter::Value<String>` template parameters, resolved at each of its deploys
 * (the CDK CLI always deploys a stack that has SSM parameters, since their values may have changed).
 * `cdk deploy --all` keeps the order through an explicit stack dependency (lib/app.ts).
 */
import { Stack } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import type { HttpApi } from './http-api';
import type { MerchantAuth } from './merchant-auth';

/** What the web stack needs of the service stack. */
export interface ServiceRefValues {
  apiId: string;
  merchantAuthorizerId: string;
  userPoolId: string;
  /** The SDK client: the merchant authorizer's own audience, restated when the web client is added. */
  sdkClientId: string;
}

/** The SSM parameter names, per stage. */
export function serviceRefNames(stage: string): Record<keyof ServiceRefValues, string> {
  const base = `/segmented-push/${stage}/service`;
  return {
    apiId: `${base}/api-id`,
    merchantAuthorizerId: `${base}/merchant-authorizer-id`,
    userPoolId: `${base}/user-pool-id`,
    sdkClientId: `${base}/sdk-client-id`,
  };
}

/** Written by the service stack. */
export class ServiceRefs extends Construct {
  readonly parameters: Record<keyof ServiceRefValues, ssm.StringParameter>;

  constructor(scope: Construct, id: string, props: { stage: string; api: HttpApi; auth: MerchantAuth }) {
    super(scope, id);
    const values: ServiceRefValues = {
      apiId: props.api.api.apiId,
      merchantAuthorizerId: props.api.merchantAuthorizer.authorizerId,
      userPoolId: props.auth.userPool.userPoolId,
      sdkClientId: props.auth.client.userPoolClientId,
    };
    const names = serviceRefNames(props.stage);
    this.parameters = Object.fromEntries(
      (Object.keys(names) as (keyof ServiceRefValues)[]).map((k) => [
        k,
        new ssm.StringParameter(this, k, {
          parameterName: names[k],
          stringValue: values[k],
          description: `segmented-push ${props.stage}: ${k} of the service stack, read by the web stack at deploy time`,
        }),
      ]),
    ) as Record<keyof ServiceRefValues, ssm.StringParameter>;
  }
}

/** Read by the web stack: deploy-time values (template parameters), no import. */
export function readServiceRefs(scope: Construct, stage: string): ServiceRefValues {
  const names = serviceRefNames(stage);
  const read = (k: keyof ServiceRefValues) => ssm.StringParameter.valueForStringParameter(scope, names[k]);
  return {
    apiId: read('apiId'),
    merchantAuthorizerId: read('merchantAuthorizerId'),
    userPoolId: read('userPoolId'),
    sdkClientId: read('sdkClientId'),
  };
}

/** The issuer of the pool's tokens (what MerchantAuth.issuerUrl gives, from the id alone). */
export function issuerOf(scope: Construct, userPoolId: string): string {
  return `https://cognito-idp.${Stack.of(scope).region}.amazonaws.com/${userPoolId}`;
}

/** The execute-api host of an API id (what HttpApi.domainName gives, from the id alone). */
export function apiDomainOf(scope: Construct, apiId: string): string {
  return `${apiId}.execute-api.${Stack.of(scope).region}.${Stack.of(scope).urlSuffix}`;
}
