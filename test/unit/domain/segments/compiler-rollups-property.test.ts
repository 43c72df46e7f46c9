/**
 * Exactness through the rollup path (issue 19): the same random datasets and trees as the compiler's
 * property test, with the events rolled up per device and day over a random range of closed days,
 * then late events added to some rolled days (their rollups now out of date, so marked stale) and
 * exact re-deliveries of earlier events, and the latest registrations made as of a closed day with
 * snapshots after it. Estimates and members over rollups must equal the reference evaluator's answer
 * over all events, and equal the raw path's; so must the AWS layout (a build per day, newer unnamed
 * builds present).
 */
import fc from 'fast-check';
import { compileEstimate, compileMembers, type CompileContext } from '../../../../lambdas/domain/segments/compiler';
import { parseSegmentDefinition, type SegmentDefinition } from '../../../../lambdas/domain/segments/criteria';
import { duckdbDialect } from '../../../../lambdas/domain/segments/dialect-duckdb';
import type { RollupCoverage } from '../../../../lambdas/domain/segments/rollups';
import { eventRow, type DeviceRow } from '../../../../lambdas/domain/lake-schema';
import { versionKey } from '../../../../lambdas/domain/version-key';
import { NOW, datasetArb, definitionArb, registrationArb } from './arbitraries';
import { TestLake } from './duckdb-harness';
import { ReferenceWorld } from './reference-evaluator';

const TREES_PER_DATASET = 10;
const DATASETS = 20;
const DAY = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

let lake: TestLake;
let run = 0;

beforeAll(async () => {
  lake = await TestLake.create();
});
afterAll(() => lake.close());

const scenarioArb = fc.record({
  data: datasetArb,
  other: datasetArb,
  s1: definitionArb([]),
  trees: fc.array(definitionArb(['s1', 'missing']), { minLength: TREES_PER_DATASET, maxLength: TREES_PER_DATASET }),
  // The rolled range: from 0–130 days back, through yesterday, today (clamped to yesterday) or earlier.
  fromDaysAgo: fc.integer({ min: 0, max: 130 }),
  throughDaysAgo: fc.constantFrom(-1, 0, 1, 2, 5, 40),
  // Which events arrive late (after their day was rolled): every k-th, or none.
  lateEvery: fc.constantFrom(0, 3, 7, 11),
  // Registrations of the last days (new devices, or a later snapshot of one): after the latest registrations were made, or before.
  rereg: fc.array(
    fc.record({
      device: fc.integer({ min: 0, max: 12 }),
      daysAgo: fc.integer({ min: 0, max: 12 }),
      hours: fc.integer({ min: 0, max: 20 }),
      reg: registrationArb,
    }),
    { maxLength: 8 },
  ),
  // The day the latest registrations were made up to.
  latestDaysAgo: fc.constantFrom(1, 2, 5, 30),
  // Events hours either side of a window's start (N×24 h back, mid-day): the boundary day is part in, part out.
  boundary: fc.array(
    fc.record({
      device: fc.integer({ min: 0, max: 3 }),
      type: fc.constantFrom('app_open', 'product_view', 'custom', 'add_to_cart', 'purchase'),
      days: fc.constantFrom(1, 3, 7, 14, 30, 60, 90),
      hours: fc.integer({ min: -6, max: 6 }),
      product: fc.constantFrom('p1', 'p2', 'p6'),
      order: fc.integer({ min: 0, max: 6 }),
    }),
    { maxLength: 40 },
  ),
});

/** Four devices b0..b3 with nothing but events around the windows' starts: small counts a miscounted boundary day would change. */
const BOUNDARY_DEVICES = [0, 1, 2, 3].map((i) => ({
  device_id: `b${i}`,
  platform: 'ios',
  opted_in: true,
  country: 'FR',
  timezone: null,
  locale: null,
  app_version: null,
  app_version_key: null,
  customer_id: null,
  updated_at: new Date(NOW.getTime() - 200 * DAY).toISOString(),
}));

