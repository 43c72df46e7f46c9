/** Test helper: a query engine that refuses every call; a fake extends it and overrides only what its test uses. */
import type { QueryEngine, QueryHandle, QueryOutcome, ResultPage, Row, SqlQuery } from '../../lambdas/ports/query-engine';

export class UnusedQueryEngine implements QueryEngine {
  constructor(readonly dialect: 'duckdb' | 'trino' = 'duckdb') {}
  async run(_query: SqlQuery): Promise<Row[]> {
    throw new Error('not used');
  }
  async start(_query: SqlQuery): Promise<QueryHandle> {
    throw new Error('not used');
  }
  async poll(_handle: QueryHandle): Promise<QueryOutcome> {
    throw new Error('not used');
  }
  async startResult(_query: SqlQuery): Promise<QueryHandle> {
    throw new Error('not used');
  }
  async readPage(_handle: QueryHandle, _page: string | null, _rows: number): Promise<ResultPage> {
    throw new Error('not used');
  }
}
