/**
 * Tenant settings (API.md "Settings"): PUT replaces the whole object and every omitted field takes
 * its default, so the stored object is always complete.
 */
import * as z from 'zod';
import { HH_MM } from './campaigns/quiet-hours';
import { isTimeZone } from './time-zones';
import { parseWith } from './validation';

const intIn = (min: number, max: number) =>
  z.number().int('must be an integer').min(min, `must be between ${min} and ${max}`).max(max, `must be between ${min} and ${max}`);

/** At most `maxPerDevice` pushes per device in any `windowHours` window. */
export const frequencyCapSchema = z.strictObject({
  maxPerDevice: intIn(1, 100),
  windowHours: intIn(1, 720),
});

const hhmm = z.string().regex(HH_MM, 'must be a time HH:mm (00:00-23:59)');

/** Daily quiet window in the device's local time; may wrap midnight (21:00–08:00). */
export const quietHoursSchema = z
  .strictObject({ start: hhmm, end: hhmm })
  .refine((q) => q.start !== q.end, { message: 'must differ from start', path: ['end'] });

/** The values an omitted field takes. */
export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  frequencyCap: null,
  quietHours: null,
  attributionWindowHours: 24,
  defaultTimezone: 'UTC',
});

/** The PUT /v1/settings body; the output is complete (defaults filled in). */
export const settingsSchema = z.strictObject({
  frequencyCap: frequencyCapSchema.nullable().default(null),
  quietHours: quietHoursSchema.nullable().default(null),
  attributionWindowHours: intIn(1, 720).default(24),
  defaultTimezone: z.string().refine(isTimeZone, 'must be an IANA time zone such as America/New_York').default('UTC'),
});

/** Complete tenant settings. */
export interface Settings {
  frequencyCap: { maxPerDevice: number; windowHours: number } | null;
  quietHours: { start: string; end: string } | null;
  attributionWindowHours: number;
  defaultTimezone: string;
}

/** Parse a PUT body (or a stored object) into complete settings, or throw ValidationError. */
export function parseSettings(input: unknown): Settings {
  return parseWith(settingsSchema, input);
}

/** The settings of a tenant that never saved any. */
export function defaultSettings(): Settings {
  return { ...DEFAULT_SETTINGS };
}
