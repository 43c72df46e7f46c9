/**
 * Athena (JSON 1.1) in the template's workgroups. A query runs with the CALLER's permissions, as
 * Athena does: athena:* on the workgroup, glue:GetTable on the tables it reads, s3:ListBucket and
 * s3:GetObject on their data, s3:PutObject on the workgroup's result location. Parameters follow
 * Athena's rules (athena-sql.ts); results page 1,000 rows at a time with the header row first.
 * UNLOAD (the Athena guide's "UNLOAD" page) writes Parquet under an S3 location that must hold no
 * object, with the caller's s3:ListBucket and s3:PutObject there, and its manifest of written files
 * to the result location; its results are no rows, its UpdateCount the rows written.
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { authorize, json, jsonCall, ServiceError, type BoxRequest, type BoxResponse, type Caller, type Service } from '../box';
import { ACCOUNT, REGION, type CloudAssembly } from '../cloud-assembly';
import { parseUnload, runAthenaQuery, runAthenaUnload, type Unload } from '../athena-sql';
import { AccessDenied, allows } from '../iam';
import type { Lake } from './lake';

interface Execution {
  id: string;
  workgroup: string;
  state: 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  reason?: string;
  result?: { columns: { name: string; type: string }[]; rows: (string | null)[][] };
  sql: string;
  params: string[] | undefined;
  database: string;
  /** Who started it: Athena reads and writes S3 with the caller's credentials. */
  caller: Caller;
  /** Rows an UNLOAD wrote (GetQueryResults' UpdateCount). */
  updateCount?: number;
}

interface Workgroup {
  name: string;
  outputBucket: string;
  outputPrefix: string;
}

export class AthenaStandIn implements Service {
  readonly protocol = 'json' as const;
  readonly accessDeniedCode = 'AccessDeniedException';
  readonly executions = new Map<string, Execution>();
  private readonly workgroups = new Map<string, Workgroup>();
  /** Serialises DuckDB use (one connection). */
  private chain: Promise<unknown> = Promise.resolve();
  /** Hold every new query in RUNNING until released (tests of callers that must not wait forever). */
  hold = false;
  /** Fail every query with this reason (an engine outage). */
  failWith: string | undefined;

  constructor(
    assembly: CloudAssembly,
    private readonly lake: Lake,
    /** Records an IAM denial met while a query runs (it fails the query, not the API call). */
    private readonly onDenied: (d: { caller: string; action: string; resource: string }) => void = () => undefined,
  ) {
    for (const w of assembly.ofType('AWS::Athena::WorkGroup')) {
      const p = assembly.resolve(w.stack, w.props);
      const out = /^s3:\/\/([^/]+)\/(.*)$/.exec(p.WorkGroupConfiguration?.ResultConfiguration?.OutputLocation ?? '');
      this.workgroups.set(p.Name, { name: p.Name, outputBucket: out?.[1] ?? '', outputPrefix: out?.[2] ?? '' });
    }
  }

  private wgArn(name: string): string {
    return `arn:aws:athena:${REGION}:${ACCOUNT}:workgroup/${name}`;
  }

  async handle(req: BoxRequest): Promise<BoxResponse> {
    const { op, input } = jsonCall(req);
    if (op === 'StartQueryExecution') return this.start(req.caller, input);
    const ex = this.executions.get(input.QueryExecutionId);
    if (!ex) throw new ServiceError('InvalidRequestException', `QueryExecution ${input.QueryExecutionId} was not found`);
    authorize(req.caller, `athena:${op}`, this.wgArn(ex.workgroup));
    switch (op) {
      case 'GetQueryExecution':
        return json({
          QueryExecution: {
            QueryExecutionId: ex.id,
            Query: ex.sql,
            StatementType: 'DML',
            WorkGroup: ex.workgroup,
            Status: { State: ex.state, StateChangeReason: ex.reason },
          },
        });
      case 'StopQueryExecution':
        if (ex.state === 'QUEUED' || ex.state === 'RUNNING') ex.state = 'CANCELLED';
        return json({});
      case 'GetQueryResults':
        return this.results(ex, input);
      default:
        throw new ServiceError('InvalidRequestException', `the AWS world's Athena does not model ${op}`);
    }
  }

