/**
 * Trino dialect (Athena engine v3). Athena substitutes execution parameters as SQL literals, so
 * a timestamp travels as the text 'YYYY-MM-DD HH:MM:SS.mmm' and is CAST in the query. Athena
 * takes a `?` only in a WHERE clause: values elsewhere are written with the one escaping function.
 */
import { athenaLiteral } from './athena-literal';
import { timestampText, type SqlDialect } from './dialect';
import { inlineParams, sql, trusted } from './sql-fragment';

export const trinoDialect: SqlDialect = {
  name: 'trino',
  timestamp: (at) => sql`CAST(${timestampText(at)} AS TIMESTAMP)`,
  isoText: (expr) => sql`format_datetime(${expr}, ${trusted("'yyyy-MM-dd''T''HH:mm:ss.SSS''Z'''")})`,
  jsonArrayAgg: (value, condition) => sql`json_format(CAST(array_agg(${value}) FILTER (WHERE ${condition}) AS JSON))`,
  outsideWhere: (expr) => inlineParams(expr, athenaLiteral),
};
