/** The Athena rules of the AWS stand-in: where a `?` may sit, substitution, and Athena-shaped results. */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { AthenaRuleError, checkAthenaSql, installTrinoCompat, runAthenaQuery, substituteParameters } from '../../../aws/support/athena-sql';
import { compileRecipients } from '../../../../lambdas/domain/insights/recipients';
import { athenaLiteral } from '../../../../lambdas/domain/segments/athena-literal';
import { trinoDialect } from '../../../../lambdas/domain/segments/dialect-trino';

describe('checkAthenaSql', () => {
  test.each([
    ['top-level WHERE', 'SELECT a FROM t WHERE a = ? AND b IN (?, ?)', 3],
    ['nested expressions in WHERE', 'SELECT a FROM t WHERE (a = CAST(? AS TIMESTAMP) OR coalesce(b, ?) > 1) ORDER BY a', 2],
    ['CASE in WHERE', 'SELECT a FROM t WHERE CASE WHEN a = ? THEN TRUE ELSE FALSE END', 1],
    ['subquery WHERE inside a select list', 'SELECT (SELECT max(x) FROM u WHERE u.y = ?) AS m FROM t', 1],
    ['CTE WHERE', 'WITH c AS (SELECT a FROM t WHERE t.k = ? GROUP BY a) SELECT count(*) FROM c', 1],
    ['subquery in FROM, then outer WHERE', 'SELECT * FROM (SELECT a FROM t WHERE a > ?) s WHERE s.a < ? LIMIT 5', 2],
    ['IN subquery', 'SELECT a FROM t WHERE a IN (SELECT b FROM u WHERE c = ?)', 1],
    ['? in string literals, quoted identifiers and comments ignored', `SELECT '?', 'it''s ?' AS "q?" FROM t -- ?\n WHERE a = ? /* ? */`, 1],
    ['no parameters at all', "SELECT 'a?' FROM t", 0],
    ['a cast to a zoned type in WHERE', 'SELECT a FROM t WHERE CAST(a AS TIMESTAMP WITH TIME ZONE) > ? AND b = ?', 2],
  ])('accepts %s', (_name, sql, n) => {
    expect(() => checkAthenaSql(sql, n === 0 ? undefined : Array.from({ length: n }, () => '1'))).not.toThrow();
  });

  test.each([
    ['a select list', 'SELECT ? FROM t WHERE a = 1'],
    ['a CASE in a select list', 'SELECT count(CASE WHEN a = ? THEN 1 END) FROM t'],
    ['an aggregate FILTER (WHERE …)', 'SELECT count(*) FILTER (WHERE a = ?) FROM t WHERE b = 1'],
    [
      'an aggregate FILTER nested in a CTE',
      'WITH c AS (SELECT array_agg(x) FILTER (WHERE x IN (?)) AS l FROM t WHERE k = 1) SELECT * FROM c',
    ],
    ['an ON condition', 'SELECT a FROM t JOIN u ON u.a = t.a AND u.b = ? WHERE t.c = 1'],
    ['GROUP BY', 'SELECT a FROM t WHERE a = 1 GROUP BY ?'],
    ['HAVING', 'SELECT a FROM t WHERE a = 1 GROUP BY a HAVING count(*) > ?'],
    ['ORDER BY', 'SELECT a FROM t WHERE a = 1 ORDER BY ?'],
    ['LIMIT', 'SELECT a FROM t WHERE a = 1 LIMIT ?'],
    ['VALUES', 'SELECT * FROM (VALUES (?)) v(x) WHERE x = 1'],
    ['a window', 'SELECT row_number() OVER (PARTITION BY a ORDER BY ?) FROM t WHERE a = 1'],
    ['the select list after a WHERE subquery closed', 'SELECT a, (SELECT 1 FROM u WHERE b = 2) + ? FROM t'],
    ['the main select list after a CTE', 'WITH c AS (SELECT a FROM t WHERE a = 1) SELECT ? FROM c'],
    ['a select list after UNION ALL', 'SELECT a FROM t WHERE a = 1 UNION ALL SELECT ? FROM u'],
  ])('rejects a ? in %s', (_name, sql) => {
    expect(() => checkAthenaSql(sql, ['1'])).toThrow(AthenaRuleError);
    expect(() => checkAthenaSql(sql, ['1'])).toThrow(/only in the WHERE clause/);
  });

  test('rejects a count mismatch and an empty parameter list', () => {
    expect(() => checkAthenaSql('SELECT a FROM t WHERE a = ? AND b = ?', ['1'])).toThrow(/expected 2 but found 1/);
    expect(() => checkAthenaSql('SELECT a FROM t WHERE a = ?', undefined)).toThrow(/expected 1 but found 0/);
    expect(() => checkAthenaSql("SELECT a FROM t WHERE a = '?'", ['1'])).toThrow(/expected 0 but found 1/);
    expect(() => checkAthenaSql('SELECT a FROM t', [])).toThrow(AthenaRuleError);
  });

  test('rejects a query text over 262,144 bytes', () => {
    const padded = (n: number) => `SELECT a FROM t WHERE a = ? -- ${'x'.repeat(n)}`;
    const fits = padded(262_144 - padded(0).length);
    expect(() => checkAthenaSql(fits, ['1'])).not.toThrow();
    expect(() => checkAthenaSql(`${fits}x`, ['1'])).toThrow(/less than or equal to 262144/);
  });

  test('rejects unbalanced text', () => {
    expect(() => checkAthenaSql("SELECT 'abc FROM t", undefined)).toThrow(AthenaRuleError);
    expect(() => checkAthenaSql('SELECT (a FROM t', undefined)).toThrow(AthenaRuleError);
  });
});

