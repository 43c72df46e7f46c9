/** IANA time zones for the pickers, from the browser's Intl data. */
let zones: string[] | null = null;

export function timeZones(): string[] {
  if (!zones) {
    const list: string[] = typeof (Intl as any).supportedValuesOf === 'function' ? (Intl as any).supportedValuesOf('timeZone') : [];
    zones = Array.from(new Set(['UTC', ...list])).sort((a, b) => (a === 'UTC' ? -1 : b === 'UTC' ? 1 : a.localeCompare(b)));
  }
  return zones;
}

/** The parts of `d` on the 24-hour wall clock of `timeZone`, by part type ("" for a part not asked for). */
export function zonedParts(d: Date, timeZone: string, options: Intl.DateTimeFormatOptions, locale = 'en-CA'): (type: string) => string {
  const parts = new Intl.DateTimeFormat(locale, { timeZone, hourCycle: 'h23', ...options }).formatToParts(d);
  return (type) => parts.find((p) => p.type === type)?.value ?? '';
}

/** Now + `minutes` as a wall-clock "YYYY-MM-DDTHH:mm" in `timeZone`. */
export function wallClockIn(timeZone: string, minutes = 0, from = new Date()): string {
  const get = zonedParts(new Date(from.getTime() + minutes * 60000), timeZone, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`;
}

/**
 * Outdated names the browser's ICU data still lists (CLDR keeps them) and the names devices report today.
 * Only renames: country zones that are links in tzdata (Europe/Bratislava → Prague) stay, a merchant looks for them.
 */
export const RENAMED_ZONES: Readonly<Record<string, string>> = {
  'Africa/Asmera': 'Africa/Asmara',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Catamarca': 'America/Argentina/Catamarca',
  'America/Coral_Harbour': 'America/Atikokan',
  'America/Cordoba': 'America/Argentina/Cordoba',
  'America/Godthab': 'America/Nuuk',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Jujuy': 'America/Argentina/Jujuy',
  'America/Louisville': 'America/Kentucky/Louisville',
  'America/Mendoza': 'America/Argentina/Mendoza',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Europe/Kiev': 'Europe/Kyiv',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Truk': 'Pacific/Chuuk',
};

const knownZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

/** Today's IANA name of `zone` (Asia/Calcutta → Asia/Kolkata), when this browser knows the new name. */
export function canonicalZone(zone: string): string {
  const renamed = RENAMED_ZONES[zone];
  return renamed && knownZone(renamed) ? renamed : zone;
}

/** Minutes east of UTC of `zone` at `at` (Asia/Kolkata → 330). */
export function zoneOffsetMinutes(zone: string, at: Date = new Date()): number {
  const part = zonedParts(
    at,
    zone,
    { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' },
    'en-US',
  );
  const get = (t: string) => Number(part(t) || 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60000);
}

/** 330 → "UTC+05:30", 0 → "UTC", -300 → "UTC−05:00". */
export function fmtOffset(minutes: number): string {
  if (minutes === 0) return 'UTC';
  const a = Math.abs(minutes);
  return `UTC${minutes < 0 ? '−' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

export interface ZoneOption {
  /** The IANA name the API receives. */
  zone: string;
  /** Minutes east of UTC now. */
  offset: number;
  /** "UTC+05:30 Kolkata". */
  label: string;
  /** "Asia" (the part before the city), for telling Paris apart from a Paris elsewhere. */
  region: string;
  /** Lower-case text a search matches: offset, city, full name and any outdated name. */
  search: string;
}

/** "America/Argentina/Buenos_Aires" → "Buenos Aires". */
export const zoneCity = (zone: string) => (zone.split('/').pop() ?? zone).replace(/_/g, ' ');

/** One picker entry for `zone` at `at`. */
export function zoneOption(zone: string, at: Date = new Date()): ZoneOption {
  const offset = zone === 'UTC' ? 0 : zoneOffsetMinutes(zone, at);
  const city = zone === 'UTC' ? 'Coordinated Universal Time' : zoneCity(zone);
  const region = zone.includes('/') ? zone.split('/').slice(0, -1).join('/').replace(/_/g, ' ') : '';
  const old = Object.keys(RENAMED_ZONES).filter((k) => RENAMED_ZONES[k] === zone);
  const label = `${fmtOffset(offset)} ${city}`;
  return {
    zone,
    offset,
    label,
    region,
    search: [label, label.replace('−', '-'), zone, zone.replace(/_/g, ' '), region, ...old].join(' ').toLowerCase(),
  };
}

/**
 * The zones a picker offers: canonical names only (outdated aliases folded into today's name),
 * each with its current UTC offset, sorted west to east and by city; UTC first.
 */
export function zoneOptions(list: string[] = timeZones(), at: Date = new Date()): ZoneOption[] {
  const names = Array.from(new Set(list.map(canonicalZone)));
  return names
    .map((z) => zoneOption(z, at))
    .sort((a, b) => (a.zone === 'UTC' ? -1 : b.zone === 'UTC' ? 1 : a.offset - b.offset || a.label.localeCompare(b.label)));
}

/** Options whose offset, city or name contains every word of `query` ("kolk", "+05:30", "calcutta", "new york"). */
export function searchZones(options: ZoneOption[], query: string): ZoneOption[] {
  const words = query.toLowerCase().replace(/_/g, ' ').split(/\s+/).filter(Boolean);
  if (words.length === 0) return options;
  return options.filter((o) => words.every((w) => o.search.includes(w)));
}

/**
 * The UTC instant of wall-clock `local` ("2026-12-01T09:00") in `zone`. A time that does not exist (the
 * spring-forward gap) moves to the next valid minute, as the server does (API.md "Campaigns"); a time that
 * exists twice (fall back) is its first occurrence.
 */
export function zonedToUtc(local: string, zone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local);
  if (!m) return null;
  const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
  const before = zoneOffsetMinutes(zone, new Date(wall - 86_400_000));
  const after = zoneOffsetMinutes(zone, new Date(wall + 86_400_000));
  const fits = (t: number) => zoneOffsetMinutes(zone, new Date(t)) * 60_000 + t === wall;
  const candidates = [wall - before * 60_000, wall - after * 60_000].filter(fits).sort((a, b) => a - b);
  if (candidates.length > 0) return new Date(candidates[0]);
  // In the gap: the transition itself, the first minute on the new offset.
  let lo = wall - after * 60_000;
  let hi = wall - before * 60_000;
  if (lo > hi) [lo, hi] = [hi, lo];
  while (hi - lo > 60_000) {
    const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
    if (zoneOffsetMinutes(zone, new Date(mid)) === after) hi = mid;
    else lo = mid;
  }
  return new Date(hi);
}
