/** The insights use case with fakes: 404s, the short cache, the 202 + poll contract, the list's headline figures. */
import type { Campaign } from '../../../../lambdas/domain/campaigns/campaign-record';
import { NotFoundError } from '../../../../lambdas/domain/errors';
import { defaultSettings, type Settings } from '../../../../lambdas/domain/settings';
import { fixedClock } from '../../../../lambdas/ports/clock';
import type { InsightsCacheEntry } from '../../../../lambdas/ports/insights-cache';
import type { QueryOutcome, Row, SqlQuery } from '../../../../lambdas/ports/query-engine';
import {
  getCampaignInsights,
  listCampaignsWithInsights,
  type InsightsDeps,
} from '../../../../lambdas/use-cases/insights/campaign-insights';
import { campaign as baseCampaign } from '../delivery/wave-fakes';
import { UnusedQueryEngine } from '../../../support/query-engine';

const NOW = '2026-05-10T12:00:00.000Z';

const LAUNCHED = '2026-05-10T10:00:00.000Z';

/** A sent campaign of tenant acme: one wave of 2 devices, both sent. */
function campaign(id: string, over: Partial<Campaign> = {}): Campaign {
  return baseCampaign({
    id,
    tenantId: 'acme',
    name: id,
    message: { title: 't', body: 'b' } as Campaign['message'],
    status: 'sent',
    createdAt: LAUNCHED,
    updatedAt: LAUNCHED,
    launchedAt: LAUNCHED,
    waves: {
      w1: {
        id: 'w1',
        timezone: null,
        fireAt: '2026-05-10T10:00:30.000Z',
        intendedAt: '2026-05-10T10:00:00.000Z',
        pastDue: false,
        status: 'enqueued',
        cursor: null,
        pages: 1,
        targeted: 2,
        firedAt: '2026-05-10T10:00:01.000Z',
      },
    } as unknown as Campaign['waves'],
    wavesPending: 0,
    targeted: 2,
    sent: 2,
    ...over,
  });
}

class FakeEngine extends UnusedQueryEngine {
  started: SqlQuery[] = [];
  outcome: QueryOutcome = { status: 'succeeded', rows: [] };
  override async start(q: SqlQuery) {
    this.started.push(q);
    return { id: `q${this.started.length}` };
  }
  override async poll(): Promise<QueryOutcome> {
    return this.outcome;
  }
}

function world(campaigns: Campaign[]) {
  const byId = new Map(campaigns.map((c) => [c.id, c]));
  const cache = new Map<string, InsightsCacheEntry>();
  const engine = new FakeEngine();
  const clock = fixedClock(NOW);
  const settings: Settings = { ...defaultSettings(), attributionWindowHours: 24 };
  const deps: InsightsDeps = {
    clock,
    queryEngine: engine,
    insightsWaitMs: 50,
    campaigns: {
      get: async (t: string, id: string) => (t === 'acme' ? byId.get(id) : undefined),
      list: async (_t: string, o: { status?: string }) => ({
        items: campaigns.filter((c) => !o.status || c.status === o.status),
        nextCursor: null,
      }),
    } as unknown as InsightsDeps['campaigns'],
    settings: { get: async () => settings, put: async () => undefined },
    insightsCache: {
      get: async (_t, id) => cache.get(id),
      getMany: async (_t, ids) => ids.flatMap((id) => (cache.has(id) ? [cache.get(id)!] : [])),
      put: async (e) => void cache.set(e.campaignId, structuredClone(e)),
      forgetTenant: async () => cache.clear(),
    },
  };
  return { deps, engine, cache, clock, settings, byId };
}

const none: Row = { device_id: null, platform: null, outcome: null, reason: null, devices: null, ts: null, order_id: null, amount: null };
/** Rows of the insights query: `sent` devices on iOS and on Android, d1 (iOS) opened and bought. */
const rowsFor = (campaignId: string, sent: { ios?: number; android?: number } = { ios: 1 }): Row[] => [
  ...Object.entries(sent).map(([platform, devices]) => ({
    ...none,
    campaign_id: campaignId,
    kind: 'delivery',
    platform,
    outcome: 'sent',
    devices,
  })),
  { ...none, campaign_id: campaignId, kind: 'open', device_id: 'd1', platform: 'ios', ts: '2026-05-10T10:30:00.000Z' },
  {
    ...none,
    campaign_id: campaignId,
    kind: 'order',
    device_id: 'd1',
    platform: 'ios',
    ts: '2026-05-10T11:00:00.000Z',
    order_id: 'o1',
    amount: 42,
  },
];

test('unknown, malformed and other tenants’ campaigns are 404', async () => {
  const { deps } = world([campaign('c1')]);
  await expect(getCampaignInsights(deps, 'acme', 'nope')).rejects.toBeInstanceOf(NotFoundError);
  await expect(getCampaignInsights(deps, 'acme', '../c1')).rejects.toBeInstanceOf(NotFoundError);
  await expect(getCampaignInsights(deps, 'other', 'c1')).rejects.toBeInstanceOf(NotFoundError);
});

