/**
 * The HTTP API: exactly the routes of ROUTES, each to its function, merchant routes behind the
 * Cognito JWT authorizer, device routes behind the app-key Lambda authorizer (cached per key).
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as authorizers from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ROUTES, type ApiFunction, type AuthKind } from '../../lambdas/domain/http/routes';
import type { MerchantAuth } from './merchant-auth';
import type { ServiceFunction } from './service-function';

export const APP_KEY_HEADER = 'X-App-Key';
export const MERCHANT_IDENTITY_SOURCE = '$request.header.Authorization';

export interface HttpApiProps {
  stage: string;
  functions: Record<ApiFunction, ServiceFunction>;
  appKeyAuthorizer: ServiceFunction;
  auth: MerchantAuth;
  corsOrigins: string[];
  throttle: { rateLimit: number; burstLimit: number };
  logRetentionDays: number;
}

export class HttpApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly routes: apigw.HttpRoute[] = [];
  readonly accessLogs: logs.LogGroup;
  /** The Cognito JWT authorizer of the merchant routes, its issuer and the clients it accepts. */
  readonly merchantAuthorizer: authorizers.HttpJwtAuthorizer;
  readonly merchantIssuer: string;
  readonly merchantAudience: string[];

  constructor(scope: Construct, id: string, props: HttpApiProps) {
    super(scope, id);
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: props.logRetentionDays as logs.RetentionDays });

    this.api = new apigw.HttpApi(this, 'Api', {
      apiName: `segmented-push-${props.stage}`,
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: props.corsOrigins,
        allowMethods: [apigw.CorsHttpMethod.GET, apigw.CorsHttpMethod.POST, apigw.CorsHttpMethod.PUT, apigw.CorsHttpMethod.DELETE],
        allowHeaders: ['Authorization', 'Content-Type', 'If-Match', APP_KEY_HEADER, 'X-Correlation-Id'],
        // Every API response names its correlation id (the caller's, or the request id) for support and log searches.
        exposeHeaders: ['X-Correlation-Id'],
        maxAge: Duration.hours(1),
      },
    });
    this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            latency: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
          }),
        ),
      },
    });

    // The web stack adds its hosted-UI client to this audience after deploying it (WebSignIn):
    // the client's callback URL is the distribution's, which this stack cannot know.
    this.merchantIssuer = props.auth.issuerUrl;
    this.merchantAudience = [props.auth.client.userPoolClientId];
    const merchantAuthorizer = (this.merchantAuthorizer = new authorizers.HttpJwtAuthorizer('MerchantJwt', this.merchantIssuer, {
      jwtAudience: this.merchantAudience,
      identitySource: [MERCHANT_IDENTITY_SOURCE],
    }));
    const deviceAuthorizer = new authorizers.HttpLambdaAuthorizer('AppKey', props.appKeyAuthorizer.fn, {
      responseTypes: [authorizers.HttpLambdaResponseType.SIMPLE],
      identitySource: [`$request.header.${APP_KEY_HEADER}`],
      resultsCacheTtl: Duration.minutes(5),
    });
    const authorizerFor: Record<AuthKind, apigw.IHttpRouteAuthorizer> = {
      merchant: merchantAuthorizer,
      device: deviceAuthorizer,
      none: new apigw.HttpNoneAuthorizer(),
    };

    const integrationFor = new Map<ApiFunction, integrations.HttpLambdaIntegration>();
    for (const route of ROUTES) {
      let integration = integrationFor.get(route.fn);
      if (!integration) {
        integration = new integrations.HttpLambdaIntegration(`${route.fn}Integration`, props.functions[route.fn].fn, {
          payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0,
        });
        integrationFor.set(route.fn, integration);
      }
      this.routes.push(
        ...this.api.addRoutes({
          path: route.path,
          methods: [route.method as apigw.HttpMethod],
          integration,
          authorizer: authorizerFor[route.auth],
        }),
      );
    }
  }

  /** The execute-api host name (the CloudFront origin of /v1/*). */
  get domainName(): string {
    return `${this.api.apiId}.execute-api.${Stack.of(this).region}.${Stack.of(this).urlSuffix}`;
  }

  get url(): string {
    return `https://${this.api.apiId}.execute-api.${Stack.of(this).region}.${Stack.of(this).urlSuffix}/`;
  }
}
