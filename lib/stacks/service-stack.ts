/**
 * Stateless service: the Lambda functions, the HTTP API with its authorizers, the send queue, the
 * campaign scheduler, push platforms, alarms and dashboard. Each function gets exactly the access it
 * needs through the grant helpers, which also set the env vars it reads (lambdas/config/env.ts).
 */
import { ArnFormat, CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Construct } from 'constructs';
import { ENV } from '../../lambdas/config/env';
import type { ApiFunction } from '../../lambdas/domain/http/routes';
import { authDomainPrefixOf, type AppConfig } from '../config';
import { AutomationSchedules } from '../constructs/automation-schedules';
import { CampaignScheduler } from '../constructs/campaign-scheduler';
import { HttpApi } from '../constructs/http-api';
import { LakeMaintenanceJobs } from '../constructs/lake-maintenance';
import { MerchantAuth } from '../constructs/merchant-auth';
import { Monitoring } from '../constructs/monitoring';
import { PushPlatforms } from '../constructs/push-platforms';
import { SENDER_BATCH_SIZE, SendQueue } from '../constructs/send-queue';
import { ServiceFunction, type FunctionName } from '../constructs/service-function';
import { ServiceRefs } from '../constructs/service-refs';
import type { DataStack } from './data-stack';

export interface ServiceStackProps extends StackProps {
  config: AppConfig;
  data: DataStack;
}

/** Memory (MB) and timeout per function. HTTP functions stay under API Gateway's 30 s limit. */
export const FUNCTION_SIZING: Record<FunctionName, { memorySize: number; timeout: Duration }> = {
  devices: { memorySize: 256, timeout: Duration.seconds(10) },
  events: { memorySize: 512, timeout: Duration.seconds(15) },
  segments: { memorySize: 512, timeout: Duration.seconds(29) },
  campaigns: { memorySize: 512, timeout: Duration.seconds(29) },
  settings: { memorySize: 256, timeout: Duration.seconds(10) },
  'app-key-authorizer': { memorySize: 256, timeout: Duration.seconds(5) },
  trigger: { memorySize: 1024, timeout: Duration.minutes(10) },
  sender: { memorySize: 512, timeout: Duration.seconds(60) },
  // Compaction and erasure jobs: Athena UNLOADs and S3 copies; an erasure waits ERASURE_SETTLE between its passes.
  maintenance: { memorySize: 512, timeout: Duration.minutes(15) },
  // The daily inactivity run waits on one Athena query per inactivity automation; a sweep stops taking new items after ~50 s.
  automations: { memorySize: 512, timeout: Duration.minutes(5) },
};

/**
 * Automations run at most once at a time (reserved concurrency 1): two sweeps must not hand the same
 * due items to batches at once, and an overlapping invocation waits in Lambda's async queue instead.
 */
export const AUTOMATIONS_CONCURRENCY = 1;

/**
 * How long a function's Athena engine waits for one query before it stops it (QUERY_TIMEOUT_MS).
 * HTTP functions: their timeout minus QUERY_TIMEOUT_MARGIN (the reads before the query, the answer
 * after it, the StopQueryExecution call), so they answer 503 `query_timeout` instead of being killed
 * at 29 s with the query still running; it is also below the use cases' own backstop
 * (HTTP_QUERY_BUDGET_MS, 25 s). The trigger: half its timeout, leaving time to enqueue the page (a
 * wave that still runs out resumes where it stopped when retried).
 */
export const QUERY_TIMEOUT_MARGIN = Duration.seconds(7);
export function queryTimeoutOf(name: FunctionName): Duration {
  const timeout = FUNCTION_SIZING[name].timeout.toSeconds();
  return timeout <= 30 ? Duration.seconds(timeout - QUERY_TIMEOUT_MARGIN.toSeconds()) : Duration.seconds(Math.floor(timeout / 2));
}

