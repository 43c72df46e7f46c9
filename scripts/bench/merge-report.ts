/**
 * docs/benchmarks.md as a living document: a run that measured some areas replaces their sections,
 * summary rows, notes and provenance, and keeps every other section where it was (report.ts renders
 * one run; this merges it into what is there).
 */
import { AREAS, areaRows, markdown, md, summaryTable, type Area, type BenchResults, type Row } from './report';

const areaOf = (label: string): Area | undefined =>
  AREAS.find(
    (a) => a.label.toLowerCase() === label.trim().toLowerCase() || a.heading === label.trim() || a.key === label.trim().toLowerCase(),
  )?.key;
interface Section {
  title: string;
  body: string[];
}

/** Split markdown lines at headings with this prefix (`## ` or `### `), outside code fences. */
function splitAt(lines: string[], prefix: '## ' | '### '): { head: string[]; sections: Section[] } {
  const head: string[] = [];
  const sections: Section[] = [];
  let cur = head;
  let fence = false;
  for (const line of lines) {
    if (/^\s*```/.test(line)) fence = !fence;
    if (!fence && line.startsWith(prefix)) {
      const sec: Section = { title: line.slice(prefix.length).trim(), body: [] };
      sections.push(sec);
      cur = sec.body;
    } else cur.push(line);
  }
  return { head, sections };
}

const trimBlank = (lines: string[]) => {
  let a = 0;
  let b = lines.length;
  while (a < b && lines[a].trim() === '') a++;
  while (b > a && lines[b - 1].trim() === '') b--;
  return lines.slice(a, b);
};

function joinAt(head: string[], sections: Section[], prefix: '## ' | '### '): string[] {
  const out = trimBlank(head);
  if (out.length > 0) out.push('');
  for (const s of sections) out.push(prefix + s.title, '', ...trimBlank(s.body), '');
  return out;
}

/** The place of a section (or notes part) in AREAS order, from its title ("Delivery at 1,000,000 devices…" is Delivery's, "Segment estimates" Segments'). */
function areaRank(title: string): number | undefined {
  const t = title.trim().toLowerCase();
  if (!t) return undefined;
  const i = AREAS.findIndex((a) => {
    const [label, heading] = [a.label.toLowerCase(), a.heading.toLowerCase()];
    return t === label || t === a.key || t.startsWith(heading) || heading.startsWith(t) || t.startsWith(`${label} `);
  });
  return i >= 0 ? i : undefined;
}

/**
 * Fresh sections replace old ones of the same title in place; old ones not in `fresh` stay. A new
 * area's section goes after the last old section of an earlier area (AREAS order), so an area
 * measured for the first time lands among its neighbours; any other new one goes after the fresh
 * section before it.
 */
function mergeSections(old: Section[], fresh: Section[], replace: (f: Section, o: Section | undefined) => Section): Section[] {
  const out = [...old];
  let prev = -1;
  for (const f of fresh) {
    const i = out.findIndex((o) => o.title === f.title);
    if (i >= 0) {
      out[i] = replace(f, out[i]);
      prev = i;
      continue;
    }
    const rank = areaRank(f.title);
    let at = prev + 1;
    if (rank !== undefined) {
      const before = out.map((o) => areaRank(o.title)).findLastIndex((r) => r !== undefined && r < rank);
      if (before >= 0) at = before + 1;
    }
    out.splice(at, 0, replace(f, undefined));
    prev = at;
  }
  return out;
}

/** Rows of the markdown tables in these lines (header included, separator rows left out), cells as written. */
function tableCells(lines: string[]): string[][] {
  return lines
    .filter((l) => l.startsWith('|') && !/^\|[\s:|-]+\|\s*$/.test(l))
    .map((l) =>
      l
        .trim()
        .split('|')
        .slice(1, -1)
        .map((c) => c.replace(/^ /, '').replace(/ $/, '')),
    );
}

/** The area of a summary row written before the table had an `area` column. */
function legacyArea(benchmark: string): Area | undefined {
  if (/^\s*(estimate |floor)/.test(benchmark)) return 'segments';
  if (/^\s*(delivery|audience|sender path|item writes)/.test(benchmark)) return 'delivery';
  if (/^\s*(ingestion|GET |POST |PUT |DELETE )/.test(benchmark)) return 'api';
  if (/^\s*(events through|due → push)/.test(benchmark)) return 'automations';
  if (/^\s*Lambda bundles/.test(benchmark)) return 'bundles';
  return undefined;
}

/** The summary: this run's rows for the areas it measured, the old rows for the others (in area order, unknown rows last). */
function mergeSummary(r: BenchResults, old: Section | undefined): string[] {
  const cells = tableCells(old?.body ?? []);
  const withArea = cells[0]?.[0]?.trim() === 'area';
  const oldRows = cells
    .slice(1)
    .map((c) => (withArea ? { area: areaOf(c[0]), label: c[0], row: c.slice(1) } : { area: legacyArea(c[0]), label: '', row: c }));
  const fresh = areaRows(r);
  const rows: { area: Area | undefined; label?: string; row: Row | string[] }[] = [];
  for (const a of AREAS)
    rows.push(...(r[a.key] !== undefined ? fresh.filter((x) => x.area === a.key) : oldRows.filter((x) => x.area === a.key)));
  rows.push(...oldRows.filter((x) => x.area === undefined));
  return [summaryTable(rows)];
}

interface Provenance {
  date: string;
  command: string;
  commit: string;
  load: string;
  took: string;
}

/** Which run each area's section comes from: this run for the areas it measured, the old header for the others. */
function provenance(r: BenchResults, oldHead: string[], oldSections: Section[]): Map<Area, Provenance> {
  const rows = new Map<Area, Provenance>();
  const cells = tableCells(oldHead);
  if (cells[0]?.[0]?.trim() === 'section') {
    for (const c of cells.slice(1)) {
      const area = areaOf(c[0]);
      if (area) rows.set(area, { date: c[1], command: c[2], commit: c[3], load: c[4], took: c[5] });
    }
  } else {
    // The header of a file written before the merge: "Written by `cmd` (...) on date; it took N min."
    const text = oldHead.join(' ');
    const machine = tableCells(oldSections.find((s) => s.title === 'Machine')?.body ?? []);
    const cell = (name: string) => machine.find((c) => c[0].trim() === name)?.[1]?.trim() ?? '?';
    const w = /Written by `([^`]+)` \(([^)]*)\) on (\d{4}-\d{2}-\d{2}); it took ([\d.]+) min/.exec(text);
    if (w)
      for (const a of AREAS)
        rows.set(a.key, {
          date: w[3],
          command: `\`${w[1]}\`${/quick/i.test(w[2]) ? ' (**quick: reduced sizes**)' : ''}`,
          commit: cell('commit'),
          load: cell('load average before the run'),
          took: `${w[4]} min (whole run)`,
        });
    for (const m of text.matchAll(/(\w+) was re-measured on (\d{4}-\d{2}-\d{2}) with `([^`]+)` \(([\d.]+) min\)/g)) {
      const area = areaOf(m[1]);
      if (area) rows.set(area, { date: m[2], command: `\`${m[3]}\``, commit: '?', load: '?', took: `${m[4]} min` });
    }
  }
  for (const a of AREAS) {
    if (r[a.key] === undefined) continue;
    const took = r.tookS[a.key];
    rows.set(a.key, {
      date: r.machine.date.slice(0, 10),
      command: `\`${r.command}\`${r.quick ? ' (**quick: reduced sizes**)' : ''}`,
      commit: r.machine.commit,
      load: String(r.loadBefore),
      took: took === undefined ? '?' : took >= 90 ? `${(took / 60).toFixed(1)} min` : `${took.toFixed(0)} s`,
    });
  }
  return rows;
}

