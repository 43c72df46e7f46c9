/**
 * Athena (engine v3, Trino SQL) as the QueryEngine. Queries are asynchronous: start() submits,
 * poll() reports, run() does both with backoff. A paged result (a wave's audience) is one execution
 * whose id is the handle: its result stays in the workgroup's S3 location, so any later invocation
 * reads on from a stored NextToken without running the query again. Parameters travel as ExecutionParameters, which
 * Athena substitutes as SQL literals, so each value is encoded as a literal here (never spliced
 * into the SQL text).
 */
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type ColumnInfo,
  type GetQueryResultsCommandOutput,
  type Row as AthenaRow,
} from '@aws-sdk/client-athena';
import { QueryFailedError, QueryResultLostError, QueryTimedOutError } from '../../ports/query-engine';
import type { QueryEngine, QueryHandle, QueryOutcome, ResultPage, Row, SqlQuery } from '../../ports/query-engine';
import { athenaLiteral } from '../../domain/segments/athena-literal';
import { logger } from '../../logging/logger';
import { ATHENA_POLL, backoffDelay, type BackoffPolicy } from '../../domain/backoff';

// The one escaping function lives in the domain (the Trino dialect inlines values with it too).
export { athenaLiteral };

/** Options of the Athena engine (the composition root builds the client). */
export interface AthenaQueryEngineOptions {
  client: AthenaClient;
  /** ATHENA_WORKGROUP: carries the result location, encryption and the engine version (3). */
  workgroup: string;
  /** ATHENA_DATABASE: the Glue database holding `events` and `devices`. */
  database: string;
  /** First poll delay of run() (default ATHENA_POLL's 200 ms); doubles up to pollMaxMs. */
  pollInitialMs?: number;
  /** Longest poll delay of run() before jitter (default ATHENA_POLL's 2000 ms). */
  pollMaxMs?: number;
  /** run() stops the query and fails (QueryTimedOutError) after this long (default 120 s); keep it below the function's timeout. */
  timeoutMs?: number;
  /**
   * Reuse a result of the same query string + parameters up to this age (default 0: off). Off by
   * default because a reused result can be older than the lake: events must reach estimates within
   * Firehose's buffer (API.md: ≤ 5 minutes), and an estimate after an erasure must not count the
   * erased devices. Segments with a time condition never repeat their parameters anyway.
   */
  resultReuseMinutes?: number;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  /** Injectable clock (ms since epoch) for the timeout. */
  now?: () => number;
  /** Injectable jitter source in [0, 1). */
  random?: () => number;
}

/** Rows per GetQueryResults page: the API maximum. */
const PAGE_SIZE = 1000;

/**
 * Counts the `?` placeholders of a statement, ignoring string literals, quoted identifiers and
 * comments; Athena fails obscurely when the parameter count does not match.
 */
export function countPlaceholders(sqlText: string): number {
  let count = 0;
  for (let i = 0; i < sqlText.length; i++) {
    const ch = sqlText[i];
    if (ch === "'" || ch === '"') {
      // '' inside '...' (and "" inside "...") is an escaped quote: the scan re-enters the literal.
      const end = sqlText.indexOf(ch, i + 1);
      i = end === -1 ? sqlText.length : end;
    } else if (ch === '-' && sqlText[i + 1] === '-') {
      const end = sqlText.indexOf('\n', i);
      i = end === -1 ? sqlText.length : end;
    } else if (ch === '/' && sqlText[i + 1] === '*') {
      const end = sqlText.indexOf('*/', i + 2);
      i = end === -1 ? sqlText.length : end + 1;
    } else if (ch === '?') {
      count++;
    }
  }
  return count;
}