export class ServiceStack extends Stack {
  readonly functions: Record<FunctionName, ServiceFunction>;
  readonly httpApi: HttpApi;
  readonly auth: MerchantAuth;
  readonly sendQueue: SendQueue;
  readonly scheduler: CampaignScheduler;
  readonly monitoring: Monitoring;
  readonly automationSchedules: AutomationSchedules;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const { config, data } = props;
    const metricsNamespace = `SegmentedPush/${config.stage}`;

    // The trigger needs its own ARN (to schedule later waves) and the scheduler role must name it:
    // a fixed name lets both use a computed ARN instead of a self-reference.
    const triggerName = `segmented-push-${config.stage}-trigger`;
    const triggerArn = this.formatArn({
      service: 'lambda',
      resource: 'function',
      resourceName: triggerName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });

    const make = (name: FunctionName, functionName?: string, reservedConcurrentExecutions?: number) =>
      new ServiceFunction(this, pascal(name), {
        name,
        stage: config.stage,
        metricsNamespace,
        logRetentionDays: config.logRetentionDays,
        functionName,
        reservedConcurrentExecutions,
        ...FUNCTION_SIZING[name],
      });
    const f = (this.functions = {
      devices: make('devices'),
      events: make('events'),
      segments: make('segments'),
      campaigns: make('campaigns'),
      settings: make('settings'),
      'app-key-authorizer': make('app-key-authorizer'),
      trigger: make('trigger', triggerName),
      sender: make('sender'),
      maintenance: make('maintenance'),
      automations: make('automations', undefined, AUTOMATIONS_CONCURRENCY),
    });

    this.sendQueue = new SendQueue(this, 'Send', {
      visibilityTimeout: Duration.seconds(FUNCTION_SIZING.sender.timeout.toSeconds() * 6),
      maxSendsPerSecond: config.maxSendsPerSecond,
    });
    this.scheduler = new CampaignScheduler(this, 'Scheduler', { stage: config.stage, triggerFunctionArn: triggerArn });
    const push = new PushPlatforms(this, 'Push', {
      stage: config.stage,
      apnsPlatformApplication: config.apnsPlatformApplication,
      fcmPlatformApplication: config.fcmPlatformApplication,
      apnsSandbox: config.apnsSandbox,
    });
    this.auth = new MerchantAuth(this, 'Auth', { stage: config.stage, domainPrefix: authDomainPrefixOf(config, this.account) });

    // --- grants (each also sets the env var the function reads) ---
    // The events function also enters automations' due items and exit marks; automations reads the `due` index.
    for (const name of [
      'devices',
      'events',
      'segments',
      'campaigns',
      'settings',
      'trigger',
      'sender',
      'maintenance',
      'automations',
    ] as const) {
      data.tables.grantReadWrite(f[name], 'records');
    }
    data.tables.grantRead(f['app-key-authorizer'], 'records');
    data.tables.grantReadWrite(f.sender, 'deliveries');
    // An erasure drops the erased devices' frequency-cap history (deliveries table).
    data.tables.grantReadWrite(f.maintenance, 'deliveries');
    // Only the sender uses the ledger. The trigger completes a campaign from its counters (records
    // table), and insights (campaigns) read the lake's deliveries table through Athena, so neither has
    // access to the deliveries DynamoDB table (issue 12 defect 3 was a missing grant for a ledger read).

    data.streams.grantPut(f.devices, 'devices');
    data.streams.grantPut(f.events, 'events');
    data.streams.grantPut(f.sender, 'deliveries');
    data.streams.grantPut(f.trigger, 'deliveries'); // `queued` rows of the devices it enqueues

