/**
 * User values are bound parameters (or, in the Trino form outside WHERE clauses, literals of the
 * one escaping function): quotes, semicolons, comments, unicode and very long strings
 * are matched literally, never break a query and never appear in the SQL text as code.
 */
import {
  compileEstimate,
  compileMemberZones,
  compileMembers,
  compileSample,
  type CompileContext,
} from '../../../../lambdas/domain/segments/compiler';
import { parseSegmentDefinition, type SegmentDefinition } from '../../../../lambdas/domain/segments/criteria';
import type { SqlDialect } from '../../../../lambdas/domain/segments/dialect';
import { duckdbDialect } from '../../../../lambdas/domain/segments/dialect-duckdb';
import { compileExplain, readExplain } from '../../../../lambdas/domain/segments/explain';
import type { Row, SqlQuery } from '../../../../lambdas/ports/query-engine';
import { convertValue } from '../../../../lambdas/adapters/aws/athena-query-engine';
import { athenaLiteral } from '../../../../lambdas/domain/segments/athena-literal';
import { trinoDialect } from '../../../../lambdas/domain/segments/dialect-trino';
import { installTrinoCompat, runAthenaQuery } from '../../../aws/support/athena-sql';
import { TestLake } from './duckdb-harness';
import { NOW, device, event } from './fixtures';

const EVIL = [
  "'",
  "x' OR 1=1 --",
  "'; DROP TABLE events; --",
  'a"b\\c',
  '?',
  '$1 ? :name',
  '/* comment */',
  'ünïcødé 🚀 日本',
  'null',
  'NULL',
  '\u0000zero',
  'line\nbreak',
];
const LONG = `L${"'".repeat(5000)}${'x'.repeat(4999)}`; // 10 000 chars, half quotes

let lake: TestLake;
const tenant = "acme' OR '1'='1";
const ctx = (segments = new Map<string, SegmentDefinition>()): CompileContext => ({ tenantId: tenant, now: NOW, segments });

beforeAll(async () => {
  lake = await TestLake.create();
  const products = [...EVIL, LONG];
  await lake.addDevices(tenant, [device('viewer'), device("dev'ice; --", { timezone: "Zone/'; --" }), device('plain')]);
  await lake.addEvents(tenant, [
    ...products.map((p) => event('viewer', 'product_view', { product_id: p })),
    event("dev'ice; --", 'custom', { name: "x' OR 1=1 --" }),
    event("dev'ice; --", 'product_view', { product_id: 'sku-1' }),
  ]);
  // Another tenant whose name a broken tenant filter would let through.
  await lake.addDevices('acme', [device('intruder')]);
  await lake.addEvents('acme', [event('intruder', 'product_view', { product_id: "x' OR 1=1 --" })]);
});
afterAll(() => lake.close());

/** The members query of a segment on an evil custom event name, with an evil keyset cursor and zone. */
function evilMembers(dialect: SqlDialect): SqlQuery {
  const evilEvent: SegmentDefinition = {
    match: 'all',
    criteria: [{ filter: 'custom_event', operator: 'gte', value: 1, event: "x' OR 1=1 --" }],
  };
  return compileMembers(evilEvent, ctx(), dialect, {
    limit: 5,
    afterDeviceId: "' OR 1=1 --",
    zone: { timezone: "Zone/'; --", includeMissing: false },
  });
}

function expectNoValueInSql(q: SqlQuery, values: string[]): void {
  for (const v of values) if (v.length > 2) expect(q.sql).not.toContain(v);
  expect(q.sql.split('?').length - 1).toBe(q.params.length);
}

const viewed = (value: string[]): SegmentDefinition => ({
  match: 'all',
  criteria: [{ filter: 'product_viewed', operator: 'any_of', value }],
});

test.each(EVIL.map((v) => [v]))('product id %j is matched literally', async (value) => {
  const q = compileMembers(viewed([value]), ctx(), duckdbDialect, { limit: 10 });
  expectNoValueInSql(q, [value]);
  expect((await lake.run(q)).map((r) => r.device_id)).toEqual(['viewer']);
});

test('evil values pass validation where the schema allows them', () => {
  const def = parseSegmentDefinition(viewed(EVIL));
  expect(def.criteria[0]).toMatchObject({ value: EVIL });
});

test('a 10 000-char product id (beyond the schema) still compiles and matches literally', async () => {
  const q = compileEstimate(viewed([LONG]), ctx(), duckdbDialect);
  expectNoValueInSql(q, [LONG]);
  expect(await lake.run(q)).toEqual([{ total: 3, matched: 1 }]);
  const near = compileEstimate(viewed([LONG.slice(0, -1), `${LONG}x`]), ctx(), duckdbDialect);
  expect(await lake.run(near)).toEqual([{ total: 3, matched: 0 }]);
});

