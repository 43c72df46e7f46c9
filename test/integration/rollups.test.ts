/**
 * Device-day rollups in the local world (issue 19): the maintenance run rolls up closed days after it
 * compacts them; estimates read those days from the rollups and stay exact and fresh: a late event
 * for a rolled day counts at once (the day is read raw until it is rolled again), today is always
 * raw, and an erased device leaves the rollups with its events.
 */
import { ROLLUP_TABLE } from '../../lambdas/domain/lake-schema';
import { LocalRollups } from '../../lambdas/adapters/local/local-rollups';
import { registerDevices, TestWorld, type Caller } from './harness';

const DAY = 86_400_000;

describe('device-day rollups in the local world', () => {
  const t = new TestWorld();
  let shop: Caller;
  const api = t.as(() => shop);
  const daysAgo = (n: number, hour = 10) => {
    const d = new Date(Date.now() - n * DAY);
    d.setUTCHours(hour, 0, 0, 0);
    return d.toISOString();
  };
  const post = async (events: Record<string, unknown>[]) => {
    const res = await t.request('POST', '/v1/events', { appKey: shop.appKey, body: { events } });
    expect(res.body.rejected).toEqual([]);
  };
  const estimate = async (criteria: unknown[]) => {
    const res = await api('POST', '/v1/segment-estimates', { match: 'all', criteria });
    expect(res.status).toBe(200);
    return res.body.matched as number;
  };
  const rollups = () => new LocalRollups(t.world.lake, t.world.engine);

  t.forSuite(async () => {
    shop = await t.tenant('rollup-shop');
    await registerDevices(t, shop, [
      ['r-1', { country: 'FR' }],
      ['r-2', { country: 'FR' }],
      ['r-3', { country: 'FR' }],
    ]);
    const open = (id: string, device: string, at: string) => ({ eventId: id, deviceId: device, type: 'app_open', ts: at });
    await post([
      open('o1', 'r-1', daysAgo(3)),
      open('o2', 'r-1', daysAgo(2)),
      open('o3', 'r-2', daysAgo(2)),
      open('o3', 'r-2', daysAgo(2)), // re-delivered
      { eventId: 'b1', deviceId: 'r-3', type: 'purchase', orderId: 'ord-1', amount: 120, currency: 'EUR', ts: daysAgo(3) },
      { eventId: 'b2', deviceId: 'r-3', type: 'purchase', orderId: 'ord-1', amount: 120, currency: 'EUR', ts: daysAgo(2) }, // the same order again
      open('o4', 'r-3', daysAgo(0, 0)),
    ]);
  });

  test('closed days are rolled after compaction; estimates over them equal the raw answer', async () => {
    const opens2 = [{ filter: 'app_opens', operator: 'gte', value: 2, withinDays: 30 }];
    const spend = [{ filter: 'total_spend', operator: 'eq', value: 120 }];
    const rawOpens = await estimate(opens2);
    const rawSpend = await estimate(spend);
    expect(await rollups().coverage('rollup-shop')).toBeUndefined();
    await t.world.compact();
    const coverage = await rollups().coverage('rollup-shop');
    expect(coverage).toEqual({ from: daysAgo(3).slice(0, 10), through: daysAgo(2).slice(0, 10), stale: [] });
    // Today is never rolled.
    const rolledDays = await t.world.engine.run({
      sql: `SELECT DISTINCT dt FROM ${ROLLUP_TABLE} WHERE tenant_id = ? ORDER BY dt`,
      params: ['rollup-shop'],
    });
    expect(rolledDays.map((r) => r.dt)).toEqual([daysAgo(3).slice(0, 10), daysAgo(2).slice(0, 10)]);
    expect(await estimate(opens2)).toBe(rawOpens);
    expect(rawOpens).toBe(1); // r-1 (r-2's second open is the same event)
    expect(await estimate(spend)).toBe(rawSpend);
    expect(rawSpend).toBe(1); // one order, reported on two days
  });

  test('a late event for a rolled day counts at once, and the day is rolled again by the next run', async () => {
    const opens2 = [{ filter: 'app_opens', operator: 'gte', value: 2, withinDays: 30 }];
    await post([{ eventId: 'late-1', deviceId: 'r-2', type: 'app_open', ts: daysAgo(3) }]);
    // The day is no longer read from its rollup: stale, or outside the rolled range.
    const day = daysAgo(3).slice(0, 10);
    const c = await rollups().coverage('rollup-shop');
    expect(c === undefined || c.stale.includes(day) || day < c.from || day > c.through).toBe(true);
    expect(await estimate(opens2)).toBe(2);
    await t.world.compact();
    expect(await rollups().coverage('rollup-shop')).toEqual({ from: day, through: daysAgo(2).slice(0, 10), stale: [] });
    expect(await estimate(opens2)).toBe(2);
  });

  test('latest registrations are made as of yesterday; a registration since wins at once', async () => {
    const snapshot = (id: string, country: string, daysBack: number) => ({
      device_id: id,
      platform: 'ios',
      opted_in: true,
      country,
      timezone: null,
      locale: null,
      app_version: null,
      app_version_key: null,
      customer_id: null,
      updated_at: daysAgo(daysBack),
    });
    // Devices registered days ago (written as the lake holds them), one of them twice.
    await t.world.lake.appendDevices('rollup-shop', [snapshot('l-1', 'DE', 4), snapshot('l-2', 'DE', 4), snapshot('l-2', 'AT', 3)]);
    const de = [{ filter: 'device_country', operator: 'in', value: ['DE'] }];
    const at = [{ filter: 'device_country', operator: 'in', value: ['AT'] }];
    expect([await estimate(de), await estimate(at)]).toEqual([1, 1]);
    expect(await rollups().latest('rollup-shop')).toBeUndefined();
    await t.world.compact();
    expect(await rollups().latest('rollup-shop')).toEqual({ through: daysAgo(1).slice(0, 10) });
    const made = await t.world.engine.run({
      sql: 'SELECT device_id, country FROM device_latest WHERE tenant_id = ? ORDER BY device_id',
      params: ['rollup-shop'],
    });
    expect(made).toEqual([
      { device_id: 'l-1', country: 'DE' },
      { device_id: 'l-2', country: 'AT' },
    ]);
    expect([await estimate(de), await estimate(at)]).toEqual([1, 1]);
    // Registered again today: the new snapshot wins over the made row at once.
    await registerDevices(t, shop, [['l-2', { country: 'DE' }]]);
    expect([await estimate(de), await estimate(at)]).toEqual([2, 0]);
  });

  test('an erased device leaves the rollups', async () => {
    expect((await t.request('DELETE', '/v1/devices/r-1', { appKey: shop.appKey })).status).toBe(204);
    const inRollups = async () =>
      (
        await t.world.engine.run({
          sql: `SELECT count(*) AS n FROM ${ROLLUP_TABLE} WHERE tenant_id = ? AND device_id = ?`,
          params: ['rollup-shop', 'r-1'],
        })
      )[0].n;
    for (let i = 0; i < 100 && Number(await inRollups()) > 0; i++) {
      await t.world.maintenanceJobs.idle();
      await t.world.compact();
    }
    expect(Number(await inRollups())).toBe(0);
    expect(await estimate([{ filter: 'app_opens', operator: 'gte', value: 1, withinDays: 30 }])).toBe(2);
  });
});