  private async start(caller: Caller, input: any): Promise<BoxResponse> {
    const wg = this.workgroups.get(input.WorkGroup ?? 'primary');
    authorize(caller, 'athena:StartQueryExecution', this.wgArn(input.WorkGroup ?? 'primary'));
    if (!wg) throw new ServiceError('InvalidRequestException', `WorkGroup ${input.WorkGroup} is not found.`);
    const database: string = input.QueryExecutionContext?.Database ?? 'default';
    const sql: string = input.QueryString ?? '';
    // Athena reads the catalog and the data with the caller's credentials.
    for (const t of this.lake.tables.filter((x) => x.database === database && new RegExp(`\\b${x.name}\\b`).test(sql))) {
      authorize(caller, 'glue:GetTable', `arn:aws:glue:${REGION}:${ACCOUNT}:table/${t.database}/${t.name}`);
      authorize(caller, 's3:ListBucket', `arn:aws:s3:::${t.bucket}`);
      authorize(
        caller,
        's3:GetObject',
        `arn:aws:s3:::${t.bucket}/${t.prefix}${t.partitionKeys.map((k) => `${k}=x/`).join('')}part.parquet`,
      );
    }
    authorize(caller, 's3:PutObject', `arn:aws:s3:::${wg.outputBucket}/${wg.outputPrefix}${randomUUID()}.csv`);
    const ex: Execution = {
      id: randomUUID(),
      workgroup: wg.name,
      state: 'RUNNING',
      sql,
      params: input.ExecutionParameters,
      database,
      caller,
    };
    this.executions.set(ex.id, ex);
    if (!this.hold) this.run(ex);
    return json({ QueryExecutionId: ex.id });
  }

  /** Let held queries run. */
  release(): void {
    this.hold = false;
    for (const ex of this.executions.values()) if (ex.state === 'RUNNING' && !ex.result && !ex.reason) this.run(ex);
  }

  private run(ex: Execution): void {
    this.chain = this.chain.then(async () => {
      if (ex.state !== 'RUNNING') return;
      if (this.failWith) {
        ex.state = 'FAILED';
        ex.reason = this.failWith;
        return;
      }
      try {
        checkInjected(
          ex.sql,
          this.lake.tables.filter((t) => t.database === ex.database),
        );
        await this.lake.refreshViews(ex.database, ex.sql);
        const tables = this.lake.tables.filter((t) => t.database === ex.database).map((t) => t.name);
        const unload = parseUnload(ex.sql);
        if (unload) {
          ex.updateCount = await this.unload(ex, unload, tables);
          ex.result = { columns: [], rows: [] };
        } else {
          ex.result = await runAthenaQuery(this.lake.conn, ex.sql, ex.params, tables);
        }
        if (ex.state === 'RUNNING') ex.state = 'SUCCEEDED';
      } catch (err) {
        ex.state = 'FAILED';
        ex.reason = (err as Error).message;
      }
    });
  }

  /** A permission Athena needs while the query runs: without it the query fails with `reason`. */
  private need(caller: Caller, action: string, resource: string, reason: string): void {
    if (allows(caller.statements, { action, resource })) return;
    this.onDenied({ caller: caller.functionName, action, resource });
    throw new Error(`${reason} (${new AccessDenied(caller.principal, { action, resource }).message})`);
  }

