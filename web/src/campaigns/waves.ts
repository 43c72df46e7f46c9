/**
 * The wave timeline and the progress line in the merchant's words (issue 16 item 3): a local-time campaign
 * that sent its first zones is not "198 sent of 198 targeted" but "198 sent · 2,750 waiting in 17 later waves
 * (next at 09:00 Tokyo)". Pure: `now`, the merchant's zone and the number format are parameters.
 */
import type { Campaign } from '../api/types';
import { zoneCity } from '../lib/time-zones';
import { fmtDay, relativeWords } from './schedule-words';

export type CampaignWave = Campaign['waves'][number];
export type WaveStatus = CampaignWave['status'];

const defaultNumber = (n: number) => new Intl.NumberFormat('en-US').format(n);

/** "Tokyo, Seoul +3 more"; one zone: its city; none (a `now` wave): every device. */
export function shortZones(zones: readonly string[], max = 2): string {
  if (zones.length === 0) return 'Every device';
  const cities = zones.slice(0, max).map((z) => (z === 'UTC' ? 'UTC' : zoneCity(z)));
  const more = zones.length - max;
  return more > 0 ? `${cities.join(', ')} +${more} more` : cities.join(', ');
}

/** "09:00" on the wall clock of `zone`. */
export function wallTime(d: Date, zone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d);
}

/** "Tue 1 Dec" in `zone`. */
const dayIn = (d: Date, zone: string) => fmtDay(d, zone, false);

/**
 * When a wave goes out on the clock of `zone`, with the city: "09:00 Tokyo", or "Wed 2 Dec 09:00 Tokyo"
 * when that is not today there.
 */
export function whenIn(sendAt: Date, zone: string, now: Date): string {
  const city = zone === 'UTC' ? 'UTC' : zoneCity(zone);
  const day = dayIn(sendAt, zone) === dayIn(now, zone) ? '' : `${dayIn(sendAt, zone)} `;
  return `${day}${wallTime(sendAt, zone)} ${city}`;
}

/** One row of the timeline: zones, the send time in the merchant's zone and in UTC, devices, status, from now. */
export interface WaveRow {
  id: string;
  zones: string;
  /** Every zone, for a tooltip and screen readers when the list is shortened. */
  allZones: string;
  /** "Tue 1 Dec 10:00 Berlin time". */
  merchantTime: string;
  /** "09:00 UTC"; null when the merchant's zone is UTC (it would say the same twice). */
  utcTime: string | null;
  /** Devices counted for the wave, null while a `now`/`at` wave has not fired (nobody counted them yet). */
  devices: number | null;
  status: WaveStatus;
  /** "in 2 h", "5 min ago". */
  relative: string;
}

export function waveRows(waves: readonly CampaignWave[], merchantZone: string, now: Date): WaveRow[] {
  return [...waves]
    .sort((a, b) => a.sendAt.localeCompare(b.sendAt))
    .map((w) => {
      const at = new Date(w.sendAt);
      const zoneName = merchantZone === 'UTC' ? 'UTC' : `${zoneCity(merchantZone)} time`;
      return {
        id: w.id,
        zones: shortZones(w.timezones),
        allZones: w.timezones.length === 0 ? 'Every device' : w.timezones.map((z) => z.replace(/_/g, ' ')).join(', '),
        merchantTime: `${fmtDay(at, merchantZone)} ${zoneName}`,
        utcTime:
          merchantZone === 'UTC'
            ? null
            : `${dayIn(at, merchantZone) === dayIn(at, 'UTC') ? '' : `${dayIn(at, 'UTC')} `}${wallTime(at, 'UTC')} UTC`,
        devices: w.devices,
        status: w.status,
        relative: relativeWords(at, now),
      };
    });
}

export const WAVE_STATUS_WORDS: Record<WaveStatus, string> = {
  pending: 'Pending',
  sending: 'Sending',
  sent: 'Sent',
  cancelled: 'Cancelled',
};

type Progressed = Pick<Campaign, 'status' | 'progress' | 'waves'>;

/** The progress in words: the main line, and the quiet-hours and time-passed notes when they apply. */
export interface ProgressWords {
  /** "198 sent · 2,750 waiting in 17 later waves (next at 09:00 Tokyo)". */
  line: string;
  /** "1,131 held by quiet hours until they end in each device's zone" while some are held. */
  deferred: string | null;
  /** "40 devices skipped: the time had passed in their zone". */
  timePassed: string | null;
}

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

/**
 * `merchantZone` places a `now` wave (every device, no zone of its own); a local wave's time is read in its
 * first zone ("next at 09:00 Tokyo").
 */
export function progressWords(c: Progressed, now: Date, merchantZone: string, num: (n: number) => string = defaultNumber): ProgressWords {
  const p = c.progress;
  const parts = [`${num(p.sent)} sent`];
  if (p.failed > 0) parts.push(`${num(p.failed)} failed`);
  // The control group (API.md v1.1): recorded, never pushed, so not "held back" by a rule.
  if ((p.heldOut ?? 0) > 0) parts.push(`${num(p.heldOut)} held out (control group, not pushed)`);
  const heldBack = p.suppressedBy.optedOut + p.suppressedBy.frequencyCap + p.suppressedBy.invalidToken;
  if (heldBack > 0) parts.push(`${num(heldBack)} held back (frequency cap, opt-outs, unreachable)`);
  // Waves still to go out; a campaign that stopped has none waiting, whatever the rows say.
  const pending =
    c.status === 'scheduled' || c.status === 'sending'
      ? c.waves.filter((w) => w.status === 'pending').sort((a, b) => a.sendAt.localeCompare(b.sendAt))
      : [];
  if (pending.length > 0) {
    const fired = c.waves.some((w) => w.status !== 'pending');
    const waves = `${num(pending.length)} ${fired ? 'later ' : ''}${plural(pending.length, 'wave', 'waves')}`;
    const next = pending[0];
    const nextZone = next.timezones[0] ?? merchantZone;
    const when = `${pending.length === 1 ? 'at' : 'next at'} ${whenIn(new Date(next.sendAt), nextZone, now)}, ${relativeWords(new Date(next.sendAt), now)}`;
    const counted = pending.every((w) => w.devices !== null);
    const waiting = pending.reduce((n, w) => n + (w.devices ?? 0), 0);
    parts.push(
      counted ? `${num(waiting)} waiting in ${waves} (${when})` : `${waves} to go (${when}; devices are counted when each goes out)`,
    );
  }
  return {
    line: parts.join(' · '),
    deferred: p.deferred > 0 ? `${num(p.deferred)} held by quiet hours until they end in each device's zone` : null,
    timePassed: timePassedWords(p.suppressedBy.timePassed, num),
  };
}

/** The plan's (POST /v1/campaign-plans) skipped zones, in the same words as the campaign page. */
export function timePassedWords(n: number, num: (n: number) => string = defaultNumber): string | null {
  return n > 0 ? `${num(n)} ${plural(n, 'device', 'devices')} skipped: the time had passed in their zone` : null;
}
