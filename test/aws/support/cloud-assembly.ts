/**
 * The synthesized app as the AWS world sees it: every stack's template with its intrinsics
 * (Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::ImportValue, Fn::Select, Fn::Split) resolved to the
 * physical names and ARNs the stand-ins use, so each function runs with exactly the environment
 * and IAM statements CloudFormation would give it.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildStacks } from '../../../lib/app';
import { parseConfig, type AppConfig } from '../../../lib/config';
import cdkJson from '../../../cdk.json';
import type { Statement } from './iam';

export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';

type Json = any; // template JSON is untyped by nature

export interface Resource {
  stack: string;
  logicalId: string;
  type: string;
  props: Json;
  /** The raw template resource (Condition, DependsOn...). */
  raw: Json;
}

export interface FunctionModel {
  logicalId: string;
  /** Entry name (lambdas/composition/entries/<name>.ts), from POWERTOOLS_SERVICE_NAME. */
  entry: string;
  name: string;
  arn: string;
  timeoutSeconds: number;
  memoryMb: number;
  env: Record<string, string>;
  roleArn: string;
  statements: Statement[];
  /** TracingConfig Mode Active: Lambda sends the function's segments to X-Ray and tells the code where the daemon is. */
  tracing: boolean;
}

/** Builds the app exactly as bin/app.ts does (cdk.json context), bundling skipped. */
export function synthesize(overrides: Partial<Record<keyof AppConfig, unknown>> = {}): CloudAssembly {
  const context = { ...(cdkJson.context as Record<string, unknown>), stage: 'box', ...overrides };
  const app = new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });
  const stacks = buildStacks(app, parseConfig(context), { webDistDir: '/nonexistent/web/dist' });
  const templates: Record<string, Json> = {};
  for (const s of Object.values(stacks)) templates[s.stackName] = Template.fromStack(s).toJSON();
  return new CloudAssembly(templates);
}

export class CloudAssembly {
  readonly resources: Resource[] = [];
  private readonly byId = new Map<string, Resource>();

  constructor(readonly templates: Record<string, Json>) {
    for (const [stack, t] of Object.entries(templates)) {
      for (const [logicalId, raw] of Object.entries<Json>(t.Resources ?? {})) {
        const r: Resource = { stack, logicalId, type: raw.Type, props: raw.Properties ?? {}, raw };
        this.resources.push(r);
        this.byId.set(`${stack}/${logicalId}`, r);
      }
    }
  }

  ofType(type: string): Resource[] {
    return this.resources.filter((r) => r.type === type);
  }

  get(stack: string, logicalId: string): Resource {
    const r = this.byId.get(`${stack}/${logicalId}`);
    if (!r) throw new Error(`no resource ${logicalId} in ${stack}`);
    return r;
  }

  /** The physical name CloudFormation would give a resource (its name property, else stack-logicalId). */
  physicalName(r: Resource): string {
    const p = r.props;
    const named: Record<string, unknown> = {
      'AWS::DynamoDB::Table': p.TableName,
      'AWS::SQS::Queue': p.QueueName,
      'AWS::Lambda::Function': p.FunctionName,
      'AWS::IAM::Role': p.RoleName,
      'AWS::S3::Bucket': p.BucketName,
      'AWS::KinesisFirehose::DeliveryStream': p.DeliveryStreamName,
      'AWS::Scheduler::ScheduleGroup': p.Name,
      'AWS::Glue::Database': p.DatabaseInput?.Name,
      'AWS::Glue::Table': p.TableInput?.Name,
      'AWS::Athena::WorkGroup': p.Name,
      'AWS::Logs::LogGroup': p.LogGroupName,
      'AWS::SNS::Topic': p.TopicName,
      'AWS::SSM::Parameter': p.Name,
    };
    const given = named[r.type];
    if (given !== undefined) return String(this.resolve(r.stack, given));
    const generated = `${r.stack}-${r.logicalId}`.slice(0, 63);
    return r.type === 'AWS::S3::Bucket' ? generated.toLowerCase() : generated;
  }

  /** Ref of a resource, as CloudFormation documents it per type. */
  ref(r: Resource): string {
    const name = this.physicalName(r);
    switch (r.type) {
      case 'AWS::SQS::Queue':
        return queueUrl(name);
      case 'AWS::SNS::Topic':
        return `arn:aws:sns:${REGION}:${ACCOUNT}:${name}`;
      default:
        return name;
    }
  }

  /** Fn::GetAtt of a resource. */
  getAtt(r: Resource, attr: string): string {
    const name = this.physicalName(r);
    const arnOf: Record<string, string> = {
      'AWS::DynamoDB::Table': `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}`,
      'AWS::SQS::Queue': `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`,
      'AWS::Lambda::Function': `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`,
      'AWS::IAM::Role': `arn:aws:iam::${ACCOUNT}:role/${name}`,
      'AWS::S3::Bucket': `arn:aws:s3:::${name}`,
      'AWS::KinesisFirehose::DeliveryStream': `arn:aws:firehose:${REGION}:${ACCOUNT}:deliverystream/${name}`,
      'AWS::Scheduler::ScheduleGroup': `arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule-group/${name}`,
      'AWS::Logs::LogGroup': `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}:*`,
      'AWS::SNS::Topic': `arn:aws:sns:${REGION}:${ACCOUNT}:${name}`,
      'AWS::Cognito::UserPool': `arn:aws:cognito-idp:${REGION}:${ACCOUNT}:userpool/${name}`,
    };
    if (attr === 'Arn') return arnOf[r.type] ?? `arn:aws:unknown:${REGION}:${ACCOUNT}:${r.logicalId}`;
    if (attr === 'QueueUrl') return queueUrl(name);
    if (attr === 'QueueName' || attr === 'Name') return name;
    if (attr === 'ProviderURL') return `https://cognito-idp.${REGION}.amazonaws.com/${name}`;
    if (attr === 'ApiEndpoint') return `https://${name}.execute-api.${REGION}.amazonaws.com`;
    return `${name}.${attr}`;
  }

