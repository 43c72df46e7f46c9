/**
 * Firehose → S3 → Athena, as the template declares them. Firehose (JSON 1.1): PutRecord /
 * PutRecordBatch limits (500 records, 4 MiB, 1,000 KiB a record), partition keys from the stream's
 * metadata-extraction query, the stream's S3 prefix, and record format conversion to Parquet with
 * the Glue table's columns (a record that does not convert goes to the error prefix). Objects live
 * under <dir>/<bucket>/<key>. Athena (JSON 1.1): StartQueryExecution / GetQueryExecution /
 * GetQueryResults / StopQueryExecution in the template's workgroup, with the caller's Glue and S3
 * permissions checked as Athena does, Athena's parameter rules and paging (athena-sql.ts), run on
 * DuckDB over the Parquet files of the Glue tables' locations.
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { authorize, json, jsonCall, ServiceError, type BoxRequest, type BoxResponse, type Service } from '../box';
import { ACCOUNT, REGION, type CloudAssembly } from '../cloud-assembly';
import { installTrinoCompat, referencesPath } from '../athena-sql';

interface GlueTable {
  database: string;
  name: string;
  bucket: string;
  prefix: string;
  columns: { name: string; type: string }[];
  /** Partition keys, in the order of the location template (`tenant_id=…/dt=…/`). */
  partitionKeys: string[];
  /** Partition keys projected as `injected`: a query must name their values (Athena refuses it otherwise). */
  injected: string[];
}

interface Stream {
  name: string;
  arn: string;
  bucket: string;
  prefix: string;
  errorPrefix: string;
  partitionQuery: Record<string, string>;
  table: GlueTable;
}

const DUCK: Record<string, string> = {
  string: 'VARCHAR',
  timestamp: 'TIMESTAMP',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  bigint: 'BIGINT',
  int: 'INTEGER',
};
const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** A file of the lake directory that is no object: a writer's temporary file (Firehose's, S3's). */
export function isTransient(name: string): boolean {
  return name.startsWith('.box-tmp-') || /^\.[0-9a-f-]{36}\.json$/.test(name);
}

/** The S3 objects of the world, on disk: the object `key` of `bucket` is the file <dir>/<bucket>/<key>. */
export class Lake {
  db!: DuckDBInstance;
  conn!: DuckDBConnection;
  readonly tables: GlueTable[] = [];
  readonly streams: Stream[] = [];
  /** The buckets of the template (their physical names). */
  readonly buckets = new Set<string>();

  constructor(
    readonly dir: string,
    assembly: CloudAssembly,
  ) {
    for (const b of assembly.ofType('AWS::S3::Bucket')) this.buckets.add(assembly.physicalName(b));
    for (const t of assembly.ofType('AWS::Glue::Table')) {
      const input = assembly.resolve(t.stack, t.props.TableInput);
      const loc = /^s3:\/\/([^/]+)\/(.*)$/.exec(input.StorageDescriptor.Location)!;
      this.tables.push({
        database: assembly.resolve(t.stack, t.props.DatabaseName),
        name: input.Name,
        bucket: loc[1],
        prefix: loc[2],
        columns: input.StorageDescriptor.Columns.map((c: any) => ({ name: c.Name, type: c.Type })),
        partitionKeys: (input.PartitionKeys ?? []).map((k: any) => k.Name),
        injected: Object.entries(input.Parameters ?? {})
          .filter(([k, v]) => /^projection\.[^.]+\.type$/.test(k) && String(v).toLowerCase() === 'injected')
          .map(([k]) => k.split('.')[1]),
      });
    }
    for (const s of assembly.ofType('AWS::KinesisFirehose::DeliveryStream')) {
      const d = assembly.resolve(s.stack, s.props.ExtendedS3DestinationConfiguration);
      const schema = d.DataFormatConversionConfiguration.SchemaConfiguration;
      const extraction = d.ProcessingConfiguration.Processors.find((p: any) => p.Type === 'MetadataExtraction');
      const query = extraction.Parameters.find((p: any) => p.ParameterName === 'MetadataExtractionQuery').ParameterValue as string;
      this.streams.push({
        name: assembly.physicalName(s),
        arn: assembly.getAtt(s, 'Arn'),
        bucket: d.BucketARN.replace('arn:aws:s3:::', ''),
        prefix: d.Prefix,
        errorPrefix: d.ErrorOutputPrefix,
        partitionQuery: parseJqObject(query),
        table: this.tables.find((t) => t.name === schema.TableName && t.database === schema.DatabaseName)!,
      });
    }
  }

  async open(): Promise<void> {
    this.db = await DuckDBInstance.create(':memory:');
    this.conn = await this.db.connect();
    await installTrinoCompat(this.conn);
  }

