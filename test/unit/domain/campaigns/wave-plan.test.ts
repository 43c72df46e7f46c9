/** ifPassed × zones around midnight and DST, devices per wave, quiet-hours holds (domain/campaigns/wave-plan.ts). */
import { ValidationError } from '../../../../lambdas/domain/errors';
import { parseSchedule, planSchedule, waveIdForZone, type Schedule } from '../../../../lambdas/domain/campaigns/schedule';
import { countWaves, waveOfZone } from '../../../../lambdas/domain/campaigns/wave-plan';

const local = (at: string, ifPassed?: 'send_now' | 'next_day' | 'skip'): Schedule => ({
  type: 'local',
  at,
  fallbackTimezone: 'America/New_York',
  ...(ifPassed ? { ifPassed } : {}),
});

describe('ifPassed', () => {
  // 2026-11-30 07:30Z: 08:30 in Paris, 16:30 in Tokyo, 02:30 in New York, 21:30 (Nov 29) in Honolulu.
  const now = new Date('2026-11-30T07:30:00.000Z');
  const zones = ['Europe/Paris', 'Asia/Tokyo', 'Pacific/Honolulu'];
  const at = '2026-11-30T09:00';

  it('send_now (default) fires passed zones at once, marked pastDue', () => {
    const { waves, skipped } = planSchedule(local(at), now, zones);
    expect(skipped).toEqual([]);
    const tokyo = waves.find((w) => w.timezone === 'Asia/Tokyo')!;
    expect(tokyo).toMatchObject({ pastDue: true, fireAt: now.toISOString(), intendedAt: '2026-11-30T00:00:00.000Z' });
    expect(planSchedule(local(at, 'send_now'), now, zones)).toEqual(planSchedule(local(at), now, zones));
  });

  it('next_day moves passed zones to the same wall-clock time the next day', () => {
    const { waves, skipped } = planSchedule(local(at, 'next_day'), now, zones);
    expect(skipped).toEqual([]);
    const tokyo = waves.find((w) => w.timezone === 'Asia/Tokyo')!;
    expect(tokyo).toMatchObject({ pastDue: false, fireAt: '2026-12-01T00:00:00.000Z', intendedAt: '2026-12-01T00:00:00.000Z' });
    // Paris (09:00 local = 08:00Z) is still ahead: unchanged.
    expect(waves.find((w) => w.timezone === 'Europe/Paris')!.fireAt).toBe('2026-11-30T08:00:00.000Z');
    expect(waves.map((w) => w.fireAt)).toEqual([...waves.map((w) => w.fireAt)].sort());
  });

  it('skip leaves passed zones out of the waves and lists them as skipped', () => {
    const { waves, skipped } = planSchedule(local(at, 'skip'), now, zones);
    expect(skipped.map((w) => w.timezone)).toEqual(['Asia/Tokyo']);
    expect(waves.map((w) => w.timezone).sort()).toEqual(['America/New_York', 'Europe/Paris', 'Pacific/Honolulu']);
  });

  it('a time passed in every zone is still a past schedule whatever ifPassed says', () => {
    const late = new Date('2026-12-01T23:00:00.000Z');
    for (const mode of ['send_now', 'next_day', 'skip'] as const) {
      expect(() => planSchedule(local('2026-11-30T09:00', mode), late, ['Asia/Tokyo'])).toThrow(ValidationError);
    }
  });

  it('next_day across midnight and a month end: 23:30 on the 30th becomes 23:30 on December 1st', () => {
    // 23:30 in Tokyo on Nov 30 = 14:30Z; at 15:00Z it has passed there but not in New York.
    const { waves } = planSchedule(local('2026-11-30T23:30', 'next_day'), new Date('2026-11-30T15:00:00.000Z'), ['Asia/Tokyo']);
    expect(waves.find((w) => w.timezone === 'Asia/Tokyo')!.fireAt).toBe('2026-12-01T14:30:00.000Z');
  });

  it('next_day into a spring-forward gap moves to the next valid minute', () => {
    // 2027-03-14 02:30 does not exist in New York (02:00 → 03:00 EDT = 07:00Z).
    // The zone whose time passed is New York's own fallback here: at 2027-03-13T08:00Z 02:30 EST (07:30Z) has passed.
    const now = new Date('2027-03-13T08:00:00.000Z');
    const { waves } = planSchedule(local('2027-03-13T02:30', 'next_day'), now, ['America/New_York', 'America/Los_Angeles']);
    const ny = waves.find((w) => w.timezone === 'America/New_York')!;
    expect(ny.fireAt).toBe('2027-03-14T07:00:00.000Z');
    // Los Angeles' 02:30 PST (10:30Z) is still ahead: unchanged.
    expect(waves.find((w) => w.timezone === 'America/Los_Angeles')!.fireAt).toBe('2027-03-13T10:30:00.000Z');
  });

  it('is refused on now and at schedules with a detail, accepted on local', () => {
    for (const s of [
      { type: 'now', ifPassed: 'skip' },
      { type: 'at', at: '2027-01-01T09:00', timezone: 'UTC', ifPassed: 'next_day' },
    ]) {
      try {
        parseSchedule(s);
        throw new Error('accepted');
      } catch (e) {
        expect(e).toBeInstanceOf(ValidationError);
        expect((e as ValidationError).details).toEqual([{ path: 'schedule.ifPassed', message: 'is only allowed on a local schedule' }]);
      }
    }
    expect(() => parseSchedule({ ...local(at), ifPassed: 'later' })).toThrow(ValidationError);
    expect(parseSchedule(local(at, 'skip'))).toEqual(local(at, 'skip'));
  });
});

