/**
 * Queries run inside an HTTP request (explain, wave planning at launch) wait at most the request's
 * budget. API Gateway gives up after 30 s and the HTTP functions stop at 29 s: a Lambda killed
 * mid-wait would answer a bare 503 from API Gateway and leave its Athena query running. So the
 * engine is built with a shorter timeout (QUERY_TIMEOUT_MS, set by CDK) and stops the query when it
 * gives up; this budget is the backstop for an engine that hangs, and both end in QueryTimeoutError
 * (503 `query_timeout`, "retry in a moment").
 */
import { QueryTimeoutError } from '../../domain/errors';
import { QueryTimedOutError, type QueryEngine, type Row, type SqlQuery } from '../../ports/query-engine';

/** The longest an HTTP use case waits for one query: under the 29 s HTTP function timeout, with room to answer. */
export const HTTP_QUERY_BUDGET_MS = 25_000;

export interface QueryBudget {
  /** Milliseconds this request may wait for the query (default HTTP_QUERY_BUDGET_MS). */
  queryBudgetMs?: number;
  /** Injectable timer (tests pass a fake clock's); resolves when `ms` have passed. */
  sleep?: (ms: number) => Promise<void>;
}

/** engine.run within the budget, or QueryTimeoutError (also when the engine itself timed out and stopped the query). */
export async function runWithinBudget(engine: QueryEngine, query: SqlQuery, budget: QueryBudget = {}): Promise<Row[]> {
  const ms = budget.queryBudgetMs ?? HTTP_QUERY_BUDGET_MS;
  let clear = () => {};
  const expired = new Promise<'expired'>((resolve) => {
    if (budget.sleep) {
      void budget.sleep(ms).then(() => resolve('expired'));
      return;
    }
    const timer = setTimeout(() => resolve('expired'), ms);
    timer.unref?.(); // never keeps a local server or a test run alive
    clear = () => clearTimeout(timer);
  });
  try {
    const result = await Promise.race([engine.run(query), expired]);
    if (result === 'expired') throw new QueryTimeoutError(ms);
    return result;
  } catch (err) {
    if (err instanceof QueryTimedOutError) throw new QueryTimeoutError(ms);
    throw err;
  } finally {
    clear();
  }
}
