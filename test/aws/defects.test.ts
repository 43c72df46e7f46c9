/**
 * The first-use defects of issue 12, each shown in the AWS world: every test here failed on the
 * templates and code before its fix (the harness enforces the documented AWS behaviour), and a
 * tampered template that re-creates the defect fails the same way.
 */
import { ACCOUNT, REGION } from './support/cloud-assembly';
import { tokenFor } from './support/services/sns';
import { AwsWorld } from './support/world';

const HOUR = 3600_000;
const message = { title: 'Hello', body: 'A push for you.' };

describe('first-use defects, fixed (AWS world)', () => {
  let world: AwsWorld;
  let appKey: string;
  const merchant = { tenant: 'acme' };
  const api = (method: string, path: string, body?: unknown) => world.http.request(method, path, merchant, body);
  const register = (id: string, platform: 'ios' | 'android', app: string, extra: Record<string, unknown> = {}) =>
    world.http.request(
      'PUT',
      `/v1/devices/${id}`,
      { appKey },
      { platform, token: tokenFor(app, id), optedIn: true, country: 'DE', ...extra },
    );
  const campaign = async (body: Record<string, unknown>) => {
    const c = await api('POST', '/v1/campaigns', { name: 'c', kind: 'campaign', message, schedule: { type: 'now' }, ...body });
    expect(c.status).toBe(201);
    return c.body.id as string;
  };
  const status = async (id: string) => (await api('GET', `/v1/campaigns/${id}`)).body;

  beforeAll(async () => {
    world = await AwsWorld.start();
    appKey = await world.issueAppKey('acme');
    await register('de-ios', 'ios', 'shop-ios', { appVersion: '5.2.0', timezone: 'Europe/Berlin' });
    await register('de-and', 'android', 'shop-android', { customerId: 'cust-1' });
    const now = world.now();
    const events = [
      { deviceId: 'de-ios', type: 'app_open', ts: new Date(now - HOUR).toISOString() },
      { deviceId: 'de-ios', type: 'product_view', ts: new Date(now - HOUR).toISOString(), productId: "sku-'1" },
      { deviceId: 'de-and', type: 'purchase', ts: new Date(now - 2 * HOUR).toISOString(), orderId: 'o1', amount: 80 },
      { deviceId: 'de-and', type: 'custom', ts: new Date(now - 2 * HOUR).toISOString(), name: 'wishlist_share' },
    ];
    expect((await world.http.request('POST', '/v1/events', { appKey }, { events })).body.accepted).toBe(4);
  }, 120_000);
  afterAll(async () => world?.stop());

  test('defect 1: a scheduled wave fires (Scheduler can assume its role: trust scoped to the schedule group ARN)', async () => {
    const id = await campaign({ schedule: { type: 'at', at: new Date(world.now() + HOUR).toISOString().slice(0, 19), timezone: 'UTC' } });
    await api('POST', `/v1/campaigns/${id}/launch`);
    world.advance(HOUR + 60_000);
    await world.settle();
    expect(world.scheduler.lost).toEqual([]);
    expect(await status(id)).toMatchObject({ status: 'sent', progress: { sent: 2 } });
  });

  test('defect 2: estimates with criteria of every kind run on Athena (execution parameters only in WHERE)', async () => {
    const before = world.athena.executions.size;
    const criteria = [
      { filter: 'last_app_open', operator: 'within_last_days', value: 7 },
      { filter: 'product_viewed', operator: 'any_of', value: ["sku-'1"], withinDays: 30 },
      { filter: 'total_spend', operator: 'gte', value: 50 },
      { filter: 'custom_event', event: 'wishlist_share', operator: 'gte', value: 1, withinDays: 7 },
      { filter: 'abandoned_cart', operator: 'is', value: false, withinDays: 7 },
      { filter: 'app_version', operator: 'gte', value: '5.0' },
    ];
    for (const c of criteria) {
      const res = await api('POST', '/v1/segment-estimates', { match: 'all', criteria: [c] });
      expect({ criterion: c.filter, status: res.status, body: res.body.status }).toEqual({
        criterion: c.filter,
        status: 200,
        body: 'succeeded',
      });
      expect({ criterion: c.filter, matched: res.body.matched }).toEqual({
        criterion: c.filter,
        matched: c.filter === 'abandoned_cart' ? 2 : 1,
      });
    }
    const any = await api('POST', '/v1/segment-estimates', { match: 'any', criteria });
    expect(any.body).toMatchObject({ status: 'succeeded', matched: 2 });
    const failed = [...world.athena.executions.values()].slice(before).filter((e) => e.state === 'FAILED');
    expect(failed.map((e) => e.reason)).toEqual([]);
  });

  test('defect 3: the trigger completes a campaign whose wave has no members (from counters: it has no ledger access at all)', async () => {
    const seg = await api('POST', '/v1/segments', {
      name: 'Nobody',
      match: 'all',
      criteria: [{ filter: 'device_country', operator: 'in', value: ['IS'] }],
    });
    const id = await campaign({ segmentId: seg.body.id });
    await api('POST', `/v1/campaigns/${id}/launch`);
    await world.settle();
    expect(world.box.denials).toEqual([]);
    expect(await status(id)).toMatchObject({ status: 'sent', progress: { targeted: 0 } });
  });

  test('defect 4: a trigger that keeps failing lands in its on-failure queue, and redriving it finishes the wave', async () => {
    world.athena.failWith = 'engine outage';
    const id = await campaign({});
    await api('POST', `/v1/campaigns/${id}/launch`);
    await world.settle();
    const failure = world.lambda.failedAsync.find((f) => (f.payload as { campaignId?: string }).campaignId === id);
    expect(failure?.destination).toMatch(/^arn:aws:sqs:/);
    const queue = world.sqs.byArn(failure!.destination!);
    const record = JSON.parse(queue.messages.at(-1)!.body);
    expect(record.requestPayload).toMatchObject({ tenantId: 'acme', campaignId: id });
    // The operator's redrive: invoke the trigger again with the failed event (fire-wave is resumable).
    world.athena.failWith = undefined;
    world.lambda.invokeAsync(world.fn('trigger'), record.requestPayload);
    await world.settle();
    expect(await status(id)).toMatchObject({ status: 'sent', progress: { sent: 2 } });
  });

  test('defect 5: a production APNs application (ARN app/APNS/…) gets APNS payloads without any flag', async () => {
    const id = await campaign({});
    await api('POST', `/v1/campaigns/${id}/launch`);
    await world.settle();
    const ios = world.sns.published.filter((p) => JSON.stringify(p.payload).includes(id) && p.token.includes('shop-ios'));
    expect(ios.map((p) => [p.platform, p.delivered])).toEqual([['APNS', true]]);
    expect((await status(id)).progress).toMatchObject({ sent: 2, failed: 0 });
  });

  test('defect 6: explain gives up within the HTTP budget with 503 query_timeout and stops its Athena query', async () => {
    const seg = await api('POST', '/v1/segments', {
      name: 'Germany',
      match: 'all',
      criteria: [{ filter: 'device_country', operator: 'in', value: ['DE'] }],
    });
    world.athena.hold = true;
    const res = await api('GET', `/v1/segments/${seg.body.id}/explain/de-ios`);
    world.athena.release();
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('query_timeout');
    const last = [...world.athena.executions.values()].at(-1)!;
    expect(last.state).toBe('CANCELLED');
  }, 60_000);

  test("defect 7: a tenant's own app: its devices register on it and its pushes reach them", async () => {
    const put = await api('PUT', '/v1/push-apps/android', {
      fcm: {
        serviceAccountJson: JSON.stringify({
          type: 'service_account',
          project_id: 'acme-shop',
          client_email: 'push@acme-shop.iam.gserviceaccount.com',
          private_key: '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n',
        }),
      },
    });
    expect(put.status).toBe(200);
    expect(JSON.stringify(put.body)).not.toContain('PRIVATE KEY');
    const appArn = put.body.android?.platformApplicationArn ?? put.body.platformApplicationArn;
    expect(appArn).toBe(`arn:aws:sns:${REGION}:${ACCOUNT}:app/GCM/segmented-push-box-acme-android`);
    expect([...world.secrets.secrets.keys()]).toEqual(['segmented-push/box/push/acme/android']);
    // Defect 8 (SNS delivery-status logging): the tenant's app logs deliveries through the stack's role.
    expect(world.sns.apps.get(appArn)!.attributes).toMatchObject({
      SuccessFeedbackRoleArn: expect.stringMatching(/^arn:aws:iam::/),
      FailureFeedbackRoleArn: expect.stringMatching(/^arn:aws:iam::/),
    });
    // The phone of this merchant's app re-registers with a token its own Firebase project issued.
    expect((await register('de-and', 'android', 'segmented-push-box-acme-android', { customerId: 'cust-1' })).status).toBe(200);
    const id = await campaign({});
    await api('POST', `/v1/campaigns/${id}/launch`);
    await world.settle();
    const android = world.sns.published.filter((p) => JSON.stringify(p.payload).includes(id) && p.platform === 'GCM');
    expect(android).toHaveLength(1);
    expect(android[0]).toMatchObject({ delivered: true });
    expect(android[0].endpointArn).toContain('/GCM/segmented-push-box-acme-android/');
    expect(world.box.denials).toEqual([]);
  });
});