function header(r: BenchResults, prov: Map<Area, Provenance>): string[] {
  return [
    '# Benchmarks',
    '',
    'Each section below comes from the run listed here. `npm run bench` measures every section; `npm run bench -- --only delivery` (any of ' +
      AREAS.map((a) => `\`${a.key}\``).join(', ') +
      ') re-measures the ones it names and replaces their sections, summary rows and notes, keeping the rest of this file as it was (hand-written sections included).',
    '',
    md([
      ['section', 'measured on', 'command', 'commit', 'load before', 'took'],
      ...AREAS.filter((a) => prov.has(a.key)).map((a) => {
        const p = prov.get(a.key)!;
        return [a.heading, p.date, p.command, p.commit, p.load, p.took];
      }),
    ]),
    '',
  ];
}

/**
 * docs/benchmarks.md after this run: the sections it measured (and Machine, the summary rows and
 * notes of those areas) replace the old ones; every other section of `existing` stays where it was.
 */
export function mergeReport(existing: string | undefined, r: BenchResults, notes: string): string {
  const fresh = splitAt((markdown(r) + '\n' + notes).split('\n'), '## ');
  const old = splitAt((existing ?? '').split('\n'), '## ');
  const sections = mergeSections(old.sections, fresh.sections, (f, o) => {
    if (f.title === 'Summary') return { title: f.title, body: mergeSummary(r, o) };
    if (o && f.title.startsWith('Notes')) {
      // Notes: one `### ` part per area; replace the parts of the areas measured now, keep the others.
      const [fo, oo] = [splitAt(f.body, '### '), splitAt(o.body, '### ')];
      return {
        title: f.title,
        body: joinAt(
          trimBlank(fo.head).length > 0 ? fo.head : oo.head,
          mergeSections(oo.sections, fo.sections, (x) => x),
          '### ',
        ),
      };
    }
    return f;
  });
  return (
    joinAt(header(r, provenance(r, old.head, old.sections)), sections, '## ')
      .join('\n')
      .trimEnd() + '\n'
  );
}
