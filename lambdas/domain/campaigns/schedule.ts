/**
 * Campaign schedules (API.md "Campaigns"): the schema and the plan of send waves. A `local`
 * schedule becomes one wave per time zone present among the targeted devices, each at the same
 * wall-clock time in its zone; EventBridge Scheduler (or the local scheduler) fires each wave.
 */
import * as z from 'zod';
import { ValidationError } from '../errors';
import { isTimeZone } from '../time-zones';
import { parseWith } from '../validation';
import { nextDay, parseLocalDateTime, zonedWallClockToUtc } from './zoned-time';

export { zonedWallClockToUtc, wallClockOccurrences, parseLocalDateTime } from './zoned-time';
export type { WallClock } from './zoned-time';
export { nextSendTimeOutsideQuietHours, isInsideQuietHours } from './quiet-hours';
export type { QuietHours } from './quiet-hours';

/** A local date-time without offset, `YYYY-MM-DDTHH:mm[:ss]`. */
export const localDateTimeSchema = z
  .string()
  .refine((s) => parseLocalDateTime(s) !== null, 'must be a local date-time YYYY-MM-DDTHH:mm[:ss] without offset');

/** An IANA time zone name such as America/New_York. */
export const timeZoneSchema = z.string().refine(isTimeZone, 'must be an IANA time zone such as America/New_York');

/** What a `local` schedule does in zones whose wall-clock time has already passed at launch (API.md v1.1). */
export const IF_PASSED = ['send_now', 'next_day', 'skip'] as const;
/** A value of `schedule.ifPassed`; absent means `send_now`. */
export type IfPassed = (typeof IF_PASSED)[number];

const ifPassedSchema = z
  .enum(IF_PASSED)
  .optional()
  .describe(
    'local schedules only: zones whose time has passed at launch get it at once (send_now, the default), at the same wall-clock time the next day (next_day), or not at all (skip, counted under suppressed.timePassed)',
  );

/** `ifPassed` on a schedule that is not `local`: a clear detail instead of zod's "unrecognized key". */
const notLocalIfPassed = z.never({ error: 'is only allowed on a local schedule' }).optional();

/** The campaign `schedule`: now, one moment in a zone, or a wall-clock time in each device's zone. */
export const scheduleSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('now'), ifPassed: notLocalIfPassed }),
    z.strictObject({ type: z.literal('at'), at: localDateTimeSchema, timezone: timeZoneSchema, ifPassed: notLocalIfPassed }),
    z.strictObject({ type: z.literal('local'), at: localDateTimeSchema, fallbackTimezone: timeZoneSchema, ifPassed: ifPassedSchema }),
  ],
  {
    error: (issue) =>
      issue.input === undefined
        ? 'is required'
        : typeof issue.input !== 'object' || issue.input === null
          ? 'must be an object'
          : 'must have type now, at or local',
  },
);

/** A validated schedule. */
export type Schedule = z.output<typeof scheduleSchema>;

/** Parse a schedule or throw ValidationError with paths under `prefix`. */
export function parseSchedule(input: unknown, prefix = 'schedule'): Schedule {
  return parseWith(scheduleSchema, input, prefix);
}

/** One timed send of a campaign. */
export interface Wave {
  /** Stable and safe for scheduler names (`[0-9A-Za-z._-]`): `now`, `at` or `tz-<zone>`. */
  id: string;
  /** The zone whose wall clock this wave follows; null for `now`. */
  timezone: string | null;
  /** When to fire (UTC ISO): the intended moment, or the launch time if that moment has passed. */
  fireAt: string;
  /** The wall-clock moment in UTC (ISO) this wave stands for, even when it fires late. */
  intendedAt: string;
  /** Its moment had passed at launch: send at once rather than drop its devices. */
  pastDue: boolean;
  /** This wave also takes devices that report no time zone. */
  includeMissingTimezone: boolean;
  /**
   * Device time-zone values this wave takes, as stored on devices; null means every device.
   * The fallback wave lists invalid zones too, since such devices fall back to it.
   */
  memberZones: string[] | null;
}

/** The waves of a campaign, ordered by fireAt then id. */
export interface SchedulePlan {
  waves: Wave[];
  /** `ifPassed: skip`: the zones left out because their time had passed at launch (never fired). */
  skipped: Wave[];
}

/** The zone that is last to reach any wall-clock time (UTC−12): after it, a local time has passed everywhere. */
export const LATEST_ZONE = 'Etc/GMT+12';

