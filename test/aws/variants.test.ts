/**
 * Variants with a control group in the AWS world: the trigger and the senders' real entries split the
 * audience by the stable hash, SNS receives only the variants' pushes (each its own title), the
 * deliveries Firehose converts rows with the `variant` column to Parquet through the Glue table, and
 * recipients and insights (Athena stand-in, parameters only in WHERE) read the arms back.
 */
import { assignArm } from '../../lambdas/domain/campaigns/arms';
import { AwsWorld } from './support/world';

const DEVICES = 40;
const arms = {
  arms: [
    { id: 'A', weight: 50 },
    { id: 'B', weight: 50 },
  ],
  holdoutPercent: 30,
};

describe('variants with a control group (AWS world)', () => {
  let world: AwsWorld;
  AwsWorld.forSuite((w) => (world = w));

  test('only variant devices are pushed, each its variant; recipients and insights read the arms from the lake', async () => {
    const appKey = await world.issueAppKey('acme');
    const api = (method: string, path: string, body?: unknown) => world.http.request(method, path, { tenant: 'acme' }, body);
    for (let i = 0; i < DEVICES; i++) {
      const id = `v-${String(i).padStart(2, '0')}`;
      expect(
        (
          await world.http.request(
            'PUT',
            `/v1/devices/${id}`,
            { appKey },
            { platform: i % 2 ? 'ios' : 'android', token: `tok-${id}`, optedIn: true },
          )
        ).status,
      ).toBe(200);
    }
    const created = await api('POST', '/v1/campaigns', {
      name: 'A/B',
      kind: 'campaign',
      variants: [
        { id: 'A', weight: 50, message: { title: 'Variant A', body: 'First wording.' } },
        { id: 'B', weight: 50, message: { title: 'Variant B', body: 'Second wording.' } },
      ],
      holdoutPercent: 30,
      schedule: { type: 'now' },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await api('POST', `/v1/campaigns/${id}/launch`)).status).toBe(200);
    await world.settle();

    const expected = new Map(
      Array.from({ length: DEVICES }, (_, i) => `v-${String(i).padStart(2, '0')}`).map((d) => [d, assignArm(id, d, arms)]),
    );
    const control = [...expected].filter(([, a]) => a === null).map(([d]) => d);
    const campaign = (await api('GET', `/v1/campaigns/${id}`)).body;
    expect(campaign).toMatchObject({
      status: 'sent',
      progress: { targeted: DEVICES, heldOut: control.length, sent: DEVICES - control.length },
    });

    // SNS got one push per variant device, with its variant's title; none for the control.
    const pubs = world.sns.published.filter((p) => JSON.stringify(p.payload).includes(id));
    expect(pubs).toHaveLength(DEVICES - control.length);
    for (const p of pubs) {
      const title = p.platform === 'GCM' ? p.payload.fcmV1Message.message.notification.title : p.payload.aps.alert.title;
      expect(title).toBe(`Variant ${expected.get(p.token.replace(/^tok-/, ''))}`);
    }

    let all: { deviceId: string; outcome: string; variant: string | null }[] = [];
    let cursor: string | null = null;
    do {
      const res = await api('GET', `/v1/campaigns/${id}/recipients?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status).toBe(200);
      all = [...all, ...res.body.items];
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(all.map((r) => [r.deviceId, r.outcome, r.variant])).toEqual(
      [...expected].map(([d, a]) => [d, a === null ? 'heldOut' : 'sent', a]),
    );

    let insights = await api('GET', `/v1/campaigns/${id}/insights`);
    for (let i = 0; i < 5 && insights.status === 202; i++) insights = await api('GET', `/v1/campaigns/${id}/insights`);
    expect(insights.status).toBe(200);
    expect(insights.body.heldOut).toBe(control.length);
    expect(insights.body.control).toEqual({ devices: control.length, conversions: 0, conversionRate: 0 });
    expect(insights.body.byVariant.map((v: { id: string; sinceSend: { devices: number } }) => [v.id, v.sinceSend.devices])).toEqual([
      ['A', [...expected.values()].filter((a) => a === 'A').length],
      ['B', [...expected.values()].filter((a) => a === 'B').length],
    ]);
    expect(world.box.denials).toEqual([]);
  });
});
