/**
 * One audience query per wave, in the AWS world: 2,500 devices (more than two Athena result pages of
 * 1,000 rows, the header first) are reached through ONE StartQueryExecution of the wave's members
 * query, read with GetQueryResults NextToken, and SNS gets exactly one publish per device.
 *
 * A wave longer than one invocation hands the rest to the trigger itself (asynchronous Invoke with
 * the trigger's own role) and still runs one query.
 *
 * The devices are seeded as the devices function stores them (records table, SNS endpoint, lake row
 * through Firehose with the devices function's own role) rather than through thousands of API calls.
 */
import { randomUUID } from 'node:crypto';
import { DynamoCampaignStore } from '../../lambdas/adapters/dynamo/campaign-store';
import { DynamoDeviceStore } from '../../lambdas/adapters/dynamo/device-store';
import { applyRegistration, deviceLakeRow, type Device, type DeviceRegistration } from '../../lambdas/domain/devices/device';
import { dayPartition } from '../../lambdas/domain/lake-schema';
import { YIELD_MARGIN_MS } from '../../lambdas/handlers/trigger';
import { ACCOUNT, REGION } from './support/cloud-assembly';
import { tokenFor } from './support/services/sns';
import { AwsWorld, DEFAULT_APPS } from './support/world';

const TENANT = 'bulk';
const N = 2500;
const message = { title: 'Flash sale', body: 'Two hours only.', deepLink: 'shop://flash' };

/** What registerDevice leaves behind for each device: the record, its endpoint, its lake row. */
async function seedDevices(world: AwsWorld, tenant: string, n: number): Promise<Device[]> {
  const now = new Date(world.now());
  const devices = Array.from({ length: n }, (_, i) => {
    const platform = i % 2 ? 'ios' : 'android';
    const id = `${tenant}-${String(i).padStart(5, '0')}`;
    const app = world.sns.apps.get(platform === 'ios' ? DEFAULT_APPS.ios : DEFAULT_APPS.android)!;
    const token = tokenFor(app.name, id);
    const endpointArn = `arn:aws:sns:${REGION}:${ACCOUNT}:endpoint/${app.platform}/${app.name}/${randomUUID()}`;
    world.sns.endpoints.set(endpointArn, { arn: endpointArn, app, attributes: { Token: token, Enabled: 'true' } });
    const device = applyRegistration(
      undefined,
      tenant,
      id,
      { platform, token, optedIn: true, country: 'FR', timezone: 'Europe/Paris' } as DeviceRegistration,
      now,
    );
    return { ...device, endpointArn };
  });
  await new DynamoDeviceStore(world.adminTable('records')).putMany(devices);
  const stream = world.lake.streams.find((s) => s.table.name === 'devices')!;
  const caller = world.callerOf(world.fn('devices'));
  for (let i = 0; i < devices.length; i += 500) {
    const records = devices.slice(i, i + 500).map((d) => ({
      Data: Buffer.from(JSON.stringify({ ...deviceLakeRow(d), tenant_id: tenant, dt: dayPartition(d.updatedAt) }) + '\n').toString(
        'base64',
      ),
    }));
    await world.firehose.handle({
      caller,
      method: 'POST',
      path: '/',
      query: new URLSearchParams(),
      headers: { 'x-amz-target': 'Firehose_20150804.PutRecordBatch' },
      body: Buffer.from(JSON.stringify({ DeliveryStreamName: stream.name, Records: records })),
    });
  }
  return devices;
}

/** The members queries Athena ran since `before` (the wave's audience query; estimates count devices instead). */
function membersQueries(world: AwsWorld, before: Set<string>) {
  return [...world.athena.executions.values()].filter(
    (ex) => !before.has(ex.id) && /SELECT device_id, platform, timezone(, h\.recent_sends)? FROM facts/.test(ex.sql),
  );
}

