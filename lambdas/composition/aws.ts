/**
 * The AWS world's composition root: SDK clients and adapters, built lazily so each Lambda creates
 * only what it uses (and needs only the environment of the resources it was granted).
 */
import { AthenaClient } from '@aws-sdk/client-athena';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Metrics as PowertoolsMetrics } from '@aws-lambda-powertools/metrics';
import { AthenaQueryEngine } from '../adapters/aws/athena-query-engine';
import { DynamoAutomationStore } from '../adapters/dynamo/automation-store';
import { DynamoCampaignStore } from '../adapters/dynamo/campaign-store';
import { DynamoDeliveryLedger } from '../adapters/dynamo/delivery-ledger';
import { DynamoDeviceStore } from '../adapters/dynamo/device-store';
import { DynamoErasureStore } from '../adapters/dynamo/erasure-store';
import { DynamoLease } from '../adapters/dynamo/lease';
import { DynamoEstimateStore } from '../adapters/dynamo/estimate-store';
import { DynamoFrequencyCapStore } from '../adapters/dynamo/frequency-cap-store';
import { DynamoInsightsCache } from '../adapters/dynamo/insights-cache';
import { DynamoPushAppStore } from '../adapters/dynamo/push-app-store';
import { DynamoSegmentStore } from '../adapters/dynamo/segment-store';
import { DynamoSettingsStore } from '../adapters/dynamo/settings-store';
import { DynamoTable } from '../adapters/dynamo/table';
import { DynamoTenantStore } from '../adapters/dynamo/tenant-store';
import { EventBridgeScheduler } from '../adapters/aws/eventbridge-scheduler';
import { FirehoseEventLake } from '../adapters/aws/firehose-event-lake';
import { LambdaTriggerInvoker } from '../adapters/aws/lambda-trigger-invoker';
import { PowertoolsMetricsAdapter } from '../adapters/aws/powertools-metrics';
import { countingQueryFailures } from '../adapters/aws/query-failure-metrics';
import { SecretsManagerVault } from '../adapters/aws/secrets-manager-vault';
import { SnsEndpointRegistry } from '../adapters/aws/sns-endpoint-registry';
import { SnsPushAppProvisioner } from '../adapters/aws/sns-push-app-provisioner';
import { SnsPushGateway } from '../adapters/aws/sns-push-gateway';
import { SqsSendQueue } from '../adapters/aws/sqs-send-queue';
import { S3AthenaLakeMaintenance } from '../adapters/aws/s3-athena-lake-maintenance';
import { S3AthenaRollups } from '../adapters/aws/s3-athena-rollups';
import { SqsMaintenanceJobs } from '../adapters/aws/sqs-maintenance-jobs';
import { config, required } from '../config/config';
import { traced } from '../logging/tracer';
import { ENV } from '../config/env';
import { AWS_FRESHNESS, EVENTS_MARK_INTERVAL_MS } from '../domain/insights/freshness';
import { snsPlatformOfArn } from '../domain/push-apps';
import { systemClock } from '../ports/clock';
import type { ServiceDeps } from '../ports/service-deps';

/** Memoise a factory. */
function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

const doc = once(() => DynamoDBDocumentClient.from(traced(new DynamoDBClient({})), { marshallOptions: { removeUndefinedValues: true } }));
const records = once(() => new DynamoTable(doc(), required(ENV.recordsTable)));
const deliveries = once(() => new DynamoTable(doc(), required(ENV.deliveriesTable)));
const sns = once(() => traced(new SNSClient({})));
const sqs = once(() => traced(new SQSClient({})));
const s3 = once(() => traced(new S3Client({})));
/**
 * The sender's Publish client, and the only retry layer of a push: the SDK's adaptive mode retries
 * throttles and 5xx with backoff and, once SNS throttles, rate-limits this client's next calls;
 * 3 attempts bound it. A push still failing then goes back to the queue (TransientPushError), so
 * one device sees at most 3 × the queue's maxReceiveCount Publish calls (docs/deploy.md). A client
 * of its own: adaptive mode paces per client, and the Publish quota is the resource it paces.
 */
export const SNS_PUBLISH_CLIENT_CONFIG = { retryMode: 'adaptive', maxAttempts: 3 } as const;
const snsPublish = once(() => traced(new SNSClient(SNS_PUBLISH_CLIENT_CONFIG)));
const pushAppStore = once(() => new DynamoPushAppStore(records()));
const scheduler = once(
  () =>
    new EventBridgeScheduler({
      client: traced(new SchedulerClient({})),
      groupName: required(ENV.schedulerGroup),
      targetArn: required(ENV.triggerFunctionArn),
      roleArn: required(ENV.schedulerRoleArn),
      dlqArn: required(ENV.schedulerDlqArn),
    }),
);

/** An Athena engine on the function's workgroup; QUERY_TIMEOUT_MS (set by CDK below the function's timeout) bounds each query, the engine stops it then. */
const athenaEngine = () =>
  new AthenaQueryEngine({
    client: traced(new AthenaClient({})),
    workgroup: required(ENV.athenaWorkgroup),
    database: required(ENV.athenaDatabase),
    timeoutMs: Number(config()[ENV.queryTimeoutMs] ?? 0) || undefined,
  });

