/**
 * The local world's composition root: dynalite under <dataDir>/dynamo, the lake under <dataDir>/lake,
 * DuckDB over it, the persisted local scheduler and queue, the recording push gateway, and the HTTP
 * gateway calling the same handlers as the Lambdas.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Context, SQSEvent } from 'aws-lambda';
import { promises as fs } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DELIVERIES_TABLE, RECORDS_TABLE } from '../config/tables';
import { DynamoAutomationStore } from '../adapters/dynamo/automation-store';
import { DynamoCampaignStore } from '../adapters/dynamo/campaign-store';
import { DynamoDeliveryLedger } from '../adapters/dynamo/delivery-ledger';
import { DynamoDeviceStore } from '../adapters/dynamo/device-store';
import { DynamoErasureStore } from '../adapters/dynamo/erasure-store';
import { ensureTables } from '../adapters/dynamo/ensure-tables';
import { DynamoEstimateStore } from '../adapters/dynamo/estimate-store';
import { DynamoFrequencyCapStore } from '../adapters/dynamo/frequency-cap-store';
import { DynamoInsightsCache } from '../adapters/dynamo/insights-cache';
import { DynamoPushAppStore } from '../adapters/dynamo/push-app-store';
import { DynamoSegmentStore } from '../adapters/dynamo/segment-store';
import { DynamoSettingsStore } from '../adapters/dynamo/settings-store';
import { DynamoTable } from '../adapters/dynamo/table';
import { DynamoTenantStore } from '../adapters/dynamo/tenant-store';
import { DuckDbQueryEngine } from '../adapters/local/duckdb-query-engine';
import { startDynalite } from '../adapters/local/dynalite-server';
import { Hs256TokenIssuer } from '../adapters/local/hs256-tokens';
import { createHttpGateway, type GatewayRoute } from '../adapters/local/http-gateway';
import { LocalLake } from '../adapters/local/local-lake';
import { LocalLakeMaintenance } from '../adapters/local/local-lake-maintenance';
import { LocalRollups } from '../adapters/local/local-rollups';
import { LocalMaintenanceJobs } from '../adapters/local/local-maintenance-jobs';
import { LocalScheduler } from '../adapters/local/local-scheduler';
import { LocalSendQueue, type LocalQueueOptions } from '../adapters/local/local-send-queue';
import { localPushAppProvisioner } from '../adapters/local/local-push-app-provisioner';
import { noEndpoints } from '../adapters/local/no-endpoints';
import { OutboxPushGateway } from '../adapters/local/outbox-push-gateway';
import { appKeyAuthorizerHandler } from '../handlers/app-key-authorizer';
import { apiFunctions } from '../handlers/api-functions';
import { MAX_BODY_BYTES } from '../handlers/http/http-api';
import { logger } from '../logging/logger';
import { LOCAL_ROUTES, localHandler } from '../handlers/local';
import { ROUTES } from '../domain/http/routes';
import { openApiDocument } from '../domain/openapi/document';
import { systemClock, type Clock } from '../ports/clock';
import { noMetrics } from '../ports/metrics';
import type { ServiceDeps } from '../ports/service-deps';
import { parseSendBatch } from '../adapters/aws/sqs-send-queue';
import { senderHandler } from '../handlers/sender';
import { triggerHandler } from '../handlers/trigger';
import { runMaintenanceJob } from '../handlers/maintenance';
import { automationsHandler } from '../handlers/automations';
import { PollingLoop } from '../adapters/local/persisted-loop';
import { compactTenant } from '../use-cases/lake/compact-lake';
import type { SendBatch } from '../ports/send-queue';

export interface LocalWorldOptions {
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  host?: string;
  clock?: Clock;
  staticDir?: string;
  /** How often the lake is compacted (NDJSON appends into Parquet, duplicates out) (ms); 0 turns it off. */
  compactEveryMs?: number;
  /** How often a compaction also drops superseded device snapshots (ms). */
  supersedeEveryMs?: number;
  queue?: LocalQueueOptions;
  /** Lease of a sender on a device, and of the scheduler on a firing wave (crash recovery waits this long). */
  leaseMs?: number;
  /** Serve the API but run no scheduler or senders (the seed script, benchmarks of one part). */
  workers?: boolean;
  /** How often automations' due devices are swept to the send queue (ms; default 1 s: a due device goes within ~1 s + the queue); 0 turns it off. */
  automationSweepMs?: number;
  /** How often inactivity triggers are evaluated (ms; default 5 min; AWS: daily); 0 turns it off. */
  inactivityEveryMs?: number;
  /**
   * Device-day rollups: maintenance rolls closed days up and estimates read them (exact, issue 19;
   * docs/benchmarks.md). On by default; `false` makes estimates read raw events only.
   */
  rollups?: boolean;
  openApi?: () => unknown;
}

