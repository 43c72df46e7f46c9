/**
 * Just enough Markdown for the documentation tests: headings and lines outside fenced code blocks,
 * link targets, inline code spans, and GitHub's heading anchors.
 */

export interface Heading {
  level: number;
  text: string;
  /** 0-based index into the file's lines. */
  line: number;
}

/** The file's lines, with lines inside fenced code blocks (``` or ~~~) blanked, so nothing in them counts. */
export function proseLines(text: string): string[] {
  let fence: string | null = null;
  return text.split('\n').map((line) => {
    const m = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fence === null && m) {
      fence = m[1][0].repeat(m[1].length);
      return '';
    }
    if (fence !== null) {
      if (m && m[1][0] === fence[0] && m[1].length >= fence.length && line.trim() === m[1]) fence = null;
      return '';
    }
    return line;
  });
}

/** ATX headings outside code blocks. */
export function headings(text: string): Heading[] {
  const out: Heading[] = [];
  proseLines(text).forEach((line, i) => {
    const m = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (m) out.push({ level: m[1].length, text: m[2], line: i });
  });
  return out;
}

/** The line range [start, end) of the section a heading opens: up to the next heading of the same or a higher level. */
export function sectionRange(text: string, heading: Heading): [number, number] {
  const next = headings(text).find((h) => h.line > heading.line && h.level <= heading.level);
  return [heading.line + 1, next ? next.line : text.split('\n').length];
}

/** The prose lines of the section a heading opens. */
export function sectionLines(text: string, heading: Heading): string[] {
  return proseLines(text).slice(...sectionRange(text, heading));
}

/** Inline code spans (`x` and ``x``) of some prose lines, their contents trimmed. */
export function codeSpans(lines: string[]): string[] {
  const out: string[] = [];
  for (const line of lines) for (const m of line.matchAll(/(`+)([\s\S]*?[^`])\1(?!`)/g)) out.push(m[2].trim());
  return out;
}

/** Every link and image target of the prose: inline `[t](x)`, reference definitions `[r]: x`, HTML src/href. */
export function linkTargets(text: string): string[] {
  const prose = proseLines(text).map((l) => l.replace(/(`+)[\s\S]*?[^`]\1(?!`)/g, '')); // code spans hold no links
  const out: string[] = [];
  for (const line of prose) {
    for (const m of line.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g)) out.push(m[1]);
    const def = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/.exec(line);
    if (def) out.push(def[1]);
    for (const m of line.matchAll(/\b(?:src|href)\s*=\s*"([^"]+)"/g)) out.push(m[1]);
  }
  return out;
}

/** The anchors GitHub gives a file's headings: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
export function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const h of headings(text)) {
    const base = h.text
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/<[^>]+>/g, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '')
      .trim()
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}
