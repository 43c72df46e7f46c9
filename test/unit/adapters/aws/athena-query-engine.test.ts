import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { AthenaQueryEngine, athenaLiteral, convertValue, countPlaceholders } from '../../../../lambdas/adapters/aws/athena-query-engine';
import { QueryFailedError, QueryResultLostError, QueryTimedOutError } from '../../../../lambdas/ports/query-engine';
import { QueryTimeoutError } from '../../../../lambdas/domain/errors';
import { runWithinBudget } from '../../../../lambdas/use-cases/segments/query-budget';
import { compileEstimate } from '../../../../lambdas/domain/segments/compiler';
import { checkAthenaSql } from '../../../aws/support/athena-sql';
import { trinoDialect } from '../../../../lambdas/domain/segments/dialect-trino';

const athena = mockClient(AthenaClient);

/** A fake clock advanced by the fake sleep, so timeouts need no real waiting. */
function fakeTime() {
  let now = 1_000_000;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
  };
}

function engine(extra: Partial<ConstructorParameters<typeof AthenaQueryEngine>[0]> = {}) {
  const t = fakeTime();
  const e = new AthenaQueryEngine({
    client: new AthenaClient({ region: 'us-east-1' }),
    workgroup: 'wg',
    database: 'lake',
    sleep: t.sleep,
    now: t.now,
    random: () => 0.5,
    ...extra,
  });
  return { e, t };
}

const cell = (v?: string) => (v === undefined ? {} : { VarCharValue: v });
const columns = [
  { Name: 'device_id', Type: 'varchar' },
  { Name: 'total', Type: 'bigint' },
  { Name: 'spend', Type: 'double' },
  { Name: 'opted_in', Type: 'boolean' },
  { Name: 'last_open', Type: 'timestamp' },
];

beforeEach(() => athena.reset());

describe('athenaLiteral', () => {
  it('single-quotes strings and doubles embedded quotes', () => {
    expect(athenaLiteral('acme')).toBe("'acme'");
    expect(athenaLiteral("O'Brien")).toBe("'O''Brien'");
    expect(athenaLiteral("'")).toBe("''''");
    expect(athenaLiteral('')).toBe("''");
  });

  it('neutralises an injection attempt: the whole text stays one literal', () => {
    const lit = athenaLiteral("'; DROP TABLE x; --");
    expect(lit).toBe("'''; DROP TABLE x; --'");
    // Strip the outer quotes: every remaining quote is doubled, so none ends the literal.
    expect(lit.slice(1, -1).replaceAll("''", '')).not.toContain("'");
  });

  it('keeps backslashes and unicode as they are (Trino has no backslash escapes)', () => {
    expect(athenaLiteral('C:\\path\\')).toBe("'C:\\path\\'");
    expect(athenaLiteral("\\'")).toBe("'\\'''");
    expect(athenaLiteral('Ünïcødé 🎉 日本')).toBe("'Ünïcødé 🎉 日本'");
    expect(athenaLiteral('line\nbreak')).toBe("'line\nbreak'");
  });

  it('writes numbers as plain literals, integers without exponent', () => {
    expect(athenaLiteral(42)).toBe('42');
    expect(athenaLiteral(-7)).toBe('-7');
    expect(athenaLiteral(-0)).toBe('0');
    expect(athenaLiteral(129.9)).toBe('129.9');
    expect(athenaLiteral(1e21)).toBe('1000000000000000000000');
    expect(athenaLiteral(2 ** 60)).toBe('1152921504606846976');
    expect(athenaLiteral(1e-7)).toBe('1e-7');
  });

  it('rejects non-finite numbers and other types', () => {
    expect(() => athenaLiteral(Number.NaN)).toThrow(TypeError);
    expect(() => athenaLiteral(Number.POSITIVE_INFINITY)).toThrow(TypeError);
    expect(() => athenaLiteral(undefined as never)).toThrow(TypeError);
    expect(() => athenaLiteral({} as never)).toThrow(TypeError);
    expect(() => athenaLiteral(10n as never)).toThrow(TypeError);
  });

  it('writes booleans and null as keywords', () => {
    expect(athenaLiteral(true)).toBe('TRUE');
    expect(athenaLiteral(false)).toBe('FALSE');
    expect(athenaLiteral(null)).toBe('NULL');
  });
});

