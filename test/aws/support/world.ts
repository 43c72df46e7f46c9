/**
 * The AWS world in a box: the synthesized app, every function's real entry in its own execution
 * environment (exact template env, its role's statements enforced), and strict stand-ins for the
 * services, all on one clock that tests can move forward. `settle()` lets AWS run: due schedules
 * fire, asynchronous invocations run (with retries and destinations), queues feed their functions,
 * and messages sent with a delay (paced batches) are delivered when it is over, the clock moving on
 * to them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoTable } from '../../../lambdas/adapters/dynamo/table';
import { DynamoTenantStore } from '../../../lambdas/adapters/dynamo/tenant-store';
import { issueAppKey } from '../../../lambdas/use-cases/tenants/app-keys';
import type { AppConfig } from '../../../lib/config';
import { Box, type Caller } from './box';
import { ACCOUNT, REGION, setBoxOrigin, synthesize, type CloudAssembly, type FunctionModel } from './cloud-assembly';
import { accessKeyOf, FunctionRuntime } from './lambda-runtime';
import { HttpApiStandIn } from './services/http-api';
import { AthenaStandIn } from './services/athena';
import { DynamoDbStandIn } from './services/dynamodb';
import { LambdaStandIn } from './services/lambda';
import { FirehoseStandIn, Lake } from './services/lake';
import { S3StandIn } from './services/s3';
import { SchedulerStandIn } from './services/scheduler';
import { SecretsManagerStandIn } from './services/secrets-manager';
import { SnsStandIn } from './services/sns';
import { SqsStandIn } from './services/sqs';
import { XRayDaemonStandIn } from './services/xray';

export const DEFAULT_APPS = {
  ios: `arn:aws:sns:${REGION}:${ACCOUNT}:app/APNS/shop-ios`,
  android: `arn:aws:sns:${REGION}:${ACCOUNT}:app/GCM/shop-android`,
};

export interface WorldOptions {
  /** Context overrides for the synthesized app. */
  config?: Partial<Record<keyof AppConfig, unknown>>;
  /** Change the resolved template before anything starts (harness self-tests remove a grant here). */
  tamper?: (assembly: CloudAssembly, functions: FunctionModel[]) => void;
}

export class AwsWorld {
  readonly box = new Box();
  offsetMs = 0;
  assembly!: CloudAssembly;
  functions!: FunctionModel[];
  readonly runtimes = new Map<string, FunctionRuntime>();
  dynamodb = new DynamoDbStandIn();
  sqs!: SqsStandIn;
  lambda!: LambdaStandIn;
  scheduler!: SchedulerStandIn;
  sns!: SnsStandIn;
  lake!: Lake;
  firehose!: FirehoseStandIn;
  athena!: AthenaStandIn;
  s3!: S3StandIn;
  http!: HttpApiStandIn;
  readonly secrets = new SecretsManagerStandIn();
  readonly xray = new XRayDaemonStandIn();
  private dir = '';

  static async start(options: WorldOptions = {}): Promise<AwsWorld> {
    const w = new AwsWorld();
    await w.init(options);
    return w;
  }

  /** Start a world before the tests of the enclosing describe (handed to `assign`; 120 s allowed) and stop it after them. */
  static forSuite(assign: (world: AwsWorld) => void, options: WorldOptions = {}): void {
    let started: AwsWorld | undefined;
    beforeAll(async () => {
      started = await AwsWorld.start(options);
      assign(started);
    }, 120_000);
    afterAll(async () => started?.stop());
  }

  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Move the world's clock forward. */
  advance(ms: number): void {
    this.offsetMs += ms;
  }

  fn(entry: string): FunctionModel {
    const f = this.functions.find((x) => x.entry === entry);
    if (!f) throw new Error(`no function ${entry} in the template`);
    return f;
  }

  callerOf(fn: FunctionModel): Caller {
    return {
      principal: `${fn.roleArn.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/')}/${fn.name}`,
      statements: fn.statements,
      functionName: fn.name,
    };
  }

