/** The timelines of insights: hourly for a campaign, per UTC day for an automated campaign. */
import { TIMELINE_DAYS, TIMELINE_HOURS, type DayPoint, type TimelinePoint } from './figures';

const HOUR_MS = 3_600_000;

/** TIMELINE_HOURS hourly buckets from `start`; times outside them are not drawn. */
export function timeline(start: Date, opens: readonly string[], conversions: readonly string[]): TimelinePoint[] {
  const points: TimelinePoint[] = Array.from({ length: TIMELINE_HOURS }, (_, i) => ({
    hour: new Date(start.getTime() + i * HOUR_MS).toISOString(),
    opens: 0,
    conversions: 0,
  }));
  const bucket = (iso: string) => Math.floor((Date.parse(iso) - start.getTime()) / HOUR_MS);
  for (const o of opens) {
    const i = bucket(o);
    if (i >= 0 && i < TIMELINE_HOURS) points[i].opens++;
  }
  for (const c of conversions) {
    const i = bucket(c);
    if (i >= 0 && i < TIMELINE_HOURS) points[i].conversions++;
  }
  return points;
}

/** One point per UTC day from the launch's day to `asOf`'s (the latest TIMELINE_DAYS), with the day's pushes, first opens and conversions. */
export function dailyTimeline(
  startedAt: string,
  asOf: string,
  daily: readonly { day: string; sent: number }[],
  opens: readonly string[],
  conversions: readonly string[],
): DayPoint[] {
  const dayMs = 86_400_000;
  const last = Math.floor(Date.parse(asOf) / dayMs);
  const first = Math.max(Math.floor(Date.parse(startedAt) / dayMs), last - TIMELINE_DAYS + 1);
  const points = new Map<string, DayPoint>();
  for (let d = first; d <= last; d++) {
    const day = new Date(d * dayMs).toISOString().slice(0, 10);
    points.set(day, { day, sent: 0, opens: 0, conversions: 0 });
  }
  for (const d of daily) {
    const p = points.get(d.day);
    if (p) p.sent += d.sent;
  }
  for (const o of opens) {
    const p = points.get(o.slice(0, 10));
    if (p) p.opens++;
  }
  for (const c of conversions) {
    const p = points.get(c.slice(0, 10));
    if (p) p.conversions++;
  }
  return [...points.values()];
}