/** Athena as the query engine over the Glue tables of the lake. */
export class AthenaQueryEngine implements QueryEngine {
  readonly dialect = 'trino' as const;
  private readonly client: AthenaClient;
  private readonly workgroup: string;
  private readonly database: string;
  private readonly pollPolicy: BackoffPolicy;
  private readonly timeoutMs: number;
  private readonly resultReuseMinutes: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(opts: AthenaQueryEngineOptions) {
    this.client = opts.client;
    this.workgroup = opts.workgroup;
    this.database = opts.database;
    this.pollPolicy = { ...ATHENA_POLL, baseMs: opts.pollInitialMs ?? ATHENA_POLL.baseMs, capMs: opts.pollMaxMs ?? ATHENA_POLL.capMs };
    this.timeoutMs = opts.timeoutMs ?? 120_000;
    this.resultReuseMinutes = Math.max(0, Math.min(10_080, opts.resultReuseMinutes ?? 0));
    this.sleep = opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = opts.now ?? Date.now;
    this.random = opts.random ?? Math.random;
  }

  async start(query: SqlQuery): Promise<QueryHandle> {
    const placeholders = countPlaceholders(query.sql);
    if (placeholders !== query.params.length) {
      throw new Error(`query has ${placeholders} placeholders but ${query.params.length} parameters`);
    }
    const out = await this.client.send(
      new StartQueryExecutionCommand({
        QueryString: query.sql,
        QueryExecutionContext: { Database: this.database },
        WorkGroup: this.workgroup,
        // The API wants at least one item when the field is present.
        ExecutionParameters: query.params.length > 0 ? query.params.map(athenaLiteral) : undefined,
        ResultReuseConfiguration: {
          ResultReuseByAgeConfiguration:
            this.resultReuseMinutes > 0 ? { Enabled: true, MaxAgeInMinutes: this.resultReuseMinutes } : { Enabled: false },
        },
      }),
    );
    if (!out.QueryExecutionId) throw new QueryFailedError('Athena returned no query execution id');
    return { id: out.QueryExecutionId };
  }

  async poll(handle: QueryHandle): Promise<QueryOutcome> {
    const state = await this.state(handle.id);
    return state.status === 'succeeded' ? { status: 'succeeded', rows: await this.fetchRows(handle.id) } : state;
  }

  /** The execution's state, without its rows. */
  private async state(id: string): Promise<{ status: 'running' } | { status: 'succeeded' } | { status: 'failed'; error: string }> {
    let out;
    try {
      out = await this.client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
    } catch (err) {
      throw lostIfUnknown(err, id);
    }
    const status = out.QueryExecution?.Status;
    switch (status?.State) {
      case 'QUEUED':
      case 'RUNNING':
        return { status: 'running' };
      case 'SUCCEEDED':
        return { status: 'succeeded' };
      case 'FAILED':
      case 'CANCELLED': {
        const reason = status.StateChangeReason ?? status.AthenaError?.ErrorMessage ?? 'no reason given';
        return { status: 'failed', error: `Athena query ${id} ${status.State.toLowerCase()}: ${reason}` };
      }
      default:
        return { status: 'failed', error: `Athena query ${id} is in unknown state ${String(status?.State)}` };
    }
  }

  async run(query: SqlQuery): Promise<Row[]> {
    const handle = await this.start(query);
    await this.waitFor(handle, true);
    return this.fetchRows(handle.id);
  }

  /** Run a statement that answers no rows (UNLOAD) to completion; its output is where it wrote it. */
  async execute(query: SqlQuery): Promise<void> {
    const handle = await this.start(query);
    await this.waitFor(handle, true);
  }

  async startResult(query: SqlQuery): Promise<QueryHandle> {
    return this.start(query);
  }

  async readPage(handle: QueryHandle, page: string | null, rows: number): Promise<ResultPage> {
    if (page === null) await this.waitFor(handle, false);
    const out: Row[] = [];
    let token = page ?? undefined;
    let first = page === null;
    // Whole GetQueryResults pages (1,000 rows at most each) until `rows` are read or the result ends.
    do {
      const max = Math.min(PAGE_SIZE, rows - out.length + (first ? 1 : 0));
      const res = await this.results(handle.id, token, max);
      out.push(...toRows(res, first));
      first = false;
      token = res.NextToken;
    } while (token && out.length < rows);
    return { rows: out, next: token ?? null };
  }

