/** The help article's 5–50 % advice, in plain words. */
import type { Recommendation } from '../api/types';

export const ADVICE: Record<Recommendation, { tone: 'ok' | 'warn' | 'bad'; title: string; text: string }> = {
  ok: { tone: 'ok', title: 'Good size', text: 'Between 5 % and 50 % of your subscribers: targeted, yet large enough to matter.' },
  too_narrow: {
    tone: 'warn',
    title: 'Too narrow',
    text: 'Under 5 % of your subscribers. Consider loosening a condition so the push reaches enough people.',
  },
  too_broad: {
    tone: 'warn',
    title: 'Too broad',
    text: 'Over 50 % of your subscribers. Consider adding a condition so the message feels personal.',
  },
  empty: { tone: 'bad', title: 'No subscribers yet', text: 'There are no opted-in devices to match against yet.' },
};

/** When nothing matches, "too narrow" deserves a stronger word. */
export function adviceFor(rec: Recommendation | undefined, matched: number | undefined) {
  if (!rec) return null;
  if (rec === 'too_narrow' && matched === 0)
    return { tone: 'bad' as const, title: 'Nobody matches', text: 'No opted-in device meets these conditions. Loosen one of them.' };
  return ADVICE[rec];
}
