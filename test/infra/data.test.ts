/** Stateful resources: tables, lake bucket, Glue tables with projection, Firehose → Parquet, Athena. */
import { Match } from 'aws-cdk-lib/assertions';
import { TABLE_DEFINITIONS } from '../../lambdas/config/tables';
import { DEVICE_COLUMNS, EVENT_COLUMNS, PARTITION_COLUMNS } from '../../lambdas/domain/lake-schema';
import { build, logicalId } from './helpers';

const b = build({ lakeRetentionDays: 400, athenaBytesScannedCutoff: 5_000_000_000 });
const t = b.data_t;
const res = t.toJSON().Resources as Record<string, { Type: string; Properties: any; DeletionPolicy?: string; UpdateReplacePolicy?: string }>;

describe.each(TABLE_DEFINITIONS.map((d) => [d.logicalName, d] as const))('%s table', (name, def) => {
  const r = res[logicalId(b.data.tables.table(name))];
  test('retained, PITR, deletion protection, on-demand, TTL, keys', () => {
    expect(r.Type).toBe('AWS::DynamoDB::Table');
    expect(r.DeletionPolicy).toBe('Retain');
    expect(r.UpdateReplacePolicy).toBe('Retain');
    expect(r.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(r.Properties.DeletionProtectionEnabled).toBe(true);
    expect(r.Properties.BillingMode).toBe('PAY_PER_REQUEST');
    expect(r.Properties.TimeToLiveSpecification).toEqual({ AttributeName: def.ttlAttribute, Enabled: true });
    expect(r.Properties.KeySchema).toEqual([
      { AttributeName: def.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: def.sortKey.name, KeyType: 'RANGE' },
    ]);
  });
});

test('lake bucket: S3-managed encryption, public access blocked, SSL enforced, lifecycle', () => {
  const r = res[logicalId(b.data.lake.bucket)];
  expect(r.DeletionPolicy).toBe('Retain');
  expect(r.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
  expect(r.Properties.PublicAccessBlockConfiguration).toEqual({
    BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
  });
  expect(r.Properties.LifecycleConfiguration.Rules).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ Prefix: 'events/', ExpirationInDays: 400, Status: 'Enabled' }),
      expect.objectContaining({ Prefix: 'deliveries/', ExpirationInDays: 400, Status: 'Enabled' }),
    ]),
  );
  // A device's latest snapshot decides its audiences however old it is: nothing expires devices/ by age.
  const rules = r.Properties.LifecycleConfiguration.Rules as { Prefix?: string; ExpirationInDays?: number }[];
  expect(rules.filter((rule) => rule.ExpirationInDays !== undefined && (rule.Prefix === undefined || 'devices/'.startsWith(rule.Prefix)))).toEqual([]);
  t.hasResourceProperties('AWS::S3::BucketPolicy', {
    Bucket: { Ref: logicalId(b.data.lake.bucket) },
    PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
  });
});

const glueType = (c: { name: string; type: string }) => ({ Name: c.name, Type: c.type });
const cfnType = (c: { Name: string; Type: string }) => ({ Name: c.Name, Type: c.Type });

describe.each([
  ['events', EVENT_COLUMNS],
  ['devices', DEVICE_COLUMNS],
] as const)('Glue table %s', (name, columns) => {
  const table = b.data.lake.tables[name];
  const input = res[b.data.resolve(table.logicalId)].Properties.TableInput;

  test('Parquet, columns from lake-schema.ts, partitioned by tenant_id and dt', () => {
    expect(input.Name).toBe(name);
    expect(input.TableType).toBe('EXTERNAL_TABLE');
    expect(input.StorageDescriptor.Columns.map(cfnType)).toEqual(columns.map(glueType));
    expect(input.PartitionKeys.map(cfnType)).toEqual(PARTITION_COLUMNS.map(glueType));
    expect(input.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe('org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe');
  });

  test('partition projection: injected tenant, daily dt, template matching the Firehose prefix', () => {
    const p = input.Parameters;
    expect(p).toMatchObject({
      'projection.enabled': 'true',
      'projection.tenant_id.type': 'injected',
      'projection.dt.type': 'date',
      'projection.dt.format': 'yyyy-MM-dd',
      'projection.dt.range': '2024-01-01,NOW+1DAYS',
      'projection.dt.interval': '1',
      'projection.dt.interval.unit': 'DAYS',
    });
    const template = JSON.stringify(p['storage.location.template']);
    expect(template).toContain(`/${name}/tenant_id=\${tenant_id}/dt=\${dt}/`);
  });
});

describe.each(['events', 'devices'] as const)('Firehose stream %s', (name) => {
  const stream = b.data.streams.streams[name];
  const cfg = res[logicalId(stream)].Properties.ExtendedS3DestinationConfiguration;

  test('writes Parquet converted with the Glue table schema', () => {
    const conv = cfg.DataFormatConversionConfiguration;
    expect(conv.Enabled).toBe(true);
    expect(conv.SchemaConfiguration.DatabaseName).toEqual({ Ref: b.data.resolve(b.data.lake.database.logicalId) });
    expect(conv.SchemaConfiguration.TableName).toEqual({ Ref: b.data.resolve(b.data.lake.tables[name].logicalId) });
    expect(conv.OutputFormatConfiguration.Serializer.ParquetSerDe).toBeDefined();
    expect(conv.InputFormatConfiguration.Deserializer.HiveJsonSerDe.TimestampFormats).toContain("yyyy-MM-dd'T'HH:mm:ss.SSSZ");
    expect(cfg.BucketARN).toEqual({ 'Fn::GetAtt': [logicalId(b.data.lake.bucket), 'Arn'] });
  });

  test('dynamic partitioning on tenant_id and UTC day, with an error prefix', () => {
    expect(cfg.DynamicPartitioningConfiguration.Enabled).toBe(true);
    const day = name === 'events' ? 'ts' : 'updated_at';
    expect(cfg.ProcessingConfiguration.Processors).toEqual([
      {
        Type: 'MetadataExtraction',
        Parameters: [
          { ParameterName: 'MetadataExtractionQuery', ParameterValue: `{"tenant_id":.tenant_id,"dt":(.dt // .${day}[0:10])}` },
          { ParameterName: 'JsonParsingEngine', ParameterValue: 'JQ-1.6' },
        ],
      },
    ]);
    expect(cfg.Prefix).toBe(`${name}/tenant_id=!{partitionKeyFromQuery:tenant_id}/dt=!{partitionKeyFromQuery:dt}/`);
    expect(cfg.ErrorOutputPrefix).toMatch(new RegExp(`^errors/${name}/!\\{firehose:error-output-type\\}/`));
    expect(cfg.BufferingHints.SizeInMBs).toBeGreaterThanOrEqual(64);
    expect(cfg.BufferingHints.IntervalInSeconds).toBeLessThanOrEqual(300);
  });
});

test('Athena workgroup: engine v3, enforced, scan cutoff, encrypted results with lifecycle', () => {
  t.hasResourceProperties('AWS::Athena::WorkGroup', {
    Name: 'segmented-push-dev',
    WorkGroupConfiguration: Match.objectLike({
      EnforceWorkGroupConfiguration: true,
      EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
      BytesScannedCutoffPerQuery: 5_000_000_000,
      ResultConfiguration: Match.objectLike({ EncryptionConfiguration: { EncryptionOption: 'SSE_S3' } }),
    }),
  });
  const results = res[logicalId(b.data.athena.resultsBucket)].Properties;
  expect(results.LifecycleConfiguration.Rules[0].ExpirationInDays).toBe(7);
});