test('substituteParameters replaces each ? in order, verbatim, never inside literals or comments', () => {
  expect(substituteParameters('SELECT \'?\' AS "?" FROM t WHERE a = ? AND b IN (?, ?) -- ?', ["'x''y'", '12', 'TRUE'])).toBe(
    "SELECT '?' AS \"?\" FROM t WHERE a = 'x''y' AND b IN (12, TRUE) -- ?",
  );
  // A parameter's own ? is text, not a placeholder for the next one.
  expect(substituteParameters('SELECT 1 FROM t WHERE a = ? AND b = ?', ["'?'", "'z'"])).toBe("SELECT 1 FROM t WHERE a = '?' AND b = 'z'");
  expect(() => substituteParameters('SELECT 1 FROM t WHERE a = ?', [])).toThrow(AthenaRuleError);
});

describe('runAthenaQuery on DuckDB', () => {
  let conn: DuckDBConnection;
  beforeAll(async () => {
    conn = await (await DuckDBInstance.create(':memory:')).connect();
    await installTrinoCompat(conn);
    await conn.run('CREATE TABLE t (id VARCHAR, ts TIMESTAMP, n BIGINT, x DOUBLE, ok BOOLEAN, p VARCHAR)');
    await conn.run(
      "INSERT INTO t VALUES ('a', '2026-11-28 17:00:00', 3, 20, TRUE, 'p1'), ('b', '2026-11-28 17:00:00.123', 4, 0.5, FALSE, 'p2'), ('c', NULL, NULL, 1e-7, NULL, NULL)",
    );
  });
  afterAll(() => conn.closeSync());

  test('answers like GetQueryResults: strings, Athena type names, Athena timestamps', async () => {
    const out = await runAthenaQuery(
      conn,
      'SELECT id, ts, n, x, ok, CAST(n AS INTEGER) AS i, CAST(x AS DECIMAL(10,2)) AS d FROM t WHERE id IN (?, ?, ?) ORDER BY id',
      ["'a'", "'b'", "'c'"],
    );
    expect(out.columns).toEqual([
      { name: 'id', type: 'varchar' },
      { name: 'ts', type: 'timestamp' },
      { name: 'n', type: 'bigint' },
      { name: 'x', type: 'double' },
      { name: 'ok', type: 'boolean' },
      { name: 'i', type: 'integer' },
      { name: 'd', type: 'decimal' },
    ]);
    expect(out.rows).toEqual([
      ['a', '2026-11-28 17:00:00.000', '3', '20.0', 'true', '3', '20.00'],
      ['b', '2026-11-28 17:00:00.123', '4', '0.5', 'false', '4', '0.50'],
      ['c', null, null, '1.0E-7', null, null, '0.00'],
    ]);
  });

  test('every timestamp unit a Parquet file may hold reads as an Athena timestamp', async () => {
    const out = await runAthenaQuery(
      conn,
      'SELECT CAST(ts AS TIMESTAMP_MS) AS ms, CAST(ts AS TIMESTAMP_NS) AS ns, CAST(ts AS TIMESTAMP_S) AS s FROM t WHERE id = ?',
      ["'b'"],
    );
    expect(out.columns.map((c) => c.type)).toEqual(['timestamp', 'timestamp', 'timestamp']);
    expect(out.rows).toEqual([['2026-11-28 17:00:00.123', '2026-11-28 17:00:00.123', '2026-11-28 17:00:00.000']]);
  });

  test('the Trino functions the dialects use behave as in Trino', async () => {
    const out = await runAthenaQuery(
      conn,
      "SELECT format_datetime(max(ts), 'yyyy-MM-dd''T''HH:mm:ss.SSS''Z''') AS iso, json_format(CAST(array_agg(p ORDER BY p) FILTER (WHERE p IS NOT NULL) AS JSON)) AS j, " +
        "date_add('hour', 24, max(ts)) AS later, 'a' || chr(0) || 'b' AS nul FROM t WHERE n > ?",
      ['0'],
    );
    expect(out.rows).toEqual([['2026-11-28T17:00:00.123Z', '["p1","p2"]', '2026-11-29 17:00:00.123', 'a\u0000b']]);
    await expect(runAthenaQuery(conn, "SELECT format_datetime(ts, 'yyyy') AS y FROM t", undefined)).rejects.toThrow(/not mimicked/);
  });

  test('refuses what Athena refuses before running anything', async () => {
    await expect(runAthenaQuery(conn, 'SELECT ? AS v FROM t', ["'a'"])).rejects.toThrow(AthenaRuleError);
  });
});

describe('the recipients query (GET /v1/campaigns/{id}/recipients) keeps to the rules', () => {
  const base = { tenantId: "ac'me", campaignId: 'cmp-1', fromDay: '2026-05-10', toDay: '2026-05-12', limit: 50, after: null };
  test.each([null, 'sent', 'failed', 'suppressed', 'queued', 'opened'] as const)('outcome %s, with and without a cursor', (outcome) => {
    for (const after of [null, 'dev-9']) {
      const q = compileRecipients({ ...base, outcome, after }, trinoDialect);
      expect(() => checkAthenaSql(q.sql, q.params.map(athenaLiteral))).not.toThrow();
    }
  });
});
