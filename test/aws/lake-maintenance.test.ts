/**
 * Lake maintenance in the AWS world: the maintenance function's real entry, its template
 * environment, queue, event source and IAM role, against the S3 and Athena stand-ins (UNLOAD into an
 * empty staging prefix, "$path", DeleteObjects). The daily run compacts closed days without
 * changing any answer, the replaced objects go only at the hourly sweep after the grace time, and
 * an erasure (POST /v1/erasures, DELETE /v1/devices) leaves no row of the erased devices in any
 * object, deletes their SNS endpoints and records, and is seen by estimates at once.
 */
import { promises as fs } from 'node:fs';
import { AwsWorld } from './support/world';

const DAY = 86_400_000;

describe('lake maintenance (AWS world)', () => {
  let world: AwsWorld;
  let bucket = '';
  let segmentId = '';
  const api = (method: string, path: string, body?: unknown) => world.http.request(method, path, { tenant: 'acme' }, body);
  const matched = async () => (await api('POST', '/v1/segment-estimates', { segmentId })).body.matched;
  const objects = async (prefix: string) => (await world.lake.keys(bucket, prefix)).filter((k) => !k.split('/').pop()!.startsWith('_'));
  const objectsHolding = async (needle: string) => {
    const out: string[] = [];
    for (const key of await objects('')) {
      if (!/^(events|devices|deliveries)\//.test(key)) continue;
      if ((await fs.readFile(world.lake.objectPath(bucket, key))).includes(Buffer.from(needle))) out.push(key);
    }
    return out;
  };
  const maintenance = async (kind: 'daily' | 'hourly') => {
    world.lambda.invokeAsync(world.fn('maintenance'), { kind });
    await world.settle();
  };

  beforeAll(async () => {
    // The erasure's second pass waits for Firehose's buffer in AWS (4 minutes); here a moment.
    world = await AwsWorld.start({ tamper: (_a, fns) => void (fns.find((f) => f.entry === 'maintenance')!.env.ERASURE_SETTLE_MS = '20') });
    bucket = world.lake.tables.find((t) => t.name === 'events')!.bucket;
    const appKey = await world.issueAppKey('acme');
    await world.registerDevices(appKey, [
      ['phone', { customerId: 'cust-9' }],
      ['tablet', { customerId: 'cust-9' }],
      ['friend', { customerId: 'cust-7' }],
      ['stranger', {}],
    ]);
    const at = (days: number) => new Date(world.now() - days * DAY).toISOString();
    // Several requests: several objects per (tenant, day) partition, as Firehose leaves them.
    const batches = [
      [
        { deviceId: 'phone', type: 'purchase', orderId: 'o-1', amount: 300, ts: at(3) },
        { deviceId: 'friend', type: 'purchase', orderId: 'o-3', amount: 600, ts: at(3) },
      ],
      [
        { deviceId: 'tablet', type: 'purchase', orderId: 'o-2', amount: 250, ts: at(3) },
        { deviceId: 'stranger', type: 'app_open', ts: at(3) },
      ],
      [{ eventId: 'dup-1', deviceId: 'tablet', type: 'product_view', productId: 'sku-1', ts: at(3) }],
      [{ eventId: 'dup-1', deviceId: 'tablet', type: 'product_view', productId: 'sku-1', ts: at(3) }],
    ];
    for (const events of batches)
      expect((await world.http.request('POST', '/v1/events', { appKey }, { events })).body.accepted).toBe(events.length);
    segmentId = (
      await api('POST', '/v1/segments', {
        name: 'Spent 500+',
        match: 'all',
        criteria: [{ filter: 'total_spend', operator: 'gte', value: 500 }],
      })
    ).body.id;
  }, 120_000);
  afterAll(async () => world?.stop());

  test('daily compaction merges a closed day into one object; answers never change; the old objects go after the grace time', async () => {
    const day = new Date(world.now() - 3 * DAY).toISOString().slice(0, 10);
    const partition = `events/tenant_id=acme/dt=${day}/`;
    const before = await objects(partition);
    expect(before.length).toBe(4);
    expect(await matched()).toBe(3);
    // The shopper logs out on the tablet (a later snapshot without the customer), and the day closes.
    const appKey = await world.issueAppKey('acme');
    expect(
      (await world.http.request('PUT', '/v1/devices/tablet', { appKey }, { platform: 'ios', token: 'tok-tablet', optedIn: true })).status,
    ).toBe(200);
    world.advance(DAY);
    expect(await matched()).toBe(1); // the tablet's 250 no longer joins the phone's 300: only the friend spent 500+

    await maintenance('daily');
    const compacted = (await objects(partition)).filter((k) => k.split('/').pop()!.startsWith('compact-'));
    expect(compacted).toHaveLength(1);
    // Deferred removal: the replaced objects are still there (a running query may be reading them) …
    expect(await objects(partition)).toEqual(expect.arrayContaining(before));
    expect(await matched()).toBe(1); // … and the rows seen twice count once.
    await maintenance('hourly');
    expect(await objects(partition)).toEqual(expect.arrayContaining(before)); // not due yet

    world.advance(61 * 60_000);
    await maintenance('hourly');
    expect(await objects(partition)).toEqual(compacted);
    expect(await matched()).toBe(1);
    const [{ n }] = (await api('GET', '/v1/catalog/products')).body.items.map((p: { views: number }) => ({ n: p.views }));
    expect(n).toBe(1); // the event sent twice is one row now
    expect(world.box.denials).toEqual([]);
  });

  test('an erasure removes the shopper from every object, record and endpoint; estimates see it at once', async () => {
    const endpointsOf = (token: string) => [...world.sns.endpoints.values()].filter((e) => e.attributes.Token === token);
    expect(endpointsOf('tok-tablet')).toHaveLength(1);
    expect((await objectsHolding('tablet')).length).toBeGreaterThan(0);
    // Compaction kept the tablet's snapshot with the shopper (superseded only by one without): the erasure finds it.
    expect((await objectsHolding('cust-9')).length).toBeGreaterThan(0);

    const started = await api('POST', '/v1/erasures', { customerId: 'cust-9' });
    expect(started).toMatchObject({ status: 202, body: { status: 'running' } });
    await world.settle();
    const done = (await api('GET', `/v1/erasures/${started.body.id}`)).body;
    expect(done).toMatchObject({ status: 'succeeded', devices: 2, events: 3 });

    expect(await matched()).toBe(1);
    expect(await objectsHolding('tablet')).toEqual([]);
    expect(await objectsHolding('cust-9')).toEqual([]);
    expect(endpointsOf('tok-tablet')).toEqual([]);
    expect(endpointsOf('tok-phone')).toEqual([]);
    expect(endpointsOf('tok-friend')).toHaveLength(1);

    const appKey = await world.issueAppKey('acme');
    expect((await world.http.request('DELETE', '/v1/devices/stranger', { appKey })).status).toBe(204);
    expect(endpointsOf('tok-stranger')).toEqual([]);
    await world.settle();
    expect(await objectsHolding('stranger')).toEqual([]);
    expect(world.box.denials).toEqual([]);
  });
});
