/** Plain-words descriptions of schedules and progress. */
import type { Campaign, Schedule } from '../api/types';
import { fmtDateTime, fmtWallClock } from '../lib/format';

export function describeSchedule(s: Schedule | undefined): string {
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
  if (c.status === 'sent' && c.completedAt) return `Sent ${fmtDateTime(c.completedAt)}`;
  if (c.status === 'sending') return 'Sending now';
  if (c.status === 'cancelled') return 'Cancelled';
  return describeSchedule(c.schedule);
}