describe('countPlaceholders', () => {
  it('ignores ? in string literals, quoted identifiers and comments', () => {
    expect(countPlaceholders('SELECT 1 FROM t WHERE a = ? AND b = \'?\' AND "c?" = ? -- ?\n AND d = ? /* ? */')).toBe(3);
    expect(countPlaceholders("WHERE a = 'it''s ?' AND b = ?")).toBe(1);
  });
});

describe('convertValue', () => {
  it('types cells by the column type', () => {
    expect(convertValue('12', 'bigint')).toBe(12);
    expect(convertValue('3', 'integer')).toBe(3);
    expect(convertValue('1.5', 'double')).toBe(1.5);
    expect(convertValue('612.50', 'decimal(10,2)')).toBe(612.5);
    expect(convertValue('true', 'boolean')).toBe(true);
    expect(convertValue('false', 'boolean')).toBe(false);
    expect(convertValue(undefined, 'varchar')).toBeNull();
    expect(convertValue(undefined, 'bigint')).toBeNull();
    expect(convertValue('2026-11-28 17:00:00.000', 'timestamp')).toBe('2026-11-28T17:00:00.000Z');
    expect(convertValue('2026-11-28 17:00:00', 'timestamp(3)')).toBe('2026-11-28T17:00:00.000Z');
    expect(convertValue('2026-11-28 17:00:00.123456 UTC', 'timestamp with time zone')).toBe('2026-11-28T17:00:00.123Z');
    expect(convertValue('US', 'varchar')).toBe('US');
  });
});

describe('AthenaQueryEngine.start', () => {
  it('submits the SQL with literal execution parameters, database, workgroup and result reuse', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    const { e } = engine({ resultReuseMinutes: 15 });
    expect(e.dialect).toBe('trino');
    const handle = await e.start({
      sql: 'SELECT count(*) FROM events WHERE tenant_id = ? AND amount > ? AND x = ? AND y = ?',
      params: ["ac'me", 5, true, null],
    });
    expect(handle).toEqual({ id: 'q-1' });
    expect(athena.commandCalls(StartQueryExecutionCommand)[0].args[0].input).toEqual({
      QueryString: 'SELECT count(*) FROM events WHERE tenant_id = ? AND amount > ? AND x = ? AND y = ?',
      QueryExecutionContext: { Database: 'lake' },
      WorkGroup: 'wg',
      ExecutionParameters: ["'ac''me'", '5', 'TRUE', 'NULL'],
      ResultReuseConfiguration: { ResultReuseByAgeConfiguration: { Enabled: true, MaxAgeInMinutes: 15 } },
    });
  });

  it('omits ExecutionParameters when there are none and can disable reuse', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-2' });
    const { e } = engine({ resultReuseMinutes: 0 });
    await e.start({ sql: 'SELECT 1', params: [] });
    const input = athena.commandCalls(StartQueryExecutionCommand)[0].args[0].input;
    expect(input.ExecutionParameters).toBeUndefined();
    expect(input.ResultReuseConfiguration).toEqual({ ResultReuseByAgeConfiguration: { Enabled: false } });
  });

  it('refuses a query whose placeholder count does not match its parameters', async () => {
    const { e } = engine();
    await expect(e.start({ sql: 'SELECT ? , ?', params: [1] })).rejects.toThrow(/2 placeholders but 1 parameters/);
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(0);
  });

  it('gets the Trino compiler output as-is: only ? placeholders, one literal per ?', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-3' });
    const query = compileEstimate(
      {
        match: 'all',
        criteria: [
          { filter: 'total_spend', operator: 'gte', value: 500 },
          { filter: 'device_country', operator: 'in', value: ['US', "C'A"] },
          { filter: 'last_app_open', operator: 'within_last_days', value: 7 },
          { filter: 'product_viewed', operator: 'any_of', value: ['sku-1'], withinDays: 30 },
        ],
      },
      { tenantId: 'acme', now: new Date('2026-11-28T17:00:00Z'), segments: new Map() },
      trinoDialect,
    );
    const { e } = engine();
    await e.start(query);
    const input = athena.commandCalls(StartQueryExecutionCommand)[0].args[0].input;
    expect(input.QueryString).toBe(query.sql);
    // Placeholders are Athena's positional `?` only, each in a WHERE clause (the only place Athena
    // takes one); values elsewhere (the estimate's select list) are escaped literals.
    expect(input.QueryString).not.toMatch(/\$\d|acme/);
    expect(() => checkAthenaSql(input.QueryString!, input.ExecutionParameters)).not.toThrow();
    expect(input.ExecutionParameters).toHaveLength(countPlaceholders(query.sql));
    expect(input.ExecutionParameters).toEqual(query.params.map(athenaLiteral));
    expect(input.ExecutionParameters).toContain("'acme'");
    expect(input.QueryString).toContain("IN ('US', 'C''A')");
  });
});

