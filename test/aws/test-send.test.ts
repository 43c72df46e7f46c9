/**
 * Test sends in the AWS world: the `campaigns` function's real entry, with its template environment
 * and IAM role, publishes the test pushes to SNS itself (its `sns:Publish` grant on the apps'
 * endpoints suffices), marked `data.test`, and the campaign is left as it was. A template without
 * that grant is refused by the box, as IAM would refuse it.
 */
import { tokenFor } from './support/services/sns';
import { AwsWorld } from './support/world';

const message = { title: 'Hello', body: 'A push for you.' };

async function setup(world: AwsWorld) {
  const appKey = await world.issueAppKey('acme');
  const api = (method: string, path: string, body?: unknown) => world.http.request(method, path, { tenant: 'acme' }, body);
  for (const [id, platform, app] of [
    ['phone-ios', 'ios', 'shop-ios'],
    ['phone-and', 'android', 'shop-android'],
  ] as const) {
    const res = await world.http.request('PUT', `/v1/devices/${id}`, { appKey }, { platform, token: tokenFor(app, id), optedIn: true });
    expect(res.status).toBe(200);
  }
  expect((await api('PUT', '/v1/settings', { testDevices: ['phone-ios', 'phone-and'] })).status).toBe(200);
  const created = await api('POST', '/v1/campaigns', { name: 'c', kind: 'campaign', message, schedule: { type: 'now' } });
  expect(created.status).toBe(201);
  return { api, id: created.body.id as string };
}

describe('test send (AWS world)', () => {
  let world: AwsWorld;
  AwsWorld.forSuite((w) => (world = w));

  test('the campaigns function publishes the test pushes to SNS within its role; the draft stays a draft', async () => {
    const { api, id } = await setup(world);
    const before = (await api('GET', `/v1/campaigns/${id}`)).body;
    const res = await api('POST', `/v1/campaigns/${id}/test`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ sent: 2, skipped: [] });
    const pubs = world.sns.published.filter((p) => JSON.stringify(p.payload).includes(id));
    expect(pubs.map((p) => p.platform).sort()).toEqual(['APNS', 'GCM']);
    expect(pubs.every((p) => p.delivered)).toBe(true);
    const ios = pubs.find((p) => p.platform === 'APNS')!;
    expect(ios.payload.data).toEqual({ test: 'true' });
    expect(ios.attributes['AWS.SNS.MOBILE.APNS.COLLAPSE_ID']).toBe(id);
    expect(pubs.find((p) => p.platform === 'GCM')!.payload.fcmV1Message.message.data).toMatchObject({ test: 'true', campaignId: id });
    expect((await api('GET', `/v1/campaigns/${id}`)).body).toEqual(before);
    expect(world.box.denials).toEqual([]);
  });
});

describe('test send without the grant (AWS world)', () => {
  let world: AwsWorld;
  AwsWorld.forSuite((w) => (world = w), {
    tamper: (_assembly, functions) => {
      const campaigns = functions.find((f) => f.entry === 'campaigns')!;
      campaigns.statements = campaigns.statements.filter((s) => ![s.Action].flat().includes('sns:Publish'));
    },
  });

  test('is refused by IAM: nothing reaches a phone and each device is reported failed', async () => {
    const { api, id } = await setup(world);
    const res = await api('POST', `/v1/campaigns/${id}/test`);
    expect(res.body).toEqual({
      sent: 0,
      skipped: [
        { deviceId: 'phone-ios', reason: 'failed' },
        { deviceId: 'phone-and', reason: 'failed' },
      ],
    });
    expect(world.sns.published).toEqual([]);
    expect(world.box.denials).toEqual([
      expect.objectContaining({ action: 'sns:Publish', caller: world.fn('campaigns').name }),
      expect.objectContaining({ action: 'sns:Publish', caller: world.fn('campaigns').name }),
    ]);
  });
});
