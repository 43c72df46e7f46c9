/**
 * The event lake: one S3 bucket holding Parquet under <table>/tenant_id=<t>/dt=<yyyy-MM-dd>/, and the
 * Glue database + tables (derived from lake-schema.ts) that Athena reads with partition projection,
 * so no crawler or MSCK REPAIR is ever needed.
 */
import { Aws, Duration, Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ENV } from '../../lambdas/config/env';
import {
  LAKE_TABLES,
  PARTITION_COLUMNS,
  DEVICE_COLUMNS,
  LATEST_TABLE,
  ROLLUP_BUILD_COLUMNS,
  ROLLUP_PARTITION_COLUMNS,
  ROLLUP_TABLE,
  type LakeColumn,
  type LakeTable,
} from '../../lambdas/domain/lake-schema';
import { acknowledgeWildcardResource } from '../nag';
import { privateBucket } from './private-bucket';
import type { ServiceFunction } from './service-function';

/** Oldest day partition projection enumerates; queries are always bounded by tenant and dt anyway. */
export const PROJECTION_START_DAY = '2024-01-01';
/**
 * Newest day partition projection enumerates. Events may be stamped up to 24 h in the future
 * (lambdas/domain/events/event.ts), so their dt partition can be tomorrow's (UTC): with `NOW` as the
 * end Athena would never read it. Athena's date range takes NOW[+|-]<n><UNIT> (e.g. NOW+1DAYS).
 */
export const PROJECTION_END = 'NOW+1DAYS';
export const LAKE_TABLE_NAMES = Object.keys(LAKE_TABLES) as LakeTable[];
/** The tables maintenance derives from the lake's (device-day rollups, latest registrations): only estimates read them. */
const DERIVED_TABLE_NAMES: string[] = [ROLLUP_TABLE, LATEST_TABLE];
/** Every table of the database. */
const QUERY_TABLE_NAMES: string[] = [...LAKE_TABLE_NAMES, ...DERIVED_TABLE_NAMES];

/** Where lake maintenance lists the objects it replaced until their removal (adapters/aws/s3-athena-lake-maintenance.ts). */
const PENDING_MANIFESTS = '_maintenance/pending/';
export const GLUE_READ_ACTIONS = ['glue:GetDatabase', 'glue:GetPartition', 'glue:GetPartitions', 'glue:GetTable'];
export const LAKE_READ_OBJECT_ACTIONS = ['s3:GetObject'];
export const LAKE_READ_BUCKET_ACTIONS = ['s3:GetBucketLocation', 's3:ListBucket'];

export interface LakeProps {
  stage: string;
  /** Events older than this are deleted by lifecycle (segments look back at most this far). */
  retentionDays: number;
  accessLogsBucket: s3.IBucket;
}

export class Lake extends Construct {
  readonly bucket: s3.Bucket;
  /**
   * Physical name built from pseudo parameters, so grants in other stacks need no export and
   * their ARNs read the same before and after synthesis (cdk-nag finding ids depend on it).
   *
   * Deliberately FIXED, although the bucket is retained: after `cdk destroy` the old bucket still
   * holds the name and a plain re-deploy fails ("already exists"). A deploy-time suffix (e.g. from
   * AWS::StackId, stable across updates, new after a destroy) would let the deploy pass, but the
   * Glue tables would then point at an empty new bucket while the history (segments look back up
   * to lakeRetentionDays) sits orphaned in the old one, and other stacks could no longer compute the
   * name without an export or a parameter. Losing the history silently is worse than a loud failure,
   * so the operator chooses: import the retained bucket (keeps the data) or delete it (starts over).
   * docs/deploy.md, "Re-deploying after `cdk destroy`".
   */
  readonly bucketName: string;
  readonly database: glue.CfnDatabase;
  readonly databaseName: string;
  readonly tables: Record<LakeTable, glue.CfnTable>;
  /** Device-day rollups (domain/lake/rollup-builds.ts): one prefix per build, partitions injected. */
  readonly rollupTable: glue.CfnTable;
  /** The latest registration of every device as of a closed day (domain/segments/rollups.ts), per build like the rollups. */
  readonly latestTable: glue.CfnTable;
  readonly retentionDays: number;

