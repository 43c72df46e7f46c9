import { ValidationError } from '../../../../lambdas/domain/errors';
import { fixedClock } from '../../../../lambdas/ports/clock';
import { assertScheduleNotPast, parseSchedule, planSchedule, Schedule, waveIdForZone } from '../../../../lambdas/domain/campaigns/schedule';
import { validationErrorOf } from '../../../support/errors';

const pastError = validationErrorOf;

describe('scheduleSchema', () => {
  it('parses the three kinds', () => {
    expect(parseSchedule({ type: 'now' })).toEqual({ type: 'now' });
    expect(parseSchedule({ type: 'at', at: '2026-12-01T09:00:00', timezone: 'America/New_York' }).type).toBe('at');
    expect(parseSchedule({ type: 'local', at: '2026-12-01T09:00', fallbackTimezone: 'UTC' }).type).toBe('local');
  });

  it('reports the failing field with its path', () => {
    expect(pastError(() => parseSchedule({ type: 'at', at: '2026-12-01T09:00Z', timezone: 'America/New_York' })).details?.[0].path).toBe(
      'schedule.at',
    );
    expect(pastError(() => parseSchedule({ type: 'at', at: '2026-12-01T09:00', timezone: 'Mars/Olympus' })).details?.[0].path).toBe(
      'schedule.timezone',
    );
    expect(pastError(() => parseSchedule({ type: 'local', at: '2026-12-01T09:00', fallbackTimezone: '+05:00' })).details?.[0].path).toBe(
      'schedule.fallbackTimezone',
    );
    expect(pastError(() => parseSchedule({ type: 'local', at: '2026-12-01T09:00' })).details?.[0].path).toBe('schedule.fallbackTimezone');
    const badType = pastError(() => parseSchedule({ type: 'later' }));
    expect(badType.details?.[0].path).toMatch(/^schedule/);
    expect(pastError(() => parseSchedule({ type: 'now', at: 'x' })).details?.[0].path).toBe('schedule.at');
  });
});

