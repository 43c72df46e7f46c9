/** Metrics through Powertools (CloudWatch embedded metric format, flushed by the logMetrics middleware). */
import { Metrics as PowertoolsMetrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MetricName } from '../../config/metric-names';
import type { Metrics } from '../../ports/metrics';

export class PowertoolsMetricsAdapter implements Metrics {
  constructor(readonly metrics: PowertoolsMetrics) {}

  count(name: MetricName, value: number, dimension?: { name: string; value: string }): void {
    if (value === 0) return;
    if (dimension) {
      // A dimension applies to the whole EMF blob, so a split metric goes out on its own.
      const single = this.metrics.singleMetric();
      single.addDimension(dimension.name, dimension.value);
      single.addMetric(name, MetricUnit.Count, value);
      return;
    }
    this.metrics.addMetric(name, MetricUnit.Count, value);
  }

  timing(name: MetricName, ms: number): void {
    this.metrics.addMetric(name, MetricUnit.Milliseconds, ms);
  }

  seconds(name: MetricName, s: number): void {
    this.metrics.addMetric(name, MetricUnit.Seconds, s);
  }
}
