/**
 * The S3 stand-in and Athena's UNLOAD and "$path" in the AWS world, driven by the real SDK clients
 * as callers with given IAM statements (what a lake-maintenance function does): S3 and the lake are
 * one set of objects, Athena writes and lists them with the caller's credentials.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  paginateListObjectsV2,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { ACCOUNT, REGION } from './support/cloud-assembly';
import type { Statement } from './support/iam';
import { AwsWorld } from './support/world';

describe('S3 and Athena UNLOAD / "$path" stand-ins (AWS world)', () => {
  let world: AwsWorld;
  let bucket: string;
  let database: string;
  let workgroup: string;
  let results: string;
  let callers = 0;

  /** SDK clients of a caller whose identity policy is `statements`. */
  const as = (statements: Statement[]) => {
    const name = `lake-test-${++callers}`;
    const accessKeyId = `ASIATEST${String(callers).padStart(8, '0')}`;
    world.box.addCaller(accessKeyId, { principal: `arn:aws:sts::${ACCOUNT}:assumed-role/${name}/session`, statements, functionName: name });
    const config = {
      endpoint: world.box.origin,
      region: REGION,
      credentials: { accessKeyId, secretAccessKey: 'box-secret', sessionToken: 'box-session' },
      maxAttempts: 1,
    };
    return { name, accessKeyId, s3: new S3Client(config), athena: new AthenaClient(config), firehose: new FirehoseClient(config) };
  };
  const allow = (Action: string | string[], Resource: string | string[]): Statement => ({ Effect: 'Allow', Action, Resource });
  const obj = (key: string) => `arn:aws:s3:::${bucket}/${key}`;
  const error = async (p: Promise<unknown>) => {
    const err = await p.then(
      () => undefined,
      (e: any) => e,
    );
    expect(err).toBeDefined();
    return { name: err.name as string, status: err.$metadata?.httpStatusCode as number, err };
  };

  let admin: ReturnType<typeof as>;

  beforeAll(async () => {
    world = await AwsWorld.start();
    const events = world.lake.tables.find((t) => t.name === 'events')!;
    bucket = events.bucket;
    database = events.database;
    workgroup = world.assembly.physicalName(world.assembly.ofType('AWS::Athena::WorkGroup')[0]);
    results = [...world.lake.buckets].find((b) => b.includes('-athena-'))!;
    admin = as([
      allow(['s3:ListBucket', 's3:GetBucketLocation'], [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${results}`]),
      allow(['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], [`arn:aws:s3:::${bucket}/*`, `arn:aws:s3:::${results}/*`]),
      allow('athena:*', `arn:aws:athena:${REGION}:${ACCOUNT}:workgroup/${workgroup}`),
      allow('glue:GetTable', `arn:aws:glue:${REGION}:${ACCOUNT}:table/${database}/*`),
      allow('firehose:PutRecordBatch', '*'),
    ]);
    // Two Firehose deliveries to acme's partition (two objects), one to rival's.
    const stream = world.lake.streams.find((s) => s.table.name === 'events')!.name;
    const record = (tenant: string, id: string, type: string) => ({
      Data: Buffer.from(
        JSON.stringify({
          tenant_id: tenant,
          event_id: id,
          device_id: `d-${id}`,
          type,
          ts: '2026-11-20T10:00:00.000Z',
          received_at: '2026-11-20T10:00:01.000Z',
        }),
      ),
    });
    for (const batch of [
      [record('acme', 'a1', 'purchase'), record('acme', 'a2', 'app_open'), record('rival', 'r1', 'purchase')],
      [record('acme', 'a3', 'purchase'), record('acme', 'a4', 'product_view')],
    ]) {
      expect((await admin.firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: stream, Records: batch }))).FailedPutCount).toBe(0);
    }
  }, 120_000);
  afterAll(async () => world?.stop());

  /** Run a statement to its end; the final execution and its results (when it succeeded). */
  const query = async (client: AthenaClient, sql: string, params?: string[]) => {
    const { QueryExecutionId } = await client.send(
      new StartQueryExecutionCommand({
        QueryString: sql,
        ExecutionParameters: params,
        WorkGroup: workgroup,
        QueryExecutionContext: { Database: database },
      }),
    );
    for (;;) {
      const { QueryExecution } = await client.send(new GetQueryExecutionCommand({ QueryExecutionId }));
      const state = QueryExecution!.Status!.State!;
      if (state === 'SUCCEEDED') {
        const out = await client.send(new GetQueryResultsCommand({ QueryExecutionId }));
        const rows = (out.ResultSet!.Rows ?? []).map((r) => (r.Data ?? []).map((d) => d.VarCharValue ?? null));
        return {
          id: QueryExecutionId!,
          state,
          reason: undefined,
          columns: out.ResultSet!.ResultSetMetadata!.ColumnInfo!.map((c) => c.Name),
          rows: rows.slice(rows.length ? 1 : 0),
          raw: out,
        };
      }
      if (state === 'FAILED' || state === 'CANCELLED')
        return { id: QueryExecutionId!, state, reason: QueryExecution!.Status!.StateChangeReason, columns: [], rows: [], raw: undefined };
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const listAll = async (s3: S3Client, prefix: string, Bucket = bucket) => {
    const keys: string[] = [];
    for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket, Prefix: prefix }))
      keys.push(...(page.Contents ?? []).map((c) => c.Key!));
    return keys;
  };

  test('a client made as the function makes it (new S3Client({}), AWS_ENDPOINT_URL) reaches the box path-style', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: world.box.origin,
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: admin.accessKeyId,
      AWS_SECRET_ACCESS_KEY: 'box-secret',
      AWS_SESSION_TOKEN: 'box-session',
    });
    try {
      const s3 = new S3Client({});
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'scratch/env.txt', Body: 'from env' }));
      expect(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'scratch/env.txt' }))).Body!.transformToString()).toBe(
        'from env',
      );
    } finally {
      process.env = saved;
    }
    expect(world.box.calls.filter((c) => c.caller === admin.name && c.service === 's3').map((c) => c.operation)).toEqual([
      `PUT /${bucket}/scratch/env.txt`,
      `GET /${bucket}/scratch/env.txt`,
    ]);
  });

  test('put, head, get (whole and a range), copy, delete; NoSuchKey; AccessDenied for a missing key without s3:ListBucket', async () => {
    const { s3 } = admin;
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'scratch/a b+c.json',
        Body: '{"x":1}',
        ContentType: 'application/json',
        Metadata: { owner: 'lake' },
      }),
    );
    expect(put.ETag).toBe(`"${createHash('md5').update('{"x":1}').digest('hex')}"`);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'scratch/a b+c.json' }));
    expect(head).toMatchObject({ ContentLength: 7, ContentType: 'application/json', ETag: put.ETag, Metadata: { owner: 'lake' } });
    expect(head.LastModified).toBeInstanceOf(Date);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'scratch/a b+c.json' }));
    expect(await got.Body!.transformToString()).toBe('{"x":1}');
    const part = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'scratch/a b+c.json', Range: 'bytes=1-4' }));
    expect([await part.Body!.transformToString(), part.ContentRange]).toEqual(['"x":', 'bytes 1-4/7']);
    // The object is the lake's file.
    expect(await fs.readFile(world.lake.objectPath(bucket, 'scratch/a b+c.json'), 'utf8')).toBe('{"x":1}');

    const copied = await s3.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: 'scratch/copy.json',
        CopySource: `${bucket}/${encodeURIComponent('scratch/a b+c.json')}`,
      }),
    );
    expect(copied.CopyObjectResult).toMatchObject({ ETag: put.ETag });
    expect(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'scratch/copy.json' }))).Body!.transformToString()).toBe(
      '{"x":1}',
    );
    expect(
      await error(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'scratch/copy.json', CopySource: `${bucket}/scratch/copy.json` }))),
    ).toMatchObject({ name: 'InvalidRequest', status: 400 });

    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'scratch/copy.json' }));
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'scratch/never-was' })); // a missing key deletes fine
    expect(await error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'scratch/copy.json' })))).toMatchObject({
      name: 'NoSuchKey',
      status: 404,
    });
    expect(await error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'scratch/copy.json' })))).toMatchObject({
      name: 'NotFound',
      status: 404,
    });
    expect(
      await error(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'scratch/x', CopySource: `${bucket}/scratch/copy.json` }))),
    ).toMatchObject({ name: 'NoSuchKey', status: 404 });
    expect(await error(s3.send(new GetObjectCommand({ Bucket: 'no-such-bucket-anywhere', Key: 'k' })))).toMatchObject({
      name: 'NoSuchBucket',
      status: 404,
    });

    // Without s3:ListBucket, S3 does not say whether a key exists.
    const reader = as([allow('s3:GetObject', obj('scratch/*'))]);
    expect(await error(reader.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'scratch/copy.json' })))).toMatchObject({
      name: 'AccessDenied',
      status: 403,
    });
    expect(
      await (await reader.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'scratch/a b+c.json' }))).Body!.transformToString(),
    ).toBe('{"x":1}');
    expect(await error(reader.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'events/x' })))).toMatchObject({
      name: 'AccessDenied',
      status: 403,
    });
    expect(await error(reader.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'scratch/y', Body: 'y' })))).toMatchObject({
      name: 'AccessDenied',
      status: 403,
    });
    expect(world.box.denials.filter((d) => d.caller === reader.name).map((d) => d.action)).toEqual([
      's3:ListBucket',
      's3:GetObject',
      's3:PutObject',
    ]);
  });

  test('ListObjectsV2 pages 1,000 keys at a time in byte order, with continuation tokens', async () => {
    const keys = Array.from({ length: 1205 }, (_, i) => `scratch/many/k-${String(i).padStart(4, '0')}`);
    // S3 and the lake are one set of files: write them straight to the lake's directory.
    await fs.mkdir(world.lake.objectPath(bucket, 'scratch/many'), { recursive: true });
    await Promise.all(keys.map((k) => fs.writeFile(world.lake.objectPath(bucket, k), k)));
    const first = await admin.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'scratch/many/' }));
    expect(first).toMatchObject({ KeyCount: 1000, MaxKeys: 1000, IsTruncated: true });
    expect(first.Contents![0]).toMatchObject({
      Key: keys[0],
      Size: keys[0].length,
      ETag: expect.stringMatching(/^"[0-9a-f]{32}"$/),
      StorageClass: 'STANDARD',
    });
    expect(first.Contents![0].LastModified).toBeInstanceOf(Date);
    const second = await admin.s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: 'scratch/many/', ContinuationToken: first.NextContinuationToken }),
    );
    expect(second).toMatchObject({ KeyCount: 205, IsTruncated: false });
    expect(second.NextContinuationToken).toBeUndefined();
    expect([...first.Contents!, ...second.Contents!].map((c) => c.Key)).toEqual(keys);
    expect(await listAll(admin.s3, 'scratch/many/k-00')).toEqual(keys.slice(0, 100));
    const small = await admin.s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: 'scratch/many/', MaxKeys: 2, StartAfter: keys[1202] }),
    );
    expect(small.Contents!.map((c) => c.Key)).toEqual(keys.slice(1203));
    expect(await error(admin.s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: 'bogus' })))).toMatchObject({
      name: 'InvalidArgument',
      status: 400,
    });
    const stranger = as([allow('s3:GetObject', `arn:aws:s3:::${bucket}/*`)]);
    expect(await error(stranger.s3.send(new ListObjectsV2Command({ Bucket: bucket })))).toMatchObject({
      name: 'AccessDenied',
      status: 403,
    });
  });

  test('a delimiter rolls keys up into CommonPrefixes, each one entry of a page', async () => {
    for (const k of ['scratch/tree/a/1', 'scratch/tree/a/2', 'scratch/tree/b/x/1', 'scratch/tree/c', 'scratch/tree/d']) {
      await admin.s3.send(new PutObjectCommand({ Bucket: bucket, Key: k, Body: k }));
    }
    const all = await admin.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'scratch/tree/', Delimiter: '/' }));
    expect(all.CommonPrefixes!.map((p) => p.Prefix)).toEqual(['scratch/tree/a/', 'scratch/tree/b/']);
    expect(all.Contents!.map((c) => c.Key)).toEqual(['scratch/tree/c', 'scratch/tree/d']);
    expect(all).toMatchObject({ KeyCount: 4, Delimiter: '/', IsTruncated: false });
    const pages: string[][] = [];
    for await (const page of paginateListObjectsV2(
      { client: admin.s3, pageSize: 1 },
      { Bucket: bucket, Prefix: 'scratch/tree/', Delimiter: '/' },
    )) {
      pages.push([...(page.CommonPrefixes ?? []).map((p) => p.Prefix!), ...(page.Contents ?? []).map((c) => c.Key!)]);
    }
    expect(pages).toEqual([['scratch/tree/a/'], ['scratch/tree/b/'], ['scratch/tree/c'], ['scratch/tree/d']]);
    const top = await admin.s3.send(new ListObjectsV2Command({ Bucket: bucket, Delimiter: '/' }));
    expect(top.CommonPrefixes!.map((p) => p.Prefix)).toEqual(expect.arrayContaining(['events/', 'scratch/']));
  });

  test('DeleteObjects deletes what the caller may delete and reports each refused key as an AccessDenied error', async () => {
    for (const k of ['scratch/del/keep/1', 'scratch/del/go/1', 'scratch/del/go/2'])
      await admin.s3.send(new PutObjectCommand({ Bucket: bucket, Key: k, Body: 'x' }));
    const janitor = as([allow('s3:DeleteObject', obj('scratch/del/go/*')), allow('s3:ListBucket', `arn:aws:s3:::${bucket}`)]);
    const out = await janitor.s3.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: {
          Objects: ['scratch/del/go/1', 'scratch/del/keep/1', 'scratch/del/go/2', 'scratch/del/go/missing'].map((Key) => ({ Key })),
        },
      }),
    );
    expect(out.Deleted!.map((d) => d.Key)).toEqual(['scratch/del/go/1', 'scratch/del/go/2', 'scratch/del/go/missing']);
    expect(out.Errors).toEqual([expect.objectContaining({ Key: 'scratch/del/keep/1', Code: 'AccessDenied' })]);
    expect(await listAll(admin.s3, 'scratch/del/')).toEqual(['scratch/del/keep/1']);
    expect(world.box.denials.filter((d) => d.caller === janitor.name)).toEqual([
      { caller: janitor.name, action: 's3:DeleteObject', resource: obj('scratch/del/keep/1') },
    ]);
    const quiet = await admin.s3.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Quiet: true, Objects: [{ Key: 'scratch/del/keep/1' }] } }),
    );
    expect([quiet.Deleted ?? [], quiet.Errors ?? []]).toEqual([[], []]);
    expect(await listAll(admin.s3, 'scratch/del/')).toEqual([]);
  });

  test('CopyObject needs s3:GetObject on the source and s3:PutObject on the destination', async () => {
    await admin.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'scratch/cp/src', Body: 'payload' }));
    const copy = (c: ReturnType<typeof as>) =>
      c.s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'scratch/cp/dst', CopySource: `${bucket}/scratch/cp/src` }));
    const readOnly = as([allow('s3:GetObject', obj('scratch/cp/src'))]);
    const writeOnly = as([allow('s3:PutObject', obj('scratch/cp/dst'))]);
    const both = as([allow('s3:GetObject', obj('scratch/cp/src')), allow('s3:PutObject', obj('scratch/cp/dst'))]);
    expect(await error(copy(readOnly))).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(await error(copy(writeOnly))).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(world.box.denials.filter((d) => d.caller === readOnly.name || d.caller === writeOnly.name).map((d) => d.action)).toEqual([
      's3:PutObject',
      's3:GetObject',
    ]);
    await copy(both);
    expect(await (await admin.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'scratch/cp/dst' }))).Body!.transformToString()).toBe(
      'payload',
    );
  });

  test('"$path" names the object each row came from; SELECT * does not show it', async () => {
    const acmeKeys = await listAll(admin.s3, 'events/tenant_id=acme/');
    expect(acmeKeys).toHaveLength(2);
    const paths = await query(admin.athena, 'SELECT DISTINCT "$path" FROM events WHERE tenant_id = ? ORDER BY 1', ["'acme'"]);
    expect(paths).toMatchObject({ state: 'SUCCEEDED', columns: ['$path'] });
    expect(paths.rows.map((r) => r[0])).toEqual(acmeKeys.map((k) => `s3://${bucket}/${k}`).sort());
    // The tenant named too: tenant_id is injected (a query without it fails, as below).
    const one = await query(admin.athena, 'SELECT event_id FROM events WHERE tenant_id = ? AND "$path" IN (?, ?) ORDER BY event_id', [
      "'acme'",
      `'${paths.rows[0][0]}'`,
      "'s3://nowhere/x'",
    ]);
    expect(one.rows.length).toBeGreaterThan(0);
    expect(one.rows.length).toBeLessThan(4);
    const star = await query(admin.athena, 'SELECT * FROM events WHERE tenant_id = ? AND "$path" = ?', ["'acme'", `'${paths.rows[0][0]}'`]);
    expect(star.state).toBe('SUCCEEDED');
    expect(star.columns).not.toContain('$path');
    expect(star.columns).toEqual(expect.arrayContaining(['event_id', 'tenant_id', 'dt']));
    const plain = await query(admin.athena, 'SELECT * FROM events WHERE tenant_id = ?', ["'rival'"]);
    expect(plain.columns).not.toContain('$path');
  });

  test('a table whose partition key is injected must be given its values (partition projection)', async () => {
    const noTenant = await query(admin.athena, 'SELECT count(*) FROM events WHERE dt = ?', ["'2026-01-01'"]);
    expect(noTenant).toMatchObject({ state: 'FAILED', reason: expect.stringContaining('CONSTRAINT_VIOLATION') });
    expect((await query(admin.athena, 'SELECT count(*) FROM events WHERE tenant_id = ?', ["'acme'"])).state).toBe('SUCCEEDED');
    // The rollups' builds are injected too: a query must name them.
    const noBuild = await query(admin.athena, 'SELECT count(*) FROM event_rollups WHERE tenant_id = ?', ["'acme'"]);
    expect(noBuild).toMatchObject({ state: 'FAILED', reason: expect.stringContaining('column build') });
    const named = await query(admin.athena, 'SELECT count(*) FROM event_rollups WHERE tenant_id = ? AND build IN (?)', ["'acme'", "'x'"]);
    expect(named).toMatchObject({ state: 'SUCCEEDED', rows: [['0']] });
  });

  test('UNLOAD writes the filtered rows as Parquet under an empty prefix, and fails on a non-empty one', async () => {
    const sql = (prefix: string) =>
      `UNLOAD (SELECT event_id, device_id, type, ts FROM events WHERE tenant_id = ? AND type <> ?) TO 's3://${bucket}/${prefix}' WITH (format = 'PARQUET', compression = 'SNAPPY')`;
    const done = await query(admin.athena, sql('compaction/run-1/'), ["'acme'", "'app_open'"]);
    expect(done.state).toBe('SUCCEEDED');
    expect(done.raw!.ResultSet!.Rows).toEqual([]);
    expect(done.raw!.UpdateCount).toBe(3);
    const written = await listAll(admin.s3, 'compaction/run-1/');
    expect(written).toHaveLength(1);
    const bytes = await (await admin.s3.send(new GetObjectCommand({ Bucket: bucket, Key: written[0] }))).Body!.transformToByteArray();
    expect(Buffer.from(bytes.subarray(0, 4)).toString()).toBe('PAR1');
    const read = await world.lake.conn.runAndReadAll(
      `SELECT event_id FROM read_parquet('${world.lake.objectPath(bucket, written[0])}') ORDER BY 1`,
    );
    expect(read.getRows().map((r) => r[0])).toEqual(['a1', 'a3', 'a4']);
    // The manifest of written files lands in the workgroup's result location.
    expect(await listAll(admin.s3, 'results/', results)).toContain(`results/${done.id}-manifest.csv`);
    const manifest = await admin.s3.send(new GetObjectCommand({ Bucket: results, Key: `results/${done.id}-manifest.csv` }));
    expect(await manifest.Body!.transformToString()).toBe(`s3://${bucket}/${written[0]}\n`);

    const again = await query(admin.athena, sql('compaction/run-1/'), ["'acme'", "'app_open'"]);
    expect(again.state).toBe('FAILED');
    expect(again.reason).toMatch(/HIVE_PATH_ALREADY_EXISTS/);
    expect(await listAll(admin.s3, 'compaction/run-1/')).toEqual(written);

    // Athena writes with the caller's credentials: without s3:PutObject on the location the query fails.
    const noWrite = as([
      allow('s3:ListBucket', `arn:aws:s3:::${bucket}`),
      allow('s3:GetObject', `arn:aws:s3:::${bucket}/events/*`),
      allow('s3:PutObject', `arn:aws:s3:::${results}/results/*`),
      allow('athena:*', `arn:aws:athena:${REGION}:${ACCOUNT}:workgroup/${workgroup}`),
      allow('glue:GetTable', `arn:aws:glue:${REGION}:${ACCOUNT}:table/${database}/*`),
    ]);
    const denied = await query(noWrite.athena, sql('compaction/run-2/'), ["'acme'", "'app_open'"]);
    expect(denied.state).toBe('FAILED');
    expect(denied.reason).toMatch(/Access denied when writing output to url: s3:\/\/.*compaction\/run-2\//);
    expect(world.box.denials.filter((d) => d.caller === noWrite.name).map((d) => d.action)).toEqual(['s3:PutObject']);
    expect(await listAll(admin.s3, 'compaction/run-2/')).toEqual([]);
  });

  test('compaction round trip: UNLOAD a partition, copy the file in, delete the originals; Athena reads the new object', async () => {
    const originals = await listAll(admin.s3, 'events/tenant_id=acme/');
    const dt = /dt=([^/]+)\//.exec(originals[0])![1];
    const prefix = `compaction/acme-${dt}/`;
    const params = ["'acme'", `'${dt}'`, "'a2'"];
    const run = await query(
      admin.athena,
      `UNLOAD (SELECT * FROM events WHERE tenant_id = ? AND dt = ? AND event_id <> ?) TO 's3://${bucket}/${prefix}' WITH (format = 'PARQUET', compression = 'SNAPPY')`,
      params,
    );
    expect(run.state).toBe('SUCCEEDED');
    const [staged] = await listAll(admin.s3, prefix);
    const target = `events/tenant_id=acme/dt=${dt}/${staged.split('/').pop()}`;
    await admin.s3.send(new CopyObjectCommand({ Bucket: bucket, Key: target, CopySource: `${bucket}/${encodeURIComponent(staged)}` }));
    const del = await admin.s3.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: originals.map((Key) => ({ Key })), Quiet: true } }),
    );
    expect(del.Errors ?? []).toEqual([]);
    const after = await query(admin.athena, 'SELECT event_id, "$path" FROM events WHERE tenant_id = ? ORDER BY event_id', ["'acme'"]);
    expect(after.rows).toEqual(['a1', 'a3', 'a4'].map((id) => [id, `s3://${bucket}/${target}`]));
  });
});