  constructor(scope: Construct, id: string, props: LakeProps) {
    super(scope, id);
    this.bucketName = `segpush-${props.stage}-lake-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
    this.retentionDays = props.retentionDays;
    this.bucket = privateBucket(this, 'Bucket', {
      bucketName: this.bucketName,
      versioned: false,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: 'lake/',
      lifecycleRules: [
        { id: 'events-retention', prefix: 'events/', expiration: Duration.days(props.retentionDays) },
        // Outcomes serve the cap (≤ 30 days back) and insights, which need the events of the same time.
        { id: 'deliveries-retention', prefix: 'deliveries/', expiration: Duration.days(props.retentionDays) },
        // No rule for devices/: a device's latest snapshot may be years old (an app not opened since),
        // and expiring it by age would silently drop the device from every audience. Snapshots are
        // small (≈ 100 bytes of Parquet each); only a compaction that keeps the latest per device may
        // delete the superseded ones.
        // Rollups are removed by maintenance with their day's events; this only catches a build left behind.
        { id: 'rollups-retention', prefix: `${ROLLUP_TABLE}/`, expiration: Duration.days(props.retentionDays + 7) },
        // The latest registrations are made again every day (as of yesterday): a build a week old is left behind.
        { id: 'latest-retention', prefix: `${LATEST_TABLE}/`, expiration: Duration.days(7) },
        { id: 'errors-retention', prefix: 'errors/', expiration: Duration.days(30) },
        // Staged UNLOAD output and removal manifests of lake maintenance: done with within hours.
        { id: 'maintenance-retention', prefix: '_maintenance/', expiration: Duration.days(7) },
        { id: 'abort-multipart', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });

    this.databaseName = `segmented_push_${props.stage.replace(/-/g, '_')}`;
    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: Stack.of(this).account,
      databaseInput: { name: this.databaseName, description: 'Segmented push event lake' },
    });

    this.tables = Object.fromEntries(LAKE_TABLE_NAMES.map((name) => [name, this.table(name, LAKE_TABLES[name])])) as Record<
      LakeTable,
      glue.CfnTable
    >;
    // Each build of a day in its own prefix, named by the query (build IN (...)): a build being written
    // or replaced is never read. Injected too, so a query that names no build fails instead of reading all.
    const perBuild = { 'projection.build.type': 'injected' };
    this.rollupTable = this.table(ROLLUP_TABLE, ROLLUP_BUILD_COLUMNS, ROLLUP_PARTITION_COLUMNS, perBuild);
    this.latestTable = this.table(LATEST_TABLE, DEVICE_COLUMNS, ROLLUP_PARTITION_COLUMNS, perBuild);
  }

  private table(
    name: string,
    columns: LakeColumn[],
    partitionKeys: LakeColumn[] = PARTITION_COLUMNS,
    projection: Record<string, string> = {
      'projection.dt.type': 'date',
      'projection.dt.format': 'yyyy-MM-dd',
      'projection.dt.range': `${PROJECTION_START_DAY},${PROJECTION_END}`,
      'projection.dt.interval': '1',
      'projection.dt.interval.unit': 'DAYS',
    },
  ): glue.CfnTable {
    const location = `s3://${this.bucket.bucketName}/${name}/`;
    const id = name.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());
    const t = new glue.CfnTable(this, `${id}Table`, {
      catalogId: Stack.of(this).account,
      databaseName: this.database.ref,
      tableInput: {
        name,
        tableType: 'EXTERNAL_TABLE',
        parameters: {
          classification: 'parquet',
          EXTERNAL: 'TRUE',
          'parquet.compression': 'SNAPPY',
          'projection.enabled': 'true',
          // Injected: every query must name its tenant (tenant_id = ?), which is also the isolation rule.
          'projection.tenant_id.type': 'injected',
          ...projection,
          'storage.location.template': `${location}${partitionKeys.map((k) => `${k.name}=\${${k.name}}/`).join('')}`,
        },
        partitionKeys: partitionKeys.map(glueColumn),
        storageDescriptor: {
          location,
          columns: columns.map(glueColumn),
          inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
          serdeInfo: {
            serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
            parameters: { 'serialization.format': '1' },
          },
          compressed: false,
          storedAsSubDirectories: false,
        },
      },
    });
    return t;
  }

  /** Glue ARNs a reader of these tables needs (catalog, database, the tables). */
  glueArns(tables: readonly string[] = LAKE_TABLE_NAMES): string[] {
    const stack = Stack.of(this);
    return [
      stack.formatArn({ service: 'glue', resource: 'catalog' }),
      stack.formatArn({ service: 'glue', resource: 'database', resourceName: this.databaseName }),
      ...tables.map((n) => stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${this.databaseName}/${n}` })),
    ];
  }

  /** Read the catalog and the lake's table data (for Athena queries); sets ATHENA_DATABASE. */
  grantQueryRead(fn: ServiceFunction, tables: readonly string[] = LAKE_TABLE_NAMES): void {
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: GLUE_READ_ACTIONS, resources: this.glueArns(tables) }));
    const bucketArn = `arn:${Aws.PARTITION}:s3:::${this.bucketName}`;
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: LAKE_READ_BUCKET_ACTIONS, resources: [bucketArn] }));
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: LAKE_READ_OBJECT_ACTIONS,
        resources: tables.map((n) => `${bucketArn}/${n}/*`),
      }),
    );
    for (const n of tables) {
      acknowledgeWildcardResource(
        fn.role,
        `${bucketArn}/${n}/*`,
        `Athena reads the Parquet files of the ${n} table, whose keys are created per tenant and day (or build) by Firehose or lake maintenance; read-only, limited to that table's prefix.`,
      );
    }
    fn.addEnvironment(ENV.athenaDatabase, this.databaseName);
  }

  /**
   * Estimates read rolled days from the device-day rollups and the latest registrations: the derived
   * tables (Glue and data), and their coverage from the bucket's listing and the removal manifests
   * (adapters/aws/s3-athena-rollups.ts). Sets LAKE_BUCKET. Needs grantQueryRead too (the listing).
   */
  grantRollupCoverage(fn: ServiceFunction): void {
    this.grantQueryRead(fn, DERIVED_TABLE_NAMES);
    const bucketArn = `arn:${Aws.PARTITION}:s3:::${this.bucketName}`;
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: LAKE_READ_OBJECT_ACTIONS, resources: [`${bucketArn}/${PENDING_MANIFESTS}*`] }));
    acknowledgeWildcardResource(
      fn.role,
      `${bucketArn}/${PENDING_MANIFESTS}*`,
      'Estimates read the lake maintenance removal manifests (lists of replaced object keys, named by run ids known only at run time); read-only.',
    );
    fn.addEnvironment(ENV.lakeBucket, this.bucketName);
  }

  /**
   * Rewrite the lake's objects (compaction, erasure): read, write and delete under the table prefixes,
   * the errors/ prefix listed only, and `_maintenance/` for UNLOAD staging (Athena writes it with the
   * caller's credentials) and removal manifests. Sets LAKE_BUCKET. Needs grantQueryRead too.
   */
  grantRewrite(fn: ServiceFunction): void {
    const bucketArn = `arn:${Aws.PARTITION}:s3:::${this.bucketName}`;
    const prefixes = [...QUERY_TABLE_NAMES.map((n) => `${n}/*`), '_maintenance/*'];
    fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: LAKE_REWRITE_OBJECT_ACTIONS, resources: prefixes.map((p) => `${bucketArn}/${p}`) }),
    );
    for (const n of DERIVED_TABLE_NAMES) {
      acknowledgeWildcardResource(
        fn.role,
        `${bucketArn}/${n}/*`,
        `Lake maintenance writes and removes the ${n} builds, one prefix per tenant and build (named by run ids known only at run time).`,
      );
    }
    acknowledgeWildcardResource(
      fn.role,
      `${bucketArn}/_maintenance/*`,
      'Lake maintenance stages UNLOAD output and removal manifests under _maintenance/, named by run ids known only at run time.',
    );
    fn.addEnvironment(ENV.lakeBucket, this.bucketName);
    // A rewrite makes new objects, whose lifecycle age starts again: retention by day is the maintenance's job.
    fn.addEnvironment(ENV.lakeRetentionDays, String(this.retentionDays));
  }
}

/** S3 actions of lake maintenance on the table prefixes and its own _maintenance/ prefix. */
export const LAKE_REWRITE_OBJECT_ACTIONS = [
  's3:GetObject',
  's3:PutObject',
  's3:DeleteObject',
  's3:AbortMultipartUpload',
  's3:ListMultipartUploadParts',
];

function glueColumn(c: LakeColumn): glue.CfnTable.ColumnProperty {
  return { name: c.name, type: c.type, comment: c.comment };
}
