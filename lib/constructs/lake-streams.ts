/**
 * Firehose delivery streams (Direct PUT) that turn the JSON rows the events/devices functions put
 * into Parquet in the lake: dynamic partitioning on tenant_id and the UTC day (JQ over the record),
 * record format conversion with the Glue table's schema, failures under errors/.
 *
 * Contract with the producers: each record is one JSON object with the table's columns (see
 * lake-schema.ts) plus `tenant_id` and `dt`; timestamps are ISO strings in UTC (`Z`).
 */
import { Duration, Size, Stack, Validations } from 'aws-cdk-lib';
import type * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ENV } from '../../lambdas/config/env';
import type { LakeTable } from '../../lambdas/domain/lake-schema';
import type { ServiceFunction } from './service-function';

export const FIREHOSE_PUT_ACTIONS = ['firehose:PutRecord', 'firehose:PutRecordBatch'];

/** The column whose UTC day is the `dt` partition of each table. */
export const DAY_SOURCE: Record<LakeTable, string> = { events: 'ts', devices: 'updated_at', deliveries: 'ts' };

/**
 * JQ (1.6) queries that pull the partition keys out of a record. The writer (firehose-event-lake.ts)
 * also puts `dt` = the UTC day of ts/updated_at (dayPartition), which is preferred because it copes
 * with any offset; the first 10 characters of the timestamp are the fallback for a UTC ISO string.
 */
export function partitionQueries(table: LakeTable): Record<string, string> {
  return { tenant_id: '.tenant_id', dt: `(.dt // .${DAY_SOURCE[table]}[0:10])` };
}

export function dataPrefix(table: LakeTable): string {
  return `${table}/tenant_id=!{partitionKeyFromQuery:tenant_id}/dt=!{partitionKeyFromQuery:dt}/`;
}

export function errorPrefix(table: LakeTable): string {
  return `errors/${table}/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/`;
}

/** Date#toISOString() first; ISO without millis and epoch millis accepted too. */
export const TIMESTAMP_FORMATS = ["yyyy-MM-dd'T'HH:mm:ss.SSSZ", "yyyy-MM-dd'T'HH:mm:ssZ"];

export interface LakeStreamsProps {
  bucket: s3.IBucket;
  tables: Record<LakeTable, glue.CfnTable>;
  /** How long Firehose buffers per partition before writing (≤ 5 minutes per API.md). */
  bufferingInterval?: Duration;
}

/** The variable a function granted PutRecordBatch on a table's stream finds the stream's name in. */
const STREAM_ENV: Record<LakeTable, string> = { events: ENV.eventsStream, devices: ENV.devicesStream, deliveries: ENV.deliveriesStream };

export class LakeStreams extends Construct {
  readonly streams: Record<LakeTable, firehose.DeliveryStream>;

  constructor(scope: Construct, id: string, props: LakeStreamsProps) {
    super(scope, id);
    const make = (table: LakeTable, cid: string) =>
      new firehose.DeliveryStream(this, cid, {
        encryption: firehose.StreamEncryption.awsOwnedKey(),
        destination: new firehose.S3Bucket(props.bucket, {
          dataOutputPrefix: dataPrefix(table),
          errorOutputPrefix: errorPrefix(table),
          // Format conversion needs a buffer of at least 64 MiB; the interval bounds freshness.
          bufferingSize: Size.mebibytes(128),
          bufferingInterval: props.bufferingInterval ?? Duration.seconds(120),
          dynamicPartitioning: { enabled: true, retryDuration: Duration.seconds(300) },
          processors: [firehose.MetadataExtractionProcessor.jq16(partitionQueries(table))],
          dataFormatConversion: {
            schemaConfiguration: firehose.SchemaConfiguration.fromCfnTable(props.tables[table]),
            inputFormat: new firehose.HiveJsonInputFormat({
              timestampParsers: [
                ...TIMESTAMP_FORMATS.map((f) => firehose.TimestampParser.fromFormatString(f)),
                firehose.TimestampParser.EPOCH_MILLIS,
              ],
            }),
            outputFormat: new firehose.ParquetOutputFormat({ compression: firehose.ParquetCompression.SNAPPY }),
          },
        }),
      });
    this.streams = { events: make('events', 'Events'), devices: make('devices', 'Devices'), deliveries: make('deliveries', 'Deliveries') };
    for (const stream of Object.values(this.streams)) acknowledgeDestinationRole(stream, props.bucket);
    // The L2 adds a stack-level mapping of Firehose CIDR blocks (used only by Redshift/Splunk
    // destinations); CloudFormation's validator reports it on the stack, the narrowest scope it has.
    Validations.of(Stack.of(this)).acknowledge({
      id: 'CloudFormation-Validate::W7001',
      reason: 'Unused mapping awscdkawskinesisfirehoseCidrBlocks added by the Firehose L2; harmless with S3 destinations.',
    });
  }

  /** PutRecord/PutRecordBatch on one stream; sets its env var. */
  grantPut(fn: ServiceFunction, table: LakeTable): void {
    const stream = this.streams[table];
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: FIREHOSE_PUT_ACTIONS, resources: [stream.deliveryStreamArn] }));
    fn.addEnvironment(STREAM_ENV[table], stream.deliveryStreamName);
  }
}

/**
 * The L2 S3 destination grants its role bucket.grantReadWrite (wildcarded S3 actions on the lake
 * bucket and its objects) and glue:GetSchemaVersion on * (schema-registry versions have no ARN to
 * scope to). Firehose must write/list/abort multipart uploads anywhere under the dynamic prefixes.
 */
function acknowledgeDestinationRole(stream: firehose.DeliveryStream, bucket: s3.IBucket): void {
  const role = stream.node.tryFindChild('S3 Destination Role');
  if (!role) throw new Error('Firehose L2 no longer creates "S3 Destination Role": revisit the acknowledgements');
  const cfnBucket = bucket.node.defaultChild as s3.CfnBucket;
  const bucketId = Stack.of(bucket).getLogicalId(cfnBucket);
  const reason =
    'Firehose delivery role generated by the CDK S3 destination: read/write on the lake bucket only, ' +
    'objects under dynamic tenant/day prefixes; glue:GetSchemaVersion has no resource-level scoping.';
  for (const id of [
    'Action::s3:Abort*',
    'Action::s3:DeleteObject*',
    'Action::s3:GetBucket*',
    'Action::s3:GetObject*',
    'Action::s3:List*',
    `Resource::<${bucketId}.Arn>/*`,
    'Resource::*',
  ]) {
    Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[${id}]`, reason });
  }
}