describe('defects 1 and 4 re-created in the template: the AWS world shows what AWS would do', () => {
  let world: AwsWorld;
  AwsWorld.forSuite((w) => (world = w), {
    tamper: (assembly) => {
      // Defect 4: no async-invoke config, so no on-failure destination.
      for (const r of assembly.ofType('AWS::Lambda::EventInvokeConfig')) assembly.resources.splice(assembly.resources.indexOf(r), 1);
      // Defect 1: the trust policy scoped to schedules instead of the schedule group.
      const role = assembly
        .ofType('AWS::IAM::Role')
        .find((r) => JSON.stringify(r.props.AssumeRolePolicyDocument).includes('scheduler.amazonaws.com'))!;
      for (const s of role.props.AssumeRolePolicyDocument.Statement) {
        s.Condition = {
          StringEquals: { 'aws:SourceAccount': ACCOUNT },
          ArnLike: { 'aws:SourceArn': `arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule/segmented-push-box/*` },
        };
      }
    },
  });

  test('defect 1 as it was: the wave never fires and nothing reaches the DLQ', async () => {
    const c = await world.http.request(
      'POST',
      '/v1/campaigns',
      { tenant: 'acme' },
      {
        name: 'c',
        kind: 'campaign',
        message,
        schedule: { type: 'at', at: new Date(world.now() + HOUR).toISOString().slice(0, 19), timezone: 'UTC' },
      },
    );
    await world.http.request('POST', `/v1/campaigns/${c.body.id}/launch`, { tenant: 'acme' });
    world.advance(HOUR + 60_000);
    await world.settle();
    expect(world.scheduler.lost).toHaveLength(1);
    expect(world.scheduler.deadLettered).toEqual([]);
    expect((await world.http.request('GET', `/v1/campaigns/${c.body.id}`, { tenant: 'acme' })).body.status).toBe('scheduled');
  });

  test('defect 4 as it was: a trigger that keeps failing vanishes, and its wave stays unsent', async () => {
    world.athena.failWith = 'engine outage';
    const c = await world.http.request(
      'POST',
      '/v1/campaigns',
      { tenant: 'acme' },
      { name: 'c', kind: 'campaign', message, schedule: { type: 'now' } },
    );
    await world.http.request('POST', `/v1/campaigns/${c.body.id}/launch`, { tenant: 'acme' });
    await world.settle();
    world.athena.failWith = undefined;
    const failure = world.lambda.failedAsync.find((f) => (f.payload as { campaignId?: string }).campaignId === c.body.id);
    expect(failure).toMatchObject({ destination: null });
    expect((await world.http.request('GET', `/v1/campaigns/${c.body.id}`, { tenant: 'acme' })).body.status).toBe('sending');
  });
});