  /** The file of an object. */
  objectPath(bucket: string, key: string): string {
    return path.join(this.dir, bucket, key);
  }

  /** The S3 URI of a file of the lake (`s3://<bucket>/<key>`). */
  uriOf(file: string): string {
    return `s3://${path.relative(this.dir, file).split(path.sep).join('/')}`;
  }

  /** Every key of a bucket that starts with `prefix` (files only: S3 has no directories), unsorted. */
  async keys(bucket: string, prefix = ''): Promise<string[]> {
    const root = path.join(this.dir, bucket);
    // Only the directory the prefix names can hold matching keys.
    const from = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/') + 1) : '';
    const out: string[] = [];
    const walk = async (rel: string) => {
      for (const e of await fs.readdir(path.join(root, rel), { withFileTypes: true }).catch(() => [])) {
        const key = `${rel}${e.name}`;
        if (e.isDirectory()) {
          if (`${key}/`.startsWith(prefix) || prefix.startsWith(`${key}/`)) await walk(`${key}/`);
        } else if (e.isFile() && !isTransient(e.name) && key.startsWith(prefix)) out.push(key);
      }
    };
    await walk(from);
    return out;
  }

  /**
   * The data files of a Glue table (every partition), as Athena reads a Hive table's location: every
   * object under it whatever its name, except hidden ones (a name starting with `_` or `.`) and
   * empty ones.
   */
  async files(t: GlueTable): Promise<string[]> {
    const root = path.join(this.dir, t.bucket, t.prefix);
    const out: string[] = [];
    const walk = async (d: string) => {
      for (const e of await fs.readdir(d, { withFileTypes: true }).catch(() => [])) {
        if (e.name.startsWith('_') || e.name.startsWith('.')) continue;
        const p = path.join(d, e.name);
        if (e.isDirectory()) await walk(p);
        else if (e.isFile() && (await fs.stat(p).catch(() => undefined))?.size) out.push(p);
      }
    };
    await walk(root);
    return out.sort();
  }

  /**
   * Point the DuckDB views `events`/`devices`/… at the current objects (Athena lists S3 per query).
   * A statement that names the `"$path"` pseudo-column gets it (`s3://bucket/key` of the row's
   * file); otherwise it is left out, so that `SELECT *` does not show it, as in Athena.
   */
  async refreshViews(database: string, sql = ''): Promise<void> {
    const withPath = referencesPath(sql);
    for (const t of this.tables.filter((x) => x.database === database)) {
      const files = await this.files(t);
      const cols = t.columns.map((c) => `${c.name}`).join(', ');
      const keys = t.partitionKeys.join(', ');
      const hiveTypes = t.partitionKeys.map((k) => `${lit(k)}: VARCHAR`).join(', ');
      const root = `${path.join(this.dir)}${path.sep}`;
      const pathCol = withPath ? `, 's3://' || replace(substr(__box_file, ${root.length + 1}), ${lit(path.sep)}, '/') AS "$path"` : '';
      const nullPath = withPath ? ', CAST(NULL AS VARCHAR) AS "$path"' : '';
      const nullKeys = t.partitionKeys.map((k) => `CAST(NULL AS VARCHAR) AS ${k}`).join(', ');
      const source = files.length
        ? `SELECT ${cols}, ${keys}${pathCol} FROM read_parquet([${files.map(lit).join(', ')}], hive_partitioning = true, hive_types = {${hiveTypes}}, union_by_name = true, filename = '__box_file')`
        : `SELECT ${t.columns.map((c) => `CAST(NULL AS ${DUCK[c.type] ?? 'VARCHAR'}) AS ${c.name}`).join(', ')}, ${nullKeys}${nullPath} WHERE FALSE`;
      await this.conn.run(`CREATE OR REPLACE VIEW ${t.name} AS ${source}`);
    }
  }
}

export class FirehoseStandIn implements Service {
  readonly protocol = 'json' as const;
  readonly accessDeniedCode = 'AccessDeniedException';
  /** Records that could not be converted (written under the error prefix). */
  errors = 0;

  constructor(private readonly lake: Lake) {}

