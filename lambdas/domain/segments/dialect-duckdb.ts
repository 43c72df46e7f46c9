/** DuckDB dialect: the local world's query engine. */
import { timestampText, type SqlDialect } from './dialect';
import { sql, trusted } from './sql-fragment';

export const duckdbDialect: SqlDialect = {
  name: 'duckdb',
  timestamp: (at) => sql`CAST(${timestampText(at)} AS TIMESTAMP)`,
  isoText: (expr) => sql`strftime(${expr}, ${trusted("'%Y-%m-%dT%H:%M:%S.%gZ'")})`,
  jsonArrayAgg: (value, condition) => sql`CAST(to_json(array_agg(${value}) FILTER (WHERE ${condition})) AS VARCHAR)`,
  // DuckDB binds a parameter anywhere: values stay parameters (plan reuse, nothing to escape).
  outsideWhere: (expr) => expr,
};
