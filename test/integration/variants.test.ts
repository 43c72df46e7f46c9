/**
 * Variants with a control group on the local world (issue 18): a campaign with two variants and a
 * holdout goes out through the real trigger and sender; purchases are seeded so that variant A
 * converts clearly better than the control and B like it. Insights must say A is significant with the
 * lift computed by hand, B is not; the control got nothing (outbox); each device got its variant's
 * message, in the arm the stable hash gives; a capped device counts in neither arm and a held-out one
 * does not use up the cap.
 */
import { assignArm } from '../../lambdas/domain/campaigns/arms';
import { countrySegment, expectError, launchNow, registerDevices, TestWorld, waitSent, type Caller } from './harness';

const HOUR = 3_600_000;
const DEVICES = 1000;

const message = (title: string) => ({ title, body: 'Tap to see what is new in the shop.', deepLink: 'myshop://new' });
const variantBody = (segmentId: string, over: Record<string, unknown> = {}) => ({
  segmentId,
  message: null,
  variants: [
    { id: 'A', weight: 50, message: message('A: 20% off today') },
    { id: 'B', weight: 50, message: message('B: new arrivals') },
  ],
  holdoutPercent: 20,
  ...over,
});

interface Recipient {
  deviceId: string;
  outcome: string;
  reason: string | null;
  variant: string | null;
  at: string;
}

