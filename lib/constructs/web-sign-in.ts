/**
 * Sign-in for the merchant UI in AWS: the hosted-UI app client (authorization-code grant with PKCE,
 * no secret) whose callback and sign-out URL is the distribution's, and the runtime configuration
 * the UI reads from /config.json.
 *
 * The client lives in the web stack because its callback URL is the distribution's URL, while the
 * distribution needs the API's domain: the web stack depends on the service stack, never the other
 * way. The service stack's JWT authorizer therefore cannot name this client in its template; after
 * the client exists, a custom resource adds it to the authorizer's audience (UpdateAuthorizer, which
 * the $default stage auto-deploys) and restores the service-only audience when the web stack goes.
 */
import { Aws, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { MERCHANT_IDENTITY_SOURCE } from './http-api';
import { merchantReadAttributes } from './merchant-auth';
import { issuerOf, type ServiceRefValues } from './service-refs';

/** The scopes the UI asks for; the ID token (the one the API wants) carries custom:tenant_id. */
/** The construct id aws-cdk-lib gives the AwsCustomResource provider singleton in a stack. */
const AWS_CUSTOM_RESOURCE_PROVIDER_ID = 'AWS679f53fac002430cb0da5b7982bd2287';

export const WEB_OAUTH_SCOPES = ['openid', 'email', 'profile'] as const;

export interface WebSignInProps {
  /**
   * The service stack's API, merchant authorizer, user pool and SDK client, read from SSM at deploy
   * time (service-refs.ts): weak references, so the service stack stays free to replace them.
   */
  refs: ServiceRefValues;
  /** The UI's origin, e.g. https://d1234.cloudfront.net (no trailing slash). */
  appUrl: string;
  /**
   * The hosted-UI base URL, computed from the configured prefix rather than imported from the service
   * stack: an export in use cannot change, and a new prefix must not block the service deploy.
   */
  domainUrl: string;
}

/** The body of /config.json (web/src/api/runtime-config.ts reads it). */
export interface WebRuntimeConfig {
  auth: 'cognito';
  region: string;
  userPoolId: string;
  clientId: string;
  domain: string;
}

export class WebSignIn extends Construct {
  readonly client: cognito.UserPoolClient;
  readonly audienceUpdate: cr.AwsCustomResource;
  /** The exact redirect and sign-out URI the UI sends: its origin plus '/'. */
  readonly redirectUrl: string;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: WebSignInProps,
  ) {
    super(scope, id);
    const { refs } = props;
    this.redirectUrl = `${props.appUrl}/`;
    const userPool = cognito.UserPool.fromUserPoolId(this, 'UserPool', refs.userPoolId);

    this.client = new cognito.UserPoolClient(this, 'Client', {
      userPool,
      userPoolClientName: 'merchant-ui',
      // A browser app cannot keep a secret: authorization code + PKCE (RFC 7636) instead.
      generateSecret: false,
      // No direct password/SRP sign-in through this client: only the hosted UI, then refresh tokens.
      authFlows: { userPassword: false, userSrp: false, custom: false, adminUserPassword: false },
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [this.redirectUrl],
        logoutUrls: [this.redirectUrl],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      readAttributes: merchantReadAttributes(),
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: true }),
    });

    const authorizerId = refs.merchantAuthorizerId;
    const serviceAudience = [refs.sdkClientId];
    const update = (audience: string[], ignoreErrorCodesMatching?: string): cr.AwsSdkCall => ({
      service: 'ApiGatewayV2',
      action: 'UpdateAuthorizer',
      // Every property the service template sets is restated, so any change to them re-runs this.
      parameters: {
        ApiId: refs.apiId,
        AuthorizerId: authorizerId,
        IdentitySource: [MERCHANT_IDENTITY_SOURCE],
        JwtConfiguration: { Issuer: issuerOf(this, refs.userPoolId), Audience: audience },
      },
      physicalResourceId: cr.PhysicalResourceId.of(`merchant-audience-${authorizerId}`),
      ignoreErrorCodesMatching,
    });
    const withWeb = [...serviceAudience, this.client.userPoolClientId];
    this.audienceUpdate = new cr.AwsCustomResource(this, 'AuthorizerAudience', {
      onCreate: update(withWeb),
      onUpdate: update(withWeb),
      // A replaced authorizer changes the physical id: CloudFormation then deletes the old resource,
      // whose authorizer is gone (NotFound) and no longer named by the updated policy (AccessDenied).
      // Restoring the audience is best effort: a deleted web client can mint no token anyway.
      onDelete: update(serviceAudience, 'NotFoundException|AccessDeniedException'),
      installLatestAwsSdk: false,
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({
          actions: ['apigateway:PATCH'],
          resources: [`arn:${Aws.PARTITION}:apigateway:${Stack.of(this).region}::/apis/${refs.apiId}/authorizers/${authorizerId}`],
        }),
      ]),
    });
    this.acknowledgeProvider();
  }

  /**
   * AwsCustomResource runs CDK's singleton provider function; its role is made by aws-cdk-lib with the
   * AWS managed basic execution policy (logs only). The one finding is acknowledged on that role.
   */
  private acknowledgeProvider(): void {
    const provider = Stack.of(this).node.tryFindChild(AWS_CUSTOM_RESOURCE_PROVIDER_ID);
    const role = provider?.node.tryFindChild('ServiceRole');
    if (!role) throw new Error('AwsCustomResource provider role not found: revisit the acknowledgement');
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        'CDK-managed AwsCustomResource provider (deploy-time only): basic execution role (CloudWatch Logs) attached by aws-cdk-lib; its only other permission is apigateway:PATCH on the one merchant authorizer.',
    });
  }

  /** /config.json: everything the UI needs to start the hosted-UI flow (deploy-time values). */
  runtimeConfig(): WebRuntimeConfig {
    return {
      auth: 'cognito',
      region: Stack.of(this).region,
      userPoolId: this.props.refs.userPoolId,
      clientId: this.client.userPoolClientId,
      domain: this.props.domainUrl,
    };
  }
}
