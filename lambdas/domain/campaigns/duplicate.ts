/** Rules of duplicating a campaign (API.md v1.1 "Duplicate"): the copy's name and schedule. */
import { ValidationError } from '../errors';
import { assertScheduleNotPast, type Schedule } from './schedule';

/** What a copy's name ends with. */
export const COPY_SUFFIX = ' (copy)';
/** A campaign name's limit, in user-perceived characters (campaign.ts's name rule). */
export const CAMPAIGN_NAME_MAX_LENGTH = 200;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * `name (copy)`, the original cut (at a character boundary: an emoji is never split) so that the
 * whole stays within the name limit; trailing blanks of a cut name are dropped.
 */
export function copyName(name: string): string {
  const keep = CAMPAIGN_NAME_MAX_LENGTH - [...graphemes.segment(COPY_SUFFIX)].length;
  const parts = [...graphemes.segment(name)];
  const base =
    parts.length <= keep
      ? name
      : parts
          .slice(0, keep)
          .map((p) => p.segment)
          .join('')
          .trimEnd();
  return base + COPY_SUFFIX;
}

/** The schedule of a copy: the original's, unless its moment is past (a draft could never be saved with it): then `now`. */
export function copySchedule(schedule: Schedule, now: Date): Schedule {
  try {
    assertScheduleNotPast(schedule, now);
    return schedule;
  } catch (err) {
    if (err instanceof ValidationError) return { type: 'now' };
    throw err;
  }
}
