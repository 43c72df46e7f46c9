/**
 * The time axis (seconds): the points' span, or an hour around a single point (uPlot would
 * otherwise stretch one point's axis over years).
 */
export function timeAxisRange(min: number | null, max: number | null): [number, number] {
  const lo = min ?? 0;
  const hi = max ?? lo;
  return hi > lo ? [lo, hi] : [lo - 1800, lo + 1800];
}
