/**
 * A schedule's waves with the audience counted per wave (API.md v1.1 "Plan preview"): which wave
 * takes the devices of each time zone, how many of them quiet hours will hold at their wave's send
 * time, and how many the frequency cap already holds back. Pure: the counts come from one lake query.
 */
import * as z from 'zod';
import { isTimeZone } from '../time-zones';
import { segmentRefSchema } from './campaign';
import { isInsideQuietHours, type QuietHours } from './quiet-hours';
import { scheduleSchema, type SchedulePlan, type Wave } from './schedule';
import { wallClockAt } from './zoned-time';

/** The body of POST /v1/campaign-plans: an optional segment (absent or null: every opted-in device) and a campaign schedule. */
export const campaignPlanInputSchema = z.strictObject({
  segmentId: segmentRefSchema,
  schedule: scheduleSchema,
});

/** Audience devices whose latest registration reports `timezone` (null: none), and how many of them the cap holds. */
export interface ZoneCount {
  timezone: string | null;
  devices: number;
  capped?: number;
}

/** A wave and its devices. */
export interface CountedWave extends Wave {
  devices: number;
}

/** The figures of a plan preview. */
export interface WaveCounts {
  waves: CountedWave[];
  /** ifPassed: skip: zones left out, with the devices they hold (suppressed.timePassed once launched). */
  skipped: CountedWave[];
  heldByQuietHours: number;
  overFrequencyCap: number;
  /** Every audience device: the waves' devices plus the skipped ones (as progress.targeted counts them). */
  targeted: number;
}

/**
 * The wave that takes devices of `zone`, as the trigger selects them (fire-wave's zone filter): a
 * wave listing the zone, else (no zone, an invalid one, one no wave planned) the wave that takes
 * devices without a zone; a `now`/`at` wave takes everyone.
 */
export function waveOfZone(waves: readonly Wave[], zone: string | null): Wave | undefined {
  if (zone !== null) {
    const listed = waves.find((w) => w.memberZones?.includes(zone));
    if (listed) return listed;
  }
  return waves.find((w) => w.memberZones === null) ?? waves.find((w) => w.includeMissingTimezone);
}

/** The zones a wave stands for: a local wave's member zones, else the one clock it follows (none for `now`). */
export function waveTimezones(w: Pick<Wave, 'memberZones' | 'timezone'>): string[] {
  return w.memberZones ?? (w.timezone ? [w.timezone] : []);
}

/**
 * Count the plan's devices per wave. `fallbackZone` is the zone the sender uses for quiet hours of
 * devices without a valid zone (the campaign's timezone). Quiet hours are checked at the wave's send
 * time in each device's zone: such devices are deferred to the end of quiet hours, never dropped.
 */
export function countWaves(
  plan: SchedulePlan,
  zones: readonly ZoneCount[],
  quietHours: QuietHours | null,
  fallbackZone: string,
): WaveCounts {
  const devices = new Map<string, number>();
  let held = 0;
  let capped = 0;
  let targeted = 0;
  const all = [...plan.waves, ...plan.skipped];
  for (const z of zones) {
    const wave = waveOfZone(all, z.timezone);
    if (!wave) continue;
    devices.set(wave.id, (devices.get(wave.id) ?? 0) + z.devices);
    targeted += z.devices;
    if (plan.skipped.includes(wave)) continue;
    capped += z.capped ?? 0;
    const zone = z.timezone !== null && isTimeZone(z.timezone) ? z.timezone : fallbackZone;
    if (quietHours && isInsideQuietHours(wallClockAt(new Date(wave.fireAt), zone), quietHours)) held += z.devices;
  }
  const counted = (w: Wave): CountedWave => ({ ...w, devices: devices.get(w.id) ?? 0 });
  return { waves: plan.waves.map(counted), skipped: plan.skipped.map(counted), heldByQuietHours: held, overFrequencyCap: capped, targeted };
}
