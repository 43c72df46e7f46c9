/** Number, percent, money and date formatting in the merchant's locale. */
const nf = new Intl.NumberFormat();

export const fmtInt = (n: number | undefined | null) => (n === undefined || n === null ? '—' : nf.format(n));
export const fmtPct = (ratio: number | undefined | null, digits = 1) =>
  ratio === undefined || ratio === null ? '—' : `${(ratio * 100).toFixed(digits)} %`;
export const fmtPercentValue = (pct: number | undefined | null) =>
  pct === undefined || pct === null ? '—' : `${pct.toLocaleString(undefined, { maximumFractionDigits: 2 })} %`;
/**
 * The currency revenue is shown in. The API has no currency setting (API.md "Settings"): purchase events
 * carry bare amounts, so this is a display default of the UI only, never sent to the service.
 */
export const DISPLAY_CURRENCY = 'USD';

export const fmtMoney = (n: number | undefined | null, currency = DISPLAY_CURRENCY) =>
  n === undefined || n === null
    ? '—'
    : n.toLocaleString(undefined, { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function fmtDateTime(iso: string | null | undefined, timeZone?: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short', ...(timeZone ? { timeZone } : {}) });
}

/** "Nov 29, 8:54 PM" for a moment of this year, "Nov 29, 2025, 8:54 PM" otherwise (lists, where width is short). */
export function fmtDateTimeShort(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const thisYear = d.getFullYear() === new Date().getFullYear();
  return d.toLocaleString(undefined, {
    month: 'short',
    day: 'numeric',
    ...(thisYear ? {} : { year: 'numeric' }),
    hour: 'numeric',
    minute: '2-digit',
  });
}

/** "2026-12-01T09:00" (a wall-clock time, no zone) → "Dec 1, 2026, 9:00 AM". */
export function fmtWallClock(local: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local);
  if (!m) return local;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]));
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
}

export function relativeFromNow(iso: string): string {
  const diff = new Date(iso).getTime() - Date.now();
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  const mins = Math.round(diff / 60000);
  if (Math.abs(mins) < 60) return rtf.format(mins, 'minute');
  const hours = Math.round(mins / 60);
  if (Math.abs(hours) < 48) return rtf.format(hours, 'hour');
  return rtf.format(Math.round(hours / 24), 'day');
}
