/**
 * The one escaping function (athenaLiteral): any string, number, boolean or null written as a
 * literal reads back exactly, and no string can leave its literal (the statement around it keeps
 * its shape). Run on DuckDB, which parses quotes as Trino does (no backslash escapes).
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import fc from 'fast-check';
import { athenaLiteral } from '../../../../lambdas/domain/segments/athena-literal';
import { inlineParams, sql } from '../../../../lambdas/domain/segments/sql-fragment';
import { substituteParameters } from '../../../aws/support/athena-sql';

let conn: DuckDBConnection;
beforeAll(async () => {
  conn = await (await DuckDBInstance.create(':memory:')).connect();
});
afterAll(() => conn.closeSync());

const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
// Hostile pieces mixed into random text: quotes, comment starts, placeholders, NUL, backslashes.
const piece = fc.constantFrom("'", "''", '"', '--', '/*', '*/', '?', '\u0000', '\\', ';', '\n', 'ü', '🚀', ' OR 1=1');
/** Any well-formed string (a lone surrogate has no UTF-8 form in any engine or on the wire). */
const stringArb = fc
  .oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.array(fc.oneof(piece, fc.string({ maxLength: 3 })), { maxLength: 12 }).map((parts) => parts.join('')),
  )
  .filter((s) => !LONE_SURROGATE.test(s));

/** Reads `SELECT <literal> AS v, 'end' AS sentinel` back; the shape proves nothing escaped. */
async function readBack(literal: string): Promise<unknown> {
  const reader = await conn.runAndReadAll(`SELECT ${literal} AS v, 'end' AS sentinel`);
  expect(reader.columnNames()).toEqual(['v', 'sentinel']);
  const rows = reader.getRows();
  expect(rows).toHaveLength(1);
  expect(rows[0][1]).toBe('end');
  return rows[0][0];
}

test('any string round-trips and stays inside its literal', async () => {
  await fc.assert(
    fc.asyncProperty(stringArb, async (s) => {
      expect(await readBack(athenaLiteral(s))).toBe(s);
    }),
    { numRuns: 400, seed: 4242 },
  );
});

test('any finite number round-trips exactly (as DOUBLE)', async () => {
  const numberArb = fc.oneof(
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    fc.maxSafeInteger(),
    fc.constantFrom(0.1, 99.5, 1e21, 2 ** 60, 1e-7, -0),
  );
  await fc.assert(
    fc.asyncProperty(numberArb, async (n) => {
      const reader = await conn.runAndReadAll(`SELECT CAST(${athenaLiteral(n)} AS DOUBLE) AS v, 'end' AS sentinel`);
      expect(reader.getRows()).toEqual([[n === 0 ? 0 : n, 'end']]);
    }),
    { numRuns: 400, seed: 4243 },
  );
});

test('booleans and null', async () => {
  expect(await readBack(athenaLiteral(true))).toBe(true);
  expect(await readBack(athenaLiteral(false))).toBe(false);
  expect(await readBack(athenaLiteral(null))).toBeNull();
});

test('inlined into a WHERE or select list, a value compares equal to its bound form', async () => {
  await fc.assert(
    fc.asyncProperty(stringArb, stringArb, async (a, b) => {
      const inlined = inlineParams(sql`SELECT ${a} AS a, count(*) AS n FROM (SELECT 1) t WHERE ${b} = `, athenaLiteral);
      expect(inlined.params).toEqual([]);
      const reader = await conn.runAndReadAll(`${inlined.sql}?`, [b]);
      expect(reader.getRows()).toEqual([[a, 1n]]);
      // Athena's own substitution of execution parameters gives the same statement.
      const substituted = substituteParameters(sql`SELECT count(*) AS n FROM (SELECT 1) t WHERE ${a} = ${b}`.sql, [
        athenaLiteral(a),
        athenaLiteral(b),
      ]);
      expect((await conn.runAndReadAll(substituted)).getRows()).toEqual([[a === b ? 1n : 0n]]);
    }),
    { numRuns: 200, seed: 4244 },
  );
});
