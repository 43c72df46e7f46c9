/** The Trino (Athena) SQL: only `?` for values, Trino syntax, no DuckDB-only constructs. */
import { compileEstimate, compileMemberZones, compileMembers, compileSample, dialectFor, type CompileContext } from '../../../../lambdas/domain/segments/compiler';
import { duckdbDialect } from '../../../../lambdas/domain/segments/dialect-duckdb';
import { trinoDialect } from '../../../../lambdas/domain/segments/dialect-trino';
import { compileExplain } from '../../../../lambdas/domain/segments/explain';
import type { SqlQuery } from '../../../../lambdas/ports/query-engine';
import { EVERY_FILTER, NOW, OTHER_SEGMENT } from './fixtures';

const ctx: CompileContext = { tenantId: 'acme', now: NOW, segments: new Map([['seg-other', OTHER_SEGMENT]]) };

const queries: [string, SqlQuery][] = [
  ['estimate', compileEstimate(EVERY_FILTER, ctx, trinoDialect)],
  ['sample', compileSample(EVERY_FILTER, ctx, trinoDialect, 20)],
  ['members', compileMembers(EVERY_FILTER, ctx, trinoDialect, { limit: 500, afterDeviceId: 'd-9', zone: { timezone: 'Asia/Tokyo', includeMissing: true } })],
  ['zones', compileMemberZones(EVERY_FILTER, ctx, trinoDialect)],
  ['explain', compileExplain(EVERY_FILTER, ctx, trinoDialect, 'd-1').query],
];

// The only quoted text allowed: event types from our allowlist and the dialect's own format pattern.
const ALLOWED_LITERALS = new Set(["'app_open'", "'purchase'", "'push_open'", "'add_to_cart'", "'custom'", "'product_view'", "'product_favorite'", "'yyyy-MM-dd''T''HH:mm:ss.SSS''Z'''"]);
const USER_VALUES = ['acme', 'sku-1', 'sku-2', 'sku-3', 'level_up', 'US', 'CA', 'android', 'd-9', 'd-1', 'Asia/Tokyo', '2026-05-01'];

describe.each(queries)('trino %s', (_name, q) => {
  test('values only as ? parameters', () => {
    expect(q.sql.split('?').length - 1).toBe(q.params.length);
    const literals = q.sql.match(/'(?:[^']|'')*'/g) ?? [];
    for (const l of literals) expect(ALLOWED_LITERALS).toContain(l);
    // Whole tokens only: "CA" is a user value, "CASE" is SQL.
    for (const v of USER_VALUES) expect(q.sql).not.toMatch(new RegExp(`(?<![A-Za-z0-9_])${v.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')}(?![A-Za-z0-9_])`));
    expect(q.params).toContain('acme');
  });

  test('Trino syntax only', () => {
    for (const banned of [/\blist\s*\(/i, /epoch_ms/i, /::/, /\bstrftime\b/i, /\barg_max\b/i, /\bQUALIFY\b/i, /\bto_json\b/i, /\bINTERVAL\b/i, /\bnow\(\)/i, /current_timestamp/i, /"/]) {
      expect(q.sql).not.toMatch(banned);
    }
    expect(q.sql).toContain('CAST(? AS TIMESTAMP)');
    expect(q.sql).toMatch(/FROM events\b/);
    expect(q.sql).toMatch(/FROM devices\b/);
  });

  test('timestamps travel as Athena-friendly literals', () => {
    const stamps = q.params.filter((p) => typeof p === 'string' && /^\d{4}-\d\d-\d\d[ T]/.test(p));
    expect(stamps.length).toBeGreaterThan(0);
    for (const s of stamps) expect(s).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/);
    expect(stamps).toContain('2026-05-25 12:00:00.000'); // within_last_days 7 from NOW
    expect(stamps).toContain('2026-05-01 00:00:00.000'); // before '2026-05-01' = 00:00 UTC
    expect(stamps).toContain('2026-05-01 10:00:00.000');
  });
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
  expect(duck).toEqual(trino); // estimates use no dialect-specific expression beyond the shared timestamp cast
});
