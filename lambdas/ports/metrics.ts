/** Operational metrics (Powertools/CloudWatch in AWS; nothing locally). */
import type { MetricName } from '../config/metric-names';

export interface Metrics {
  /** Add to a counter, optionally split by one dimension (e.g. reason=frequencyCap). */
  count(name: MetricName, value: number, dimension?: { name: string; value: string }): void;
  /** Record a duration in milliseconds. */
  timing(name: MetricName, ms: number): void;
  /** Record a delay in seconds (alarmed on its maximum). */
  seconds(name: MetricName, s: number): void;
}

export const noMetrics: Metrics = { count: () => undefined, timing: () => undefined, seconds: () => undefined };
