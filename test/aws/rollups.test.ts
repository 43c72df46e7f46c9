/**
 * Device-day rollups in the AWS world (issue 19): the maintenance function's real entry, template
 * environment and IAM role build each closed day's rollup with an Athena UNLOAD into its own
 * `build=` prefix of the Glue table `event_rollups` (partitions injected, so a query must name its
 * builds); the segments function reads the coverage from the bucket's listing and estimates read the
 * rolled days from the builds it names, with answers equal to the raw ones. A late event counts at
 * once and its day is rebuilt by the next run; the replaced build goes after the removal grace; an
 * erasure leaves no row of its subject in any build.
 */
import { promises as fs } from 'node:fs';
import { AwsWorld } from './support/world';

const DAY = 86_400_000;

describe('device-day rollups (AWS world)', () => {
  let world: AwsWorld;
  let bucket = '';
  let appKey = '';
  const api = (method: string, path: string, body?: unknown) => world.http.request(method, path, { tenant: 'acme' }, body);
  const daysAgo = (n: number, hour = 10) => {
    const d = new Date(world.now() - n * DAY);
    d.setUTCHours(hour, 0, 0, 0);
    return d.toISOString();
  };
  const post = async (events: Record<string, unknown>[]) => {
    const res = await world.http.request('POST', '/v1/events', { appKey }, { events });
    expect(res.body).toMatchObject({ accepted: events.length, rejected: [] });
  };
  const SEGMENTS = {
    spend: [{ filter: 'total_spend', operator: 'gte', value: 500 }],
    opens: [{ filter: 'app_opens', operator: 'gte', value: 2, withinDays: 30 }],
    recent: [{ filter: 'last_app_open', operator: 'within_last_days', value: 7 }],
    viewed: [{ filter: 'product_viewed', operator: 'any_of', value: ['sku-1'], withinDays: 30 }],
    android: [{ filter: 'platform', operator: 'in', value: ['android'] }],
  } as const;
  /** Each segment's matched count, and the estimates' queries (SQL, then their execution parameters). */
  const estimates = async () => {
    const before = new Set(world.athena.executions.keys());
    const out: Record<string, number> = {};
    for (const [name, criteria] of Object.entries(SEGMENTS)) {
      const res = await api('POST', '/v1/segment-estimates', { match: 'all', criteria });
      expect({ name, status: res.status, body: res.status === 200 ? 'ok' : res.body }).toEqual({ name, status: 200, body: 'ok' });
      out[name] = res.body.matched;
    }
    const sql = [...world.athena.executions.values()]
      .filter((e) => !before.has(e.id))
      .map((e) => `${e.sql} -- ${(e.params ?? []).join(', ')}`);
    return { matched: out, sql };
  };
  const keys = async (prefix: string) => world.lake.keys(bucket, prefix);
  const builds = async () => [...new Set((await keys('event_rollups/tenant_id=acme/')).map((k) => /build=([^/]+)\//.exec(k)![1]))].sort();
  const maintenance = async (kind: 'daily' | 'hourly') => {
    world.lambda.invokeAsync(world.fn('maintenance'), { kind });
    await world.settle();
  };

  beforeAll(async () => {
    world = await AwsWorld.start({ tamper: (_a, fns) => void (fns.find((f) => f.entry === 'maintenance')!.env.ERASURE_SETTLE_MS = '20') });
    bucket = world.lake.tables.find((t) => t.name === 'events')!.bucket;
    appKey = await world.issueAppKey('acme');
    await world.registerDevices(appKey, [
      ['phone', { customerId: 'cust-9' }],
      ['tablet', { customerId: 'cust-9' }],
      ['friend', { customerId: 'cust-7' }],
      ['stranger', {}],
    ]);
    const open = (eventId: string, deviceId: string, ts: string) => ({ eventId, deviceId, type: 'app_open', ts });
    // Several requests: several objects per (tenant, day), as Firehose leaves them.
    await post([
      { eventId: 'p1', deviceId: 'phone', type: 'purchase', orderId: 'o-1', amount: 300, currency: 'EUR', ts: daysAgo(4) },
      { eventId: 'p2', deviceId: 'friend', type: 'purchase', orderId: 'o-3', amount: 450, currency: 'EUR', ts: daysAgo(5) },
      open('a1', 'phone', daysAgo(2)),
      open('a2', 'phone', daysAgo(3)),
    ]);
    await post([
      { eventId: 'p3', deviceId: 'tablet', type: 'purchase', orderId: 'o-2', amount: 250, currency: 'EUR', ts: daysAgo(3) },
      open('a3', 'tablet', daysAgo(3)),
      open('a4', 'stranger', daysAgo(10)),
      { eventId: 'v1', deviceId: 'friend', type: 'product_view', productId: 'sku-1', ts: daysAgo(2) },
    ]);
    await post([{ eventId: 'v1', deviceId: 'friend', type: 'product_view', productId: 'sku-1', ts: daysAgo(2) }]); // re-delivered
    await post([open('a5', 'friend', daysAgo(0, 0))]); // today: never rolled
  }, 120_000);
  afterAll(async () => world?.stop());

  test('the daily run builds each closed day; estimates read the builds they name and answer as raw events do', async () => {
    const raw = await estimates();
    expect(raw.matched).toEqual({ spend: 2, opens: 1, recent: 3, viewed: 1, android: 0 }); // phone+tablet 550; phone opened twice; friend
    expect(raw.sql.join('\n')).not.toContain('event_rollups');

    await maintenance('daily');
    const closed = [2, 3, 4, 5, 10].map((n) => daysAgo(n).slice(0, 10));
    expect((await builds()).map((b) => b.slice(0, 10))).toEqual(closed.sort());
    for (const key of await keys('event_rollups/'))
      expect(key).toMatch(/^event_rollups\/tenant_id=acme\/build=[^/]+\/part-0-of-1\.parquet$/);

    const rolled = await estimates();
    expect(rolled.matched).toEqual(raw.matched);
    // Every estimate read rollups, naming its builds (the partition is injected: a query naming none fails).
    for (const sql of rolled.sql.filter((q) => !q.includes("'android'")))
      expect(sql).toMatch(/FROM event_rollups WHERE .* AND build IN \(/);
    // Every device registered today: no latest registrations made yet (they are made as of yesterday).
    for (const sql of rolled.sql) expect(sql).not.toContain('device_latest');
    expect(world.box.denials).toEqual([]);
  });

  test('a late event counts at once; the next run rebuilds its day, and the replaced build goes after the grace time', async () => {
    const before = await builds();
    const day = daysAgo(3).slice(0, 10);
    await post([{ eventId: 'late-1', deviceId: 'tablet', type: 'app_open', ts: daysAgo(3, 20) }]);
    const late = await estimates();
    expect(late.matched).toMatchObject({ opens: 2 }); // the tablet's second open, on a day already rolled
    // The day is read raw now: no estimate names its build.
    const old = before.find((b) => b.startsWith(day))!;
    for (const sql of late.sql) expect(sql).not.toContain(old);

    world.advance(DAY);
    await maintenance('daily');
    const after = await builds();
    const rebuilt = after.filter((b) => b.startsWith(day));
    expect(rebuilt).toHaveLength(2); // the new build, and the old one waiting for its removal
    expect((await estimates()).matched).toMatchObject({ opens: 2 });
    world.advance(61 * 60_000);
    await maintenance('hourly');
    expect((await builds()).filter((b) => b.startsWith(day))).toEqual(rebuilt.filter((b) => b !== old));
    const now = await estimates();
    expect(now.matched).toMatchObject({ opens: 2, spend: 2 });
    expect(now.sql.some((s) => s.includes(rebuilt.find((b) => b !== old)!))).toBe(true);
    expect(world.box.denials).toEqual([]);
  });

  test('the latest registrations are made as of yesterday, named by their build; a registration since wins at once', async () => {
    // One build, made by the last daily run as of the day before it (the devices registered that day);
    // the clock has moved on since (by the grace time: past midnight when this runs late in the day).
    const made = [...new Set((await keys('device_latest/tenant_id=acme/')).map((k) => /build=([^/]+)\//.exec(k)![1]))];
    expect(made).toHaveLength(1);
    expect(made[0].slice(0, 10) < new Date(world.now()).toISOString().slice(0, 10)).toBe(true);
    const before = await estimates();
    for (const sql of before.sql) expect(sql).toMatch(/FROM device_latest WHERE tenant_id = \? AND build = \?/);
    expect(before.matched).toMatchObject({ android: 0, spend: 2 });
    const res = await world.http.request(
      'PUT',
      '/v1/devices/stranger',
      { appKey },
      { platform: 'android', token: 'tok-stranger', optedIn: true },
    );
    expect(res.status).toBe(200);
    expect((await estimates()).matched).toMatchObject({ android: 1, spend: 2 });
    expect(world.box.denials).toEqual([]);
  });

  test('an erasure within the removal grace leaves no row of its subject in any object, replaced ones and builds included', async () => {
    const LAKE = ['events/', 'devices/', 'event_rollups/', 'device_latest/'];
    const holding = async (needle: string, prefixes = LAKE) => {
      const out: string[] = [];
      for (const prefix of prefixes)
        for (const key of await keys(prefix)) {
          if ((await fs.readFile(world.lake.objectPath(bucket, key))).includes(Buffer.from(needle))) out.push(key);
        }
      return out;
    };
    // A late event on a day of the tablet's, and the nightly run: that day is compacted and built again,
    // its replaced objects and old build wait for the sweep, holding the tablet's rows.
    const tabletDay = daysAgo(4).slice(0, 10);
    const before = (await builds()).filter((b) => b.startsWith(tabletDay));
    await post([{ eventId: 'late-2', deviceId: 'tablet', type: 'product_view', productId: 'sku-9', ts: daysAgo(4, 21) }]);
    world.advance(60_000);
    await maintenance('daily');
    expect((await builds()).filter((b) => b.startsWith(tabletDay)).length).toBeGreaterThan(before.length);
    expect((await holding('tablet', ['event_rollups/'])).length).toBeGreaterThan(1);
    expect((await holding('tablet', ['device_latest/'])).length).toBeGreaterThan(0);

    const started = await api('POST', '/v1/erasures', { customerId: 'cust-9' });
    expect(started.status).toBe(202);
    await world.settle();
    expect((await api('GET', `/v1/erasures/${started.body.id}`)).body).toMatchObject({ status: 'succeeded' });
    // Before any sweep: nothing anywhere holds the shopper's devices any more.
    expect(await holding('tablet')).toEqual([]);
    expect(await holding('phone')).toEqual([]);
    const after = await estimates();
    expect(after.matched).toEqual({ spend: 0, opens: 0, recent: 1, viewed: 1, android: 1 });
    // Once the subject's days are built again, estimates read them from their builds.
    await maintenance('daily');
    const rebuilt = await estimates();
    expect(rebuilt.matched).toEqual(after.matched);
    expect(rebuilt.sql.some((q) => q.includes(`${tabletDay}.`))).toBe(true);
    expect(world.box.denials).toEqual([]);
  });
});