describe('planSchedule', () => {
  const clock = fixedClock('2026-11-30T20:00:00.000Z');

  it("'now' is a single wave at now", () => {
    expect(planSchedule({ type: 'now' }, clock.now())).toEqual({
      waves: [
        {
          id: 'now',
          timezone: null,
          fireAt: '2026-11-30T20:00:00.000Z',
          intendedAt: '2026-11-30T20:00:00.000Z',
          pastDue: false,
          includeMissingTimezone: true,
          memberZones: null,
        },
      ],
      skipped: [],
    });
  });

  it("'at' is one wave at that wall-clock time in its zone", () => {
    const plan = planSchedule({ type: 'at', at: '2026-12-01T09:00:00', timezone: 'America/New_York' }, clock.now(), ['Asia/Kolkata']);
    expect(plan.waves).toEqual([
      expect.objectContaining({ id: 'at', timezone: 'America/New_York', fireAt: '2026-12-01T14:00:00.000Z', pastDue: false }),
    ]);
  });

  it("'at' in a spring-forward gap fires at the end of the gap", () => {
    const plan = planSchedule({ type: 'at', at: '2027-03-14T02:30', timezone: 'America/New_York' }, clock.now());
    expect(plan.waves[0].fireAt).toBe('2027-03-14T07:00:00.000Z');
  });

  it("'at' in a fall-back overlap fires at the first occurrence", () => {
    const plan = planSchedule({ type: 'at', at: '2027-11-07T01:30', timezone: 'America/New_York' }, clock.now());
    expect(plan.waves[0].fireAt).toBe('2027-11-07T05:30:00.000Z');
  });

  it("rejects an 'at' moment in the past (400 schedule.at)", () => {
    const at: Schedule = { type: 'at', at: '2026-11-30T14:59', timezone: 'America/New_York' }; // 19:59Z
    const e = pastError(() => planSchedule(at, clock.now()));
    expect(e.code).toBe('validation_error');
    expect(e.message).toBe('schedule.at: is in the past');
    expect(e.details).toEqual([{ path: 'schedule.at', message: 'is in the past' }]);
    expect(() => planSchedule({ ...at, at: '2026-11-30T15:00' }, clock.now())).not.toThrow(); // exactly now
  });

  describe("'local'", () => {
    const local: Schedule = { type: 'local', at: '2026-12-01T09:00', fallbackTimezone: 'Europe/Paris' };

    it('makes one wave per zone plus the fallback; past zones are sent at once', () => {
      const zones = [
        'Pacific/Kiritimati',
        'Asia/Kolkata',
        'Pacific/Pago_Pago',
        'Mars/Olympus',
        'America/New_York',
        'Asia/Kolkata',
        'Australia/Adelaide',
      ];
      const { waves } = planSchedule(local, clock.now(), zones);
      expect(waves.map((w) => [w.timezone, w.fireAt, w.pastDue])).toEqual([
        ['Pacific/Kiritimati', '2026-11-30T20:00:00.000Z', true], // 09:00 +14 was 19:00Z: already gone, sent now
        ['Australia/Adelaide', '2026-11-30T22:30:00.000Z', false], // ACDT +10:30
        ['Asia/Kolkata', '2026-12-01T03:30:00.000Z', false], // +5:30
        ['Europe/Paris', '2026-12-01T08:00:00.000Z', false],
        ['America/New_York', '2026-12-01T14:00:00.000Z', false],
        ['Pacific/Pago_Pago', '2026-12-01T20:00:00.000Z', false], // -11
      ]);
      const kiritimati = waves[0];
      expect(kiritimati.intendedAt).toBe('2026-11-30T19:00:00.000Z');
      const paris = waves.find((w) => w.timezone === 'Europe/Paris')!;
      expect(paris.includeMissingTimezone).toBe(true);
      expect(paris.memberZones).toEqual(['Europe/Paris', 'Mars/Olympus']); // invalid zones fall back
      expect(waves.filter((w) => w.includeMissingTimezone)).toHaveLength(1);
      expect(new Set(waves.map((w) => w.id)).size).toBe(waves.length);
    });

    it('does not duplicate the fallback zone when devices use it too', () => {
      const { waves } = planSchedule(local, clock.now(), ['Europe/Paris', 'Europe/Paris']);
      expect(waves).toEqual([
        {
          id: 'tz-Europe.Paris',
          timezone: 'Europe/Paris',
          fireAt: '2026-12-01T08:00:00.000Z',
          intendedAt: '2026-12-01T08:00:00.000Z',
          pastDue: false,
          includeMissingTimezone: true,
          memberZones: ['Europe/Paris'],
        },
      ]);
    });

    it('honours DST per zone: a gap in New York moves to 03:00 EDT while other zones are unaffected', () => {
      const s: Schedule = { type: 'local', at: '2027-03-14T02:30', fallbackTimezone: 'America/New_York' };
      const { waves } = planSchedule(s, clock.now(), ['Asia/Kolkata']);
      expect(Object.fromEntries(waves.map((w) => [w.timezone, w.fireAt]))).toEqual({
        'Asia/Kolkata': '2027-03-13T21:00:00.000Z',
        'America/New_York': '2027-03-14T07:00:00.000Z',
      });
    });

    it('takes the first occurrence on a fall-back day', () => {
      const s: Schedule = { type: 'local', at: '2027-11-07T01:30', fallbackTimezone: 'America/New_York' };
      expect(planSchedule(s, clock.now()).waves[0].fireAt).toBe('2027-11-07T05:30:00.000Z');
    });

    it('rejects the schedule when the moment has passed in every zone', () => {
      const late = fixedClock('2026-12-01T20:00:01.000Z'); // Pago Pago's 09:00 was 20:00Z
      expect(pastError(() => planSchedule(local, late.now(), ['Pacific/Kiritimati', 'Pacific/Pago_Pago'])).message).toBe(
        'schedule.at: is in the past',
      );
      // One zone still ahead: the others are past due, not dropped.
      const { waves } = planSchedule(local, fixedClock('2026-12-01T19:00:00.000Z').now(), ['Pacific/Kiritimati', 'Pacific/Pago_Pago']);
      expect(waves.map((w) => [w.timezone, w.pastDue])).toEqual([
        ['Europe/Paris', true],
        ['Pacific/Kiritimati', true],
        ['Pacific/Pago_Pago', false],
      ]);
      expect(waves.filter((w) => w.pastDue).every((w) => w.fireAt === '2026-12-01T19:00:00.000Z')).toBe(true);
    });
  });
});

describe('assertScheduleNotPast (create/update, before devices are known)', () => {
  it("checks 'at' against its zone", () => {
    const s: Schedule = { type: 'at', at: '2026-12-01T09:00', timezone: 'Asia/Kolkata' };
    expect(() => assertScheduleNotPast(s, new Date('2026-12-01T03:30:00Z'))).not.toThrow();
    expect(() => assertScheduleNotPast(s, new Date('2026-12-01T03:30:01Z'))).toThrow('schedule.at: is in the past');
  });

  it("lets 'local' through until the time has passed in the last zone on Earth (UTC-12)", () => {
    const s: Schedule = { type: 'local', at: '2026-12-01T09:00', fallbackTimezone: 'Pacific/Kiritimati' };
    expect(() => assertScheduleNotPast(s, new Date('2026-12-01T21:00:00Z'))).not.toThrow();
    expect(() => assertScheduleNotPast(s, new Date('2026-12-01T21:00:01Z'))).toThrow(ValidationError);
  });

  it("never rejects 'now'", () => {
    expect(() => assertScheduleNotPast({ type: 'now' }, new Date())).not.toThrow();
  });
});

describe('waveIdForZone', () => {
  it('is scheduler-name safe and keeps ±offsets apart', () => {
    expect(waveIdForZone('America/Argentina/Buenos_Aires')).toBe('tz-America.Argentina.Buenos_Aires');
    expect(waveIdForZone('Etc/GMT+5')).not.toBe(waveIdForZone('Etc/GMT-5'));
    expect(waveIdForZone('Etc/GMT+5')).toMatch(/^[0-9A-Za-z._-]+$/);
  });
});