describe('AthenaQueryEngine.poll and run', () => {
  it('polls QUEUED → RUNNING → SUCCEEDED and reads two result pages, skipping the header row', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-9' });
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce({ QueryExecution: { Status: { State: 'QUEUED' } } })
      .resolvesOnce({ QueryExecution: { Status: { State: 'RUNNING' } } })
      .resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
    athena
      .on(GetQueryResultsCommand, { QueryExecutionId: 'q-9', NextToken: undefined })
      .resolves({
        ResultSet: {
          ResultSetMetadata: { ColumnInfo: columns },
          Rows: [
            { Data: columns.map((c) => cell(c.Name)) },
            { Data: [cell('d-1'), cell('3'), cell('612.5'), cell('true'), cell('2026-11-20 10:00:00.000')] },
          ],
        },
        NextToken: 'page-2',
      })
      .on(GetQueryResultsCommand, { QueryExecutionId: 'q-9', NextToken: 'page-2' })
      .resolves({
        ResultSet: {
          ResultSetMetadata: { ColumnInfo: columns },
          Rows: [{ Data: [cell('d-2'), cell('0'), cell(), cell('false'), cell()] }],
        },
      });
    const { e, t } = engine();
    const rows = await e.run({ sql: 'SELECT 1 WHERE a = ?', params: ['x'] });
    expect(rows).toEqual([
      { device_id: 'd-1', total: 3, spend: 612.5, opted_in: true, last_open: '2026-11-20T10:00:00.000Z' },
      { device_id: 'd-2', total: 0, spend: null, opted_in: false, last_open: null },
    ]);
    expect(athena.commandCalls(GetQueryExecutionCommand)).toHaveLength(3);
    expect(athena.commandCalls(GetQueryResultsCommand).map((c) => c.args[0].input)).toEqual([
      { QueryExecutionId: 'q-9', NextToken: undefined, MaxResults: 1000 },
      { QueryExecutionId: 'q-9', NextToken: 'page-2', MaxResults: 1000 },
    ]);
    // Backoff doubles from the initial delay (jitter fixed at its midpoint by random() = 0.5).
    expect(t.sleeps).toEqual([200, 400]);
  });

  it('poll reports running, then failed with the state change reason', async () => {
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce({ QueryExecution: { Status: { State: 'RUNNING' } } })
      .resolves({
        QueryExecution: { Status: { State: 'FAILED', StateChangeReason: 'SYNTAX_ERROR: line 1:8: Column x cannot be resolved' } },
      });
    const { e } = engine();
    expect(await e.poll({ id: 'q-4' })).toEqual({ status: 'running' });
    const failed = await e.poll({ id: 'q-4' });
    expect(failed).toEqual({ status: 'failed', error: expect.stringContaining('Column x cannot be resolved') });
  });

  it('run throws QueryFailedError with the reason when the query FAILED', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-5' });
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: { Status: { State: 'FAILED', StateChangeReason: 'HIVE_BAD_DATA: malformed Parquet' } },
    });
    const { e } = engine();
    const err = await e.run({ sql: 'SELECT 1', params: [] }).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(QueryFailedError);
    expect((err as Error).message).toMatch(/q-5 failed: HIVE_BAD_DATA: malformed Parquet/);
  });

  it('run treats CANCELLED as a failure', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-6' });
    athena
      .on(GetQueryExecutionCommand)
      .resolves({ QueryExecution: { Status: { State: 'CANCELLED', StateChangeReason: 'stopped by user' } } });
    const { e } = engine();
    await expect(e.run({ sql: 'SELECT 1', params: [] })).rejects.toThrow(/cancelled: stopped by user/);
  });

  it('run stops the query and throws QueryFailedError on timeout', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-7' });
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'RUNNING' } } });
    athena.on(StopQueryExecutionCommand).resolves({});
    const { e, t } = engine({ timeoutMs: 5000 });
    const err = await e.run({ sql: 'SELECT 1', params: [] }).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(QueryFailedError);
    expect((err as Error).message).toMatch(/timed out/);
    expect(athena.commandCalls(StopQueryExecutionCommand)[0].args[0].input).toEqual({ QueryExecutionId: 'q-7' });
    expect(t.sleeps.every((ms) => ms <= 2000)).toBe(true);
    expect(t.sleeps.reduce((a, b) => a + b, 0)).toBe(5000);
  });

  it('an empty result is the header row only', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-8' });
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
    athena.on(GetQueryResultsCommand).resolves({
      ResultSet: { ResultSetMetadata: { ColumnInfo: [{ Name: 'device_id', Type: 'varchar' }] }, Rows: [{ Data: [cell('device_id')] }] },
    });
    const { e } = engine();
    expect(await e.run({ sql: 'SELECT 1', params: [] })).toEqual([]);
  });
});