function boundaryEvents(seeds: Scenario['boundary']) {
  return seeds.map((b, i) =>
    eventRow(
      {
        event_id: `b${i}`,
        device_id: `b${b.device}`,
        type: b.type,
        ts: new Date(NOW.getTime() - b.days * DAY + b.hours * 3_600_000).toISOString(),
        received_at: NOW.toISOString(),
      },
      {
        product_id: ['product_view', 'add_to_cart'].includes(b.type) ? b.product : null,
        order_id: b.type === 'purchase' ? `o${b.order}` : null,
        amount: b.type === 'purchase' ? 10 + b.order : null,
        currency: b.type === 'purchase' ? 'USD' : null,
        name: b.type === 'custom' ? 'share' : null,
      },
    ),
  );
}

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

/** Snapshots of the last days: d00–d12 (some exist, some are new), at random hours. */
function recentRegistrations(seeds: Scenario['rereg']): DeviceRow[] {
  return seeds.map((r, i) => ({
    device_id: `d${String(r.device).padStart(2, '0')}`,
    platform: r.reg.platform,
    opted_in: r.reg.opted_in,
    country: r.reg.country,
    timezone: r.reg.timezone,
    locale: null,
    app_version: r.reg.app_version,
    app_version_key: r.reg.app_version === null ? null : versionKey(r.reg.app_version),
    customer_id: r.reg.customer_id,
    // - i ms: no two snapshots of a device at the same instant (which one is latest would be arbitrary).
    updated_at: new Date(NOW.getTime() - r.daysAgo * DAY - r.hours * 3_600_000 - i).toISOString(),
  }));
}

test('estimates and members over rollups agree with the reference evaluator and with the raw path', async () => {
  await fc.assert(
    fc.asyncProperty(scenarioArb, async (s) => {
      run++;
      const tenant = `rolled-${run}`;
      const all = [...s.data.events, ...boundaryEvents(s.boundary)];
      const late = all.filter((_, i) => s.lateEvery > 0 && i % s.lateEvery === 0);
      const early = all.filter((e) => !late.includes(e));
      const devices = [...s.data.devices, ...BOUNDARY_DEVICES, ...recentRegistrations(s.rereg)];
      await lake.addDevices(tenant, devices);
      await lake.addEvents(tenant, early);
      // Another tenant with the same device ids, rolled too: a leak would change the answers.
      await lake.addDevices(`other-${run}`, s.other.devices);
      await lake.addEvents(`other-${run}`, s.other.events);

      const from = dayOf(NOW.getTime() - s.fromDaysAgo * DAY);
      const through = dayOf(NOW.getTime() - s.throughDaysAgo * DAY);
      const days: string[] = [];
      for (let t = Date.parse(`${from}T00:00:00Z`); dayOf(t) <= through; t += DAY) days.push(dayOf(t));
      await lake.rollUp(tenant, days);
      await lake.rollUp(`other-${run}`, days);
      // As AWS keeps them: one build per day, each in its own partition (the query names the builds it reads).
      const builds = await lake.rollUp(tenant, days, 'b1');
      // Late events land after their day was rolled: those days are stale until rolled again.
      await lake.addEvents(tenant, late);
      const stale = [...new Set(late.map((e) => e.ts.slice(0, 10)))].filter((d) => d >= from && d <= through);
      const rollups: RollupCoverage = { from, through, stale };
      // A newer build of every day being written (with the late events), not yet named by any coverage: never read.
      await lake.rollUp(tenant, days, 'b2');
      // The latest registrations as of a closed day; later snapshots are read raw (and win).
      const latestThrough = dayOf(NOW.getTime() - s.latestDaysAgo * DAY);
      await lake.buildLatest(tenant, latestThrough);
      await lake.buildLatest(`other-${run}`, latestThrough);
      const latestBuild = (await lake.buildLatest(tenant, latestThrough, 'l1'))!;
      await lake.buildLatest(tenant, dayOf(NOW.getTime()), 'l2'); // a newer build no coverage names yet

      const segments = new Map<string, SegmentDefinition>([['s1', parseSegmentDefinition(s.s1)]]);
      const world = new ReferenceWorld(devices, all, NOW, segments);
      const raw: CompileContext = { tenantId: tenant, now: NOW, segments };
      const rolled: CompileContext = { ...raw, rollups, latest: { through: latestThrough } };
      const perBuild: CompileContext = { ...raw, rollups: { ...rollups, builds }, latest: { through: latestThrough, build: latestBuild } };

      // Besides the random trees, counts at each window the boundary events straddle (a rolled boundary day would miscount them).
      const probes = [1, 3, 7, 14, 30, 60, 90].flatMap((withinDays) => [
        { match: 'all', criteria: [{ filter: 'app_opens', operator: 'eq', value: 1, withinDays }] },
        { match: 'all', criteria: [{ filter: 'custom_event', event: 'share', operator: 'lte', value: 1, withinDays }] },
        { match: 'all', criteria: [{ filter: 'total_orders', operator: 'eq', value: 1, withinDays }] },
      ]);
      for (const def0 of [...s.trees, ...probes]) {
        const def = parseSegmentDefinition(def0);
        const expected = world.evaluate(def);
        const [estimate] = await lake.run(compileEstimate(def, rolled, duckdbDialect));
        expect({ def, rollups, ...estimate }).toEqual({ def, rollups, total: expected.total, matched: expected.matched.length });
        const members = await lake.run(compileMembers(def, rolled, duckdbDialect, { limit: 1000 }));
        expect(members.map((m) => m.device_id)).toEqual(expected.matched);
        const [rawEstimate] = await lake.run(compileEstimate(def, raw, duckdbDialect));
        expect(rawEstimate).toEqual(estimate);
      }
      await lake.rollupLayout('build');
      try {
        for (const def0 of [...s.trees, ...probes]) {
          const def = parseSegmentDefinition(def0);
          const [estimate] = await lake.run(compileEstimate(def, perBuild, duckdbDialect));
          expect({ def, rollups, ...estimate }).toEqual({
            def,
            rollups,
            total: world.evaluate(def).total,
            matched: world.evaluate(def).matched.length,
          });
        }
      } finally {
        await lake.rollupLayout('day');
      }
    }),
    { numRuns: DATASETS, endOnFailure: process.env.SEGMENT_PBT_SHRINK !== '1' },
  );
}, 180_000);

