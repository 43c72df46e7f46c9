/**
 * The one way this project builds a Lambda function: NodejsFunction on nodejs24.x / ARM64, bundled
 * by the local esbuild (minified, source maps, AWS SDK v3 left to the runtime), its own log group
 * with retention, its own least-privilege role, the Powertools environment, and X-Ray active
 * tracing. Powertools (Logger, Metrics, Tracer and the X-Ray SDK) comes from AWS's public
 * Powertools layer at exactly the version the code was built against (its ARN read from the public
 * SSM parameter AWS publishes per version and region), so it is not in the bundles.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { ENV } from '../../lambdas/config/env';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
export const ENTRIES_DIR = path.join(PROJECT_ROOT, 'lambdas', 'composition', 'entries');

/** Every Lambda of the service, by entry name (lambdas/composition/entries/<name>.ts). */
export type FunctionName =
  | 'devices'
  | 'events'
  | 'segments'
  | 'campaigns'
  | 'settings'
  | 'app-key-authorizer'
  | 'trigger'
  | 'sender'
  | 'maintenance'
  | 'automations';

/** The Powertools packages the code uses: the layer carries them all at one version, which must be theirs. */
const POWERTOOLS_PACKAGES = ['logger', 'metrics', 'tracer'] as const;

/** The version of the installed Powertools packages (they must agree, as the layer holds one version of each). */
export function powertoolsVersion(): string {
  const versions = new Set(
    POWERTOOLS_PACKAGES.map(
      (p) =>
        (
          JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'node_modules', '@aws-lambda-powertools', p, 'package.json'), 'utf8')) as {
            version: string;
          }
        ).version,
    ),
  );
  if (versions.size !== 1) throw new Error(`@aws-lambda-powertools packages disagree on their version (${[...versions].join(', ')})`);
  return [...versions][0];
}

/** The public SSM parameter whose value is the ARN of the Powertools layer of `version` in the deploying region. */
export const powertoolsLayerParameter = (version: string) => `/aws/service/powertools/typescript/generic/all/${version}`;

/** One layer reference per stack (the SSM parameter becomes one template parameter). */
function powertoolsLayer(scope: Construct): lambda.ILayerVersion {
  const stack = Stack.of(scope);
  const id = 'PowertoolsLayer';
  return (
    (stack.node.tryFindChild(id) as lambda.ILayerVersion | undefined) ??
    lambda.LayerVersion.fromLayerVersionArn(
      stack,
      id,
      ssm.StringParameter.valueForStringParameter(stack, powertoolsLayerParameter(powertoolsVersion())),
    )
  );
}

export interface ServiceFunctionProps {
  name: FunctionName;
  stage: string;
  /** CloudWatch namespace for Powertools metrics; alarms read metrics from it. */
  metricsNamespace: string;
  logRetentionDays: number;
  memorySize?: number;
  timeout?: Duration;
  /** A fixed physical name, only where the function must know its own ARN (see trigger). */
  functionName?: string;
  description?: string;
  /**
   * Reserved concurrency, only for a function that must never run twice at once (see automations).
   * It is taken from the account's unreserved pool, which Lambda keeps at 100 or more.
   */
  reservedConcurrentExecutions?: number;
}

export class ServiceFunction extends Construct {
  readonly fn: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly name: FunctionName;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    this.name = props.name;

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Own role with log writes on its own log group only, instead of the AWSLambdaBasicExecutionRole
    // managed policy (which allows logs:* on every group). Grants are added by the resource constructs.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.name} function (${props.stage})`,
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    // Active tracing adds xray:PutTraceSegments and xray:PutTelemetryRecords on "*" to the role.
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions',
    });

    const entry = path.join(ENTRIES_DIR, `${props.name}.ts`);
    // Tests and `-c aws:cdk:bundling-stacks=[]` skip bundling; entries may not be written yet then, so
    // a stub stands in. A real synth with a missing entry still fails loudly inside NodejsFunction.
    const stub = !Stack.of(this).bundlingRequired && !fs.existsSync(entry);

    this.fn = new nodejs.NodejsFunction(this, 'Function', {
      entry,
      ...(stub
        ? { code: lambda.Code.fromInline('exports.handler = async () => { throw new Error("not bundled"); };'), handler: 'index.handler' }
        : { handler: 'handler' }),
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      projectRoot: PROJECT_ROOT,
      functionName: props.functionName,
      description: props.description,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      layers: [powertoolsLayer(this)],
      bundling: {
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        target: 'node24',
        format: nodejs.OutputFormat.ESM,
        mainFields: ['module', 'main'],
        // ESM output still needs `require` for CommonJS dependencies bundled inside.
        banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
        // The SDK is in the runtime; Powertools is in its layer (above).
        externalModules: ['@aws-sdk/*', '@aws-lambda-powertools/*'],
      },
      environment: {
        [ENV.stage]: props.stage,
        [ENV.powertoolsService]: props.name,
        [ENV.powertoolsNamespace]: props.metricsNamespace,
        NODE_OPTIONS: '--enable-source-maps',
      },
    });
  }

  /** Set an environment variable (used by the grant helpers of the resource constructs). */
  addEnvironment(name: string, value: string): this {
    this.fn.addEnvironment(name, value);
    return this;
  }

  addToRolePolicy(statement: iam.PolicyStatement): this {
    this.role.addToPrincipalPolicy(statement);
    return this;
  }
}