describe('defect 6: the engine of an HTTP function gives up within its budget and stops the query', () => {
  it('defect 6: run() with an HTTP timeout throws QueryTimedOutError by then and stops the Athena query', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-http' });
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'RUNNING' } } });
    athena.on(StopQueryExecutionCommand).resolves({});
    const { e, t } = engine({ timeoutMs: 22_000 });
    const err = await e.run({ sql: 'SELECT 1', params: [] }).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(QueryTimedOutError);
    expect(err).toBeInstanceOf(QueryFailedError); // still a failed query for the metric and the trigger
    expect(t.sleeps.reduce((a, b) => a + b, 0)).toBe(22_000);
    expect(athena.commandCalls(StopQueryExecutionCommand).map((c) => c.args[0].input)).toEqual([{ QueryExecutionId: 'q-http' }]);
  });

  it('defect 6: through the use-case budget the stopped query becomes QueryTimeoutError (503 query_timeout)', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-http2' });
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'QUEUED' } } });
    athena.on(StopQueryExecutionCommand).resolves({});
    const { e } = engine({ timeoutMs: 22_000 });
    // The budget's own timer never fires here: the engine's shorter timeout decides.
    const never = () => new Promise<void>(() => {});
    const err = await runWithinBudget(e, { sql: 'SELECT 1', params: [] }, { queryBudgetMs: 25_000, sleep: never }).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(QueryTimeoutError);
    expect((err as QueryTimeoutError).code).toBe('query_timeout');
    expect(athena.commandCalls(StopQueryExecutionCommand)).toHaveLength(1);
  });

  it('defect 6: a failed StopQueryExecution does not hide the timeout', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-http3' });
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'RUNNING' } } });
    athena.on(StopQueryExecutionCommand).rejects(new Error('throttled'));
    const { e } = engine({ timeoutMs: 1000 });
    await expect(e.run({ sql: 'SELECT 1', params: [] })).rejects.toBeInstanceOf(QueryTimedOutError);
  });
});