test('figures are cached for a minute, and recomputed when the delivery state or the window changes', async () => {
  const w = world([campaign('c1')]);
  w.engine.outcome = { status: 'succeeded', rows: rowsFor('c1', { ios: 1, android: 1 }) };
  const first = await getCampaignInsights(w.deps, 'acme', 'c1');
  expect(first.ready).toBe(true);
  expect(first.result).toMatchObject({
    campaignId: 'c1',
    sent: 2,
    opened: 1,
    openRate: 0.5,
    conversions: 1,
    revenue: 42,
    asOf: NOW,
    attributionWindowHours: 24,
  });
  expect(first.ready && first.result.timeline[0].hour).toBe('2026-05-10T10:00:00.000Z');
  expect(first.ready && first.result.byPlatform).toMatchObject({
    ios: { sent: 1, opened: 1, revenue: 42 },
    android: { sent: 1, opened: 0 },
  });
  expect(w.engine.started).toHaveLength(1);

  w.clock.advance(30_000);
  expect((await getCampaignInsights(w.deps, 'acme', 'c1')).result).toEqual(first.result);
  expect(w.engine.started).toHaveLength(1);

  w.clock.advance(31_000);
  await getCampaignInsights(w.deps, 'acme', 'c1');
  expect(w.engine.started).toHaveLength(2);

  w.settings.attributionWindowHours = 2;
  expect((await getCampaignInsights(w.deps, 'acme', 'c1')).result).toMatchObject({ attributionWindowHours: 2 });
  expect(w.engine.started).toHaveLength(3);

  w.byId.set('c1', campaign('c1', { failed: 1 }));
  await getCampaignInsights(w.deps, 'acme', 'c1');
  expect(w.engine.started).toHaveLength(4);
});

test('a slow engine answers 202 running; the same GET later polls the stored query and returns the figures', async () => {
  const w = world([campaign('c1')]);
  w.engine.outcome = { status: 'running' };
  expect(await getCampaignInsights(w.deps, 'acme', 'c1')).toEqual({ ready: false, result: { campaignId: 'c1', status: 'running' } });
  expect(w.cache.get('c1')).toMatchObject({ state: 'running', queryId: 'q1' });
  expect((await getCampaignInsights(w.deps, 'acme', 'c1')).ready).toBe(false);
  w.engine.outcome = { status: 'succeeded', rows: rowsFor('c1') };
  w.clock.advance(5_000);
  const done = await getCampaignInsights(w.deps, 'acme', 'c1');
  expect(done).toMatchObject({ ready: true, result: { opened: 1, openRate: 1, revenue: 42, asOf: NOW } });
  expect(w.engine.started).toHaveLength(1);
});

test('a stored query the engine lost is started again', async () => {
  const w = world([campaign('c1')]);
  w.cache.set('c1', { state: 'running', tenantId: 'acme', campaignId: 'c1', queryId: 'gone', asOf: NOW, attributionWindowHours: 24 });
  let polls = 0;
  w.engine.poll = async () => (polls++ === 0 ? { status: 'failed', error: 'unknown query' } : { status: 'succeeded', rows: [] });
  expect((await getCampaignInsights(w.deps, 'acme', 'c1')).ready).toBe(true);
  expect(w.engine.started).toHaveLength(1);
});

test('a campaign never launched needs no scan', async () => {
  const w = world([campaign('c1', { status: 'draft', launchedAt: null, waves: {}, targeted: 0, sent: 0 })]);
  expect((await getCampaignInsights(w.deps, 'acme', 'c1')).result).toMatchObject({ sent: 0, opened: 0, timeline: expect.any(Array) });
  expect(w.engine.started).toHaveLength(0);
});

test('the list of sent campaigns carries headline figures, counted in one query', async () => {
  const w = world([campaign('c1'), campaign('c2'), campaign('c3', { status: 'draft', launchedAt: null })]);
  const c2: Row[] = [{ ...none, campaign_id: 'c2', kind: 'delivery', platform: 'android', outcome: 'sent', devices: 1 }];
  w.engine.outcome = { status: 'succeeded', rows: [...rowsFor('c1', { ios: 2 }), ...c2] };
  const page = await listCampaignsWithInsights(w.deps, 'acme', { status: 'sent', limit: 50 });
  expect(page.items.map((c) => [c.id, 'insights' in c ? c.insights : undefined])).toEqual([
    ['c1', { sent: 2, opened: 1, openRate: 0.5, conversions: 1, revenue: 42 }],
    ['c2', { sent: 1, opened: 0, openRate: 0, conversions: 0, revenue: 0 }],
  ]);
  expect(w.engine.started).toHaveLength(1);
  expect(w.engine.started[0].params).toEqual(expect.arrayContaining(['c1', 'c2']));
  await listCampaignsWithInsights(w.deps, 'acme', { status: 'sent', limit: 50 });
  expect(w.engine.started).toHaveLength(1); // both served from the cache

  const all = await listCampaignsWithInsights(w.deps, 'acme', { limit: 50 });
  expect(all.items).toHaveLength(3);
  expect(all.items.every((c) => !('insights' in c))).toBe(true);
});

test('while the engine is slow, listed campaigns carry null figures', async () => {
  const w = world([campaign('c1')]);
  w.engine.outcome = { status: 'running' };
  const page = await listCampaignsWithInsights(w.deps, 'acme', { status: 'sent', limit: 50 });
  expect(page.items[0]).toMatchObject({ id: 'c1', insights: null });
});