test('custom event names, tenant, keyset cursor, zone and explain device are parameters', async () => {
  const members = evilMembers(duckdbDialect);
  expectNoValueInSql(members, ["x' OR 1=1 --", "Zone/'; --", tenant]);
  expect(await lake.run(members)).toEqual([{ device_id: "dev'ice; --", platform: 'ios', timezone: "Zone/'; --" }]);

  const zones = compileMemberZones({ match: 'all', criteria: [] }, ctx(), duckdbDialect);
  expect(await lake.run(zones)).toEqual([
    { timezone: 'Europe/Paris', devices: 2 },
    { timezone: "Zone/'; --", devices: 1 },
  ]);

  const { query, conditions } = compileExplain(viewed(EVIL), ctx(), duckdbDialect, "dev'ice; --");
  expectNoValueInSql(query, [...EVIL, "dev'ice; --"]);
  const rows = await lake.run(query);
  expect(readExplain(rows[0], conditions)).toMatchObject({ member: false, optedIn: true, conditions: [{ held: false, actual: [] }] });
  const viewer = compileExplain(viewed(EVIL), ctx(), duckdbDialect, 'viewer');
  const explained = readExplain((await lake.run(viewer.query))[0], viewer.conditions);
  expect(explained.conditions[0].actual).toEqual([...EVIL].sort());
});

test('in_segment ids are only map keys and unknown ids match nothing', async () => {
  const def: SegmentDefinition = {
    match: 'all',
    criteria: [{ filter: 'in_segment', operator: 'is_member', value: "'; DROP TABLE devices; --" }],
  };
  const q = compileEstimate(def, ctx(), duckdbDialect);
  expect(q.sql).not.toContain('DROP');
  expect(await lake.run(q)).toEqual([{ total: 3, matched: 0 }]);
  const not = compileEstimate(
    { match: 'all', criteria: [{ filter: 'in_segment', operator: 'is_not_member', value: 'nope' }] },
    ctx(),
    duckdbDialect,
  );
  expect(await lake.run(not)).toEqual([{ total: 3, matched: 3 }]);
});

test('the other tenant never leaks and limits are validated integers', async () => {
  const q = compileSample({ match: 'all', criteria: [] }, ctx(), duckdbDialect, 100);
  expect((await lake.run(q)).map((r) => r.device_id)).toEqual(["dev'ice; --", 'plain', 'viewer']);
  expect(() => compileSample({ match: 'all', criteria: [] }, ctx(), duckdbDialect, 1.5)).toThrow();
  expect(() => compileMembers({ match: 'all', criteria: [] }, ctx(), duckdbDialect, { limit: -1 })).toThrow();
  expect(() => compileSample({ match: 'all', criteria: [] }, ctx(), duckdbDialect, '1; DROP' as unknown as number)).toThrow();
});

describe('the Trino form through the Athena stand-in', () => {
  /** As the Athena adapter sends it: WHERE values as execution parameters, the rest already literals. */
  async function athenaRows(q: SqlQuery): Promise<Row[]> {
    await installTrinoCompat(lake.connection);
    const { columns, rows } = await runAthenaQuery(lake.connection, q.sql, q.params.length > 0 ? q.params.map(athenaLiteral) : undefined);
    return rows.map((cells) => Object.fromEntries(columns.map((c, i) => [c.name, convertValue(cells[i] ?? undefined, c.type)])));
  }

  test.each([...EVIL, LONG].map((v) => [v]))('product id %j is matched literally in select-list aggregates and WHERE', async (value) => {
    const estimate = await athenaRows(compileEstimate(viewed([value]), ctx(), trinoDialect));
    expect(estimate).toEqual([{ total: 3, matched: 1 }]);
    expect((await athenaRows(compileMembers(viewed([value]), ctx(), trinoDialect, { limit: 10 }))).map((r) => r.device_id)).toEqual([
      'viewer',
    ]);
  });

  test('explain lists the evil product ids the device viewed, and evil cursors and zones stay parameters', async () => {
    const viewer = compileExplain(viewed(EVIL), ctx(), trinoDialect, 'viewer');
    const explained = readExplain((await athenaRows(viewer.query))[0], viewer.conditions);
    expect(explained.conditions[0].actual).toEqual([...EVIL].sort());
    const members = evilMembers(trinoDialect);
    expect(await athenaRows(members)).toEqual([{ device_id: "dev'ice; --", platform: 'ios', timezone: "Zone/'; --" }]);
  });
});
