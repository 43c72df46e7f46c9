import {
  buildId,
  buildPartName,
  coverageOf,
  currentBuild,
  eventsByDay,
  eventsTag,
  latestCoverageOf,
  parseBuilds,
  planLatest,
  planRollups,
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

  test('the rollup plan: newest days first within the budget, older ones left; a continuation builds only older days; stale builds go', () => {
    const days = ['2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23', '2026-11-24'];
    const events = eventsByDay(days.flatMap((d) => ev(d, `${d}.parquet`)));
    const stale = build('2026-11-22', ['old.parquet'], 'r0'); // made before the day's objects changed
    const gone = build('2026-11-10', ['x'], 'r0'); // its events are gone
    const current = build('2026-11-23', ['2026-11-23.parquet'], 'r1');
    const builds = parseBuilds([...stale, ...gone, ...current]);
    const first = planRollups(events, builds, '2026-11-24', { maxBuilds: 2 });
    expect(first.build.map((b) => b.day)).toEqual(['2026-11-22', '2026-11-21']); // today and the current day are not built
    expect(first.remaining).toBe(1);
    expect(first.obsolete.sort()).toEqual([...stale, ...gone].sort());
    const next = planRollups(events, builds, '2026-11-24', { maxBuilds: 2, olderThan: '2026-11-21' });
    expect(next.build.map((b) => b.day)).toEqual(['2026-11-20']);
    expect(next.remaining).toBe(0);
    // The same plan for a crash's leftover: a second whole build of a current day goes.
    const twice = parseBuilds([...current, ...build('2026-11-23', ['2026-11-23.parquet'], 'r2')]);
    expect(planRollups(events, twice, '2026-11-24').obsolete).toEqual(twice.filter((b) => b.id.endsWith('.r2'))[0].keys);
  });

  test('the latest plan: kept while no devices object came since its day, else made anew; older builds go', () => {
    const dev = (day: string, ...names: string[]) => names.map((n) => `devices/tenant_id=acme/dt=${day}/${n}`);
    const L = 'device_latest/tenant_id=acme/';
    const made = (devices: Map<string, string[]>, through: string, run: string) =>
      `${L}build=${buildId(through, tagThrough(devices, through)!, run)}/${buildPartName(0, 1)}`;
    const quiet = eventsByDay([...dev('2026-11-01', 'a'), ...dev('2026-11-02', 'b')]);
    const old = made(quiet, '2026-11-01', 'r0');
    const kept = made(quiet, '2026-11-02', 'r1');
    // Made through 11-02; on 11-05 nothing came since: kept (no new ranking), the older build goes.
    expect(planLatest(quiet, parseBuilds([old, kept]), '2026-11-05')).toEqual({ obsolete: [old] });
    // A registration on 11-03: made anew through 11-04.
    const busy = eventsByDay([...dev('2026-11-01', 'a'), ...dev('2026-11-02', 'b'), ...dev('2026-11-03', 'c')]);
    expect(planLatest(busy, parseBuilds([old, kept]), '2026-11-05')).toEqual({
      build: { day: '2026-11-04', tag: tagThrough(busy, '2026-11-04') },
      obsolete: [old, kept],
    });
    // No device at all up to yesterday: nothing made, every build goes.
    expect(planLatest(eventsByDay(dev('2026-11-05', 'n')), parseBuilds([kept]), '2026-11-05')).toEqual({ obsolete: [kept] });
  });
});
