/** User-perceived characters, as API.md counts them: an emoji (even 👨‍👩‍👧) is one. */
const segmenter = typeof Intl !== 'undefined' && 'Segmenter' in Intl ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : null;

export function graphemeCount(s: string): number {
  if (!segmenter) return Array.from(s).length;
  let n = 0;
  for (const _ of segmenter.segment(s)) n++;
  return n;
}

/** The first `n` user-perceived characters of `s`. */
export function graphemeSlice(s: string, n: number): string {
  if (!segmenter) return Array.from(s).slice(0, n).join('');
  let out = '';
  let i = 0;
  for (const seg of segmenter.segment(s)) {
    if (i++ >= n) break;
    out += seg.segment;
  }
  return out;
}
