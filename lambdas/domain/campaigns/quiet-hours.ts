/**
 * Quiet hours (API.md "Delivery rules"): a device whose local time is inside them is deferred to
 * the moment they end in its zone, never dropped. Windows may wrap midnight (21:00–08:00).
 */
import { nextDay, wallClockAt, wallClockOccurrences, zonedWallClockToUtc, WallClock } from './zoned-time';

/** A daily window in local time, `HH:mm` each; start is inclusive, end exclusive. */
export interface QuietHours {
  start: string;
  end: string;
}

/** `HH:mm`, 00:00–23:59. */
export const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

function minutesOf(hhmm: string): number {
  const m = HH_MM.exec(hhmm);
  if (!m) throw new RangeError(`not an HH:mm time: ${hhmm}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** True when the wall-clock time of day lies in the window. */
export function isInsideQuietHours(local: Pick<WallClock, 'hour' | 'minute' | 'second'>, quiet: QuietHours): boolean {
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return false; // settings forbid it; an empty window is the only safe reading
  const t = local.hour * 60 + local.minute + local.second / 60;
  return start < end ? t >= start && t < end : t >= start || t < end;
}

/**
 * Null when `now` is outside the quiet hours in `zone`, else the UTC instant they end there.
 * On a DST day the end is resolved like a schedule: a missing time moves to the end of the gap;
 * an ambiguous one takes the first occurrence that is still ahead of `now`.
 */
export function nextSendTimeOutsideQuietHours(now: Date, zone: string, quiet: QuietHours | null): Date | null {
  if (!quiet) return null;
  const local = wallClockAt(now, zone);
  if (!isInsideQuietHours(local, quiet)) return null;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  const t = local.hour * 60 + local.minute + local.second / 60;
  // Inside a wrapping window before midnight: it ends tomorrow; otherwise later today.
  const day = start > end && t >= start ? nextDay(local) : local;
  const endWall: WallClock = { ...day, hour: Math.floor(end / 60), minute: end % 60, second: 0 };
  const ahead = wallClockOccurrences(endWall, zone).filter((ms) => ms > now.getTime());
  if (ahead.length > 0) return new Date(ahead[0]);
  const resolved = zonedWallClockToUtc(endWall, zone);
  // Only reachable in freak tzdb cases; never hand back a moment in the past.
  return resolved.getTime() > now.getTime() ? resolved : new Date(now.getTime());
}
