/**
 * The product end to end through the AWS composition only: every call goes through API Gateway
 * events into the real Lambda entries, whose SDK calls reach the stand-ins with their roles'
 * IAM statements enforced. Devices get SNS endpoints, events flow through Firehose into the lake,
 * segments are sized by Athena, campaigns fire from EventBridge Scheduler through the trigger and
 * SQS into the senders, SNS receives the pushes, opens and purchases come back as insights.
 */
import { AwsWorld } from './support/world';
import { tokenFor } from './support/services/sns';

const TENANT = 'acme';
const HOUR = 3600_000;
const message = { title: 'Winter sale ❄️', body: 'Everything 20% off until Sunday.', deepLink: 'shop://sale' };

interface Dev {
  id: string;
  platform: 'ios' | 'android';
  country: string;
  timezone?: string;
  optedIn: boolean;
}

const DEVICES: Dev[] = [
  { id: 'fr-ios-1', platform: 'ios', country: 'FR', timezone: 'Europe/Paris', optedIn: true },
  { id: 'fr-and-1', platform: 'android', country: 'FR', timezone: 'Europe/Paris', optedIn: true },
  { id: 'us-ios-1', platform: 'ios', country: 'US', timezone: 'America/New_York', optedIn: true },
  { id: 'us-and-1', platform: 'android', country: 'US', timezone: 'America/New_York', optedIn: true },
  { id: 'us-and-2', platform: 'android', country: 'US', optedIn: true },
  { id: 'jp-ios-1', platform: 'ios', country: 'JP', timezone: 'Asia/Tokyo', optedIn: true },
  { id: 'fr-out-1', platform: 'ios', country: 'FR', timezone: 'Europe/Paris', optedIn: false },
];
const tokenOf = (d: Dev) => tokenFor(d.platform === 'ios' ? 'shop-ios' : 'shop-android', d.id);

