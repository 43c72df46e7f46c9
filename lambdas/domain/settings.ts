/**
 * Tenant settings (API.md "Settings"): PUT replaces the whole object and every omitted field takes
 * its default, so the stored object is always complete.
 */
import * as z from 'zod';
import { HH_MM } from './campaigns/quiet-hours';
import { deviceIdSchema } from './devices/device';
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

/** Test devices a tenant may keep (API.md v1.1 "Test send"); a test send pushes at most this many. */
export const MAX_TEST_DEVICES = 20;

/**
 * Device ids the merchant's test sends go to. Each must be a device of the tenant when the settings
 * are saved (checked by the use case, which reports `testDevices[i]`); a repeated id is dropped, not
 * refused (the UI may add the same phone twice).
 */
export const testDevicesSchema = z
  .array(deviceIdSchema)
  .max(MAX_TEST_DEVICES, `must hold at most ${MAX_TEST_DEVICES} device ids`)
  .describe(
    `device ids (at most ${MAX_TEST_DEVICES}) that POST /v1/campaigns/{id}/test pushes to by default; each must be a registered device of the tenant when saved (else 400 with testDevices[i]); repeats are dropped`,
  );

/** The values an omitted field takes. */
export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  frequencyCap: null,
  quietHours: null,
  attributionWindowHours: 24,
  defaultTimezone: 'UTC',
  testDevices: [],
});

/** The PUT /v1/settings body; the output is complete (defaults filled in). */
export const settingsSchema = z.strictObject({
  frequencyCap: frequencyCapSchema.nullable().default(null),
  quietHours: quietHoursSchema.nullable().default(null),
  attributionWindowHours: intIn(1, 720).default(24),
  defaultTimezone: z.string().refine(isTimeZone, 'must be an IANA time zone such as America/New_York').default('UTC'),
  testDevices: testDevicesSchema.default([]),
});

/** Complete tenant settings. */
export interface Settings {
  frequencyCap: { maxPerDevice: number; windowHours: number } | null;
  quietHours: { start: string; end: string } | null;
  attributionWindowHours: number;
  defaultTimezone: string;
  testDevices: string[];
}

/** Parse a PUT body (or a stored object) into complete settings, or throw ValidationError. */
export function parseSettings(input: unknown): Settings {
  return parseWith(settingsSchema, input);
}

/** The settings of a tenant that never saved any. */
export function defaultSettings(): Settings {
  return { ...DEFAULT_SETTINGS, testDevices: [] };
}

/** Stored settings with the fields added since they were saved (testDevices) defaulted. */
export function withDefaults(stored: Partial<Settings>): Settings {
  return { ...defaultSettings(), ...stored };
}

/** Each id once, in the order first given. */
export function uniqueIds(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}
