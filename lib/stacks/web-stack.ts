/**
 * The merchant UI: a private bucket served only through CloudFront (origin access control), with
 * `/v1/*` forwarded to the HTTP API so the UI calls the API with relative URLs (same origin, no CORS)
 * in AWS exactly as on one machine. Sign-in is the Cognito hosted UI (WebSignIn); /config.json tells
 * the UI where it is. The built UI (web/dist, from `npm run build:web`) is uploaded when it exists at
 * synth time; without it the bucket, distribution and client are still created, so the stack's shape
 * never depends on it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CfnOutput, DefaultStackSynthesizer, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import { authDomainPrefixOf, type AppConfig } from '../config';
import { hostedUiUrl } from '../constructs/merchant-auth';
import { accessLogBucket, privateBucket } from '../constructs/private-bucket';
import { PROJECT_ROOT } from '../constructs/service-function';
import { apiDomainOf, readServiceRefs } from '../constructs/service-refs';
import { WebSignIn } from '../constructs/web-sign-in';
import { buildOpenApiDocument } from '../../lambdas/domain/openapi/document';

export const WEB_DIST = path.join(PROJECT_ROOT, 'web', 'dist');
/** Paths CloudFront forwards to the HTTP API; everything else is the UI bucket (incl. /openapi.json). */
export const API_PATH_PATTERN = '/v1/*';

export interface WebStackProps extends StackProps {
  config: AppConfig;
  /** Override for tests; defaults to web/dist. */
  distDir?: string;
}

export class WebStack extends Stack {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly signIn: WebSignIn;
  readonly deployment?: s3deploy.BucketDeployment;

  constructor(scope: Construct, id: string, props: WebStackProps) {
    super(scope, id, props);
    const distDir = props.distDir ?? WEB_DIST;
    // The API behind /v1/*, its merchant authorizer, the user pool and SDK client: read from SSM at
    // deploy time, never imported, so the service stack may replace them (service-refs.ts).
    const refs = readServiceRefs(this, props.config.stage);

    const logs = accessLogBucket(this, 'LogsBucket', {
      // CloudFront standard logging writes with ACLs.
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      expiryRuleId: 'expire-logs',
      nagReason: 'This bucket is the access-log target of the web bucket and the distribution; logging it to itself would loop.',
    });

    this.bucket = privateBucket(this, 'Bucket', {
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'web-bucket/',
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `segmented-push ${props.config.stage} merchant UI`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
      },
      additionalBehaviors: {
        [API_PATH_PATTERN]: {
          origin: new origins.HttpOrigin(apiDomainOf(this, refs.apiId), {
            protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
            originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
          }),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          // Nothing of the API is cached; with caching disabled the all-viewer policy may forward
          // Authorization (and X-App-Key, If-Match, every query string). API Gateway routes on its own
          // Host, so the viewer's Host is the one header withheld.
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
        },
      },
      // No custom error responses: they apply to every behavior and would turn the API's JSON 403/404
      // into index.html. The UI routes on the hash (#/segments), so only / is ever loaded.
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
    });

    const cfn = this.distribution;
    Validations.of(cfn).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason: 'Merchants sign in from anywhere; the UI is static files and all data sits behind the authenticated API.',
    });
    Validations.of(cfn).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason:
        'Static assets only, no origin compute to protect; the API has its own throttling and authorizers. Add a WAF web ACL if the UI becomes a target.',
    });
    Validations.of(cfn).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason:
        'No custom domain yet: with the default *.cloudfront.net certificate CloudFront fixes the viewer policy at TLSv1 and cannot be raised. Adding a domain + ACM certificate (then minimumProtocolVersion TLS_V1_2_2021) fixes this.',
    });

    const appUrl = `https://${this.distribution.distributionDomainName}`;
    this.signIn = new WebSignIn(this, 'SignIn', {
      refs,
      appUrl,
      domainUrl: hostedUiUrl(authDomainPrefixOf(props.config, this.account), this.region),
    });

    if (fs.existsSync(distDir)) {
      this.deployment = new s3deploy.BucketDeployment(this, 'Deploy', {
        sources: [
          s3deploy.Source.asset(distDir),
          // The OpenAPI document, generated from the handlers' zod schemas, served next to the UI at /openapi.json.
          s3deploy.Source.jsonData('openapi.json', buildOpenApiDocument()),
          // Where the UI signs in (deploy-time values); its absence means "local world".
          s3deploy.Source.jsonData('config.json', this.signIn.runtimeConfig()),
        ],
        destinationBucket: this.bucket,
        distribution: this.distribution,
        distributionPaths: ['/*'],
        memoryLimit: 256,
      });
      this.acknowledgeDeploymentHandler();
    }

    new CfnOutput(this, 'WebUrl', { value: appUrl });
    new CfnOutput(this, 'WebClientId', { value: this.signIn.client.userPoolClientId });
  }

  /**
   * BucketDeployment runs CDK's own singleton handler (a Lambda with the AWS CLI layer). Its role,
   * policy and runtime are chosen by aws-cdk-lib, so its findings are acknowledged on that singleton.
   */
  private acknowledgeDeploymentHandler(): void {
    const handler = this.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (!handler) throw new Error('BucketDeployment handler not found: revisit the acknowledgements');
    const reason = (what: string) => `CDK-managed BucketDeployment handler (deploy-time only, not user-facing): ${what}.`;
    const bucketId = this.getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket);
    const qualifier = this.node.tryGetContext('@aws-cdk/core:bootstrapQualifier') ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER;
    Validations.of(handler).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: reason('basic execution role attached by aws-cdk-lib'),
    });
    Validations.of(handler).acknowledge({
      id: 'AwsSolutions-L1',
      reason: reason('runtime pinned by aws-cdk-lib to match its AWS CLI layer'),
    });
    const wildcards = [
      'Action::s3:GetBucket*',
      'Action::s3:GetObject*',
      'Action::s3:List*',
      'Action::s3:Abort*',
      'Action::s3:DeleteObject*',
      `Resource::<${bucketId}.Arn>/*`,
      'Resource::*',
      // The bootstrap asset bucket of the default synthesizer, where the UI bundle is staged.
      `Resource::arn:<AWS::Partition>:s3:::cdk-${qualifier}-assets-<AWS::AccountId>-<AWS::Region>/*`,
    ];
    for (const id of wildcards) {
      Validations.of(handler).acknowledge({
        id: `AwsSolutions-IAM5[${id}]`,
        reason: reason('reads the staged asset and syncs (put/delete) every object of the web bucket, then invalidates the distribution'),
      });
    }
  }
}
