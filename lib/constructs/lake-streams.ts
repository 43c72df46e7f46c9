/**
 * Firehose delivery streams (Direct PUT) that turn the JSON rows the events/devices functions put
 * into Parquet in the lake: dynamic partitioning on tenant_id and the UTC day (JQ over the record),
 * record format conversion with the Glue table's schema, failures under errors/.
 *
 * A stream holds at most 500 active partitions (tenant/day prefixes within one buffer window), so
 * each table has `shards` streams and a tenant always writes to the one lakeShardOf picks
 * (lambdas/domain/lake-shards.ts). All shards of a table write the same prefixes: the S3 layout,
 * the Glue tables and Athena's pruning by tenant and day do not depend on the shard.
 *
 * Contract with the producers: each record is one JSON object with the table's columns (see
 * lake-schema.ts) plus `tenant_id` and `dt`; timestamps are ISO strings in UTC (`Z`).
 */
import { Duration, Fn, Size, Stack, Validations } from 'aws-cdk-lib';
import type * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ENV } from '../../lambdas/config/env';
import { LAKE_BUFFER_SECONDS } from '../../lambdas/domain/lake-buffer';
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
  /** Streams per table (CDK `lakeStreamShards`, default 1): each takes 500 active partitions. */
  shards?: number;
}

/** The variable a function granted PutRecordBatch on a table's streams finds their names in (comma-separated, by shard). */
const STREAM_ENV: Record<LakeTable, string> = { events: ENV.eventsStream, devices: ENV.devicesStream, deliveries: ENV.deliveriesStream };

export class LakeStreams extends Construct {
  /** Each table's streams in shard order: index i carries the tenants with lakeShardOf(tenant, n) = i. */
  readonly streams: Record<LakeTable, firehose.DeliveryStream[]>;

  constructor(scope: Construct, id: string, props: LakeStreamsProps) {
    super(scope, id);
    const shards = props.shards ?? 1;
    if (!Number.isInteger(shards) || shards < 1) throw new Error(`LakeStreams: shards must be a positive integer, got ${shards}`);
    const make = (table: LakeTable, cid: string) =>
      new firehose.DeliveryStream(this, cid, {
        encryption: firehose.StreamEncryption.awsOwnedKey(),
        destination: new firehose.S3Bucket(props.bucket, {
          dataOutputPrefix: dataPrefix(table),
          errorOutputPrefix: errorPrefix(table),
          // Format conversion needs a buffer of at least 64 MiB; the interval bounds freshness.
          bufferingSize: Size.mebibytes(128),
          // One number (lambdas/domain/lake-buffer.ts) for the buffer and the insights' visibility delay derived from it.
          bufferingInterval: Duration.seconds(LAKE_BUFFER_SECONDS),
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
    // Shard 0 keeps the id of the single stream this construct used to make, so deploying shards
    // adds streams instead of replacing the existing one.
    const shardsOf = (table: LakeTable, base: string) =>
      Array.from({ length: shards }, (_, i) => make(table, i === 0 ? base : `${base}${i}`));
    this.streams = {
      events: shardsOf('events', 'Events'),
      devices: shardsOf('devices', 'Devices'),
      deliveries: shardsOf('deliveries', 'Deliveries'),
    };
    for (const stream of Object.values(this.streams).flat()) acknowledgeDestinationRole(stream, props.bucket);
    // The L2 adds a stack-level mapping of Firehose CIDR blocks (used only by Redshift/Splunk
    // destinations); CloudFormation's validator reports it on the stack, the narrowest scope it has.
    Validations.of(Stack.of(this)).acknowledge({
      id: 'CloudFormation-Validate::W7001',
      reason: 'Unused mapping awscdkawskinesisfirehoseCidrBlocks added by the Firehose L2; harmless with S3 destinations.',
    });
  }

  /** PutRecord/PutRecordBatch on every stream of a table; sets its env var to their names, comma-separated in shard order. */
  grantPut(fn: ServiceFunction, table: LakeTable): void {
    const streams = this.streams[table];
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: FIREHOSE_PUT_ACTIONS, resources: streams.map((s) => s.deliveryStreamArn) }));
    fn.addEnvironment(
      STREAM_ENV[table],
      Fn.join(
        ',',
        streams.map((s) => s.deliveryStreamName),
      ),
    );
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