test('a stale rolled day is read raw: its outdated rollup rows are ignored', async () => {
  const tenant = 'stale-day';
  const day = dayOf(NOW.getTime() - 5 * DAY);
  await lake.addDevices(tenant, [BOUNDARY_DEVICES[0]]);
  const open = (id: string) =>
    eventRow({
      event_id: id,
      device_id: BOUNDARY_DEVICES[0].device_id,
      type: 'app_open',
      ts: `${day}T10:00:00.000Z`,
      received_at: NOW.toISOString(),
    });
  await lake.addEvents(tenant, [open('a')]);
  await lake.rollUp(tenant, [day]);
  await lake.addEvents(tenant, [open('b'), open('b')]); // late, and re-delivered
  const def = parseSegmentDefinition({ match: 'all', criteria: [{ filter: 'app_opens', operator: 'gte', value: 2, withinDays: 30 }] });
  const ctx = (stale: string[]): CompileContext => ({
    tenantId: tenant,
    now: NOW,
    segments: new Map(),
    rollups: { from: day, through: day, stale },
  });
  expect((await lake.run(compileEstimate(def, ctx([]), duckdbDialect)))[0]).toEqual({ total: 1, matched: 0 }); // the outdated rollup says 1
  expect((await lake.run(compileEstimate(def, ctx([day]), duckdbDialect)))[0]).toEqual({ total: 1, matched: 1 });
});

test("a window's boundary day is read raw: a rolled row straddling the window's start would count both events", async () => {
  const tenant = 'boundary-day';
  await lake.addDevices(tenant, [BOUNDARY_DEVICES[0]]);
  const at = (hours: number, id: string) => ({
    ...boundaryEvents([{ device: 0, type: 'app_open', days: 7, hours, product: 'p1', order: 0 }])[0],
    event_id: id,
  });
  await lake.addEvents(tenant, [at(-2, 'x1'), at(2, 'x2')]);
  const day = dayOf(NOW.getTime() - 7 * DAY);
  await lake.rollUp(tenant, [day]);
  const def = parseSegmentDefinition({ match: 'all', criteria: [{ filter: 'app_opens', operator: 'eq', value: 1, withinDays: 7 }] });
  const ctx: CompileContext = { tenantId: tenant, now: NOW, segments: new Map(), rollups: { from: day, through: day, stale: [] } };
  expect((await lake.run(compileEstimate(def, ctx, duckdbDialect)))[0]).toEqual({ total: 1, matched: 1 });
});
