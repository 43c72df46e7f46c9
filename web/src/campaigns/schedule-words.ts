/**
 * A schedule in the merchant's words, for the launch review and under the date pickers:
 * "Tue 1 Dec 09:00 New York time (14:00 UTC, in 3 h)". Pure: `now` and the zone list are parameters.
 */
import type { Schedule } from '../api/types';
import { timeZones, zoneCity, zonedParts, zonedToUtc } from '../lib/time-zones';

/** What the composer holds: an `at` without seconds is fine. */
export type ScheduleLike =
  { type: 'now' } | { type: 'at'; at: string; timezone: string } | { type: 'local'; at: string; fallbackTimezone: string };

/** "New York time", "UTC". */
export const zoneWords = (zone: string) => (zone === 'UTC' ? 'UTC' : `${zoneCity(zone)} time`);

/** "Tue 1 Dec 09:00" on the wall clock of `zone`. */
export function fmtDay(d: Date, zone: string, withTime = true): string {
  const get = zonedParts(d, zone, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }, 'en-GB');
  const day = `${get('weekday')} ${get('day')} ${get('month')}`;
  return withTime ? `${day} ${get('hour')}:${get('minute')}` : day;
}

/** "14:00 UTC", with the day when it differs from the day in `sameDayAs` zone. */
function utcWords(d: Date, dayOf?: Date): string {
  const time = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d);
  const differentDay = dayOf && d.toISOString().slice(0, 10) !== dayOf.toISOString().slice(0, 10);
  return differentDay ? `${time} UTC on ${fmtDay(d, 'UTC', false)}` : `${time} UTC`;
}

/** "in 3 min", "in 3 h", "in 2 h 30 min", "in 4 days", "5 min ago", "now". */
export function relativeWords(target: Date, now: Date): string {
  const mins = Math.round((target.getTime() - now.getTime()) / 60000);
  const a = Math.abs(mins);
  let span: string;
  if (a === 0) return 'now';
  if (a < 60) span = `${a} min`;
  else if (a < 48 * 60) {
    const h = Math.floor(a / 60);
    const m = a % 60;
    span = m === 0 || h >= 10 ? `${Math.round(a / 60)} h` : `${h} h ${m} min`;
  } else span = `${Math.round(a / 1440)} days`;
  return mins > 0 ? `in ${span}` : `${span} ago`;
}

/** "That is 04:47 UTC, in 3 min" under a chosen moment; says so when the moment has passed. */
export function momentNote(local: string, zone: string, now: Date): { text: string; past: boolean } | null {
  const at = zonedToUtc(local, zone);
  if (!at) return null;
  const past = at.getTime() <= now.getTime();
  const utc = utcWords(at, now);
  return past
    ? { text: `That is ${utc}, ${relativeWords(at, now)}: the moment has passed.`, past }
    : { text: `That is ${utc}, ${relativeWords(at, now)}.`, past };
}

/** The earliest and latest UTC moments a wall-clock time is reached across `zones` (east first). */
export function localSpan(local: string, zones: string[]): { first: Date; last: Date } | null {
  const moments = zones.map((z) => zonedToUtc(local, z)).filter((d): d is Date => d !== null);
  if (moments.length === 0) return null;
  const times = moments.map((d) => d.getTime());
  return { first: new Date(Math.min(...times)), last: new Date(Math.max(...times)) };
}

/**
 * The schedule as one sentence:
 * - now: "Now, as soon as you confirm"
 * - at: "Tue 1 Dec 09:00 New York time (14:00 UTC, in 3 h)"
 * - local: "09:00 in each device's time zone from Tue 1 Dec (the first time zones reach it at 19:00 UTC on
 *   Mon 30 Nov, in 5 h; the last at 21:00 UTC on Tue 1 Dec); devices without a time zone: New York time".
 */
export function scheduleInWords(s: ScheduleLike | Schedule, now: Date, zones: string[] = timeZones()): string {
  if (s.type === 'now') return 'Now, as soon as you confirm';
  if (s.type === 'at') {
    const at = zonedToUtc(s.at, s.timezone);
    if (!at) return s.at;
    const utc = s.timezone === 'UTC' ? relativeWords(at, now) : `${utcWords(at)}, ${relativeWords(at, now)}`;
    return `${fmtDay(at, s.timezone)} ${zoneWords(s.timezone)} (${utc})`;
  }
  const wall = s.at.slice(11, 16);
  const day = zonedToUtc(s.at, 'UTC');
  const span = localSpan(s.at, zones);
  const head = `${wall} in each device's time zone from ${day ? fmtDay(day, 'UTC', false) : s.at.slice(0, 10)}`;
  const last = span ? `the last at ${utcWords(span.last, day ?? undefined)}, ${relativeWords(span.last, now)}` : '';
  const spanWords = !span
    ? ''
    : span.first.getTime() > now.getTime()
      ? ` (the first time zones reach it at ${utcWords(span.first, day ?? undefined)}, ${relativeWords(span.first, now)}; ${last})`
      : span.last.getTime() > now.getTime()
        ? ` (already passed in the first time zones; ${last})`
        : ' (passed in every time zone)';
  return `${head}${spanWords}; devices without a time zone: ${zoneWords(s.fallbackTimezone)}`;
}

/** What the merchant should know before confirming this schedule (empty when nothing). */
export function scheduleWarnings(s: ScheduleLike | Schedule, now: Date, zones: string[] = timeZones()): string[] {
  if (s.type === 'at') {
    const at = zonedToUtc(s.at, s.timezone);
    return at && at.getTime() <= now.getTime() ? ['This moment has already passed: pick a later time, or send now.'] : [];
  }
  if (s.type === 'local') {
    const span = localSpan(s.at, zones);
    if (span && span.last.getTime() <= now.getTime())
      return [`${s.at.slice(11, 16)} on that day has passed in every time zone: pick a later day.`];
    if (span && span.first.getTime() <= now.getTime()) {
      const ifPassed = (s as { ifPassed?: string }).ifPassed ?? 'send_now';
      const what =
        ifPassed === 'skip'
          ? 'devices there are left out'
          : ifPassed === 'next_day'
            ? 'devices there receive it at that time the next day'
            : 'devices there receive it as soon as you confirm';
      return [`${s.at.slice(11, 16)} has already passed in some time zones: ${what}.`];
    }
  }
  return [];
}