describe('countWaves', () => {
  const quiet = { start: '21:00', end: '08:00' };

  it('counts devices per wave, skipped ones apart, and holds those whose wave lands in quiet hours', () => {
    const now = new Date('2026-11-30T07:30:00.000Z');
    const plan = planSchedule(local('2026-11-30T09:00', 'skip'), now, ['Europe/Paris', 'Asia/Tokyo', 'Bogus/Zone']);
    const counts = countWaves(
      plan,
      [
        { timezone: null, devices: 5, capped: 1 },
        { timezone: 'Europe/Paris', devices: 10, capped: 2 },
        { timezone: 'Asia/Tokyo', devices: 7, capped: 3 },
        { timezone: 'Bogus/Zone', devices: 1 },
      ],
      quiet,
      'America/New_York',
    );
    const byZone = Object.fromEntries(counts.waves.map((w) => [w.timezone, w.devices]));
    // The fallback wave takes devices without a zone and with an invalid one.
    expect(byZone).toEqual({ 'Europe/Paris': 10, 'America/New_York': 6 });
    expect(counts.skipped.map((w) => [w.timezone, w.devices])).toEqual([['Asia/Tokyo', 7]]);
    expect(counts.targeted).toBe(23);
    expect(counts.overFrequencyCap).toBe(3); // skipped devices are never pushed: not counted
    expect(counts.heldByQuietHours).toBe(0); // 09:00 local everywhere
  });

  it('an `at` wave is checked in each device zone: late evening there is held', () => {
    // 09:00 New York = 14:00Z = 23:00 in Tokyo (quiet), 15:00 in Paris.
    const plan = planSchedule({ type: 'at', at: '2026-12-01T09:00', timezone: 'America/New_York' }, new Date('2026-11-30T00:00:00Z'));
    const counts = countWaves(
      plan,
      [
        { timezone: 'Asia/Tokyo', devices: 4 },
        { timezone: 'Europe/Paris', devices: 6 },
        { timezone: null, devices: 2 },
      ],
      quiet,
      'America/New_York',
    );
    expect(counts.waves).toHaveLength(1);
    expect(counts.waves[0].devices).toBe(12);
    expect(counts.heldByQuietHours).toBe(4);
    expect(countWaves(plan, [{ timezone: 'Asia/Tokyo', devices: 4 }], null, 'UTC').heldByQuietHours).toBe(0);
  });

  it('a quiet window that ends at the send minute does not hold (end is exclusive)', () => {
    const plan = planSchedule(local('2026-12-01T08:00'), new Date('2026-11-30T00:00:00Z'), ['Europe/Paris']);
    expect(countWaves(plan, [{ timezone: 'Europe/Paris', devices: 3 }], quiet, 'UTC').heldByQuietHours).toBe(0);
    const early = planSchedule(local('2026-12-01T07:59'), new Date('2026-11-30T00:00:00Z'), ['Europe/Paris']);
    expect(countWaves(early, [{ timezone: 'Europe/Paris', devices: 3 }], quiet, 'UTC').heldByQuietHours).toBe(3);
  });

  it('waveOfZone follows the trigger: listed zone, else the fallback wave', () => {
    const plan = planSchedule(local('2026-12-01T09:00'), new Date('2026-11-30T00:00:00Z'), ['Europe/Paris']);
    expect(waveOfZone(plan.waves, 'Europe/Paris')!.id).toBe(waveIdForZone('Europe/Paris'));
    expect(waveOfZone(plan.waves, null)!.id).toBe(waveIdForZone('America/New_York'));
    expect(waveOfZone(plan.waves, 'Asia/Tokyo')!.id).toBe(waveIdForZone('America/New_York'));
  });
});