    // automations: the daily inactivity query over the lake's events and devices.
    for (const name of ['segments', 'campaigns', 'trigger', 'maintenance', 'automations'] as const) {
      data.athena.grantQuery(f[name]);
      data.lake.grantQueryRead(f[name]);
      f[name].addEnvironment(ENV.queryTimeoutMs, String(queryTimeoutOf(name).toMilliseconds()));
    }
    // Estimates read rolled days from the device-day rollups (issue 19); maintenance builds them (grantRewrite).
    data.lake.grantRollupCoverage(f.segments);
    for (const name of ['campaigns', 'trigger'] as const) this.scheduler.grantManageSchedules(f[name]);
    // Launching a campaign whose first wave is due now invokes the trigger instead of scheduling it.
    this.scheduler.grantInvokeTrigger(f.campaigns);
    // A wave too long for one invocation hands the rest to a new one (its continuation).
    this.scheduler.grantInvokeTrigger(f.trigger);
    // Both callers invoke the trigger asynchronously: failed waves go to a queue, not nowhere.
    const triggerFailures = this.scheduler.routeTriggerFailures(f.trigger);
    for (const name of ['trigger', 'sender', 'automations'] as const) this.sendQueue.grantSend(f[name]);
    // Automated campaigns: the per-minute sweep and the daily inactivity run (EventBridge rules, as for maintenance).
    const automations = (this.automationSchedules = new AutomationSchedules(this, 'AutomationSchedules', { fn: f.automations }));

    push.grantRegisterDevices(f.devices);
    push.grantDeleteEndpoints(f.devices);
    push.grantDeleteEndpoints(f.maintenance);
    // Lake maintenance: compaction and erasure rewrite the lake's objects; deletion and erasure requests enqueue jobs.
    data.lake.grantRewrite(f.maintenance);
    const maintenance = new LakeMaintenanceJobs(this, 'MaintenanceJobs', { fn: f.maintenance });
    maintenance.grantEnqueue(f.devices);
    maintenance.grantEnqueue(f.settings);
    push.grantPublish(f.sender);
    // Test sends (POST /v1/campaigns/{id}/test) publish to a few endpoints from the API function itself.
    push.grantPublish(f.campaigns);
    push.grantManageTenantApps(f.settings);

    f.sender.fn.addEventSource(
      new SqsEventSource(this.sendQueue.queue, {
        batchSize: SENDER_BATCH_SIZE,
        // More than 10 messages per batch needs a batching window.
        maxBatchingWindow: Duration.seconds(1),
        reportBatchItemFailures: true,
        // The account-wide send ceiling: ⌊maxSendsPerSecond / 400 devices/s per sender⌋ senders at once.
        maxConcurrency: this.sendQueue.senderMaxConcurrency,
      }),
    );

    const apiFunctions: Record<ApiFunction, ServiceFunction> = {
      devices: f.devices,
      events: f.events,
      segments: f.segments,
      campaigns: f.campaigns,
      settings: f.settings,
    };
    this.httpApi = new HttpApi(this, 'Http', {
      stage: config.stage,
      functions: apiFunctions,
      appKeyAuthorizer: f['app-key-authorizer'],
      auth: this.auth,
      corsOrigins: config.corsOrigins,
      throttle: { rateLimit: config.apiThrottleRate, burstLimit: config.apiThrottleBurst },
      logRetentionDays: config.logRetentionDays,
    });

    this.monitoring = new Monitoring(this, 'Monitoring', {
      stage: config.stage,
      metricsNamespace,
      alarmEmail: config.alarmEmail,
      api: this.httpApi.api,
      functions: Object.values(f),
      sender: f.sender,
      trigger: f.trigger,
      athenaReporters: [f.segments, f.trigger, f.automations],
      sendQueue: this.sendQueue.queue,
      deadLetterQueues: {
        Send: this.sendQueue.dlq,
        Scheduler: this.scheduler.dlq,
        TriggerFailures: triggerFailures,
        Maintenance: maintenance.dlq,
        AutomationSchedules: automations.dlq,
      },
      maintenance: f.maintenance,
      automations: f.automations,
    });

    // The web stack reads these at deploy time instead of importing exports (which would pin them).
    new ServiceRefs(this, 'Refs', { stage: config.stage, api: this.httpApi, auth: this.auth });

    new CfnOutput(this, 'ApiUrl', { value: this.httpApi.url });
    new CfnOutput(this, 'UserPoolId', { value: this.auth.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.auth.client.userPoolClientId });
    new CfnOutput(this, 'AuthDomainUrl', { value: this.auth.domainUrl });
  }
}

function pascal(s: string): string {
  return s.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase());
}