  /**
   * UNLOAD: Athena checks that the TO location holds no object (it never overwrites), runs the
   * query and writes its rows as Parquet there (one file here; the names are Athena's, Trino's
   * `<query id>_<uuid>` without extension), then the manifest of the files it wrote to the result
   * location. Answers the number of rows written.
   */
  private async unload(ex: Execution, u: Unload, tables: string[]): Promise<number> {
    const location = `s3://${u.bucket}/${u.prefix}`;
    if (!this.lake.buckets.has(u.bucket))
      throw new Error(`The specified bucket does not exist (Service: Amazon S3; Status Code: 404; Error Code: NoSuchBucket): ${location}`);
    this.need(ex.caller, 's3:ListBucket', `arn:aws:s3:::${u.bucket}`, `Permission denied on S3 path: ${location}`);
    if ((await this.lake.keys(u.bucket, u.prefix)).length > 0) {
      throw new Error(
        `HIVE_PATH_ALREADY_EXISTS: Target directory for table '${ex.database}.tmp_${ex.id.replaceAll('-', '_')}' already exists: ${location}. ` +
          `You may need to manually clean the data at location '${location}' before retrying. Athena will not delete data in your account.`,
      );
    }
    const key = `${u.prefix}${trinoQueryId()}_${randomUUID()}`;
    this.need(
      ex.caller,
      's3:PutObject',
      `arn:aws:s3:::${u.bucket}/${key}`,
      `Access denied when writing output to url: s3://${u.bucket}/${key}. Please ensure you are allowed to access the S3 bucket`,
    );
    const file = this.lake.objectPath(u.bucket, key);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const rows = await runAthenaUnload(this.lake.conn, ex.sql, u, ex.params, file, tables);
    const wg = this.workgroups.get(ex.workgroup)!;
    const manifest = this.lake.objectPath(wg.outputBucket, `${wg.outputPrefix}${ex.id}-manifest.csv`);
    await fs.mkdir(path.dirname(manifest), { recursive: true });
    await fs.writeFile(manifest, `s3://${u.bucket}/${key}\n`);
    return rows;
  }

  private results(ex: Execution, input: any): BoxResponse {
    if (ex.state !== 'SUCCEEDED')
      throw new ServiceError('InvalidRequestException', `Query has not yet finished. Current state: ${ex.state}`);
    const max = Math.min(1000, input.MaxResults ?? 1000);
    const start = input.NextToken ? Number(input.NextToken) : 0;
    const { columns, rows } = ex.result!;
    // Row 0 of the first page is the header, so the data shifts by one against page boundaries.
    // A statement without columns (UNLOAD) has no header row either.
    const all = columns.length === 0 ? rows : [columns.map((c) => c.name), ...rows];
    const page = all.slice(start, start + max);
    const next = start + max < all.length ? String(start + max) : undefined;
    return json({
      ResultSet: {
        Rows: page.map((r) => ({ Data: r.map((v) => (v === null ? {} : { VarCharValue: v })) })),
        ResultSetMetadata: {
          ColumnInfo: columns.map((c) => ({
            Name: c.name,
            Label: c.name,
            Type: c.type,
            CatalogName: 'hive',
            SchemaName: '',
            TableName: '',
            Nullable: 'UNKNOWN',
            CaseSensitive: false,
          })),
        },
      },
      ...(next ? { NextToken: next } : {}),
      UpdateCount: ex.updateCount ?? 0,
    });
  }
}

/** A Trino query id as Athena's engine names its output files with it: `20261129_101500_00042_abcde`. */
function trinoQueryId(): string {
  const t = new Date().toISOString();
  const letters = Array.from({ length: 5 }, () => 'abcdefghijkmnpqrstuvwxyz23456789'[Math.floor(Math.random() * 32)]).join('');
  return `${t.slice(0, 10).replaceAll('-', '')}_${t.slice(11, 19).replaceAll(':', '')}_${String(Math.floor(Math.random() * 100000)).padStart(5, '0')}_${letters}`;
}

/**
 * Partition projection's `injected` type ("Use dynamic ID partitioning"): a query of a table with an
 * injected partition key must give that key static values (`key = 'v'`, `key IN ('a', 'b')`), else
 * Athena fails it with CONSTRAINT_VIOLATION. Checked per statement for each table it names: the key
 * must appear compared by `=` or `IN (` (a looser test than Athena's, enough to catch a missing one).
 */
export function checkInjected(sql: string, tables: readonly { name: string; injected: readonly string[] }[]): void {
  for (const t of tables) {
    if (t.injected.length === 0 || !new RegExp(`\\b${t.name}\\b`, 'i').test(sql)) continue;
    for (const key of t.injected) {
      if (!new RegExp(`\\b${key}\\s*(=|IN\\s*\\()`, 'i').test(sql))
        throw new Error(
          `CONSTRAINT_VIOLATION: For the injected projected partition column ${key}, the WHERE clause must contain only static equality conditions, and at least one such condition must be present.`,
        );
    }
  }
}
