/** Stateful resources: tables, lake bucket, Glue tables with projection, Firehose → Parquet, Athena. */
import { Match } from 'aws-cdk-lib/assertions';
import { ENV } from '../../lambdas/config/env';
import { TABLE_DEFINITIONS } from '../../lambdas/config/tables';
import {
  DEVICE_COLUMNS,
  EVENT_COLUMNS,
  PARTITION_COLUMNS,
  ROLLUP_BUILD_COLUMNS,
  ROLLUP_PARTITION_COLUMNS,
} from '../../lambdas/domain/lake-schema';
import { parseConfig } from '../../lib/config';
import { build, logicalId, statementsOfRole } from './helpers';

const b = build({ lakeRetentionDays: 400, athenaBytesScannedCutoff: 5_000_000_000 });
const t = b.data_t;
const res = t.toJSON().Resources as Record<
  string,
  { Type: string; Properties: any; DeletionPolicy?: string; UpdateReplacePolicy?: string }
>;

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
    BlockPublicAcls: true,
    BlockPublicPolicy: true,
    IgnorePublicAcls: true,
    RestrictPublicBuckets: true,
  });
  expect(r.Properties.LifecycleConfiguration.Rules).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ Prefix: 'events/', ExpirationInDays: 400, Status: 'Enabled' }),
      expect.objectContaining({ Prefix: 'deliveries/', ExpirationInDays: 400, Status: 'Enabled' }),
      // Lake maintenance's staged UNLOAD output and removal manifests.
      expect.objectContaining({ Prefix: '_maintenance/', ExpirationInDays: 7, Status: 'Enabled' }),
    ]),
  );
  // A device's latest snapshot decides its audiences however old it is: nothing expires devices/ by age.
  const rules = r.Properties.LifecycleConfiguration.Rules as { Prefix?: string; ExpirationInDays?: number }[];
  expect(
    rules.filter((rule) => rule.ExpirationInDays !== undefined && (rule.Prefix === undefined || 'devices/'.startsWith(rule.Prefix))),
  ).toEqual([]);
  t.hasResourceProperties('AWS::S3::BucketPolicy', {
    Bucket: { Ref: logicalId(b.data.lake.bucket) },
    PolicyDocument: {
      Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
    },
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

describe.each([
  ['event_rollups', 'rollupTable', ROLLUP_BUILD_COLUMNS],
  ['device_latest', 'latestTable', DEVICE_COLUMNS],
] as const)('Glue table %s', (name, member, columns) => {
  const input = res[b.data.resolve(b.data.lake[member].logicalId)].Properties.TableInput;

  test('Parquet, columns from lake-schema.ts, partitioned by tenant and build, both injected', () => {
    expect(input.Name).toBe(name);
    expect(input.StorageDescriptor.Columns.map(cfnType)).toEqual(columns.map(glueType));
    expect(input.PartitionKeys.map(cfnType)).toEqual(ROLLUP_PARTITION_COLUMNS.map(glueType));
    expect(input.Parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.tenant_id.type': 'injected',
      'projection.build.type': 'injected',
    });
    expect(input.Parameters['projection.dt.type']).toBeUndefined();
    expect(JSON.stringify(input.Parameters['storage.location.template'])).toContain(`/${name}/tenant_id=\${tenant_id}/build=\${build}/`);
  });
});

describe.each(['events', 'devices'] as const)('Firehose stream %s', (name) => {
  const stream = b.data.streams.streams[name][0];
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

const TABLES = ['events', 'devices', 'deliveries'] as const;
const STREAM_ENV = { events: ENV.eventsStream, devices: ENV.devicesStream, deliveries: ENV.deliveriesStream } as const;
const WRITERS = { events: ['events'], devices: ['devices'], deliveries: ['sender', 'trigger'] } as const;
const destination = (r: { Properties: any }) => r.Properties.ExtendedS3DestinationConfiguration;

describe('Firehose shards: streams per table under the 500-active-partition limit', () => {
  const streams = t.findResources('AWS::KinesisFirehose::DeliveryStream');

  test('lakeStreamShards defaults to 4: four streams per table, twelve in all', () => {
    expect(b.config.lakeStreamShards).toBe(4);
    expect(Object.keys(streams)).toHaveLength(4 * TABLES.length);
    for (const table of TABLES) expect(b.data.streams.streams[table]).toHaveLength(4);
  });

  test('shard 0 keeps the id of the single stream it replaces (no replacement on deploy); the others are <Table>1..3', () => {
    const ids = (table: (typeof TABLES)[number]) => b.data.streams.streams[table].map((s) => s.node.id);
    expect(ids('events')).toEqual(['Events', 'Events1', 'Events2', 'Events3']);
    expect(ids('devices')).toEqual(['Devices', 'Devices1', 'Devices2', 'Devices3']);
    expect(ids('deliveries')).toEqual(['Deliveries', 'Deliveries1', 'Deliveries2', 'Deliveries3']);
  });

  test.each(TABLES)('every %s shard writes the same layout: same prefixes, table, partition query, buffering', (table) => {
    const cfgs = b.data.streams.streams[table].map((s) => destination(res[logicalId(s)]));
    expect(new Set(cfgs.map((c) => c.Prefix))).toEqual(
      new Set([`${table}/tenant_id=!{partitionKeyFromQuery:tenant_id}/dt=!{partitionKeyFromQuery:dt}/`]),
    );
    expect(new Set(cfgs.map((c) => c.ErrorOutputPrefix))).toEqual(
      new Set([`errors/${table}/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/`]),
    );
    const same = (f: (c: any) => unknown) => expect(new Set(cfgs.map((c) => JSON.stringify(f(c)))).size).toBe(1);
    // Each stream has its own delivery role (and log group); everything else is identical.
    same((c) => ({
      ...c.DataFormatConversionConfiguration,
      SchemaConfiguration: { ...c.DataFormatConversionConfiguration.SchemaConfiguration, RoleARN: undefined },
    }));
    same((c) => c.DynamicPartitioningConfiguration);
    same((c) => c.ProcessingConfiguration);
    same((c) => c.BufferingHints);
    same((c) => c.BucketARN);
    expect(cfgs[0].DataFormatConversionConfiguration.SchemaConfiguration.TableName).toEqual({
      Ref: b.data.resolve(b.data.lake.tables[table].logicalId),
    });
  });

  test.each(TABLES)('%s writers: PutRecord/PutRecordBatch on every shard, env var lists the shards in order', (table) => {
    const shards = b.data.streams.streams[table];
    const svc = b.service_t.toJSON().Resources as Record<string, { Properties: any }>;
    // Cross-stack: each stream's name and ARN reach the service stack as an import of a data-stack export.
    const exportsOf = b.data_t.toJSON().Outputs as Record<string, { Value: unknown; Export: { Name: string } }>;
    const importOf = (value: unknown) => {
      const out = Object.values(exportsOf).find((o) => JSON.stringify(o.Value) === JSON.stringify(value));
      expect(out).toBeDefined();
      return { 'Fn::ImportValue': out!.Export.Name };
    };
    const names = shards.map((s) => importOf({ Ref: logicalId(s) }));
    const arns = shards.map((s) => importOf({ 'Fn::GetAtt': [logicalId(s), 'Arn'] }));
    for (const fn of WRITERS[table]) {
      const sf = b.service.functions[fn];
      expect(svc[logicalId(sf.fn)].Properties.Environment.Variables[STREAM_ENV[table]]).toEqual({ 'Fn::Join': [',', names] });
      const puts = statementsOfRole(b.service_t, logicalId(sf.role)).filter(
        (st) => JSON.stringify(st.Action) === JSON.stringify(['firehose:PutRecord', 'firehose:PutRecordBatch']),
      );
      const granted = puts.flatMap((st) => (Array.isArray(st.Resource) ? st.Resource : [st.Resource]));
      // Exactly this table's shards: no other table's streams.
      expect(new Set(granted.map((r) => JSON.stringify(r)))).toEqual(new Set(arns.map((a) => JSON.stringify(a))));
    }
  });

  test('lakeStreamShards=1: one stream per table, named by a plain import as before sharding', () => {
    const one = build({ lakeStreamShards: 1 });
    expect(Object.keys(one.data_t.findResources('AWS::KinesisFirehose::DeliveryStream'))).toHaveLength(TABLES.length);
    for (const table of TABLES)
      expect(one.data.streams.streams[table].map((s) => s.node.id)).toEqual([table[0].toUpperCase() + table.slice(1)]);
    const env = one.service_t.toJSON().Resources[logicalId(one.service.functions.events.fn)].Properties.Environment.Variables;
    expect(Object.keys(env[ENV.eventsStream])).toEqual(['Fn::ImportValue']);
  });

  test('lakeStreamShards is validated: an integer from 1 to 32', () => {
    expect(parseConfig({ lakeStreamShards: '8' }).lakeStreamShards).toBe(8);
    for (const bad of [0, 33, 2.5, 'many']) expect(() => parseConfig({ lakeStreamShards: bad })).toThrow(/lakeStreamShards/);
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

test('the records table name is a stack output (scripts/issue-app-key.ts --table)', () => {
  const outputs = b.data_t.toJSON().Outputs as Record<string, { Value: unknown }>;
  expect(outputs.RecordsTableName.Value).toEqual({ Ref: logicalId(b.data.tables.table('records')) });
});
