/**
 * Runs a compiled, parameterised SQL query over the event lake (tables `events` and `devices`).
 * Locally DuckDB; in AWS Athena. Values reach the engine only as bound parameters.
 */
export type SqlParam = string | number | boolean | null;

export interface SqlQuery {
  sql: string;
  params: SqlParam[];
}

export type Row = Record<string, string | number | boolean | null>;

export type QueryHandle = { id: string };

export type QueryOutcome =
  | { status: 'running' }
  | { status: 'succeeded'; rows: Row[] }
  | { status: 'failed'; error: string };

export interface QueryEngine {
  /** Which SQL dialect this engine speaks (picks the compiler's dialect module). */
  readonly dialect: 'duckdb' | 'trino';
  /** Run to completion and return all rows (BigInts come back as numbers). */
  run(query: SqlQuery): Promise<Row[]>;
  /** Start without waiting; for engines where a query may outlive a request (Athena). */
  start(query: SqlQuery): Promise<QueryHandle>;
  /** Poll a started query. */
  poll(handle: QueryHandle): Promise<QueryOutcome>;
}

/** The engine failed to run a query (not the caller's fault). */
export class QueryFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueryFailedError';
  }
}

/** The engine gave up waiting for a query (and stopped it): a later retry may well succeed. */
export class QueryTimedOutError extends QueryFailedError {
  constructor(message: string) {
    super(message);
    this.name = 'QueryTimedOutError';
  }
}