export interface LocalWorld {
  url: string;
  port: number;
  deps: ServiceDeps;
  engine: DuckDbQueryEngine;
  lake: LocalLake;
  tokens: Hs256TokenIssuer;
  gateway: OutboxPushGateway;
  queue: LocalSendQueue;
  scheduler: LocalScheduler;
  maintenanceJobs: LocalMaintenanceJobs;
  /** Compact every tenant's lake now (the same jobs the loop runs) and wait for it. */
  compact(options?: { dropSuperseded?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

/** Everything but the HTTP server and the loops: used by the server, the seed script and benchmarks. */
export async function openLocalDeps(
  dataDir: string,
  clock: Clock = systemClock,
  options: Pick<LocalWorldOptions, 'queue' | 'leaseMs' | 'rollups'> = {},
) {
  // The SDK warns that its future releases need Node 22; this world runs on Node 20 on purpose.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  await fs.mkdir(dataDir, { recursive: true });
  const dynalite = await startDynalite(path.join(dataDir, 'dynamo'));
  const raw = new DynamoDBClient({
    endpoint: dynalite.endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 5,
  });
  await ensureTables(raw, [
    { def: RECORDS_TABLE, name: RECORDS_TABLE.logicalName },
    { def: DELIVERIES_TABLE, name: DELIVERIES_TABLE.logicalName },
  ]);
  const doc = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  const records = new DynamoTable(doc, RECORDS_TABLE.logicalName);
  const deliveries = new DynamoTable(doc, DELIVERIES_TABLE.logicalName);
  const lake = new LocalLake(path.join(dataDir, 'lake'));
  const engine = await DuckDbQueryEngine.open(lake, { resultsDir: path.join(dataDir, 'results') });
  const tokens = new Hs256TokenIssuer(await localSecret(dataDir));
  const log = (msg: string, extra?: unknown) => logger.warn(msg, { detail: extra as any });
  const scheduler = new LocalScheduler(records, { leaseMs: options.leaseMs }, log, clock);
  const queue = new LocalSendQueue(
    records,
    { ...(options.leaseMs ? { visibilityTimeoutMs: options.leaseMs } : {}), ...options.queue },
    log,
    clock,
  );
  const gateway = new OutboxPushGateway(path.join(dataDir, 'outbox'));
  const maintenanceJobs = new LocalMaintenanceJobs({}, log);
  const deps: ServiceDeps = {
    clock,
    tenants: new DynamoTenantStore(records),
    devices: new DynamoDeviceStore(records),
    lake,
    endpoints: noEndpoints,
    queryEngine: engine,
    segments: new DynamoSegmentStore(records),
    estimates: new DynamoEstimateStore(records),
    insightsCache: new DynamoInsightsCache(records),
    campaigns: new DynamoCampaignStore(records),
    automations: new DynamoAutomationStore(records),
    settings: new DynamoSettingsStore(records),
    scheduler,
    triggers: scheduler,
    queue,
    gateway,
    ledger: new DynamoDeliveryLedger(deliveries),
    caps: new DynamoFrequencyCapStore(deliveries),
    pushApps: new DynamoPushAppStore(records),
    pushProvisioner: localPushAppProvisioner,
    apnsSandbox: false,
    metrics: noMetrics,
    maintenance: new LocalLakeMaintenance(lake, engine),
    ...(options.rollups !== false ? { rollups: new LocalRollups(lake, engine) } : {}),
    maintenanceJobs,
    erasures: new DynamoErasureStore(records),
    settleMs: 0, // local appends are in the lake when they are acknowledged
  };
  const close = async () => {
    await maintenanceJobs.stop();
    await scheduler.stop();
    await queue.stop();
    engine.close();
    raw.destroy();
    await dynalite.close();
  };
  return { deps, lake, engine, tokens, records, scheduler, queue, gateway, maintenanceJobs, close };
}

/** Start the whole local world and serve HTTP. */
export async function startLocalWorld(options: LocalWorldOptions): Promise<LocalWorld> {
  const opened = await openLocalDeps(options.dataDir, options.clock, options);
  const { deps, engine, tokens, scheduler, queue, gateway, maintenanceJobs } = opened;
  const functions = apiFunctions(deps);
  const authorizer = appKeyAuthorizerHandler(deps);
  const local = localHandler({ ...deps, tokens, outbox: gateway, openApi: options.openApi ?? openApiDocument });
  const routes: GatewayRoute[] = [
    ...LOCAL_ROUTES.map((r) => ({ ...r, handler: local })),
    ...ROUTES.map((r) => ({ ...r, handler: functions[r.fn] })),
  ];
  const server = createHttpGateway({
    routes,
    maxBodyBytes: MAX_BODY_BYTES,
    staticDir: options.staticDir,
    verifyMerchant: (t) => tokens.verify(t),
    authorizeDevice: async (headers, routeKey) =>
      authorizer({ type: 'REQUEST', routeKey, headers } as any, {} as any) as Promise<{
        isAuthorized: boolean;
        context: Record<string, unknown>;
      }>,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  if (options.workers !== false) {
    // The same use cases the trigger and sender Lambdas run, driven by the local scheduler and queue.
    // The trigger and sender Lambdas' own handlers, given the event shapes AWS gives them: the
    // schedule's Input, and an SQS batch whose failures come back as batchItemFailures.
    const trigger = triggerHandler(deps);
    scheduler.run(async (t) => {
      await trigger(t, lambdaContext('trigger'));
    });
    // The sender's device leases follow leaseMs too: a crashed sender's claims must expire before the
    // queue's redeliveries of its batch run out (else the batch is dead-lettered and the campaign never ends).
    // Read through to `deps` (not a copy), so ports swapped after start (benchmark probes) are the ones used.
    const sender = senderHandler(
      options.leaseMs ? Object.assign(Object.create(deps) as ServiceDeps, { leaseMs: options.leaseMs }) : deps,
      parseSendBatch,
    );
    queue.consume(async (b) => {
      const out = await sender(sqsEventOf(b), lambdaContext('sender'));
      if (out.batchItemFailures.length > 0) throw new Error('the sender reported the batch for redelivery');
    });
  }
  // Lake maintenance: the maintenance Lambda's jobs on the local job runner. Compaction every
  // compactEveryMs (today's partitions too: locally every append is a small NDJSON file); superseded
  // device snapshots dropped every supersedeEveryMs; erasures a previous run left running resume.
  const workers = options.workers !== false;
  const compactEvery = options.compactEveryMs ?? 15000;
  const supersedeEvery = options.supersedeEveryMs ?? 3_600_000;
  let lastSupersede = 0;
  const enqueueCompaction = async (dropSuperseded: boolean) => {
    const tenants = await deps.maintenance.tenants();
    await maintenanceJobs.enqueue(
      tenants.map((tenantId) => ({ kind: 'compact' as const, tenantId, ...(dropSuperseded ? { dropSuperseded } : {}) })),
    );
  };
  if (workers) {
    maintenanceJobs.consume((job, lastAttempt) => runMaintenanceJob(deps, job, lastAttempt));
    const running = await deps.erasures.running();
    await maintenanceJobs.enqueue(running.map((e) => ({ kind: 'erase' as const, tenantId: e.tenantId, erasureId: e.id })));
  }
  const compactTick = () => {
    const now = Date.now();
    const dropSuperseded = now - lastSupersede >= supersedeEvery;
    if (dropSuperseded) lastSupersede = now;
    enqueueCompaction(dropSuperseded).catch((err) => logger.warn('could not plan a lake compaction', { error: (err as Error).message }));
  };
  const timer = workers && compactEvery > 0 ? setInterval(compactTick, compactEvery) : undefined;
  // Automations: the automations Lambda's handler, given the scheduled inputs its EventBridge rules give it.
  const automations = automationsHandler(deps);
  const sweepEvery = options.automationSweepMs ?? 1000;
  const inactivityEvery = options.inactivityEveryMs ?? 300_000;
  let lastInactivity = 0;
  const automationLoop =
    workers && sweepEvery > 0
      ? new PollingLoop(
          sweepEvery,
          async () => {
            await automations({ kind: 'sweep' }, lambdaContext('automations'));
            if (inactivityEvery > 0 && Date.now() - lastInactivity >= inactivityEvery) {
              lastInactivity = Date.now();
              await automations({ kind: 'inactivity' }, lambdaContext('automations'));
            }
          },
          (err) => logger.warn('automations run failed', { error: (err as Error).message }),
        )
      : undefined;
  automationLoop?.start();
  const compact = async (opts: { dropSuperseded?: boolean } = {}) => {
    if (workers) {
      await enqueueCompaction(opts.dropSuperseded ?? false);
      await maintenanceJobs.idle();
      return;
    }
    for (const tenantId of await deps.maintenance.tenants()) await compactTenant(deps, tenantId, opts);
  };

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    deps,
    engine,
    lake: opened.lake,
    tokens,
    gateway,
    queue,
    scheduler,
    maintenanceJobs,
    compact,
    stop: async () => {
      if (timer) clearInterval(timer);
      await automationLoop?.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await opened.close();
    },
  };
}

/** The SQS event the sender Lambda receives for one message. */
function sqsEventOf(batch: SendBatch): SQSEvent {
  const body = JSON.stringify(batch);
  return {
    Records: [
      {
        messageId: batch.batchId,
        receiptHandle: batch.batchId,
        body,
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: String(Date.now()),
          SenderId: 'local',
          ApproximateFirstReceiveTimestamp: String(Date.now()),
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:local:000000000000:send',
        awsRegion: 'local',
      },
    ],
  };
}

/** A Lambda context for handlers run in-process. */
function lambdaContext(functionName: string): Context {
  return {
    awsRequestId: randomUUID(),
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    logGroupName: `/local/${functionName}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 600_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** The local JWT secret, made once and kept so tokens survive restarts. */
async function localSecret(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'local-jwt-secret');
  try {
    return (await fs.readFile(file, 'utf8')).trim();
  } catch (err) {
    // Only a missing file means "first start": an unreadable one must not be replaced, which would void every token.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    const secret = randomBytes(32).toString('base64url');
    await fs.writeFile(file, secret, { mode: 0o600 });
    return secret;
  }
}
