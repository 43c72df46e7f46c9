/** Start a query and wait for it a bounded time: the answer, or the handle to poll later. */
import { backoffDelay, QUERY_WAIT_POLL } from '../../domain/backoff';
import { QueryFailedError, type QueryEngine, type QueryHandle, type Row, type SqlQuery } from '../../ports/query-engine';

export type Waited = { done: true; rows: Row[] } | { done: false; handle: QueryHandle };

export async function runWithin(engine: QueryEngine, query: SqlQuery, waitMs: number, sleep = defaultSleep): Promise<Waited> {
  const handle = await engine.start(query);
  const deadline = Date.now() + waitMs;
  for (let attempt = 0; ; attempt++) {
    const outcome = await engine.poll(handle);
    if (outcome.status === 'succeeded') return { done: true, rows: outcome.rows };
    if (outcome.status === 'failed') throw new QueryFailedError(outcome.error);
    const delay = backoffDelay(attempt, QUERY_WAIT_POLL);
    if (Date.now() + delay > deadline) return { done: false, handle };
    await sleep(delay);
  }
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
