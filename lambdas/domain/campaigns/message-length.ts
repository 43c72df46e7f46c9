/**
 * The length rules of a push message: user-perceived length (grapheme clusters) and the limits the
 * message schema and its warnings apply. Free of zod and of any other import on purpose: the
 * merchant UI's composer imports this very module, so its counters and limits are the server's.
 */

// Every server runtime has Intl.Segmenter; some browsers the UI supports (Firefox before 125) do
// not, and there code points are the closest count (emoji sequences then count more than one).
const segmenter =
  typeof Intl !== 'undefined' && typeof Intl.Segmenter === 'function' ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : null;

/** Number of user-perceived characters (extended grapheme clusters) in `s`. */
export function graphemeLength(s: string): number {
  if (!segmenter) return Array.from(s).length;
  let n = 0;
  // Iterating avoids materialising an array for 2000-character bodies.
  for (const _ of segmenter.segment(s)) n++;
  return n;
}

/** Soft limits beyond which lock screens truncate: a warning, not an error. */
export const TITLE_WARN_LENGTH = 50;
export const BODY_WARN_LENGTH = 120;
/** Hard limits of the message schema, in user-perceived characters. */
export const TITLE_MAX_LENGTH = 200;
export const BODY_MAX_LENGTH = 2000;
export const BUTTON_LABEL_MAX_LENGTH = 40;
/** Action buttons a notification may carry. */
export const MAX_BUTTONS = 2;
