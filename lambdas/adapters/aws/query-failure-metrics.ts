/** Counts failed engine queries (the Athena alarm watches this metric). */
import { METRICS } from '../../config/metric-names';
import type { Metrics } from '../../ports/metrics';
import type { QueryEngine } from '../../ports/query-engine';

export function countingQueryFailures(engine: QueryEngine, metrics: Metrics): QueryEngine {
  const counted = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (err) {
      metrics.count(METRICS.athenaQueryFailed, 1);
      throw err;
    }
  };
  return {
    dialect: engine.dialect,
    run: async (q) => {
      try {
        return await engine.run(q);
      } catch (err) {
        metrics.count(METRICS.athenaQueryFailed, 1);
        throw err;
      }
    },
    start: (q) => engine.start(q),
    startResult: (q) => counted(() => engine.startResult(q)),
    readPage: (h, page, rows) => counted(() => engine.readPage(h, page, rows)),
    poll: async (h) => {
      const out = await engine.poll(h);
      if (out.status === 'failed') metrics.count(METRICS.athenaQueryFailed, 1);
      return out;
    },
  };
}