describe('AthenaQueryEngine paged results (a wave audience)', () => {
  const cols = [{ Name: 'device_id', Type: 'varchar' }];
  /** GetQueryResults as Athena pages it: the header row first, then `total` rows, NextToken = offset. */
  function pagedResults(total: number) {
    const all = [['device_id'], ...Array.from({ length: total }, (_, i) => [`d${i}`])];
    athena.on(GetQueryResultsCommand).callsFake((input) => {
      const start = input.NextToken ? Number(input.NextToken) : 0;
      const max = input.MaxResults ?? 1000;
      if (max > 1000) throw new Error('MaxResults above 1,000');
      const next = start + max < all.length ? String(start + max) : undefined;
      return {
        ResultSet: { Rows: all.slice(start, start + max).map((r) => ({ Data: r.map(cell) })), ResultSetMetadata: { ColumnInfo: cols } },
        NextToken: next,
      };
    });
  }

  it('starts ONE execution and reads it in pages: header skipped once, tokens carried on, no device lost', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-w' });
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce({ QueryExecution: { Status: { State: 'RUNNING' } } })
      .resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
    pagedResults(4321);
    const { e } = engine();
    const handle = await e.startResult({ sql: 'SELECT device_id FROM facts ORDER BY device_id', params: [] });
    expect(handle).toEqual({ id: 'q-w' });
    const seen: string[] = [];
    let token: string | null = null;
    let steps = 0;
    do {
      const page = await e.readPage(handle, token, 2000);
      seen.push(...page.rows.map((r) => String(r.device_id)));
      token = page.next;
      steps++;
    } while (token !== null);
    expect(seen).toEqual(Array.from({ length: 4321 }, (_, i) => `d${i}`));
    expect(steps).toBe(3);
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(1);
    // Only the first read waits for the query; later ones go straight to GetQueryResults.
    expect(athena.commandCalls(GetQueryExecutionCommand)).toHaveLength(2);
    const calls = athena.commandCalls(GetQueryResultsCommand).map((c) => c.args[0].input);
    expect(calls.every((i) => (i.MaxResults ?? 0) <= 1000 && i.QueryExecutionId === 'q-w')).toBe(true);
    expect(calls[0].NextToken).toBeUndefined();
  });

  it('reads on from a stored token in a later invocation without waiting or starting anything', async () => {
    pagedResults(2500);
    const { e } = engine();
    const page = await e.readPage({ id: 'q-w' }, '2001', 1000);
    expect(page.rows.map((r) => r.device_id)).toEqual(Array.from({ length: 500 }, (_, i) => `d${2000 + i}`));
    expect(page.next).toBeNull();
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(0);
    expect(athena.commandCalls(GetQueryExecutionCommand)).toHaveLength(0);
  });

  it('a failed or unknown execution is a lost result (the trigger runs the query again)', async () => {
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'FAILED', StateChangeReason: 'boom' } } });
    const { e } = engine();
    await expect(e.readPage({ id: 'q-f' }, null, 1000)).rejects.toBeInstanceOf(QueryResultLostError);
    athena.reset();
    const notFound = Object.assign(new Error('QueryExecution q-x was not found'), { name: 'InvalidRequestException' });
    athena.on(GetQueryResultsCommand).rejects(notFound);
    await expect(e.readPage({ id: 'q-x' }, '1001', 1000)).rejects.toBeInstanceOf(QueryResultLostError);
    athena.on(GetQueryResultsCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    await expect(e.readPage({ id: 'q-x' }, '1001', 1000)).rejects.not.toBeInstanceOf(QueryResultLostError);
  });

  it('a query still running past the timeout is left running for the retried trigger to wait on', async () => {
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'RUNNING' } } });
    athena.on(StopQueryExecutionCommand).resolves({});
    const { e } = engine({ timeoutMs: 5000 });
    await expect(e.readPage({ id: 'q-slow' }, null, 1000)).rejects.toBeInstanceOf(QueryTimedOutError);
    expect(athena.commandCalls(StopQueryExecutionCommand)).toHaveLength(0);
  });
});