  /** Resolve every intrinsic function in a template value. */
  resolve(stack: string, v: Json): Json {
    if (Array.isArray(v)) return v.map((x) => this.resolve(stack, x));
    if (v === null || typeof v !== 'object') return v;
    const keys = Object.keys(v);
    if (keys.length === 1) {
      const [k] = keys;
      const arg = v[k];
      switch (k) {
        case 'Ref':
          return this.resolveRef(stack, arg);
        case 'Fn::GetAtt': {
          const [id, attr] = Array.isArray(arg) ? arg : String(arg).split('.');
          return this.getAtt(this.get(stack, id), attr);
        }
        case 'Fn::Join': {
          const [sep, parts] = arg;
          return (this.resolve(stack, parts) as unknown[]).join(sep);
        }
        case 'Fn::Select': {
          const [i, list] = this.resolve(stack, arg);
          return list[Number(i)];
        }
        case 'Fn::Split': {
          const [sep, s] = this.resolve(stack, arg);
          return String(s).split(sep);
        }
        case 'Fn::Sub': {
          const [text, vars] = Array.isArray(arg) ? arg : [arg, {}];
          const values = this.resolve(stack, vars) as Record<string, string>;
          return String(text).replace(/\$\{([^}]+)\}/g, (_, name: string) => {
            if (name in values) return values[name];
            if (name.includes('.')) return this.resolve(stack, { 'Fn::GetAtt': name.split('.') });
            return this.resolveRef(stack, name);
          });
        }
        case 'Fn::ImportValue':
          return this.importValue(String(this.resolve(stack, arg)));
        case 'Fn::If':
          throw new Error('Fn::If is not used by this app; teach the resolver if it is');
      }
    }
    return Object.fromEntries(keys.map((k) => [k, this.resolve(stack, v[k])]));
  }

  private resolveRef(stack: string, id: string): string {
    const pseudo: Record<string, string> = {
      'AWS::AccountId': ACCOUNT,
      'AWS::Region': REGION,
      'AWS::Partition': 'aws',
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': stack,
      'AWS::NoValue': '',
    };
    if (id in pseudo) return pseudo[id];
    const param = this.templates[stack].Parameters?.[id];
    if (param) {
      if (param.Default === undefined) throw new Error(`parameter ${id} of ${stack} has no default`);
      return String(param.Default);
    }
    return this.ref(this.get(stack, id));
  }

  private importValue(name: string): string {
    for (const [stack, t] of Object.entries<Json>(this.templates)) {
      for (const out of Object.values<Json>(t.Outputs ?? {})) {
        if (out.Export && this.resolve(stack, out.Export.Name) === name) return this.resolve(stack, out.Value);
      }
    }
    throw new Error(`no export named ${name}`);
  }

  /** Identity-policy statements of a role: its inline Policies and every AWS::IAM::Policy attached to it. */
  roleStatements(stack: string, roleLogicalId: string): Statement[] {
    const role = this.get(stack, roleLogicalId);
    const inline = (role.props.Policies ?? []).flatMap((p: Json) => p.PolicyDocument.Statement);
    const attached = this.ofType('AWS::IAM::Policy')
      .filter((p) => p.stack === stack && (p.props.Roles ?? []).some((r: Json) => r?.Ref === roleLogicalId))
      .flatMap((p) => p.props.PolicyDocument.Statement);
    return this.resolve(stack, [...inline, ...attached]) as Statement[];
  }

  /** The trust policy of a role (who may assume it, on which conditions). */
  trustStatements(stack: string, roleLogicalId: string): Statement[] {
    return this.resolve(stack, this.get(stack, roleLogicalId).props.AssumeRolePolicyDocument.Statement) as Statement[];
  }

  /** The role resource with this ARN. */
  roleByArn(arn: string): Resource | undefined {
    return this.ofType('AWS::IAM::Role').find((r) => this.getAtt(r, 'Arn') === arn);
  }

  /** Every Lambda function of the app that runs one of our entries (not CDK's own helper functions). */
  functions(): FunctionModel[] {
    return this.ofType('AWS::Lambda::Function')
      .filter((r) => r.props.Environment?.Variables?.POWERTOOLS_SERVICE_NAME)
      .map((r) => {
        const env = this.resolve(r.stack, r.props.Environment.Variables) as Record<string, string>;
        const roleRef = r.props.Role?.['Fn::GetAtt']?.[0] as string;
        return {
          logicalId: r.logicalId,
          entry: env.POWERTOOLS_SERVICE_NAME,
          name: this.physicalName(r),
          arn: this.getAtt(r, 'Arn'),
          timeoutSeconds: Number(r.props.Timeout ?? 3),
          memoryMb: Number(r.props.MemorySize ?? 128),
          env,
          roleArn: this.resolve(r.stack, r.props.Role),
          statements: this.roleStatements(r.stack, roleRef),
          tracing: r.props.TracingConfig?.Mode === 'Active',
        };
      });
  }
}

/** Queue URLs point at the box itself, so an SDK that uses the queue URL as its endpoint still reaches it. */
let boxOrigin = 'http://127.0.0.1:0';
export function setBoxOrigin(origin: string): void {
  boxOrigin = origin;
}
function queueUrl(name: string): string {
  return `${boxOrigin}/${ACCOUNT}/${name}`;
}
