/**
 * Wall-clock times in IANA zones → UTC instants, with the rules API.md asks for: a time that does
 * not exist (spring-forward gap) moves to the next valid minute, an ambiguous one (fall-back)
 * takes its first occurrence. luxon alone shifts a gap time forward by the gap's length
 * (02:30 → 03:30 in New York), which is not "the next valid minute", hence this module.
 */
import { DateTime, IANAZone } from 'luxon';

/** A calendar date and time of day with no zone attached. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
const HOUR_MS = 3_600_000;

/** Parse `YYYY-MM-DDTHH:mm[:ss]` (no offset, no fraction); null when malformed or not a real date. */
export function parseLocalDateTime(s: string): WallClock | null {
  const m = LOCAL_DATE_TIME.exec(s);
  if (!m) return null;
  const [year, month, day, hour, minute] = [1, 2, 3, 4, 5].map((i) => Number(m[i]));
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (year < 1970 || month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return null;
  // Date.UTC rolls 2026-02-30 over to March; a round trip catches impossible days.
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return { year, month, day, hour, minute, second };
}

function toWallClock(local: string | WallClock): WallClock {
  if (typeof local !== 'string') return local;
  const w = parseLocalDateTime(local);
  if (!w) throw new RangeError(`not a local date-time: ${local}`);
  return w;
}

/** The wall clock read as if it were UTC: the "naive" epoch the offset arithmetic works from. */
function naiveMs(w: WallClock): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

function zoneOf(zone: string): IANAZone {
  const z = IANAZone.create(zone);
  if (!z.isValid) throw new RangeError(`not an IANA time zone: ${zone}`);
  return z;
}

/** Offsets (minutes) in force around the naive time; real zones never change offset twice in 36 h. */
function nearbyOffsets(z: IANAZone, naive: number): number[] {
  const seen = new Set<number>();
  for (let h = -18; h <= 18; h += 3) seen.add(z.offset(naive + h * HOUR_MS));
  return [...seen];
}

/**
 * Every UTC instant (epoch ms, ascending) whose wall clock in `zone` reads `local`: one normally,
 * two in a fall-back overlap, none in a spring-forward gap.
 */
export function wallClockOccurrences(local: string | WallClock, zone: string): number[] {
  const z = zoneOf(zone);
  const naive = naiveMs(toWallClock(local));
  const out = new Set<number>();
  for (const offset of nearbyOffsets(z, naive)) {
    const t = naive - offset * 60_000;
    if (z.offset(t) === offset) out.add(t);
  }
  return [...out].sort((a, b) => a - b);
}

/**
 * The UTC instant of wall-clock `local` in `zone`: the first occurrence when ambiguous, the end of
 * the gap (the first valid minute after it) when the time does not exist that day.
 */
export function zonedWallClockToUtc(local: string | WallClock, zone: string): Date {
  const occurrences = wallClockOccurrences(local, zone);
  if (occurrences.length > 0) return new Date(occurrences[0]);
  return new Date(gapEnd(local, zone));
}

/** The instant the gap containing `local` ends, i.e. when the zone switches to its later offset. */
function gapEnd(local: string | WallClock, zone: string): number {
  const z = zoneOf(zone);
  const naive = naiveMs(toWallClock(local));
  const offsets = nearbyOffsets(z, naive);
  // Reading the wall clock with the larger offset lands before the jump, the smaller one after it.
  let lo = naive - Math.max(...offsets) * 60_000;
  let hi = naive - Math.min(...offsets) * 60_000;
  const before = z.offset(lo);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (z.offset(mid) === before) lo = mid;
    else hi = mid;
  }
  // Transitions fall on whole minutes in tzdb; round up anyway so "next valid minute" always holds.
  return Math.ceil(hi / 60_000) * 60_000;
}

/** The wall clock of a UTC instant in `zone`. */
export function wallClockAt(instant: Date, zone: string): WallClock {
  const d = DateTime.fromMillis(instant.getTime(), { zone: zoneOf(zone) });
  return { year: d.year, month: d.month, day: d.day, hour: d.hour, minute: d.minute, second: d.second };
}

/** The calendar day after `w` (time of day unchanged), computed on the calendar, not on instants. */
export function nextDay(w: WallClock): WallClock {
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day + 1));
  return { ...w, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}
