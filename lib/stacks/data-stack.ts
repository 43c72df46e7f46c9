/**
 * Stateful resources: the DynamoDB tables, the event lake (bucket, Glue catalog, Firehose streams
 * that fill it) and the Athena workgroup with its results bucket. Everything that holds data is
 * retained when the stack goes away.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { AppConfig } from '../config';
import { AthenaWorkgroup } from '../constructs/athena-workgroup';
import { DataTables } from '../constructs/data-tables';
import { Lake } from '../constructs/lake';
import { accessLogBucket } from '../constructs/private-bucket';
import { LakeStreams } from '../constructs/lake-streams';

export interface DataStackProps extends StackProps {
  config: AppConfig;
}

export class DataStack extends Stack {
  readonly tables: DataTables;
  readonly lake: Lake;
  readonly streams: LakeStreams;
  readonly athena: AthenaWorkgroup;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { config } = props;

    const accessLogs = accessLogBucket(this, 'AccessLogsBucket', {
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      expiryRuleId: 'expire-access-logs',
      nagReason: 'This is the server-access-log target of the lake and results buckets; logging it to itself would loop.',
    });

    this.tables = new DataTables(this, 'Tables');
    // For the platform team's scripts (scripts/issue-app-key.ts takes it as --table).
    new CfnOutput(this, 'RecordsTableName', { value: this.tables.table('records').tableName });
    this.lake = new Lake(this, 'Lake', {
      stage: config.stage,
      retentionDays: config.lakeRetentionDays,
      accessLogsBucket: accessLogs,
    });
    this.streams = new LakeStreams(this, 'Streams', {
      bucket: this.lake.bucket,
      tables: this.lake.tables,
      shards: config.lakeStreamShards,
    });
    this.athena = new AthenaWorkgroup(this, 'Athena', {
      stage: config.stage,
      bytesScannedCutoffPerQuery: config.athenaBytesScannedCutoff,
      accessLogsBucket: accessLogs,
    });
  }
}