function pastError(): ValidationError {
  return new ValidationError('schedule.at: is in the past', [{ path: 'schedule.at', message: 'is in the past' }]);
}

/** Wave id for a zone: `/` → `.`, `+` → `_plus_`, so Etc/GMT+5 and Etc/GMT-5 stay distinct. */
export function waveIdForZone(zone: string): string {
  return (
    'tz-' +
    zone
      .replace(/\//g, '.')
      .replace(/\+/g, '_plus_')
      .replace(/[^0-9A-Za-z._-]/g, '_')
  );
}

/**
 * Reject a schedule whose moment is already past, before any device is known (create and update).
 * A `local` schedule is past only once its wall-clock time has passed in the last zone on Earth.
 */
export function assertScheduleNotPast(schedule: Schedule, now: Date): void {
  if (schedule.type === 'now') return;
  const zone = schedule.type === 'at' ? schedule.timezone : LATEST_ZONE;
  if (zonedWallClockToUtc(schedule.at, zone).getTime() < now.getTime()) throw pastError();
}

/**
 * Plan the waves of a schedule at launch. `zones` are the time zones found among the targeted
 * devices (any values, even invalid ones; used by `local` only). Throws ValidationError
 * `schedule.at: is in the past` for an `at` moment already gone, or a `local` time gone in every zone.
 */
export function planSchedule(schedule: Schedule, now: Date, zones: readonly string[] = []): SchedulePlan {
  const nowIso = now.toISOString();
  if (schedule.type === 'now') {
    return {
      waves: [
        { id: 'now', timezone: null, fireAt: nowIso, intendedAt: nowIso, pastDue: false, includeMissingTimezone: true, memberZones: null },
      ],
      skipped: [],
    };
  }
  if (schedule.type === 'at') {
    const moment = zonedWallClockToUtc(schedule.at, schedule.timezone);
    if (moment.getTime() < now.getTime()) throw pastError();
    const iso = moment.toISOString();
    return {
      waves: [
        {
          id: 'at',
          timezone: schedule.timezone,
          fireAt: iso,
          intendedAt: iso,
          pastDue: false,
          includeMissingTimezone: true,
          memberZones: null,
        },
      ],
      skipped: [],
    };
  }
  return planLocal(schedule.at, schedule.fallbackTimezone, schedule.ifPassed ?? 'send_now', now, zones);
}

function planLocal(at: string, fallback: string, ifPassed: IfPassed, now: Date, zones: readonly string[]): SchedulePlan {
  // Group device zone values by the zone they are sent in; invalid ones go with the fallback.
  const members = new Map<string, Set<string>>([[fallback, new Set([fallback])]]);
  for (const zone of zones) {
    const target = isTimeZone(zone) ? zone : fallback;
    let set = members.get(target);
    if (!set) members.set(target, (set = new Set()));
    set.add(zone);
  }
  const planned: Wave[] = [...members].map(([zone, memberSet]) => {
    const moment = zonedWallClockToUtc(at, zone);
    const pastDue = moment.getTime() < now.getTime();
    return {
      id: waveIdForZone(zone),
      timezone: zone,
      fireAt: (pastDue ? now : moment).toISOString(),
      intendedAt: moment.toISOString(),
      pastDue,
      includeMissingTimezone: zone === fallback,
      memberZones: [...memberSet].sort(),
    };
  });
  // Past in every zone means nobody gets it at the chosen time: that is a past schedule, not a late one
  // (whatever ifPassed says: a plan made only of next-day or skipped zones is a different schedule).
  if (planned.every((w) => w.pastDue)) throw pastError();
  const waves: Wave[] = [];
  const skipped: Wave[] = [];
  for (const w of planned) {
    if (!w.pastDue || ifPassed === 'send_now') waves.push(w);
    else if (ifPassed === 'skip') skipped.push(w);
    else {
      // The same wall-clock time one calendar day later, resolved like any schedule (DST gap → next valid minute).
      const tomorrow = zonedWallClockToUtc(nextDay(parseLocalDateTime(at)!), w.timezone!).toISOString();
      waves.push({ ...w, fireAt: tomorrow, intendedAt: tomorrow, pastDue: false });
    }
  }
  const order = (a: Wave, b: Wave) => a.fireAt.localeCompare(b.fireAt) || a.id.localeCompare(b.id);
  return { waves: waves.sort(order), skipped: skipped.sort(order) };
}
