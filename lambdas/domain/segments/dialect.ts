/**
 * What differs between DuckDB (local) and Trino (Athena). The compiler writes portable SQL and
 * asks the dialect only for these few expressions.
 */
import type { Frag } from './sql-fragment';

export interface SqlDialect {
  readonly name: 'duckdb' | 'trino';
  /** A timestamp value as a bound parameter (both engines store `ts` as UTC TIMESTAMP). */
  timestamp(at: Date): Frag;
  /** ISO-8601 text (`2026-11-28T17:00:00.000Z`) of a TIMESTAMP expression, for explain output. */
  isoText(expr: Frag): Frag;
  /** JSON array text of the string values of `value` on rows where `condition` holds (null when none). */
  jsonArrayAgg(value: Frag, condition: Frag): Frag;
  /**
   * An expression placed outside a WHERE clause (select list, CASE in an aggregate, aggregate
   * FILTER). Athena accepts `?` only in WHERE clauses, so Trino writes its values as literals;
   * DuckDB keeps them bound.
   */
  outsideWhere(expr: Frag): Frag;
}

/** 'YYYY-MM-DD HH:MM:SS.mmm' in UTC: a TIMESTAMP literal both engines parse the same way. */
export function timestampText(at: Date): string {
  if (Number.isNaN(at.getTime())) throw new Error('invalid date');
  return at.toISOString().replace('T', ' ').replace('Z', '');
}
