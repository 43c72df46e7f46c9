/** The launch review's schedule in words and the note under the date picker: pure functions of the schedule and now. */
import { fmtDay, momentNote, relativeWords, scheduleInWords, scheduleWarnings } from '../../../web/src/campaigns/schedule-words';

const now = new Date('2026-12-01T11:00:00Z'); // Tue 1 Dec, 06:00 in New York
const ZONES = ['UTC', 'Pacific/Kiritimati', 'America/New_York', 'Europe/Berlin', 'Pacific/Pago_Pago'];

describe('scheduleInWords', () => {
  it('says "now" for a send now', () => {
    expect(scheduleInWords({ type: 'now' }, now)).toBe('Now, as soon as you confirm');
  });

  it('gives a moment in its zone, in UTC and from now', () => {
    expect(scheduleInWords({ type: 'at', at: '2026-12-01T09:00', timezone: 'America/New_York' }, now)).toBe(
      'Tue 1 Dec 09:00 New York time (14:00 UTC, in 3 h)',
    );
    expect(scheduleInWords({ type: 'at', at: '2026-12-01T11:30:00', timezone: 'UTC' }, now)).toBe('Tue 1 Dec 11:30 UTC (in 30 min)');
  });

  it('follows daylight saving time (New York is UTC−4 in July)', () => {
    expect(scheduleInWords({ type: 'at', at: '2027-07-01T09:00', timezone: 'America/New_York' }, now)).toMatch(
      /^Thu 1 Jul 09:00 New York time \(13:00 UTC, in \d+ days\)$/,
    );
  });

  it('gives a local-time send its first and last zones and the fallback', () => {
    const words = scheduleInWords({ type: 'local', at: '2026-12-02T09:00:00', fallbackTimezone: 'Europe/Berlin' }, now, ZONES);
    // 09:00 on Wed 2 Dec reaches Kiritimati (UTC+14) at 19:00 UTC on Tue 1 Dec and Pago Pago (UTC−11) at 20:00 UTC on 2 Dec.
    expect(words).toBe(
      "09:00 in each device's time zone from Wed 2 Dec (the first time zones reach it at 19:00 UTC on Tue 1 Dec, in 8 h; the last at 20:00 UTC, in 33 h); devices without a time zone: Berlin time",
    );
  });

  it('says when the local time has already passed in the first zones', () => {
    const words = scheduleInWords({ type: 'local', at: '2026-12-01T09:00:00', fallbackTimezone: 'UTC' }, now, ZONES);
    expect(words).toContain('already passed in the first time zones; the last at 20:00 UTC, in 9 h');
    expect(words).toContain('devices without a time zone: UTC');
  });
});

describe('scheduleWarnings', () => {
  it('warns about a moment in the past and about zones already past', () => {
    expect(scheduleWarnings({ type: 'at', at: '2026-12-01T05:00', timezone: 'America/New_York' }, now)).toEqual([
      'This moment has already passed: pick a later time, or send now.',
    ]);
    expect(scheduleWarnings({ type: 'local', at: '2026-12-01T09:00', fallbackTimezone: 'UTC' }, now, ZONES)[0]).toContain(
      'already passed in some time zones',
    );
    expect(scheduleWarnings({ type: 'local', at: '2026-11-29T09:00', fallbackTimezone: 'UTC' }, now, ZONES)[0]).toContain(
      'passed in every time zone',
    );
    expect(scheduleWarnings({ type: 'local', at: '2026-12-03T09:00', fallbackTimezone: 'UTC' }, now, ZONES)).toEqual([]);
    expect(scheduleWarnings({ type: 'now' }, now)).toEqual([]);
  });
});

describe('momentNote and relativeWords', () => {
  it('says "that is 04:47 UTC, in 3 min" under a chosen moment', () => {
    expect(momentNote('2026-12-01T10:17', 'Asia/Kolkata', new Date('2026-12-01T04:44:00Z'))).toEqual({
      text: 'That is 04:47 UTC, in 3 min.',
      past: false,
    });
    expect(momentNote('2026-12-01T05:00', 'America/New_York', now)).toEqual({
      text: 'That is 10:00 UTC, 1 h ago: the moment has passed.',
      past: true,
    });
    expect(momentNote('not a date', 'UTC', now)).toBeNull();
  });

  it('rounds spans the way a person says them', () => {
    const at = (min: number) => new Date(now.getTime() + min * 60_000);
    expect(relativeWords(at(0), now)).toBe('now');
    expect(relativeWords(at(3), now)).toBe('in 3 min');
    expect(relativeWords(at(150), now)).toBe('in 2 h 30 min');
    expect(relativeWords(at(180), now)).toBe('in 3 h');
    expect(relativeWords(at(-90), now)).toBe('1 h 30 min ago');
    expect(relativeWords(at(4 * 1440), now)).toBe('in 4 days');
  });

  it('formats a day on the wall clock of a zone', () => {
    expect(fmtDay(now, 'Asia/Tokyo')).toBe('Tue 1 Dec 20:00');
    expect(fmtDay(now, 'Asia/Tokyo', false)).toBe('Tue 1 Dec');
  });
});
