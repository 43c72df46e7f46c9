/**
 * Opens and conversions per hour (uPlot), from the insights `timeline`. Hours after `until` (the figures'
 * `asOf`) have not happened yet: they are left out, not drawn as zero opens.
 */
import type uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { HourPoint, Insights } from '../api/types';
import { AXIS, usePlot } from '../lib/use-plot';
import { timeAxisRange } from './chart-range';

export function InsightsChart({ timeline, until }: { timeline: Insights['timeline']; until: string }) {
  const box = usePlot(() => {
    const end = Date.parse(until);
    const hours = (timeline as readonly Insights['timeline'][number][]).filter((p): p is HourPoint => 'hour' in p);
    const points = hours.filter((p) => !(Date.parse(p.hour) > end)).sort((a, b) => a.hour.localeCompare(b.hour));
    const data: uPlot.AlignedData = [
      points.map((p) => Date.parse(p.hour) / 1000),
      points.map((p) => p.opens),
      points.map((p) => p.conversions),
    ];
    const opts = {
      series: [
        {},
        { label: 'Opens', stroke: '#4f46e5', fill: 'rgba(79,70,229,0.12)', width: 2 },
        { label: 'Conversions', stroke: '#059669', fill: 'rgba(5,150,105,0.10)', width: 2 },
      ],
      axes: [AXIS, AXIS],
      // From the points themselves: uPlot widens a lone point's span (to years) before any range callback sees it.
      scales: { x: { time: true, range: () => timeAxisRange(data[0][0] ?? null, data[0].at(-1) ?? null) } },
      cursor: { drag: { x: false, y: false } },
    } satisfies Omit<uPlot.Options, 'width' | 'height'>;
    return { opts, data };
  }, [timeline, until]);
  return <div ref={box} class="chart" role="img" aria-label="Opens and conversions per hour" data-testid="insights-chart" />;
}
