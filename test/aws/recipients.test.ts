/**
 * GET /v1/campaigns/{id}/recipients in the AWS world: the `campaigns` function's real entry, its
 * template environment and IAM role, reading the deliveries and events the senders and Firehose
 * wrote, through the DuckDB-backed Athena stand-in (execution parameters only in WHERE).
 */
import { AwsWorld } from './support/world';

describe('campaign recipients (AWS world)', () => {
  let world: AwsWorld;
  let campaignId: string;
  const merchant = { tenant: 'acme' };
  const api = (method: string, path: string, body?: unknown, who = merchant) => world.http.request(method, path, who, body);

  beforeAll(async () => {
    world = await AwsWorld.start();
    const appKey = await world.issueAppKey('acme');
    for (const [id, platform] of [
      ['r-1', 'ios'],
      ['r-2', 'android'],
      ['r-3', 'ios'],
    ])
      expect(
        (await world.http.request('PUT', `/v1/devices/${id}`, { appKey }, { platform, token: `tok-${id}`, optedIn: true })).status,
      ).toBe(200);
    const c = await api('POST', '/v1/campaigns', {
      name: 'Everyone',
      kind: 'campaign',
      message: { title: 'Hello', body: 'A push for everyone.' },
      schedule: { type: 'now' },
    });
    campaignId = c.body.id;
    expect((await api('POST', `/v1/campaigns/${campaignId}/launch`)).status).toBe(200);
    await world.settle();
    expect((await api('GET', `/v1/campaigns/${campaignId}`)).body).toMatchObject({ status: 'sent', progress: { sent: 3 } });
    const events = [{ eventId: 'o-1', deviceId: 'r-2', type: 'push_open', ts: new Date(world.now()).toISOString(), campaignId }];
    expect((await world.http.request('POST', '/v1/events', { appKey }, { events })).body.accepted).toBe(1);
    await world.settle();
  }, 120_000);
  afterAll(async () => world?.stop());

  test('runs on Athena within the role: each device, its open, pages and the opened filter', async () => {
    const before = world.athena.executions.size;
    const all = await api('GET', `/v1/campaigns/${campaignId}/recipients`);
    expect(all.status).toBe(200);
    expect(
      all.body.items.map((r: { deviceId: string; outcome: string; openedAt: string | null }) => [
        r.deviceId,
        r.outcome,
        r.openedAt !== null,
      ]),
    ).toEqual([
      ['r-1', 'sent', false],
      ['r-2', 'sent', true],
      ['r-3', 'sent', false],
    ]);
    const first = await api('GET', `/v1/campaigns/${campaignId}/recipients?limit=2`);
    expect(first.body.items).toHaveLength(2);
    const rest = await api('GET', `/v1/campaigns/${campaignId}/recipients?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect(rest.body).toEqual({ items: [expect.objectContaining({ deviceId: 'r-3' })], nextCursor: null });
    const opened = await api('GET', `/v1/campaigns/${campaignId}/recipients?outcome=opened`);
    expect(opened.body.items.map((r: { deviceId: string }) => r.deviceId)).toEqual(['r-2']);

    const runs = [...world.athena.executions.values()].slice(before);
    expect(runs).toHaveLength(4);
    expect(runs.map((e) => e.reason ?? e.state)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    // Values travel as execution parameters, never in the text; the campaign's days bound the partitions.
    for (const e of runs) {
      expect(e.sql).not.toContain(campaignId);
      expect(e.params).toEqual(expect.arrayContaining([`'${campaignId}'`, "'acme'"]));
      expect(e.sql).toContain('dt >= ? AND dt <= ?');
    }
    expect(world.box.denials).toEqual([]);
  });

  test('another tenant gets a 404 and a bad filter a 400, before any query', async () => {
    const before = world.athena.executions.size;
    expect((await api('GET', `/v1/campaigns/${campaignId}/recipients`, undefined, { tenant: 'rival' })).status).toBe(404);
    const bad = await api('GET', `/v1/campaigns/${campaignId}/recipients?outcome=bounced`);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'validation_error', details: [{ path: 'outcome' }] });
    expect(world.athena.executions.size).toBe(before);
  });
});