describe('the AWS world end to end', () => {
  let world: AwsWorld;
  let appKey: string;
  const merchant = { tenant: TENANT };
  const api = (method: string, path: string, body?: unknown) => world.http.request(method, path, merchant, body);
  /** POST /v1/campaigns: a campaign of `message` (for everyone when no segment is given). */
  const createCampaign = (name: string, schedule: Record<string, unknown>, segmentId?: string) =>
    api('POST', '/v1/campaigns', { name, kind: 'campaign', ...(segmentId === undefined ? {} : { segmentId }), message, schedule });
  const iso = (ms: number) => new Date(ms).toISOString();
  const publishedFor = (campaignId: string) => world.sns.published.filter((p) => JSON.stringify(p.payload).includes(campaignId));
  const deviceOfToken = (token: string) => token.split(':')[2];

  beforeAll(async () => {
    world = await AwsWorld.start();
    appKey = await world.issueAppKey(TENANT);
  }, 120_000);
  afterAll(async () => world?.stop());

  test('devices register SNS endpoints on the platform application of their platform', async () => {
    for (const d of DEVICES) {
      const { id, ...body } = d;
      const res = await world.http.request('PUT', `/v1/devices/${id}`, { appKey }, { ...body, token: tokenOf(d) });
      expect(res.status).toBe(200);
    }
    const endpoints = [...world.sns.endpoints.values()];
    expect(endpoints).toHaveLength(DEVICES.length);
    for (const e of endpoints) expect(e.app.platform).toBe(e.attributes.Token.includes('shop-ios') ? 'APNS' : 'GCM');
    // An unknown app key is refused by the Lambda authorizer with API Gateway's own answer.
    expect(
      await world.http.request('PUT', '/v1/devices/x', { appKey: 'ak_wrong' }, { platform: 'ios', token: 't', optedIn: true }),
    ).toMatchObject({ status: 403, body: { message: 'Forbidden' } });
  });

  test('events flow through Firehose into the lake in the Glue layout', async () => {
    const now = world.now();
    const events = [
      { eventId: 'e1', deviceId: 'fr-ios-1', type: 'purchase', ts: iso(now - 2 * HOUR), orderId: 'o-1', amount: 120, currency: 'EUR' },
      { eventId: 'e2', deviceId: 'us-and-1', type: 'purchase', ts: iso(now - 3 * HOUR), orderId: 'o-2', amount: 40, currency: 'USD' },
      { eventId: 'e3', deviceId: 'us-ios-1', type: 'app_open', ts: iso(now - HOUR) },
      { eventId: 'e4', deviceId: 'jp-ios-1', type: 'product_view', ts: iso(now - HOUR), productId: 'sku-1' },
    ];
    const res = await world.http.request('POST', '/v1/events', { appKey }, { events });
    expect(res).toMatchObject({ status: 200, body: { accepted: 4, rejected: [] } });
    const files = await world.lake.files(world.lake.tables.find((t) => t.name === 'events')!);
    expect(files.length).toBeGreaterThan(0);
    expect(files.every((f) => /events\/tenant_id=acme\/dt=\d{4}-\d{2}-\d{2}\/part-[^/]+\.parquet$/.test(f))).toBe(true);
    expect(world.firehose.errors).toBe(0);
  });

  let segmentId: string;
  test('segments are sized by Athena with criteria (estimate and explain)', async () => {
    const seg = await api('POST', '/v1/segments', {
      name: 'FR + US',
      match: 'all',
      criteria: [{ filter: 'device_country', operator: 'in', value: ['FR', 'US'] }],
    });
    expect(seg.status).toBe(201);
    segmentId = seg.body.id;
    let est = await api('POST', '/v1/segment-estimates', { segmentId });
    if (est.status === 202) est = await api('GET', `/v1/segment-estimates/${est.body.id}`);
    expect(est.body).toMatchObject({ status: 'succeeded', matched: 5, total: 6 });
    const buyers = await api('POST', '/v1/segment-estimates', {
      match: 'all',
      criteria: [
        { filter: 'total_spend', operator: 'gte', value: 100 },
        { filter: 'last_app_open', operator: 'within_last_days', value: 7 },
      ],
    });
    expect(buyers.status).toBe(200);
    expect(buyers.body).toMatchObject({ status: 'succeeded', matched: 0 });
    const why = await api('GET', `/v1/segments/${segmentId}/explain/fr-ios-1`);
    expect(why).toMatchObject({ status: 200, body: { member: true } });
    expect(world.athena.executions.size).toBeGreaterThanOrEqual(3);
  });

  let atCampaign: string;
  test('an `at` campaign fires from EventBridge Scheduler: one publish per targeted device, with the platform key of its app', async () => {
    const at = new Date(world.now() + 2 * HOUR).toISOString().slice(0, 19);
    const c = await createCampaign('At', { type: 'at', at, timezone: 'UTC' }, segmentId);
    expect(c.status).toBe(201);
    atCampaign = c.body.id;
    expect((await api('POST', `/v1/campaigns/${atCampaign}/launch`)).body.status).toBe('scheduled');
    expect(world.scheduler.schedules.size).toBe(1);
    await world.settle();
    expect(publishedFor(atCampaign)).toHaveLength(0); // not before its time
    world.advance(2 * HOUR + 60_000);
    await world.settle();
    expect(world.scheduler.lost).toEqual([]);
    const pubs = publishedFor(atCampaign);
    expect(pubs.map((p) => deviceOfToken(p.token)).sort()).toEqual(['fr-and-1', 'fr-ios-1', 'us-and-1', 'us-and-2', 'us-ios-1']);
    expect(pubs.every((p) => p.delivered && p.platform === (p.token.includes('shop-ios') ? 'APNS' : 'GCM'))).toBe(true);
    const done = await api('GET', `/v1/campaigns/${atCampaign}`);
    expect(done.body).toMatchObject({ status: 'sent', progress: { targeted: 5, sent: 5, failed: 0 } });
  });

  test('a `local` campaign goes out wave by wave, each device once at its own wall-clock time', async () => {
    const tomorrow = new Date(world.now() + 24 * HOUR).toISOString().slice(0, 10);
    const c = await createCampaign('Local', { type: 'local', at: `${tomorrow}T10:00:00`, fallbackTimezone: 'UTC' });
    const id = c.body.id as string;
    expect((await api('POST', `/v1/campaigns/${id}/launch`)).status).toBe(200);
    expect(world.scheduler.schedules.size).toBeGreaterThanOrEqual(3);
    const sentAt = new Map<string, number>();
    for (let h = 0; h < 60; h++) {
      world.advance(HOUR);
      await world.settle();
      for (const p of publishedFor(id)) if (!sentAt.has(deviceOfToken(p.token))) sentAt.set(deviceOfToken(p.token), world.now());
    }
    expect(publishedFor(id)).toHaveLength(6);
    expect([...sentAt.keys()].sort()).toEqual(
      DEVICES.filter((d) => d.optedIn)
        .map((d) => d.id)
        .sort(),
    );
    // Tokyo is ahead of Paris, Paris of New York.
    expect(sentAt.get('jp-ios-1')!).toBeLessThan(sentAt.get('fr-ios-1')!);
    expect(sentAt.get('fr-ios-1')!).toBeLessThan(sentAt.get('us-ios-1')!);
    expect((await api('GET', `/v1/campaigns/${id}`)).body.status).toBe('sent');
  });

  test('opens and purchases come back as insights', async () => {
    const sentTime = world.now();
    const events = [
      { eventId: 'o1', deviceId: 'fr-ios-1', type: 'push_open', ts: iso(sentTime - 1000), campaignId: atCampaign },
      { eventId: 'o2', deviceId: 'us-and-1', type: 'push_open', ts: iso(sentTime - 1000), campaignId: atCampaign },
      { eventId: 'o3', deviceId: 'jp-ios-1', type: 'push_open', ts: iso(sentTime - 1000), campaignId: atCampaign }, // never targeted: ignored
      { eventId: 'p1', deviceId: 'us-and-1', type: 'purchase', ts: iso(sentTime), orderId: 'o-9', amount: 55.5, currency: 'USD' },
    ];
    expect((await world.http.request('POST', '/v1/events', { appKey }, { events })).body.accepted).toBe(4);
    let res = await api('GET', `/v1/campaigns/${atCampaign}/insights`);
    for (let i = 0; i < 5 && res.status === 202; i++) res = await api('GET', `/v1/campaigns/${atCampaign}/insights`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ sent: 5, opened: 2, conversions: 1, revenue: 55.5 });
  });

  test('a sender that dies between its claim and the publish is redelivered by SQS, and the device is pushed exactly once', async () => {
    const seg = await api('POST', '/v1/segments', {
      name: 'Japan',
      match: 'all',
      criteria: [{ filter: 'device_country', operator: 'in', value: ['JP'] }],
    });
    let crashes = 0;
    world.sns.crashOnPublish = (e) => e.attributes.Token.endsWith(':jp-ios-1') && crashes++ === 0;
    const c = await createCampaign('Crash', { type: 'now' }, seg.body.id);
    const id = c.body.id as string;
    await api('POST', `/v1/campaigns/${id}/launch`);
    await world.settle();
    expect(crashes).toBe(1);
    expect(publishedFor(id)).toHaveLength(0);
    expect((await api('GET', `/v1/campaigns/${id}`)).body.status).toBe('sending');
    // The message is invisible for the queue's visibility timeout, then SQS hands it out again.
    world.advance(7 * 60_000);
    await world.settle();
    world.sns.crashOnPublish = undefined;
    const pubs = publishedFor(id);
    expect(pubs).toHaveLength(1);
    expect(pubs[0].attributes['AWS.SNS.MOBILE.APNS.COLLAPSE_ID']).toBe(id);
    expect((await api('GET', `/v1/campaigns/${id}`)).body).toMatchObject({ status: 'sent', progress: { sent: 1 } });
  });

  test('a frequency cap switched on later counts the pushes already sent (the sender reads the sends-by-device index)', async () => {
    expect((await api('PUT', '/v1/settings', { frequencyCap: { maxPerDevice: 1, windowHours: 168 } })).status).toBe(200);
    const c = await createCampaign('Capped', { type: 'now' }, segmentId);
    await api('POST', `/v1/campaigns/${c.body.id}/launch`);
    await world.settle();
    expect(publishedFor(c.body.id)).toHaveLength(0);
    expect((await api('GET', `/v1/campaigns/${c.body.id}`)).body).toMatchObject({
      status: 'sent',
      progress: { sent: 0, suppressedBy: { frequencyCap: 5 } },
    });
    expect(world.box.denials).toEqual([]);
    await api('PUT', '/v1/settings', {});
  });

  test('every function of the template ran through its real entry', async () => {
    expect((await api('GET', '/v1/settings')).status).toBe(200);
    // Lake maintenance runs on its schedules (EventBridge rules): the hourly run, as the rule invokes it.
    world.lambda.invokeAsync(world.fn('maintenance'), { kind: 'hourly' });
    // Automated campaigns' sweep and daily inactivity run, as their rules invoke them (nothing due: they run and find nothing).
    world.lambda.invokeAsync(world.fn('automations'), { kind: 'sweep' });
    world.lambda.invokeAsync(world.fn('automations'), { kind: 'inactivity' });
    await world.settle();
    const ran = new Set(world.lambda.results.filter((r) => r.outcome.ok).map((r) => r.entry));
    expect([...ran].sort()).toEqual(world.functions.map((f) => f.entry).sort());
    expect(world.box.denials).toEqual([]);
  });
});
