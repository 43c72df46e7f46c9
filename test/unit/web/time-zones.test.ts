/** The time-zone pickers' list: today's names only, with UTC offsets, searchable by city, offset or old name. */
import {
  canonicalZone,
  fmtOffset,
  RENAMED_ZONES,
  searchZones,
  zonedToUtc,
  zoneOffsetMinutes,
  zoneOptions,
} from '../../../web/src/lib/time-zones';

const winter = new Date('2026-12-01T12:00:00Z');
const summer = new Date('2026-07-01T12:00:00Z');

describe('zone list', () => {
  const options = zoneOptions(['Asia/Calcutta', 'Asia/Kolkata', 'Europe/Kiev', 'UTC', 'America/New_York', 'Asia/Kathmandu'], winter);

  it('folds outdated aliases into the name devices report, once', () => {
    expect(options.map((o) => o.zone)).toEqual(['UTC', 'America/New_York', 'Europe/Kyiv', 'Asia/Kolkata', 'Asia/Kathmandu']);
    expect(canonicalZone('Asia/Calcutta')).toBe('Asia/Kolkata');
    expect(canonicalZone('Europe/Berlin')).toBe('Europe/Berlin');
  });

  it('labels each zone with its UTC offset and city, west to east after UTC', () => {
    expect(options.map((o) => o.label)).toEqual([
      'UTC Coordinated Universal Time',
      'UTC−05:00 New York',
      'UTC+02:00 Kyiv',
      'UTC+05:30 Kolkata',
      'UTC+05:45 Kathmandu',
    ]);
  });

  it('finds zones by city, old name, offset (either minus sign) or several words', () => {
    const zones = (q: string) => searchZones(options, q).map((o) => o.zone);
    expect(zones('kolk')).toEqual(['Asia/Kolkata']);
    expect(zones('Calcutta')).toEqual(['Asia/Kolkata']);
    expect(zones('+05:45')).toEqual(['Asia/Kathmandu']);
    expect(zones('-05:00')).toEqual(['America/New_York']);
    expect(zones('new york')).toEqual(['America/New_York']);
    expect(zones('asia kath')).toEqual(['Asia/Kathmandu']);
    expect(zones('')).toHaveLength(options.length);
    expect(zones('atlantis')).toEqual([]);
  });

  it('the whole browser list has no outdated alias whose new name is known', () => {
    const names = zoneOptions(undefined, winter).map((o) => o.zone);
    for (const old of Object.keys(RENAMED_ZONES)) expect(names).not.toContain(old);
    expect(names).toContain('Asia/Kolkata');
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('offsets', () => {
  it('follows daylight saving time', () => {
    expect(zoneOffsetMinutes('America/New_York', winter)).toBe(-300);
    expect(zoneOffsetMinutes('America/New_York', summer)).toBe(-240);
    expect(zoneOffsetMinutes('Asia/Kolkata', summer)).toBe(330);
  });

  it('writes them as UTC±hh:mm', () => {
    expect(fmtOffset(0)).toBe('UTC');
    expect(fmtOffset(330)).toBe('UTC+05:30');
    expect(fmtOffset(-210)).toBe('UTC−03:30');
  });

  it('turns a wall-clock time in a zone into its UTC moment, also across a DST change', () => {
    expect(zonedToUtc('2026-12-01T09:00', 'America/New_York')?.toISOString()).toBe('2026-12-01T14:00:00.000Z');
    expect(zonedToUtc('2026-07-01T09:00', 'America/New_York')?.toISOString()).toBe('2026-07-01T13:00:00.000Z');
    // 02:30 on 8 Mar 2026 does not exist in New York: the next valid minute is 03:00 EDT, as the server does.
    expect(zonedToUtc('2026-03-08T02:30', 'America/New_York')?.toISOString()).toBe('2026-03-08T07:00:00.000Z');
    // 01:30 on 1 Nov 2026 happens twice: the first (EDT).
    expect(zonedToUtc('2026-11-01T01:30', 'America/New_York')?.toISOString()).toBe('2026-11-01T05:30:00.000Z');
    expect(zonedToUtc('nonsense', 'UTC')).toBeNull();
  });
});
