/**
 * Environment variable names, shared by the Lambda configuration parser (config.ts) and the CDK
 * constructs that set them (lib/). A construct that grants access to a resource sets its variable.
 */
export const ENV = {
  recordsTable: 'RECORDS_TABLE',
  deliveriesTable: 'DELIVERIES_TABLE',
  eventsStream: 'EVENTS_FIREHOSE_STREAM',
  devicesStream: 'DEVICES_FIREHOSE_STREAM',
  athenaWorkgroup: 'ATHENA_WORKGROUP',
  athenaDatabase: 'ATHENA_DATABASE',
  sendQueueUrl: 'SEND_QUEUE_URL',
  schedulerGroup: 'SCHEDULER_GROUP',
  schedulerRoleArn: 'SCHEDULER_ROLE_ARN',
  schedulerDlqArn: 'SCHEDULER_DLQ_ARN',
  triggerFunctionArn: 'TRIGGER_FUNCTION_ARN',
  apnsPlatformAppArn: 'APNS_PLATFORM_APPLICATION_ARN',
  apnsSandbox: 'APNS_SANDBOX',
  fcmPlatformAppArn: 'FCM_PLATFORM_APPLICATION_ARN',
  stage: 'STAGE',
  powertoolsService: 'POWERTOOLS_SERVICE_NAME',
  powertoolsNamespace: 'POWERTOOLS_METRICS_NAMESPACE',
} as const;

export type EnvName = (typeof ENV)[keyof typeof ENV];
