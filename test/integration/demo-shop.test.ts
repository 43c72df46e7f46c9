/**
 * The demo shop `npm start` makes on a fresh data dir (issue 16): the help article's five example
 * segments with sizes inside the 5–50 % advice, and three campaigns (one an A/B test with a control group) sent in the past through the real
 * delivery path with opens, conversions and revenue; seeding again adds nothing.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DEMO_AUTOMATION } from '../../scripts/demo-automation';
import { DEMO_CAMPAIGNS, DEMO_SEED_MARKER, DEMO_SEGMENTS, seedDemoIfFresh } from '../../scripts/seed-tenant';
import { outboxDevices, TestWorld, type Caller } from './harness';

jest.setTimeout(180_000);

const HOUR = 3_600_000;

describe('the demo shop of a fresh data dir', () => {
  const t = new TestWorld();
  let demo: Caller;
  let first: Awaited<ReturnType<typeof seedDemoIfFresh>>;

  beforeAll(async () => {
    // Smaller than npm start's 20,000 devices so the test stays quick; the shares are the same.
    first = await seedDemoIfFresh(t.dataDir, { devices: 3000, quiet: true });
    await t.start();
    demo = await t.tenant('demo');
  }, 180_000);
  afterAll(() => t.stop());

  /** Everything seeding could have added, as the API and the lake show it. */
  async function inventory() {
    const segments = (await t.request('GET', '/v1/segments?limit=100', { token: demo.token })).body.items as { id: string; name: string }[];
    const campaigns = (await t.request('GET', '/v1/campaigns?limit=100', { token: demo.token })).body.items as any[];
    const outbox = await Promise.all(campaigns.map((c) => outboxDevices(t, demo, c.id)));
    const [events] = await t.world.engine.run({ sql: 'SELECT count(*) AS n FROM events WHERE tenant_id = ?', params: ['demo'] });
    return {
      segments: segments.map((s) => `${s.id} ${s.name}`).sort(),
      campaigns: campaigns.map((c) => `${c.id} ${c.name} ${c.status} ${c.progress.sent}`).sort(),
      pushes: outbox.reduce((n, o) => n + o.length, 0),
      events: Number(events.n),
    };
  }

  it('seeds once, and holds the article’s five segments, each 5–50 % of the opted-in devices', async () => {
    expect(first).toMatchObject({ seeded: true, shop: { segments: 5, campaigns: 3 } });
    const { body } = await t.request('GET', '/v1/segments?limit=100', { token: demo.token });
    expect(body.items.map((s: { name: string }) => s.name).sort()).toEqual(DEMO_SEGMENTS.map((s) => s.name).sort());
    for (const s of body.items) {
      const est = await t.request('POST', '/v1/segment-estimates', { token: demo.token, body: { segmentId: s.id } });
      expect(est.status).toBe(200);
      expect({ name: s.name, recommendation: est.body.recommendation }).toEqual({ name: s.name, recommendation: 'ok' });
      expect(est.body.percent).toBeGreaterThanOrEqual(5);
      expect(est.body.percent).toBeLessThanOrEqual(50);
    }
  });

  it('holds three campaigns sent in the past by the delivery path, with opens, conversions and revenue', async () => {
    const segments = new Map(
      ((await t.request('GET', '/v1/segments?limit=100', { token: demo.token })).body.items as { id: string; name: string }[]).map((s) => [
        s.name,
        s.id,
      ]),
    );
    const { status, body } = await t.request('GET', '/v1/campaigns?status=sent&limit=100', { token: demo.token });
    expect(status).toBe(200);
    expect(body.items.map((c: { name: string }) => c.name).sort()).toEqual(DEMO_CAMPAIGNS.map((c) => c.name).sort());
    for (const spec of DEMO_CAMPAIGNS) {
      const c = body.items.find((x: { name: string }) => x.name === spec.name);
      expect(c.segmentId).toBe(segments.get(spec.segment));
      // Sent about `daysAgo` days before the seeding run, not now.
      const age = Date.now() - Date.parse(c.launchedAt);
      expect(age).toBeGreaterThan(spec.daysAgo * 24 * HOUR - 2 * HOUR);
      expect(age).toBeLessThan(spec.daysAgo * 24 * HOUR + 2 * HOUR);
      // Every push went through the recording gateway, once per device.
      const delivered = await outboxDevices(t, demo, c.id);
      expect(c.progress.sent).toBeGreaterThan(0);
      expect(delivered).toHaveLength(c.progress.sent);
      expect(new Set(delivered).size).toBe(delivered.length);

      const insights = await t.request('GET', `/v1/campaigns/${c.id}/insights`, { token: demo.token });
      expect(insights.status).toBe(200);
      expect(insights.body.sent).toBe(c.progress.sent);
      expect(insights.body.opened).toBeGreaterThan(0);
      expect(insights.body.openRate).toBeGreaterThan(0.05);
      expect(insights.body.openRate).toBeLessThan(0.5);
      expect(insights.body.conversions).toBeGreaterThan(0);
      expect(insights.body.conversions).toBeLessThanOrEqual(insights.body.opened);
      expect(insights.body.revenue).toBeGreaterThan(0);
      // The campaign list shows the same headline figures.
      expect(c.insights).toMatchObject({ opened: insights.body.opened, revenue: insights.body.revenue });
      if ('variants' in spec) {
        // The A/B test: both variants and a control group that got nothing, each measured since the send.
        expect(c.progress.heldOut).toBeGreaterThan(0);
        expect(insights.body.byVariant.map((v: { id: string }) => v.id)).toEqual(['A', 'B']);
        expect(insights.body.control.devices).toBe(c.progress.heldOut);
        expect(insights.body.control.conversions).toBeGreaterThan(0);
        const [a, b] = insights.body.byVariant;
        expect(a.sinceSend.conversionRate).toBeGreaterThan(b.sinceSend.conversionRate);
        expect(a.lift).toBeGreaterThan(1);
      }
    }
  });

  it('holds an active cart reminder with three days of history: pushes, exits, opens and conversions', async () => {
    const { body } = await t.request('GET', '/v1/campaigns?kind=automated&limit=100', { token: demo.token });
    expect(body.items.map((c: { name: string; status: string }) => `${c.name} ${c.status}`)).toEqual([`${DEMO_AUTOMATION.name} active`]);
    const auto = body.items[0];
    expect(auto.trigger).toEqual(DEMO_AUTOMATION.trigger);
    expect(auto.progress.sent).toBeGreaterThan(0);
    expect(auto.progress.exited).toBeGreaterThan(0);
    expect(await outboxDevices(t, demo, auto.id)).toHaveLength(auto.progress.sent);
    const insights = await t.request('GET', `/v1/campaigns/${auto.id}/insights`, { token: demo.token });
    expect(insights.status).toBe(200);
    expect(insights.body).toMatchObject({ sent: auto.progress.sent });
    expect(insights.body.opened).toBeGreaterThan(0);
    expect(insights.body.conversions).toBeGreaterThan(0);
    // Pushes on each of the three days before today.
    expect(insights.body.timeline.filter((p: { sent: number }) => p.sent > 0)).toHaveLength(3);
  });

  it('adds nothing when seeding runs again, finished or resumed after an interruption', async () => {
    const before = await inventory();
    await t.world.stop();
    // A restart: the data dir is the demo's and finished.
    expect(await seedDemoIfFresh(t.dataDir, { devices: 3000, quiet: true })).toEqual({ seeded: false });
    // A first start interrupted after the campaigns' engagement was reported: the shop stage runs
    // again, finds every segment and campaign by name and makes none of them twice.
    const marker = path.join(t.dataDir, DEMO_SEED_MARKER);
    const state = JSON.parse(await fs.readFile(marker, 'utf8'));
    expect(state).toEqual({ stage: 'done', reported: [...DEMO_CAMPAIGNS.map((c) => c.name), DEMO_AUTOMATION.name] });
    await fs.writeFile(marker, JSON.stringify({ ...state, stage: 'shop' }));
    expect(await seedDemoIfFresh(t.dataDir, { devices: 3000, quiet: true })).toMatchObject({ seeded: true, tenant: undefined });
    await t.start();
    demo = await t.tenant('demo');
    expect(await inventory()).toEqual(before);
  });

  it('leaves a data dir it did not make alone, and says so for a first start that was interrupted', async () => {
    const marker = path.join(t.dataDir, DEMO_SEED_MARKER);
    const saved = await fs.readFile(marker, 'utf8');
    try {
      await fs.rm(marker);
      expect(await seedDemoIfFresh(t.dataDir, { quiet: true })).toEqual({ seeded: false });
      await fs.writeFile(marker, JSON.stringify({ stage: 'tenant', reported: [] }));
      expect(await seedDemoIfFresh(t.dataDir, { quiet: true })).toEqual({ seeded: false, interrupted: true });
    } finally {
      await fs.writeFile(marker, saved);
    }
  });
});
