/**
 * Environment variable names, shared by the Lambda configuration parser (config.ts) and the CDK
 * constructs that set them (lib/). A construct that grants access to a resource sets its variable.
 */
export const ENV = {
  recordsTable: 'RECORDS_TABLE',
  deliveriesTable: 'DELIVERIES_TABLE',
  /**
   * The Firehose streams of a lake table: a comma-separated list of stream names indexed by shard
   * (entry i carries the tenants with lakeShardOf(tenant, list length) = i; lambdas/domain/lake-shards.ts).
   */
  eventsStream: 'EVENTS_FIREHOSE_STREAM',
  devicesStream: 'DEVICES_FIREHOSE_STREAM',
  deliveriesStream: 'DELIVERIES_FIREHOSE_STREAM',
  athenaWorkgroup: 'ATHENA_WORKGROUP',
  athenaDatabase: 'ATHENA_DATABASE',
  /** How long the Athena engine waits for one query before stopping it: below the function's timeout. */
  queryTimeoutMs: 'QUERY_TIMEOUT_MS',
  sendQueueUrl: 'SEND_QUEUE_URL',
  /** The maintenance queue (compaction and erasure jobs). */
  maintenanceQueueUrl: 'MAINTENANCE_QUEUE_URL',
  /** The lake's bucket (the maintenance function rewrites its objects). */
  lakeBucket: 'LAKE_BUCKET',
  /** Days of events and deliveries the lake keeps (the maintenance function removes older day partitions). */
  lakeRetentionDays: 'LAKE_RETENTION_DAYS',
  /** How long rows accepted before an erasure may still take to reach the lake (Firehose's buffer, ms). */
  erasureSettleMs: 'ERASURE_SETTLE_MS',
  /** Account-wide ceiling on pushes a second (CDK `maxSendsPerSecond`); the trigger lowers a campaign's sendRate to it. */
  maxSendsPerSecond: 'MAX_SENDS_PER_SECOND',
  schedulerGroup: 'SCHEDULER_GROUP',
  schedulerRoleArn: 'SCHEDULER_ROLE_ARN',
  schedulerDlqArn: 'SCHEDULER_DLQ_ARN',
  triggerFunctionArn: 'TRIGGER_FUNCTION_ARN',
  apnsPlatformAppArn: 'APNS_PLATFORM_APPLICATION_ARN',
  fcmPlatformAppArn: 'FCM_PLATFORM_APPLICATION_ARN',
  /** Tenant push apps: `arn:…:sns:<region>:<account>:app/`, `segmented-push-<stage>-`, `segmented-push/<stage>/push/`. */
  pushAppArnPrefix: 'PUSH_APP_ARN_PREFIX',
  pushAppNamePrefix: 'PUSH_APP_NAME_PREFIX',
  pushSecretPrefix: 'PUSH_SECRET_PREFIX',
  /** The role SNS writes delivery-status logs of tenant apps with. */
  pushFeedbackRoleArn: 'PUSH_FEEDBACK_ROLE_ARN',
  stage: 'STAGE',
  powertoolsService: 'POWERTOOLS_SERVICE_NAME',
  powertoolsNamespace: 'POWERTOOLS_METRICS_NAMESPACE',
} as const;

export type EnvName = (typeof ENV)[keyof typeof ENV];
