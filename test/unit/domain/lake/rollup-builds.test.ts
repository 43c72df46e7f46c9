import {
  buildId,
  buildPartName,
  coverageOf,
  currentBuild,
  eventsByDay,
  eventsTag,
  latestCoverageOf,
  parseBuilds,
  tagThrough,
} from '../../../../lambdas/domain/lake/rollup-builds';
import { rolledDays, sourceCte } from '../../../../lambdas/domain/segments/rollups';

const T = 'event_rollups/tenant_id=acme/';
const ev = (day: string, ...names: string[]) => names.map((n) => `events/tenant_id=acme/dt=${day}/${n}`);
const build = (day: string, names: string[], run: string, parts = 1) =>
  Array.from({ length: parts }, (_, i) => `${T}build=${buildId(day, eventsTag(names), run)}/${buildPartName(i, parts)}`);

describe('rollup builds', () => {
  test('the tag depends on the set of names only', () => {
    expect(eventsTag(['a', 'b'])).toBe(eventsTag(['b', 'a']));
    expect(eventsTag(['a', 'b'])).not.toBe(eventsTag(['a', 'c']));
    expect(eventsTag(['a'])).toMatch(/^[A-Za-z0-9]{16}$/);
  });

  test('events by day skip hidden objects and other shapes', () => {
    const byDay = eventsByDay([...ev('2026-11-01', 'a.parquet', '_tmp', '.x'), ...ev('2026-11-02', 'b.parquet'), 'events/junk']);
    expect(Object.fromEntries(byDay)).toEqual({ '2026-11-01': ['a.parquet'], '2026-11-02': ['b.parquet'] });
  });

  test('a build is whole only with every part, or its empty marker', () => {
    const whole = build('2026-11-01', ['a'], 'r1', 3);
    const cut = build('2026-11-01', ['a'], 'r2', 3).slice(0, 2);
    const empty = `${T}build=${buildId('2026-11-02', eventsTag(['b']), 'r3')}/_empty`;
    const builds = parseBuilds([...whole, ...cut, empty, `${T}build=bogus/part-0-of-1.parquet`]);
    expect(builds.map((b) => [b.id.split('.')[2], b.complete, b.keys.length])).toEqual([
      ['r1', true, 3],
      ['r2', false, 2],
      ['r3', true, 1],
    ]);
    // The first whole build of the current tag is the one read; a build cut short never is.
    expect(currentBuild(builds, '2026-11-01', eventsTag(['a']))?.id).toContain('.r1');
    expect(currentBuild(builds.slice(1), '2026-11-01', eventsTag(['a']))).toBeUndefined();
    expect(currentBuild(builds, '2026-11-01', eventsTag(['a', 'late']))).toBeUndefined();
  });

  test('coverage: rolled days name their build; a day with new files or no events left is stale', () => {
    const events = eventsByDay([
      ...ev('2026-11-01', 'a'),
      ...ev('2026-11-02', 'b', 'late'), // a late file after its build
      ...ev('2026-11-03', 'c'),
      ...ev('2026-11-05', 'e'), // not rolled yet
    ]);
    const builds = parseBuilds([
      ...build('2026-11-01', ['a'], 'r1'),
      ...build('2026-11-02', ['b'], 'r1'),
      ...build('2026-11-03', ['c'], 'r1'),
      ...build('2026-11-04', ['d'], 'r1'), // its events are gone (erased, expired)
    ]);
    const c = coverageOf(events, builds, true)!;
    expect(c).toMatchObject({ from: '2026-11-01', through: '2026-11-03', stale: ['2026-11-02'] });
    expect(Object.keys(c.builds!)).toEqual(['2026-11-01', '2026-11-03']);
    expect(coverageOf(events, builds, false)!.builds).toBeUndefined();
    expect(coverageOf(events, [], true)).toBeUndefined();
    // A build whose events are gone, between two rolled days: stale (read raw, where nothing is).
    const withHole = coverageOf(
      eventsByDay([...ev('2026-11-03', 'c'), ...ev('2026-11-05', 'e')]),
      parseBuilds([...build('2026-11-03', ['c'], 'r1'), ...build('2026-11-04', ['d'], 'r1'), ...build('2026-11-05', ['e'], 'r1')]),
      true,
    )!;
    expect(withHole).toMatchObject({ from: '2026-11-03', through: '2026-11-05', stale: ['2026-11-04'] });
  });

  test('a query names only the builds of the days it reads from rollups', () => {
    const coverage = {
      from: '2026-11-01',
      through: '2026-11-10',
      stale: ['2026-11-05'],
      builds: Object.fromEntries(['01', '02', '03', '04', '06', '07', '08', '09', '10'].map((d) => [`2026-11-${d}`, `2026-11-${d}.t.r`])),
    };
    const now = new Date('2026-11-12T12:00:00Z');
    const days = rolledDays(coverage, { windows: new Set([7]) }, now)!;
    expect(days.excluded).toEqual(['2026-11-05']); // the 7-day window's boundary (11-05) is stale already
    const cte = sourceCte('src_ev', 'acme', ['app_open'], days, '2026-11-05');
    expect(cte.sql).toContain('build IN (?, ?, ?, ?, ?)');
    expect(cte.params.filter((p) => String(p).includes('.t.r'))).toEqual(['06', '07', '08', '09', '10'].map((d) => `2026-11-${d}.t.r`));
    // Nothing left to read from rollups: the days are all read raw, and no build is named.
    const none = sourceCte('src_ev', 'acme', ['app_open'], days, '2026-11-11');
    expect(none.sql).not.toContain('event_rollups');
  });

  test('latest registrations: the newest whole build whose devices partitions up to its day are unchanged', () => {
    const dev = (day: string, ...names: string[]) => names.map((n) => `devices/tenant_id=acme/dt=${day}/${n}`);
    const L = 'device_latest/tenant_id=acme/';
    const devices = eventsByDay([...dev('2026-11-01', 'a'), ...dev('2026-11-02', 'b'), ...dev('2026-11-03', 'c')]);
    const made = (through: string, run: string, tag = tagThrough(devices, through)!) =>
      `${L}build=${buildId(through, tag, run)}/${buildPartName(0, 1)}`;
    // Made through 11-02; a later day (11-03) is read raw.
    expect(latestCoverageOf(devices, parseBuilds([made('2026-11-01', 'r0'), made('2026-11-02', 'r1')]), true)).toEqual({
      through: '2026-11-02',
      build: expect.stringMatching(/^2026-11-02\..+\.r1$/),
    });
    expect(latestCoverageOf(devices, parseBuilds([made('2026-11-02', 'r1')]), false)).toEqual({ through: '2026-11-02' });
    // Day 11-02 rewritten since (compaction, erasure): that build is out of date; an older one still holds.
    const rewritten = eventsByDay([...dev('2026-11-01', 'a'), ...dev('2026-11-02', 'b2'), ...dev('2026-11-03', 'c')]);
    expect(latestCoverageOf(rewritten, parseBuilds([made('2026-11-01', 'r0'), made('2026-11-02', 'r1')]), true)).toMatchObject({
      through: '2026-11-01',
    });
    expect(latestCoverageOf(rewritten, parseBuilds([made('2026-11-02', 'r1')]), true)).toBeUndefined();
    // A build cut short is never read.
    const cut = `${L}build=${buildId('2026-11-02', tagThrough(devices, '2026-11-02')!, 'r2')}/${buildPartName(0, 2)}`;
    expect(latestCoverageOf(devices, parseBuilds([cut]), true)).toBeUndefined();
    expect(tagThrough(devices, '2026-10-31')).toBeUndefined();
  });
});