/** One Powertools metrics instance per function (namespace and service from the environment CDK sets). */
export const powertoolsMetrics = new PowertoolsMetrics();
const metrics = new PowertoolsMetricsAdapter(powertoolsMetrics);

const lakeMaintenance = once(
  () =>
    new S3AthenaLakeMaintenance({
      s3: s3(),
      // Its own engine (UNLOAD answers no rows, and its failures are the maintenance alarms' business).
      athena: athenaEngine(),
      bucket: required(ENV.lakeBucket),
      // Longer than the maintenance function may run: a holder that died frees the tenant then.
      lease: new DynamoLease(records(), 16 * 60_000),
    }),
);

const lazy: { [K in keyof ServiceDeps]?: () => ServiceDeps[K] } = {
  tenants: once(() => new DynamoTenantStore(records())),
  devices: once(() => new DynamoDeviceStore(records())),
  lake: once(
    () =>
      new FirehoseEventLake({
        client: traced(new FirehoseClient({})),
        eventsStream: config()[ENV.eventsStream] ?? '',
        devicesStream: config()[ENV.devicesStream] ?? '',
        deliveriesStream: config()[ENV.deliveriesStream] ?? '',
      }),
  ),
  endpoints: once(
    () =>
      new SnsEndpointRegistry({
        client: sns(),
        platformApplicationArns: { ios: required(ENV.apnsPlatformAppArn), android: required(ENV.fcmPlatformAppArn) },
        tenantApplication: async (tenantId, platform) => (await pushAppStore().get(tenantId, platform))?.platformApplicationArn ?? null,
      }),
  ),
  pushApps: pushAppStore,
  pushProvisioner: once(
    () =>
      new SnsPushAppProvisioner({
        client: sns(),
        vault: new SecretsManagerVault({ client: traced(new SecretsManagerClient({})) }),
        appArnPrefix: required(ENV.pushAppArnPrefix),
        appNamePrefix: required(ENV.pushAppNamePrefix),
        secretPrefix: required(ENV.pushSecretPrefix),
        feedbackRoleArn: config()[ENV.pushFeedbackRoleArn],
        defaults: { ios: config()[ENV.apnsPlatformAppArn] ?? null, android: config()[ENV.fcmPlatformAppArn] ?? null },
      }),
  ),
  queryEngine: once(() => countingQueryFailures(athenaEngine(), metrics)),
  segments: once(() => new DynamoSegmentStore(records())),
  estimates: once(() => new DynamoEstimateStore(records())),
  // A container writes a tenant's events mark at most once a minute (docs/deploy.md "Insights freshness").
  insightsCache: once(() => new DynamoInsightsCache(records(), EVENTS_MARK_INTERVAL_MS)),
  campaigns: once(() => new DynamoCampaignStore(records())),
  automations: once(() => new DynamoAutomationStore(records())),
  settings: once(() => new DynamoSettingsStore(records())),
  scheduler,
  triggers: once(() => new LambdaTriggerInvoker(traced(new LambdaClient({})), required(ENV.triggerFunctionArn))),
  queue: once(() => new SqsSendQueue({ client: sqs(), queueUrl: required(ENV.sendQueueUrl) })),
  gateway: once(() => new SnsPushGateway({ client: snsPublish() })),
  ledger: once(() => new DynamoDeliveryLedger(deliveries())),
  caps: once(() => new DynamoFrequencyCapStore(deliveries())),
  maintenance: lakeMaintenance,
  // Functions that query the lake know its bucket: estimates read rolled days (coverage from the listing); maintenance builds them.
  rollups: once(() =>
    config()[ENV.lakeBucket]
      ? new S3AthenaRollups({ s3: s3(), bucket: required(ENV.lakeBucket), clock: systemClock, maintenance: lakeMaintenance })
      : undefined,
  ),
  maintenanceJobs: once(() => new SqsMaintenanceJobs(sqs(), required(ENV.maintenanceQueueUrl))),
  erasures: once(() => new DynamoErasureStore(records())),
};

/** The ports of the AWS world; each is built on first use. */
export function awsDeps(): ServiceDeps {
  const maxPerSecond = config()[ENV.maxSendsPerSecond];
  const deps = {
    clock: systemClock,
    apnsSandbox: snsPlatformOfArn(config()[ENV.apnsPlatformAppArn] ?? '') === 'APNS_SANDBOX',
    metrics,
    sendCeilingPerMinute: maxPerSecond ? Number(maxPerSecond) * 60 : null,
    settleMs: Number(config()[ENV.erasureSettleMs] ?? 0),
    lakeRetentionDays: config()[ENV.lakeRetentionDays] ? Number(config()[ENV.lakeRetentionDays]) : undefined,
    // Firehose's buffer (LAKE_BUFFER_SECONDS, as lib/constructs/lake-streams.ts sets it) × 1.5; floor 60 s, TTL 5 min.
    lakeVisibilityMs: AWS_FRESHNESS.lakeVisibilityMs,
    insightsRefreshFloorMs: AWS_FRESHNESS.refreshFloorMs,
    insightsTtlMs: AWS_FRESHNESS.ttlMs,
  } as Partial<ServiceDeps>;
  for (const [name, make] of Object.entries(lazy)) {
    Object.defineProperty(deps, name, { get: make, enumerable: true });
  }
  return deps as ServiceDeps;
}
