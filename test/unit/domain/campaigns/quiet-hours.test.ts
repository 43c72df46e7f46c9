import { nextSendTimeOutsideQuietHours } from '../../../../lambdas/domain/campaigns/schedule';

const night = { start: '21:00', end: '08:00' };
const next = (nowIso: string, zone: string, q: { start: string; end: string } | null) =>
  nextSendTimeOutsideQuietHours(new Date(nowIso), zone, q)?.toISOString() ?? null;

describe('nextSendTimeOutsideQuietHours', () => {
  it('is null without quiet hours', () => {
    expect(next('2026-07-01T02:00:00Z', 'America/New_York', null)).toBeNull();
  });

  it('defers to the end of a window that wraps midnight', () => {
    // 22:00 EDT → tomorrow 08:00 EDT
    expect(next('2026-07-01T02:00:00Z', 'America/New_York', night)).toBe('2026-07-01T12:00:00.000Z');
    // 06:00 EDT (after midnight) → 08:00 the same day
    expect(next('2026-07-01T10:00:00Z', 'America/New_York', night)).toBe('2026-07-01T12:00:00.000Z');
  });

  it('treats start as inside and end as outside', () => {
    expect(next('2026-07-01T01:00:00Z', 'America/New_York', night)).toBe('2026-07-01T12:00:00.000Z'); // 21:00 sharp
    expect(next('2026-07-01T00:59:59Z', 'America/New_York', night)).toBeNull(); // 20:59:59
    expect(next('2026-07-01T12:00:00Z', 'America/New_York', night)).toBeNull(); // 08:00 sharp
    expect(next('2026-07-01T11:59:59Z', 'America/New_York', night)).toBe('2026-07-01T12:00:00.000Z');
  });

  it('handles a window that does not wrap', () => {
    const lunch = { start: '12:00', end: '14:00' };
    expect(next('2026-07-01T07:00:00Z', 'Asia/Kolkata', lunch)).toBe('2026-07-01T08:30:00.000Z'); // 12:30 IST
    expect(next('2026-07-01T09:00:00Z', 'Asia/Kolkata', lunch)).toBeNull(); // 14:30 IST
  });

  it('ends at 08:00 EDT on the spring-forward night, though it began in EST', () => {
    // 2027-03-13 22:00 EST; the clocks jump at 02:00, so 08:00 is 12:00Z, not 13:00Z.
    expect(next('2027-03-14T03:00:00Z', 'America/New_York', night)).toBe('2027-03-14T12:00:00.000Z');
  });

  it('ends at 08:00 EST on the fall-back night, though it began in EDT', () => {
    expect(next('2027-11-07T02:00:00Z', 'America/New_York', night)).toBe('2027-11-07T13:00:00.000Z');
  });

  it('an end time inside the spring-forward gap becomes the end of the gap', () => {
    // 01:30 EST, quiet until 02:30, which does not exist that night → 03:00 EDT.
    expect(next('2027-03-14T06:30:00Z', 'America/New_York', { start: '01:00', end: '02:30' })).toBe('2027-03-14T07:00:00.000Z');
  });

  it('an ambiguous end time resolves to the next occurrence still ahead', () => {
    const q = { start: '00:00', end: '01:30' };
    expect(next('2027-11-07T05:15:00Z', 'America/New_York', q)).toBe('2027-11-07T05:30:00.000Z'); // 01:15 EDT
    expect(next('2027-11-07T06:15:00Z', 'America/New_York', q)).toBe('2027-11-07T06:30:00.000Z'); // 01:15 EST
  });

  it('works in half-hour and extreme zones', () => {
    // Adelaide 23:00 ACDT (+10:30) → 08:00 ACDT next day = 21:30Z
    expect(next('2026-12-01T12:30:00Z', 'Australia/Adelaide', night)).toBe('2026-12-01T21:30:00.000Z');
    // Kiritimati 22:00 (+14) → 08:00 next day = 18:00Z
    expect(next('2026-12-01T08:00:00Z', 'Pacific/Kiritimati', night)).toBe('2026-12-01T18:00:00.000Z');
    // Pago Pago 05:00 (-11) → 08:00 = 19:00Z
    expect(next('2026-12-01T16:00:00Z', 'Pacific/Pago_Pago', night)).toBe('2026-12-01T19:00:00.000Z');
  });
});
