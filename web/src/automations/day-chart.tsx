/** Sent, opens and conversions per day (uPlot), days on the x axis: an automation's insights timeline. */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { DayPoint } from '../api/types';
import { AXIS, usePlot } from '../lib/use-plot';

const DAY_S = 86_400;
const COUNT_INCRS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 2e6, 5e6];
const dayStart = (day: string) => Date.parse(`${day}T00:00:00Z`) / 1000;

/** The x range: the points' days, and half a day either side so the first and last points are not on the edge. */
export function dayAxisRange(first: number | null, last: number | null): [number, number] {
  const lo = first ?? 0;
  const hi = last ?? lo;
  return [lo - DAY_S / 2, hi + DAY_S / 2];
}

export function DayChart({ points }: { points: DayPoint[] }) {
  const box = usePlot(() => {
    const sorted = [...points].sort((a, b) => a.day.localeCompare(b.day));
    const data: uPlot.AlignedData = [
      sorted.map((p) => dayStart(p.day)),
      sorted.map((p) => p.sent),
      sorted.map((p) => p.opens),
      sorted.map((p) => p.conversions),
    ];
    const opts = {
      // Days are UTC days: read them in UTC, not shifted into the browser's zone.
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      series: [
        { value: (_u, v) => (v === null ? '—' : new Date(v * 1000).toISOString().slice(0, 10)) },
        { label: 'Sent', stroke: '#0ea5e9', width: 2, points: { show: true } },
        { label: 'Opens', stroke: '#4f46e5', fill: 'rgba(79,70,229,0.10)', width: 2, points: { show: true } },
        { label: 'Conversions', stroke: '#059669', width: 2, points: { show: true } },
      ],
      axes: [
        { ...AXIS, space: 60, incrs: [DAY_S, 2 * DAY_S, 7 * DAY_S, 14 * DAY_S, 30 * DAY_S] },
        // Counts: whole-number ticks only.
        { ...AXIS, incrs: COUNT_INCRS },
      ],
      scales: {
        x: { time: true, range: () => dayAxisRange(data[0][0] ?? null, data[0].at(-1) ?? null) },
        y: { range: (_u, _min, max) => [0, Math.max(1, max ?? 0)] },
      },
      cursor: { drag: { x: false, y: false } },
    } satisfies Omit<uPlot.Options, 'width' | 'height'>;
    return { opts, data };
  }, [points]);
  return <div ref={box} class="chart" role="img" aria-label="Sent, opens and conversions per day" data-testid="day-chart" />;
}
