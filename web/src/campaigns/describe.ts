/** Plain-words descriptions of schedules and progress. */
import type { Campaign, Schedule } from '../api/types';
import { fmtDateTimeShort, fmtWallClock } from '../lib/format';

export function describeSchedule(s: Schedule | null | undefined): string {
  if (!s) return '—';
  switch (s.type) {
    case 'now':
      return 'Send immediately';
    case 'at':
      return `${fmtWallClock(s.at)} (${s.timezone})`;
    case 'local':
      return `${fmtWallClock(s.at)} in each recipient's time zone (else ${s.fallbackTimezone})`;
  }
}

export function describeWhen(c: Campaign): string {
  if (c.status === 'sent' && c.completedAt) return `Sent ${fmtDateTimeShort(c.completedAt)}`;
  if (c.status === 'sending') return 'Sending now';
  if (c.status === 'cancelled') return 'Cancelled';
  return describeSchedule(c.schedule);
}

/** A finished campaign that reached no device (none matched, or every one was held back or failed). */
export const nothingSent = (c: Pick<Campaign, 'status' | 'progress'>) => c.status === 'sent' && c.progress.sent === 0;

/** Why nothing went out: "Nothing sent: all 583 held by the frequency cap". */
export function nothingSentWords(c: Pick<Campaign, 'progress'>): string {
  const p = c.progress;
  const by = p.suppressedBy;
  const n = new Intl.NumberFormat().format(p.targeted);
  if (p.targeted === 0) return 'Nothing sent: no device matched the audience at send time';
  if (by.frequencyCap === p.targeted) return `Nothing sent: all ${n} held by the frequency cap`;
  if (by.optedOut === p.targeted) return `Nothing sent: all ${n} had opted out by send time`;
  if (by.invalidToken === p.targeted) return `Nothing sent: all ${n} devices are no longer reachable`;
  if (p.failed === p.targeted) return `Nothing sent: all ${n} failed at the push provider`;
  return `Nothing sent: ${n} targeted, ${p.suppressed} held back (frequency cap, opt-outs, unreachable) and ${p.failed} failed`;
}
