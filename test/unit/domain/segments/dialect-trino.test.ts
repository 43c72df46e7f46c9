/**
 * The Trino (Athena) SQL: values as `?` in WHERE clauses and as escaped literals elsewhere (Athena
 * takes parameters only in WHERE), Trino syntax, no DuckDB-only constructs.
 */
import { compileEngagement } from '../../../../lambdas/domain/insights/engagement-sql';
import { athenaLiteral } from '../../../../lambdas/domain/segments/athena-literal';
import {
  compileEstimate,
  compileMemberZones,
  compileMembers,
  compileSample,
  dialectFor,
  type CompileContext,
} from '../../../../lambdas/domain/segments/compiler';
import { duckdbDialect } from '../../../../lambdas/domain/segments/dialect-duckdb';
import { trinoDialect } from '../../../../lambdas/domain/segments/dialect-trino';
import { compileExplain } from '../../../../lambdas/domain/segments/explain';
import { versionKey } from '../../../../lambdas/domain/version-key';
import type { SqlQuery } from '../../../../lambdas/ports/query-engine';
import { checkAthenaSql, substituteParameters } from '../../../aws/support/athena-sql';
import { EVERY_FILTER, NOW, OTHER_SEGMENT } from './fixtures';

const ctx: CompileContext = { tenantId: 'acme', now: NOW, segments: new Map([['seg-other', OTHER_SEGMENT]]) };

const queries: [string, SqlQuery][] = [
  ['estimate', compileEstimate(EVERY_FILTER, ctx, trinoDialect)],
  ['sample', compileSample(EVERY_FILTER, ctx, trinoDialect, 20)],
  [
    'members',
    compileMembers(EVERY_FILTER, ctx, trinoDialect, {
      limit: 500,
      afterDeviceId: 'd-9',
      zone: { timezone: 'Asia/Tokyo', includeMissing: true },
    }),
  ],
  ['zones', compileMemberZones(EVERY_FILTER, ctx, trinoDialect)],
  ['explain', compileExplain(EVERY_FILTER, ctx, trinoDialect, 'd-1').query],
];

// The only quoted text allowed: event types from our allowlist and the dialect's own format pattern.
const ALLOWED_LITERALS = new Set([
  "'app_open'",
  "'purchase'",
  "'push_open'",
  "'add_to_cart'",
  "'custom'",
  "'product_view'",
  "'product_favorite'",
  "'yyyy-MM-dd''T''HH:mm:ss.SSS''Z'''",
]);
const USER_VALUES = ['acme', 'sku-1', 'sku-2', 'sku-3', 'level_up', 'US', 'CA', 'android', 'd-9', 'd-1', 'Asia/Tokyo', '2026-05-01'];

/** The text of a Trino query once Athena has substituted its execution parameters. */
const substituted = (q: SqlQuery) => substituteParameters(q.sql, q.params.map(athenaLiteral));
const STAMP = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/;

describe.each(queries)('trino %s', (_name, q) => {
  test('values are ? parameters in WHERE clauses, escaped literals elsewhere', () => {
    expect(q.sql.split('?').length - 1).toBe(q.params.length);
    expect(() => checkAthenaSql(q.sql, q.params.length > 0 ? q.params.map(athenaLiteral) : undefined)).not.toThrow();
    // Quoted text is ours (allowlist) or exactly the literal of a user value or a timestamp.
    const literals = q.sql.match(/'(?:[^']|'')*'/g) ?? [];
    const userLiterals = new Set([...USER_VALUES, versionKey('5.10.2')].map(athenaLiteral));
    for (const l of literals) if (!ALLOWED_LITERALS.has(l) && !userLiterals.has(l)) expect(l.slice(1, -1)).toMatch(STAMP);
    // Whole tokens only: "CA" is a user value, "CASE" is SQL; outside a literal no user value appears.
    const bare = q.sql.replace(/'(?:[^']|'')*'/g, "''");
    for (const v of USER_VALUES)
      expect(bare).not.toMatch(new RegExp(`(?<![A-Za-z0-9_])${v.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')}(?![A-Za-z0-9_])`));
    expect(q.params).toContain('acme'); // the tenant filter is always a WHERE clause
  });

  test('Trino syntax only', () => {
    for (const banned of [
      /\blist\s*\(/i,
      /epoch_ms/i,
      /::/,
      /\bstrftime\b/i,
      /\barg_max\b/i,
      /\bQUALIFY\b/i,
      /\bto_json\b/i,
      /\bINTERVAL\b/i,
      /\bnow\(\)/i,
      /current_timestamp/i,
      /"/,
    ]) {
      expect(q.sql).not.toMatch(banned);
    }
    expect(q.sql).toMatch(/CAST\((\?|'\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}') AS TIMESTAMP\)/);
    expect(q.sql).toMatch(/FROM events\b/);
    expect(q.sql).toMatch(/FROM devices\b/);
  });

  test('timestamps travel as Athena-friendly literals', () => {
    // As parameters (WHERE) or inlined (elsewhere): the same text either way.
    const inlined = (q.sql.match(/'(?:[^']|'')*'/g) ?? []).map((l) => l.slice(1, -1));
    const stamps = [...q.params, ...inlined].filter((p): p is string => typeof p === 'string' && /^\d{4}-\d\d-\d\d[ T]/.test(p));
    expect(stamps.length).toBeGreaterThan(0);
    for (const s of stamps) expect(s).toMatch(STAMP);
    expect(stamps).toContain('2026-05-25 12:00:00.000'); // within_last_days 7 from NOW
    expect(stamps).toContain('2026-05-01 00:00:00.000'); // before '2026-05-01' = 00:00 UTC
    expect(stamps).toContain('2026-05-01 10:00:00.000');
  });
});

test('the insights query keeps every value a WHERE parameter', () => {
  const q = compileEngagement({ tenantId: 'acme', campaignIds: ['c-1', "c'2"], since: NOW, attributionWindowHours: 24 }, trinoDialect);
  expect(() => checkAthenaSql(q.sql, q.params.map(athenaLiteral))).not.toThrow();
});

test('explain uses the Trino JSON and date formatting', () => {
  const { sql } = compileExplain(EVERY_FILTER, ctx, trinoDialect, 'd-1').query;
  expect(sql).toContain('json_format(CAST(array_agg(product_id) FILTER (WHERE');
  expect(sql).toContain('format_datetime(');
});

test('dialects differ only in their small expressions', () => {
  expect(dialectFor('trino')).toBe(trinoDialect);
  expect(dialectFor('duckdb')).toBe(duckdbDialect);
  const duck = compileEstimate(EVERY_FILTER, ctx, duckdbDialect);
  const trino = compileEstimate(EVERY_FILTER, ctx, trinoDialect);
  // Estimates use no dialect-specific expression beyond the shared timestamp cast: the two differ
  // only in which values travel as parameters (DuckDB binds all), not in the statement they make.
  expect(substituted(trino)).toBe(substituted(duck));
  expect(duck.sql).not.toBe(trino.sql);
});
