import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  parseLocalDateTime,
  wallClockAt,
  wallClockOccurrences,
  zonedWallClockToUtc,
} from '../../../../lambdas/domain/campaigns/zoned-time';

const iso = (local: string, zone: string) => zonedWallClockToUtc(local, zone).toISOString();

describe('parseLocalDateTime', () => {
  it('accepts HH:mm and HH:mm:ss without offset', () => {
    expect(parseLocalDateTime('2026-12-01T09:00')).toEqual({ year: 2026, month: 12, day: 1, hour: 9, minute: 0, second: 0 });
    expect(parseLocalDateTime('2026-12-01T09:00:30')?.second).toBe(30);
  });

  it.each([
    '2026-12-01T09:00Z',
    '2026-12-01T09:00:00+01:00',
    '2026-12-01 09:00',
    '2026-12-01',
    '2026-02-30T09:00',
    '2026-12-01T24:00',
    '2026-13-01T09:00',
    '2026-12-01T09:00:00.000',
  ])('rejects %s', (s) => expect(parseLocalDateTime(s)).toBeNull());

  it('knows leap days', () => {
    expect(parseLocalDateTime('2028-02-29T10:00')).not.toBeNull();
    expect(parseLocalDateTime('2027-02-29T10:00')).toBeNull();
  });
});

describe('zonedWallClockToUtc', () => {
  it('converts ordinary times, including 30-minute and extreme offsets', () => {
    expect(iso('2026-12-01T09:00:00', 'America/New_York')).toBe('2026-12-01T14:00:00.000Z');
    expect(iso('2026-12-01T09:00', 'Asia/Kolkata')).toBe('2026-12-01T03:30:00.000Z');
    expect(iso('2026-12-01T09:00', 'Australia/Adelaide')).toBe('2026-11-30T22:30:00.000Z'); // ACDT +10:30
    expect(iso('2026-07-01T09:00', 'Australia/Adelaide')).toBe('2026-06-30T23:30:00.000Z'); // ACST +9:30
    expect(iso('2026-12-01T09:00', 'Pacific/Kiritimati')).toBe('2026-11-30T19:00:00.000Z'); // +14
    expect(iso('2026-12-01T09:00', 'Pacific/Pago_Pago')).toBe('2026-12-01T20:00:00.000Z'); // -11
    expect(iso('2026-12-01T09:00', 'UTC')).toBe('2026-12-01T09:00:00.000Z');
  });

  it('moves a spring-forward gap time to the next valid minute, not by the gap length', () => {
    // luxon alone would give 03:30 EDT (07:30Z).
    expect(iso('2027-03-14T02:30', 'America/New_York')).toBe('2027-03-14T07:00:00.000Z');
    expect(iso('2027-03-14T02:00', 'America/New_York')).toBe('2027-03-14T07:00:00.000Z');
    expect(iso('2027-03-14T02:59:59', 'America/New_York')).toBe('2027-03-14T07:00:00.000Z');
    expect(iso('2027-03-14T01:59', 'America/New_York')).toBe('2027-03-14T06:59:00.000Z'); // EST, just before
    expect(iso('2027-03-14T03:00', 'America/New_York')).toBe('2027-03-14T07:00:00.000Z'); // EDT, just after
    expect(wallClockOccurrences('2027-03-14T02:30', 'America/New_York')).toEqual([]);
  });

  it('handles a 30-minute-offset zone gap (Adelaide, 02:00 → 03:00 ACDT)', () => {
    expect(iso('2026-10-04T02:30', 'Australia/Adelaide')).toBe('2026-10-03T16:30:00.000Z');
  });

  it('takes the first occurrence of an ambiguous fall-back time', () => {
    expect(iso('2027-11-07T01:30', 'America/New_York')).toBe('2027-11-07T05:30:00.000Z'); // EDT
    expect(wallClockOccurrences('2027-11-07T01:30', 'America/New_York').map((ms) => new Date(ms).toISOString())).toEqual([
      '2027-11-07T05:30:00.000Z',
      '2027-11-07T06:30:00.000Z',
    ]);
    expect(iso('2026-04-05T02:30', 'Australia/Adelaide')).toBe('2026-04-04T16:00:00.000Z'); // ACDT, first
  });

  it('agrees with luxon on every time that exists exactly once (property)', () => {
    const zones = [
      'America/New_York',
      'Australia/Adelaide',
      'Asia/Kolkata',
      'Europe/London',
      'Pacific/Kiritimati',
      'Pacific/Pago_Pago',
      'America/Sao_Paulo',
    ];
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) }), fc.constantFrom(...zones), (ms, zone) => {
        const t = Math.floor(ms / 60_000) * 60_000;
        const w = wallClockAt(new Date(t), zone);
        const occ = wallClockOccurrences(w, zone);
        expect(occ).toContain(t);
        if (occ.length === 1) {
          const viaLuxon = DateTime.fromObject(w, { zone }).toMillis();
          expect(zonedWallClockToUtc(w, zone).getTime()).toBe(viaLuxon);
        } else {
          expect(zonedWallClockToUtc(w, zone).getTime()).toBe(occ[0]);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('throws RangeError on an unknown zone or malformed time', () => {
    expect(() => zonedWallClockToUtc('2026-12-01T09:00', 'Mars/Olympus')).toThrow(RangeError);
    expect(() => zonedWallClockToUtc('2026-12-01 09:00', 'UTC')).toThrow(RangeError);
  });
});