describe('the AWS world: one audience query per wave', () => {
  let world: AwsWorld;
  const api = (method: string, path: string, body?: unknown) => world.http.request(method, path, { tenant: TENANT }, body);

  beforeAll(async () => {
    world = await AwsWorld.start();
    await world.issueAppKey(TENANT);
  }, 120_000);
  afterAll(async () => world?.stop());

  test('2,500 devices: one members query, one publish per device, campaign sent', async () => {
    const devices = await seedDevices(world, TENANT, N);
    expect(world.firehose.errors).toBe(0);

    const c = await api('POST', '/v1/campaigns', { name: 'Everyone', kind: 'campaign', message, schedule: { type: 'now' } });
    expect(c.status).toBe(201);
    const id = c.body.id as string;
    const before = new Set(world.athena.executions.keys());
    expect((await api('POST', `/v1/campaigns/${id}/launch`)).status).toBe(200);
    await world.settle();

    const members = membersQueries(world, before);
    expect(members).toHaveLength(1);
    expect(members[0].sql).not.toMatch(/LIMIT/);
    expect(members[0].state).toBe('SUCCEEDED');

    const pubs = world.sns.published.filter((p) => JSON.stringify(p.payload).includes(id));
    const reached = pubs.map((p) => p.token.split(':')[2]);
    expect(reached).toHaveLength(N);
    expect(new Set(reached)).toEqual(new Set(devices.map((d) => d.deviceId)));
    // The wave's cursor names that one execution: a re-fired or continued wave reads on from it.
    const stored = await new DynamoCampaignStore(world.adminTable('records')).get(TENANT, id);
    expect(stored?.waves.now).toMatchObject({
      status: 'enqueued',
      execution: members[0].id,
      pageToken: null,
      targeted: N,
      batches: N / 100,
    });
    const done = await api('GET', `/v1/campaigns/${id}`);
    expect(done.body).toMatchObject({ status: 'sent', progress: { targeted: N, sent: N, failed: 0 } });
    expect(world.box.denials).toEqual([]);
  }, 300_000);

  test('a paced wave (sendRate): batches wait in SQS with DelaySeconds and go out at the rate, every device once', async () => {
    const tenant = 'paced';
    await world.issueAppKey(tenant);
    const n = 600;
    const devices = await seedDevices(world, tenant, n);
    // 12,000 a minute = 200 a second: batch k (100 devices) may go 500 ms × k after the wave starts.
    const c = await world.http.request(
      'POST',
      '/v1/campaigns',
      { tenant },
      { name: 'Paced', kind: 'campaign', message, schedule: { type: 'now' }, sendRate: { perMinute: 12_000 } },
    );
    expect(c.status).toBe(201);
    const id = c.body.id as string;
    const launchedAt = world.now();
    expect((await world.http.request('POST', `/v1/campaigns/${id}/launch`, { tenant })).status).toBe(200);
    await world.settle();

    const pubs = world.sns.published.filter((p) => JSON.stringify(p.payload).includes(id));
    expect(pubs.map((p) => p.token.split(':')[2]).sort()).toEqual(devices.map((d) => d.deviceId).sort());
    // Never faster than the rate: by any moment t after launch, at most one batch more than
    // 200/s × t has gone out (the first batch goes at once).
    for (const p of pubs) {
      const before = pubs.filter((q) => q.at <= p.at).length;
      expect(before).toBeLessThanOrEqual(100 + Math.floor(((p.at - launchedAt) / 1000) * 200) + 100);
    }
    expect(Math.max(...pubs.map((p) => p.at)) - launchedAt).toBeGreaterThanOrEqual(2_500);
    expect((await world.http.request('GET', `/v1/campaigns/${id}`, { tenant })).body).toMatchObject({
      status: 'sent',
      progress: { targeted: n, sent: n },
    });
  }, 300_000);
});

describe('the AWS world: a wave longer than one invocation', () => {
  let world: AwsWorld;
  const tenant = 'long';
  const api = (method: string, path: string, body?: unknown) => world.http.request(method, path, { tenant }, body);

  beforeAll(async () => {
    // A trigger whose whole timeout is within the hand-over margin: every invocation reads one step
    // (5,000 devices) and hands the rest to a new invocation of itself, as one near its timeout does.
    world = await AwsWorld.start({
      tamper: (_a, fns) => void (fns.find((f) => f.entry === 'trigger')!.timeoutSeconds = YIELD_MARGIN_MS / 1000),
    });
    await world.issueAppKey(tenant);
  }, 120_000);
  afterAll(async () => world?.stop());

  test('the trigger continues itself (lambda:InvokeFunction on its own ARN): one query, every device once', async () => {
    const n = 5050;
    const devices = await seedDevices(world, tenant, n);
    const c = await api('POST', '/v1/campaigns', { name: 'Long', kind: 'campaign', message, schedule: { type: 'now' } });
    const id = c.body.id as string;
    const before = new Set(world.athena.executions.keys());
    expect((await api('POST', `/v1/campaigns/${id}/launch`)).status).toBe(200);
    await world.settle();

    const firings = world.lambda.results.filter((r) => r.entry === 'trigger' && (r.event as { campaignId?: string }).campaignId === id);
    expect(firings.map((r) => r.outcome.ok)).toEqual([true, true]);
    expect(firings[1].event).toEqual(firings[0].event);
    expect(membersQueries(world, before)).toHaveLength(1);
    const reached = world.sns.published.filter((p) => JSON.stringify(p.payload).includes(id)).map((p) => p.token.split(':')[2]);
    expect(reached).toHaveLength(n);
    expect(new Set(reached)).toEqual(new Set(devices.map((d) => d.deviceId)));
    expect((await api('GET', `/v1/campaigns/${id}`)).body).toMatchObject({ status: 'sent', progress: { targeted: n, sent: n } });
    expect(world.box.denials).toEqual([]);
  }, 300_000);
});
