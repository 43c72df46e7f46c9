/**
 * Runs a compiled, parameterised SQL query over the event lake (tables `events` and `devices`).
 * Locally DuckDB; in AWS Athena. Values reach the engine only as bound parameters.
 */
import type { Row, SqlQuery } from '../domain/sql';

// The query and row shapes are the compiler's (domain); re-exported for the port's users.
export type { Row, SqlParam, SqlQuery } from '../domain/sql';

export type QueryHandle = { id: string };

export type QueryOutcome = { status: 'running' } | { status: 'succeeded'; rows: Row[] } | { status: 'failed'; error: string };

/** One page of a started result, and where the next one starts (null: this was the last). */
export interface ResultPage {
  rows: Row[];
  next: string | null;
}

export interface QueryEngine {
  /** Which SQL dialect this engine speaks (picks the compiler's dialect module). */
  readonly dialect: 'duckdb' | 'trino';
  /** Run to completion and return all rows (BigInts come back as numbers). */
  run(query: SqlQuery): Promise<Row[]>;
  /** Start without waiting; for engines where a query may outlive a request (Athena). */
  start(query: SqlQuery): Promise<QueryHandle>;
  /** Poll a started query. */
  poll(handle: QueryHandle): Promise<QueryOutcome>;
  /**
   * Run a query ONCE for reading its result page by page (a wave's audience): the handle's id names
   * that one result and can be stored, so a later process reads on without running it again.
   */
  startResult(query: SqlQuery): Promise<QueryHandle>;
  /**
   * Up to `rows` rows of a started result from `page` (null = its first page), waiting (bounded) while
   * it still runs. Fewer rows do not mean the end; `next: null` does. Throws QueryResultLostError
   * when the engine no longer has that result (failed, stopped, or forgotten by a restart).
   */
  readPage(handle: QueryHandle, page: string | null, rows: number): Promise<ResultPage>;
}

/** The engine failed to run a query (not the caller's fault). */
export class QueryFailedError extends Error {
  override name = 'QueryFailedError';
}

/** The engine has no result for this handle any more (it failed, was stopped or forgotten): run the query again. */
export class QueryResultLostError extends QueryFailedError {
  override name = 'QueryResultLostError';
}

/** The engine gave up waiting for a query (and stopped it): a later retry may well succeed. */
export class QueryTimedOutError extends QueryFailedError {
  override name = 'QueryTimedOutError';
}
