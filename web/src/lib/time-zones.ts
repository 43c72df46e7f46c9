/** IANA time zones for the pickers, from the browser's Intl data. */
let zones: string[] | null = null;

export function timeZones(): string[] {
  if (!zones) {
    const list: string[] = typeof (Intl as any).supportedValuesOf === 'function' ? (Intl as any).supportedValuesOf('timeZone') : [];
    zones = Array.from(new Set(['UTC', ...list])).sort((a, b) => (a === 'UTC' ? -1 : b === 'UTC' ? 1 : a.localeCompare(b)));
  }
  return zones;
}

/** Now + `minutes` as a wall-clock "YYYY-MM-DDTHH:mm" in `timeZone`. */
export function wallClockIn(timeZone: string, minutes = 0, from = new Date()): string {
  const d = new Date(from.getTime() + minutes * 60000);
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`;
}