  /**
   * Polls with backoff until the query succeeded. Failed or cancelled: QueryFailedError (its result is
   * lost for readPage). Past timeoutMs: QueryTimedOutError, stopping the query only if `stopOnTimeout`
   * (a paged result is left running: the retried trigger waits on the same execution).
   */
  private async waitFor(handle: QueryHandle, stopOnTimeout: boolean): Promise<void> {
    const deadline = this.now() + this.timeoutMs;
    for (let attempt = 0; ; attempt++) {
      const state = await this.state(handle.id);
      if (state.status === 'succeeded') return;
      if (state.status === 'failed') throw stopOnTimeout ? new QueryFailedError(state.error) : new QueryResultLostError(state.error);
      const remaining = deadline - this.now();
      if (remaining <= 0) {
        if (stopOnTimeout) await this.stop(handle.id);
        throw new QueryTimedOutError(
          `Athena query ${handle.id} timed out after ${this.timeoutMs} ms${stopOnTimeout ? ' and was stopped' : ''}`,
        );
      }
      // Jitter keeps concurrent estimates from polling in lock-step (GetQueryExecution is rate limited).
      await this.sleep(Math.min(remaining, backoffDelay(attempt, this.pollPolicy, this.random)));
    }
  }

  private async stop(id: string): Promise<void> {
    try {
      await this.client.send(new StopQueryExecutionCommand({ QueryExecutionId: id }));
    } catch (err) {
      // Best effort: the timeout error is what the caller needs to see. But a query left running
      // scans (and bills) on, and a denied Stop is a policy gap: say so.
      logger.warn('could not stop a timed-out Athena query', { queryExecutionId: id, error: err as Error });
    }
  }

  /** All result rows, following NextToken; the first row of the first page is the header. */
  private async fetchRows(id: string): Promise<Row[]> {
    const rows: Row[] = [];
    let token: string | undefined;
    let first = true;
    do {
      const page = await this.results(id, token, PAGE_SIZE);
      rows.push(...toRows(page, first));
      first = false;
      token = page.NextToken;
    } while (token);
    return rows;
  }

  private async results(id: string, token: string | undefined, max: number): Promise<GetQueryResultsCommandOutput> {
    try {
      return await this.client.send(new GetQueryResultsCommand({ QueryExecutionId: id, NextToken: token, MaxResults: max }));
    } catch (err) {
      throw lostIfUnknown(err, id);
    }
  }
}

/** The rows of one GetQueryResults page, typed by its column metadata (the first page starts with the header). */
function toRows(page: GetQueryResultsCommandOutput, first: boolean): Row[] {
  const columns: ColumnInfo[] = page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
  const data: AthenaRow[] = page.ResultSet?.Rows ?? [];
  return (first ? data.slice(1) : data).map((r) => {
    const row: Row = {};
    columns.forEach((col, i) => {
      row[col.Name ?? `_col${i}`] = convertValue(r.Data?.[i]?.VarCharValue, col.Type);
    });
    return row;
  });
}

/** Athena answers InvalidRequestException "... was not found" for an execution it does not know (any more). */
function lostIfUnknown(err: unknown, id: string): unknown {
  const e = err as { name?: string; message?: string };
  return e?.name === 'InvalidRequestException' && /not found/i.test(e.message ?? '')
    ? new QueryResultLostError(`Athena query ${id} is unknown: ${e.message}`)
    : err;
}

const NUMERIC_TYPES = new Set(['tinyint', 'smallint', 'integer', 'int', 'bigint', 'real', 'float', 'double', 'decimal']);

/** A result cell as the domain sees it: typed by the column's Athena type. */
export function convertValue(value: string | undefined, type: string | undefined): Row[string] {
  if (value === undefined || value === null) return null;
  const base = (type ?? 'varchar').toLowerCase().replace(/\(.*$/, '').trim();
  if (NUMERIC_TYPES.has(base)) return Number(value);
  if (base === 'boolean') return value === 'true';
  if (base.startsWith('timestamp')) return isoTimestamp(value);
  return value;
}

/** '2026-11-28 17:00:00.123' (UTC, as the lake stores it) → '2026-11-28T17:00:00.123Z'. */
function isoTimestamp(value: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d+))?(?:\s*(?:UTC|Z|\+00:00))?$/.exec(value.trim());
  if (!m) return value;
  const millis = (m[3] ?? '').padEnd(3, '0').slice(0, 3);
  return `${m[1]}T${m[2]}.${millis}Z`;
}
