/**
 * The one way this project builds a Lambda function: NodejsFunction on nodejs24.x / ARM64, bundled
 * by the local esbuild (minified, source maps, AWS SDK v3 left to the runtime), its own log group
 * with retention, its own least-privilege role, and the Powertools environment.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ENV } from '../../lambdas/config/env';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
export const ENTRIES_DIR = path.join(PROJECT_ROOT, 'lambdas', 'composition', 'entries');

/** Every Lambda of the service, by entry name (lambdas/composition/entries/<name>.ts). */
export type FunctionName =
  'devices' | 'events' | 'segments' | 'campaigns' | 'settings' | 'app-key-authorizer' | 'trigger' | 'sender' | 'maintenance';

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
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      bundling: {
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        target: 'node24',
        format: nodejs.OutputFormat.ESM,
        mainFields: ['module', 'main'],
        // ESM output still needs `require` for CommonJS dependencies bundled inside.
        banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
        externalModules: ['@aws-sdk/*'],
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