  async handle(req: BoxRequest): Promise<BoxResponse> {
    const { op, input } = jsonCall(req);
    const stream = this.lake.streams.find((s) => s.name === input.DeliveryStreamName);
    const arn = stream?.arn ?? `arn:aws:firehose:${REGION}:${ACCOUNT}:deliverystream/${input.DeliveryStreamName}`;
    authorize(req.caller, `firehose:${op}`, arn);
    if (!stream)
      throw new ServiceError('ResourceNotFoundException', `Firehose ${input.DeliveryStreamName} under account ${ACCOUNT} not found.`);
    const records: { Data: string }[] = op === 'PutRecord' ? [input.Record] : op === 'PutRecordBatch' ? input.Records : [];
    if (records.length === 0 || records.length > 500)
      throw new ServiceError(
        'ValidationException',
        `1 validation error detected: Value at 'records' failed to satisfy constraint: Member must have length between 1 and 500`,
      );
    const bytes = records.map((r) => Buffer.from(r.Data, 'base64'));
    if (bytes.some((b) => b.length > 1000 * 1024)) throw new ServiceError('ValidationException', 'Record size exceeds 1,000 KiB');
    if (bytes.reduce((n, b) => n + b.length, 0) > 4 * 1024 * 1024) throw new ServiceError('ValidationException', 'Batch exceeds 4 MiB');
    await this.write(
      stream,
      bytes.map((b) => b.toString('utf8')),
    );
    const ids = records.map(() => ({ RecordId: randomUUID() }));
    return op === 'PutRecord'
      ? json({ RecordId: ids[0].RecordId, Encrypted: true })
      : json({ FailedPutCount: 0, Encrypted: true, RequestResponses: ids });
  }

  /** Deliver right away (the real buffer interval only delays; freshness is a real-account concern). */
  private async write(stream: Stream, lines: string[]): Promise<void> {
    const byPrefix = new Map<string, string[]>();
    for (const line of lines) {
      let key: string;
      try {
        const record = JSON.parse(line);
        key = stream.prefix.replace(/!\{partitionKeyFromQuery:([^}]+)\}/g, (_, k: string) => {
          const v = evalJq(stream.partitionQuery[k], record);
          if (v === undefined || v === null || v === '') throw new Error(`partition key ${k} missing`);
          return String(v);
        });
      } catch {
        this.errors++;
        key = stream.errorPrefix.replace(/!\{[^}]+\}/g, 'x');
      }
      byPrefix.set(key, [...(byPrefix.get(key) ?? []), line]);
    }
    for (const [prefix, group] of byPrefix) {
      const dir = path.join(this.lake.dir, stream.bucket, prefix);
      await fs.mkdir(dir, { recursive: true });
      const tmp = path.join(dir, `.${randomUUID()}.json`);
      await fs.writeFile(tmp, group.join('\n'));
      const t = stream.table;
      const select = t.columns.map((c) => `CAST(${c.name} AS ${DUCK[c.type] ?? 'VARCHAR'}) AS ${c.name}`).join(', ');
      const jsonCols = t.columns
        .map((c) => `${lit(c.name)}: ${lit(c.type === 'timestamp' ? 'VARCHAR' : (DUCK[c.type] ?? 'VARCHAR'))}`)
        .join(', ');
      await this.lake.conn.run(
        `COPY (SELECT ${select} FROM read_json(${lit(tmp)}, format = 'newline_delimited', columns = {${jsonCols}})) TO ${lit(path.join(dir, `part-${randomUUID()}.parquet`))} (FORMAT PARQUET)`,
      );
      await fs.rm(tmp);
    }
  }
}

/** The few JQ forms a metadata-extraction query of this app uses: `.a`, `.a[0:10]`, `(x // y)`. */
export function evalJq(expr: string, record: any): unknown {
  const e = expr.trim();
  const alt = /^\((.+)\/\/(.+)\)$/.exec(e);
  if (alt) return evalJq(alt[1], record) ?? evalJq(alt[2], record);
  const m = /^\.([A-Za-z_][\w]*)(?:\[(\d+):(\d+)\])?$/.exec(e);
  if (!m) throw new Error(`JQ form not modelled by the AWS world: ${expr}`);
  const v = record?.[m[1]];
  if (v === undefined || v === null || m[2] === undefined) return v ?? null;
  return String(v).slice(Number(m[2]), Number(m[3]));
}

/** `{"tenant_id":.tenant_id,"dt":(.dt // .ts[0:10])}` → { tenant_id: '.tenant_id', dt: '(.dt // .ts[0:10])' }. */
export function parseJqObject(q: string): Record<string, string> {
  const body = q.trim().replace(/^\{/, '').replace(/\}$/, '');
  const out: Record<string, string> = {};
  let depth = 0;
  let start = 0;
  const parts: string[] = [];
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '(' || body[i] === '[') depth++;
    if (body[i] === ')' || body[i] === ']') depth--;
    if (body[i] === ',' && depth === 0) {
      parts.push(body.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(body.slice(start));
  for (const p of parts) {
    const i = p.indexOf(':');
    out[
      p
        .slice(0, i)
        .trim()
        .replace(/^"(.*)"$/, '$1')
    ] = p.slice(i + 1).trim();
  }
  return out;
}