  private async init(options: WorldOptions): Promise<void> {
    this.dir = await mkdtemp(path.join(os.tmpdir(), 'aws-world-'));
    setBoxOrigin(await this.box.listen());
    const context = { apnsPlatformApplication: DEFAULT_APPS.ios, fcmPlatformApplication: DEFAULT_APPS.android, ...options.config };
    this.assembly = synthesize(context);
    this.functions = this.assembly.functions();
    options.tamper?.(this.assembly, this.functions);
    const daemon = await this.xray.listen();
    for (const fn of this.functions) {
      this.runtimes.set(fn.name, new FunctionRuntime(fn, this.box.origin, () => this.offsetMs, daemon));
      this.box.addCaller(accessKeyOf(fn), this.callerOf(fn));
    }
    const now = () => this.now();
    await this.dynamodb.start(path.join(this.dir, 'dynamo'), this.assembly);
    this.sqs = new SqsStandIn(this.assembly, now);
    this.lambda = new LambdaStandIn(this.assembly, this.runtimes, this.sqs, (fn) => this.callerOf(fn));
    this.scheduler = new SchedulerStandIn(this.assembly, now);
    this.sns = new SnsStandIn(
      [String(context.apnsPlatformApplication), String(context.fcmPlatformApplication)],
      (name) => this.runtimes.get(name)?.kill(),
      now,
    );
    this.lake = new Lake(path.join(this.dir, 's3'), this.assembly);
    await this.lake.open();
    this.firehose = new FirehoseStandIn(this.lake);
    const denied = (d: { caller: string; action: string; resource: string }) => this.box.denials.push(d);
    this.athena = new AthenaStandIn(this.assembly, this.lake, denied);
    this.s3 = new S3StandIn(this.lake, denied);
    this.http = new HttpApiStandIn(this.assembly, this.functions, this.lambda);
    const services = {
      dynamodb: this.dynamodb,
      sqs: this.sqs,
      lambda: this.lambda,
      scheduler: this.scheduler,
      sns: this.sns,
      firehose: this.firehose,
      athena: this.athena,
      s3: this.s3,
      secretsmanager: this.secrets,
    };
    for (const [name, s] of Object.entries(services)) this.box.services.set(name, s);
  }

  /** Let AWS run until nothing is due: schedules fire, async invocations run, queues drain. */
  async settle(maxRounds = 500): Promise<void> {
    for (let round = 0; round < maxRounds; round++) {
      const fired = this.scheduler.fireDue({
        invokeAsync: (arn, payload) => {
          const fn = this.functions.find((f) => f.arn === arn);
          if (fn) this.lambda.invokeAsync(fn, payload);
          return fn !== undefined;
        },
        sendToQueue: (arn, body) => {
          this.sqs.deliver(this.sqs.byArn(arn), body);
          return true;
        },
      });
      const ranAsync = await this.lambda.drainAsync();
      const ranQueues = await this.lambda.pollQueues();
      if (fired === 0 && !ranAsync && !ranQueues) {
        // Nothing runs now; a paced wave's delayed batches run when their delay is over, so the
        // world's clock moves on to the next one rather than settle returning with sends still due.
        const delayed = this.sqs.nextDelayedAt();
        if (delayed === undefined) return;
        this.advance(delayed - this.now());
      }
    }
    throw new Error(`the world did not settle in ${maxRounds} rounds`);
  }

  /** An app key for a tenant, issued as the platform team's scripts/issue-app-key.ts does (the same use case). */
  async issueAppKey(tenantId: string): Promise<string> {
    return issueAppKey(
      { tenants: new DynamoTenantStore(this.adminTable('records')), clock: { now: () => new Date(this.now()) } },
      tenantId,
    );
  }

  /** Register opted-in iOS devices through the API (token `tok-<id>`), each with its extra fields; throws unless each is 200. */
  async registerDevices(appKey: string, devices: readonly (readonly [string, Record<string, unknown>])[]): Promise<void> {
    for (const [id, extra] of devices) {
      const res = await this.http.request(
        'PUT',
        `/v1/devices/${id}`,
        { appKey },
        { platform: 'ios', token: `tok-${id}`, optedIn: true, ...extra },
      );
      if (res.status !== 200) throw new Error(`device ${id}: ${res.status} ${JSON.stringify(res.body)}`);
    }
  }

  /** The physical name of a DynamoDB table by its logical name prefix (records, deliveries). */
  tableName(logical: string): string {
    const t = this.assembly.ofType('AWS::DynamoDB::Table').find((r) => r.logicalId.toLowerCase().includes(logical));
    if (!t) throw new Error(`no table ${logical}`);
    return this.assembly.physicalName(t);
  }

  adminTable(logical: string): DynamoTable {
    return new DynamoTable(
      DynamoDBDocumentClient.from(this.dynamodb.admin!, { marshallOptions: { removeUndefinedValues: true } }),
      this.tableName(logical),
    );
  }

  async stop(): Promise<void> {
    await Promise.all([...this.runtimes.values()].map((r) => r.stop()));
    await this.box.close();
    await this.xray.close();
    await this.dynamodb.stop();
    this.lake.conn?.closeSync();
    await rm(this.dir, { recursive: true, force: true });
  }
}