describe('variants with a control group', () => {
  const t = new TestWorld({ queue: { concurrency: 4 } });
  let shop: Caller;
  let segmentId: string;
  const api = t.as(() => shop);

  async function recipients(id: string): Promise<Recipient[]> {
    const all: Recipient[] = [];
    let cursor: string | null = null;
    do {
      const res = await api('GET', `/v1/campaigns/${id}/recipients?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      all.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    return all;
  }

  async function outbox(id: string): Promise<{ deviceId: string; title: string }[]> {
    const res = await api('GET', `/local/outbox?campaignId=${id}`);
    return (res.body.items as { deviceId: string; platform: string; message: Record<string, string> }[]).map((i) => {
      const payload = JSON.parse(i.message.APNS ?? i.message.APNS_SANDBOX ?? i.message.GCM);
      return { deviceId: i.deviceId, title: payload.aps?.alert?.title ?? payload.fcmV1Message?.message?.notification?.title };
    });
  }

  t.forSuite(async () => {
    shop = await t.tenant('variants-shop');
    expect((await api('PUT', '/v1/settings', { attributionWindowHours: 24 })).status).toBe(200);
    await registerDevices(
      t,
      shop,
      Array.from({ length: DEVICES }, (_, i) => [
        `vd-${String(i).padStart(4, '0')}`,
        { platform: i % 3 === 0 ? 'android' : 'ios', country: 'VA' },
      ]),
    );
    segmentId = (await countrySegment(t, shop, 'Vatican', ['VA'])).id;
  }, 120_000);

  test('bad variant bodies are 400 with the path, nothing stored', async () => {
    const before = (await api('GET', '/v1/campaigns?limit=100')).body.items.length;
    const bad = async (over: Record<string, unknown>, path: string) => {
      const res = await api('POST', '/v1/campaigns', { name: 'bad', schedule: { type: 'now' }, ...variantBody(segmentId), ...over });
      expectError(res, 400);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    };
    await bad(
      {
        variants: [
          { id: 'A', weight: 60, message: message('a') },
          { id: 'B', weight: 30, message: message('b') },
        ],
      },
      'variants',
    );
    await bad({ variants: [{ id: 'A', weight: 100, message: message('a') }] }, 'variants');
    await bad(
      {
        variants: [
          { id: 'A', weight: 50, message: message('a') },
          { id: 'A', weight: 50, message: message('b') },
        ],
      },
      'variants[1].id',
    );
    await bad(
      {
        variants: [
          { id: 'A', weight: 50, message: message('') },
          { id: 'B', weight: 50, message: message('b') },
        ],
      },
      'variants[0].message.title',
    );
    await bad({ message: message('both') }, 'variants');
    await bad({ holdoutPercent: 51 }, 'holdoutPercent');
    await bad({ variants: null }, 'message');
    const big = { ...message('big'), data: { blob: 'x'.repeat(3900) } };
    const res = await api('POST', '/v1/campaigns', {
      name: 'too big',
      schedule: { type: 'now' },
      ...variantBody(segmentId, {
        variants: [
          { id: 'A', weight: 50, message: message('a') },
          { id: 'B', weight: 50, message: big },
        ],
      }),
    });
    expectError(res, 400, 'payload_too_large');
    expect(res.body.error.details[0].path).toBe('variants[1].message');
    const auto = await api('POST', '/v1/campaigns', {
      name: 'auto',
      kind: 'automated',
      trigger: { type: 'first_open' },
      message: message('welcome'),
      holdoutPercent: 10,
    });
    expectError(auto, 400);
    expect((await api('GET', '/v1/campaigns?limit=100')).body.items.length).toBe(before);
  });

  test('A beats the control significantly with the expected lift, B does not; the control got nothing', async () => {
    const created = await api('POST', '/v1/campaigns', { name: 'A/B with control', schedule: { type: 'now' }, ...variantBody(segmentId) });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      message: null,
      holdoutPercent: 20,
      variants: [
        { id: 'A', weight: 50 },
        { id: 'B', weight: 50 },
      ],
    });
    const id = created.body.id as string;
    expect((await api('POST', `/v1/campaigns/${id}/launch`)).status).toBe(200);
    const done = await waitSent(t, shop, id);

    // Every device in exactly one arm, the one the stable hash gives; the lake says so.
    const rows = await recipients(id);
    expect(rows).toHaveLength(DEVICES);
    const arms = {
      arms: [
        { id: 'A', weight: 50 },
        { id: 'B', weight: 50 },
      ],
      holdoutPercent: 20,
    };
    for (const r of rows) expect(r.variant).toBe(assignArm(id, r.deviceId, arms));
    const control = rows.filter((r) => r.outcome === 'heldOut');
    const armA = rows.filter((r) => r.outcome === 'sent' && r.variant === 'A');
    const armB = rows.filter((r) => r.outcome === 'sent' && r.variant === 'B');
    expect(control.length + armA.length + armB.length).toBe(DEVICES);
    expect(control.every((r) => r.variant === null)).toBe(true);
    expect(done.progress).toMatchObject({ targeted: DEVICES, heldOut: control.length, sent: armA.length + armB.length, suppressed: 0 });

    // The control received nothing; each pushed device got its own variant's title, once.
    const pushes = await outbox(id);
    expect(pushes).toHaveLength(armA.length + armB.length);
    expect(new Set(pushes.map((p) => p.deviceId)).size).toBe(pushes.length);
    const heldIds = new Set(control.map((r) => r.deviceId));
    expect(pushes.filter((p) => heldIds.has(p.deviceId))).toEqual([]);
    const variantOf = new Map(rows.map((r) => [r.deviceId, r.variant]));
    for (const p of pushes) expect(p.title.startsWith(`${variantOf.get(p.deviceId)}:`)).toBe(true);

    // Purchases within the window after each device's moment: A 30 %, B 10 %, control 10 % of their devices.
    const buyers = (group: Recipient[], share: number) => group.slice(0, Math.round(group.length * share));
    const converting = [...buyers(armA, 0.3), ...buyers(armB, 0.1), ...buyers(control, 0.1)];
    // One more purchase before the device's push: it does not count.
    const early = armB[armB.length - 1];
    const events = converting.map((r, i) => ({
      eventId: `buy-${i}`,
      deviceId: r.deviceId,
      type: 'purchase',
      ts: new Date(Date.parse(r.at) + HOUR).toISOString(),
      orderId: `o-${i}`,
      amount: 20,
      currency: 'EUR',
    }));
    events.push({
      ...events[0],
      eventId: 'early',
      deviceId: early.deviceId,
      orderId: 'o-early',
      ts: new Date(Date.parse(early.at) - HOUR).toISOString(),
    });
    for (let i = 0; i < events.length; i += 500) {
      const res = await t.request('POST', '/v1/events', { appKey: shop.appKey, body: { events: events.slice(i, i + 500) } });
      expect(res.body.rejected).toEqual([]);
    }

    const insights = (await api('GET', `/v1/campaigns/${id}/insights`)).body;
    const nA = armA.length;
    const cA = Math.round(nA * 0.3);
    const nC = control.length;
    const cC = Math.round(nC * 0.1);
    const nB = armB.length;
    const cB = Math.round(nB * 0.1);
    expect(insights.heldOut).toBe(nC);
    expect(insights.control).toEqual({ devices: nC, conversions: cC, conversionRate: Math.round((cC / nC) * 10_000) / 10_000 });
    const [a, b] = insights.byVariant;
    expect(a).toMatchObject({ id: 'A', weight: 50, sent: nA, sinceSend: { devices: nA, conversions: cA }, significant: true });
    expect(a.lift).toBeCloseTo(cA / nA / (cC / nC), 3);
    expect(a.test).toMatchObject({
      method: 'two-proportion z-test, two-sided, pooled',
      alpha: 0.05,
      variant: { devices: nA, conversions: cA },
      control: { devices: nC, conversions: cC },
      enoughData: true,
    });
    expect(a.test.z).toBeGreaterThan(1.96);
    expect(a.test.pValue).toBeLessThan(0.05);
    expect(b).toMatchObject({ id: 'B', sent: nB, sinceSend: { devices: nB, conversions: cB }, significant: false });
    expect(Math.abs(b.test.z)).toBeLessThan(1.96);
    // The whole campaign's figures still count every pushed device, and the control in none of them.
    expect(insights).toMatchObject({ sent: nA + nB, targeted: DEVICES });
  });

  test('a capped device counts in neither arm; a held-out device does not use up the cap', async () => {
    expect((await api('PUT', '/v1/settings', { frequencyCap: { maxPerDevice: 1, windowHours: 24 } })).status).toBe(200);
    try {
      // Every device was pushed or held out by the campaign above: the pushed ones are now at the cap.
      const id = (await api('POST', '/v1/campaigns', { name: 'capped A/B', schedule: { type: 'now' }, ...variantBody(segmentId) })).body.id;
      expect((await api('POST', `/v1/campaigns/${id}/launch`)).status).toBe(200);
      await waitSent(t, shop, id);
      const rows = await recipients(id);
      const earlier = (await api('GET', '/v1/campaigns?status=sent&limit=100')).body.items.find(
        (c: { name: string }) => c.name === 'A/B with control',
      );
      const heldBefore = new Set((await recipients(earlier.id)).filter((r) => r.outcome === 'heldOut').map((r) => r.deviceId));
      for (const r of rows) {
        if (heldBefore.has(r.deviceId)) {
          // Never pushed before: under the cap, so pushed now (or held out again), never capped.
          expect(r.reason).not.toBe('frequencyCap');
        } else {
          expect(r).toMatchObject({ outcome: 'suppressed', reason: 'frequencyCap' });
        }
      }
      const insights = (await api('GET', `/v1/campaigns/${id}/insights`)).body;
      const capped = rows.filter((r) => r.reason === 'frequencyCap').length;
      expect(insights.suppressed.frequencyCap).toBe(capped);
      // Neither arm counts a capped device.
      expect(
        insights.control.devices +
          insights.byVariant.reduce((n: number, v: { sinceSend: { devices: number } }) => n + v.sinceSend.devices, 0),
      ).toBe(DEVICES - capped);
    } finally {
      await api('PUT', '/v1/settings', { frequencyCap: null });
    }
  });

  test('a test send pushes every variant to each test device, or the one asked for', async () => {
    const id = (await api('POST', '/v1/campaigns', { name: 'test me', schedule: { type: 'now' }, ...variantBody(segmentId) })).body.id;
    const all = await api('POST', `/v1/campaigns/${id}/test`, { deviceIds: ['vd-0001', 'vd-0002'] });
    expect(all.body).toEqual({ sent: 2, skipped: [], variants: ['A', 'B'] });
    const one = await api('POST', `/v1/campaigns/${id}/test`, { deviceIds: ['vd-0001'], variantId: 'B' });
    expect(one.body).toEqual({ sent: 1, skipped: [], variants: ['B'] });
    const titles = (await outbox(id)).map((p) => `${p.deviceId}:${p.title.slice(0, 2)}`).sort();
    expect(titles).toEqual(['vd-0001:A:', 'vd-0001:B:', 'vd-0001:B:', 'vd-0002:A:', 'vd-0002:B:']);
    expectError(await api('POST', `/v1/campaigns/${id}/test`, { deviceIds: ['vd-0001'], variantId: 'Z' }), 400);
    // A test send is not part of the campaign.
    expect((await api('GET', `/v1/campaigns/${id}`)).body).toMatchObject({ status: 'draft', progress: { sent: 0, heldOut: 0 } });
  });

  test('a one-message campaign with a holdout measures its message against the control', async () => {
    const id = await launchNow(t, shop, { segmentId, holdoutPercent: 10 });
    const done = await waitSent(t, shop, id);
    expect(done.progress.heldOut).toBeGreaterThan(50);
    expect(done.progress.heldOut).toBeLessThan(150);
    const insights = (await api('GET', `/v1/campaigns/${id}/insights`)).body;
    expect(insights.byVariant).toHaveLength(1);
    expect(insights.byVariant[0]).toMatchObject({ id: 'message', weight: 100, sent: done.progress.sent });
    expect(insights.control.devices).toBe(done.progress.heldOut);
  });

  test('tokens found dead by the push stay in their variant (intention to treat), as dead ones stay unseen in the control', async () => {
    const dead = Array.from({ length: 100 }, (_, i) => `tok-vd-${String(i).padStart(4, '0')}`);
    expect((await api('PUT', '/local/push-gateway', { unregisteredTokens: dead })).status).toBe(200);
    try {
      const id = await launchNow(t, shop, variantBody(segmentId, { name: 'dead tokens' }));
      const done = await waitSent(t, shop, id);
      const rows = await recipients(id);
      const deadPushed = rows.filter((r) => r.reason === 'invalidToken');
      expect(deadPushed.length).toBeGreaterThan(50); // the variants' share of the 100
      expect(deadPushed.every((r) => r.variant !== null)).toBe(true);
      const insights = (await api('GET', `/v1/campaigns/${id}/insights`)).body;
      // Every device is measured in its arm: the control's unseen dead tokens are matched by the variants' seen ones.
      const measured =
        insights.control.devices +
        insights.byVariant.reduce((n: number, v: { sinceSend: { devices: number } }) => n + v.sinceSend.devices, 0);
      expect(measured).toBe(DEVICES);
      expect(insights.byVariant.reduce((n: number, v: { sent: number }) => n + v.sent, 0)).toBe(done.progress.sent);
      expect(done.progress.sent).toBe(DEVICES - insights.control.devices - deadPushed.length);
    } finally {
      await api('PUT', '/local/push-gateway', {});
    }
  });
});
