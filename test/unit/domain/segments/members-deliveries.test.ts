/**
 * The wave's members query and the lake's deliveries table, in both dialects (DuckDB bound; Trino
 * through the Athena stand-in, whose rules say `?` only in WHERE clauses):
 * - `notReachedBy` leaves out devices the campaign already has an outcome for (any outcome, any
 *   wave), so a device that moved to a later wave's time zone is not pushed twice;
 * - `sendsSince` brings each device's pushes since then (sent only, every campaign), the history a
 *   frequency cap counts, including pushes made while no cap was set.
 */
import { convertValue } from '../../../../lambdas/adapters/aws/athena-query-engine';
import type { DeliveryRow, DeviceRow } from '../../../../lambdas/domain/lake-schema';
import { athenaLiteral } from '../../../../lambdas/domain/segments/athena-literal';
import { compileMembers, type MembersOptions } from '../../../../lambdas/domain/segments/compiler';
import { duckdbDialect } from '../../../../lambdas/domain/segments/dialect-duckdb';
import { trinoDialect } from '../../../../lambdas/domain/segments/dialect-trino';
import type { Row } from '../../../../lambdas/ports/query-engine';
import { checkAthenaSql, installTrinoCompat, runAthenaQuery } from '../../../aws/support/athena-sql';
import { TestLake } from './duckdb-harness';

const NOW = new Date('2026-06-01T12:00:00.000Z');
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000).toISOString();

const device = (id: string, timezone: string | null): DeviceRow => ({
  device_id: id,
  platform: 'ios',
  opted_in: true,
  country: 'FR',
  timezone,
  locale: null,
  app_version: null,
  app_version_key: null,
  customer_id: null,
  updated_at: hoursAgo(500),
});
const delivery = (
  campaign: string,
  id: string,
  outcome: DeliveryRow['outcome'],
  hours: number,
  reason: string | null = null,
): DeliveryRow => ({
  campaign_id: campaign,
  device_id: id,
  wave_id: 'now',
  batch_id: `now:x:0:0`,
  outcome,
  reason,
  platform: 'ios',
  ts: hoursAgo(hours),
});

let lake: TestLake;
beforeAll(async () => {
  lake = await TestLake.create();
  await installTrinoCompat(lake.connection);
  await lake.addDevices(
    't1',
    ['a', 'b', 'c', 'd', 'e'].map((id) => device(id, 'Europe/Paris')),
  );
  await lake.addDevices('t2', [device('a', 'Europe/Paris')]);
  await lake.addDeliveries('t1', [
    delivery('cmp_now', 'a', 'sent', 2), // reached by this campaign in an earlier wave
    delivery('cmp_now', 'a', 'sent', 2), // ... its chunk written twice
    delivery('cmp_now', 'b', 'suppressed', 2, 'frequencyCap'), // any outcome counts as reached
    delivery('cmp_old', 'c', 'sent', 30), // another campaign: 30 h ago
    delivery('cmp_old2', 'c', 'sent', 5),
    delivery('cmp_old2', 'c', 'sent', 5), // twice in the lake
    delivery('cmp_old3', 'd', 'failed', 3), // not a push
    delivery('cmp_old4', 'e', 'sent', 800), // long before any window
  ]);
  await lake.addDeliveries('t2', [delivery('cmp_now', 'a', 'sent', 1)]); // another tenant: never seen
});
afterAll(() => lake.close());

async function both(opts: MembersOptions): Promise<[Row[], Row[]]> {
  const def = { match: 'all' as const, criteria: [] };
  const ctx = { tenantId: 't1', now: NOW, segments: new Map() };
  const duck = await lake.run(compileMembers(def, ctx, duckdbDialect, opts));
  const trino = compileMembers(def, ctx, trinoDialect, opts);
  const params = trino.params.length > 0 ? trino.params.map(athenaLiteral) : undefined;
  checkAthenaSql(trino.sql, params); // throws what Athena would refuse
  const { columns, rows } = await runAthenaQuery(lake.connection, trino.sql, params);
  const athena = rows.map((cells) => Object.fromEntries(columns.map((c, i) => [c.name, convertValue(cells[i] ?? undefined, c.type)])));
  return [duck, athena];
}

const sends = (rows: Row[]) =>
  Object.fromEntries(
    rows.map((r) => [
      r.device_id,
      r.recent_sends === null || r.recent_sends === undefined ? null : (JSON.parse(String(r.recent_sends)) as string[]).sort(),
    ]),
  );

test('without options: every member, no history column', async () => {
  const [duck, athena] = await both({});
  for (const rows of [duck, athena]) {
    expect(rows.map((r) => r.device_id)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(rows[0]).not.toHaveProperty('recent_sends');
  }
});

test('notReachedBy leaves out the devices the campaign has any outcome for, in this tenant only', async () => {
  const [duck, athena] = await both({ notReachedBy: { campaignId: 'cmp_now', since: new Date(NOW.getTime() - 86_400_000) } });
  for (const rows of [duck, athena]) expect(rows.map((r) => r.device_id)).toEqual(['c', 'd', 'e']);
});

test("sendsSince brings each device's pushes of the window (sent only, one per campaign after reading), null for none", async () => {
  const [duck, athena] = await both({ sendsSince: new Date(hoursAgo(24)) });
  for (const rows of [duck, athena]) {
    expect(sends(rows)).toEqual({
      a: [`cmp_now@${hoursAgo(2)}`, `cmp_now@${hoursAgo(2)}`], // duplicates reach the sender, which keeps one per campaign
      b: null,
      c: [`cmp_old2@${hoursAgo(5)}`, `cmp_old2@${hoursAgo(5)}`],
      d: null,
      e: null,
    });
  }
  const [wide] = await both({
    sendsSince: new Date(hoursAgo(48)),
    notReachedBy: { campaignId: 'cmp_now', since: new Date(hoursAgo(48)) },
    afterDeviceId: 'b',
  });
  expect(sends(wide)).toEqual({
    c: [`cmp_old2@${hoursAgo(5)}`, `cmp_old2@${hoursAgo(5)}`, `cmp_old@${hoursAgo(30)}`].sort(),
    d: null,
    e: null,
  });
});
