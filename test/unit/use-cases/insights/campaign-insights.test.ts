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
  const marks: { eventsBy: Date | null } = { eventsBy: null };
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
    settings: { get: async () => settings, put: async () => undefined, removeTestDevices: async () => undefined },
    insightsCache: {
      get: async (_t, id) => cache.get(id),
      getMany: async (_t, ids) => ids.flatMap((id) => (cache.has(id) ? [cache.get(id)!] : [])),
      put: async (e) => void cache.set(e.campaignId, structuredClone(e)),
      forgetTenant: async () => cache.clear(),
      noteEvents: async (_t, at) => void (marks.eventsBy = at),
      eventsNotedBy: async () => marks.eventsBy,
    },
  };
  return { deps, engine, cache, clock, settings, byId, marks };
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
  expect(first.ready && (first.result.timeline[0] as { hour: string }).hour).toBe('2026-05-10T10:00:00.000Z');
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

test('events accepted after the figures were computed make them stale at once, before the TTL', async () => {
  const w = world([campaign('c1')]);
  await getCampaignInsights(w.deps, 'acme', 'c1');
  w.clock.advance(1_000);
  await getCampaignInsights(w.deps, 'acme', 'c1');
  expect(w.engine.started).toHaveLength(1); // nothing new: served from the cache

  w.clock.advance(1_000);
  w.marks.eventsBy = w.clock.now(); // an open arrived
  w.clock.advance(1);
  const next = await getCampaignInsights(w.deps, 'acme', 'c1');
  expect(w.engine.started).toHaveLength(2);
  expect(next.result).toMatchObject({ asOf: '2026-05-10T12:00:02.001Z' });
  await getCampaignInsights(w.deps, 'acme', 'c1');
  expect(w.engine.started).toHaveLength(2); // the recount saw those events
});

test('a launched campaign keeps the attribution window of its launch; a draft uses the current settings', async () => {
  const w = world([campaign('c1', { attributionWindowHours: 24 }), campaign('c2', { attributionWindowHours: null })]);
  w.settings.attributionWindowHours = 2; // changed after the launch
  const launched = await getCampaignInsights(w.deps, 'acme', 'c1');
  expect(launched.result).toMatchObject({ attributionWindowHours: 24 });
  expect(w.engine.started[0].params).toContain('c1');
  // A record launched before snapshots existed falls back to the settings.
  expect((await getCampaignInsights(w.deps, 'acme', 'c2')).result).toMatchObject({ attributionWindowHours: 2 });
  // The list counts both windows in ONE query (one scan, one wait): c1's 24 h is bound for c1 alone.
  w.cache.clear();
  w.engine.started = [];
  const page = await listCampaignsWithInsights(w.deps, 'acme', { status: 'sent', limit: 50 });
  expect(w.engine.started).toHaveLength(1);
  const [q] = w.engine.started;
  expect(q.sql).toMatch(/CASE o\.campaign_id WHEN \? THEN \? ELSE \? END/);
  expect(q.params.filter((p) => p === 24 || p === 2)).toEqual([24, 2]);
  expect(page.items.every((c) => 'insights' in c && c.insights !== null)).toBe(true);
  expect(['c1', 'c2'].map((id) => w.cache.get(id)?.attributionWindowHours)).toEqual([24, 2]);
  w.clock.advance(1_000);
  expect((await getCampaignInsights(w.deps, 'acme', 'c1')).result).toMatchObject({ attributionWindowHours: 24 });
  expect(w.engine.started).toHaveLength(1); // still cached: settings changes never recount it
});

test('devices of zones skipped at launch (ifPassed: skip) are targeted and suppressed as timePassed; older cached figures are recounted', async () => {
  const base = campaign('c1');
  const skipped = {
    ...base.waves.w1,
    id: 'tz-Asia.Tokyo',
    timezone: 'Asia/Tokyo',
    memberZones: ['Asia/Tokyo'],
    status: 'skipped',
    targeted: 0,
    devices: 3,
    firedAt: null,
  } as Campaign['waves'][string];
  const w = world([campaign('c1', { waves: { ...base.waves, [skipped.id]: skipped } })]);
  // Figures cached before insights carried timePassed (and before the fingerprint named it).
  const stale = await getCampaignInsights(world([base]).deps, 'acme', 'c1');
  if (!stale.ready) throw new Error('expected figures');
  const { timePassed: _gone, ...oldSuppressed } = stale.result.suppressed;
  w.cache.set('c1', {
    state: 'ready',
    tenantId: 'acme',
    campaignId: 'c1',
    asOf: NOW,
    cachedAt: NOW,
    attributionWindowHours: 24,
    fingerprint: '24:sent:2:2:0:0:0:0',
    insights: { ...stale.result, suppressed: oldSuppressed as typeof stale.result.suppressed },
  });
  w.engine.outcome = { status: 'succeeded', rows: rowsFor('c1', { ios: 1, android: 1 }) };
  const got = await getCampaignInsights(w.deps, 'acme', 'c1');
  expect(w.engine.started).toHaveLength(1);
  expect(got.result).toMatchObject({
    targeted: 5,
    sent: 2,
    suppressed: { optedOut: 0, frequencyCap: 0, invalidToken: 0, timePassed: 3 },
  });
  // Only the whole campaign carries it: the plan counts zones, not platforms.
  expect(got.ready && got.result.byPlatform.ios.suppressed).toEqual({ optedOut: 0, frequencyCap: 0, invalidToken: 0 });
  // Served from the cache afterwards, with the figure.
  expect((await getCampaignInsights(w.deps, 'acme', 'c1')).result).toEqual(got.result);
  expect(w.engine.started).toHaveLength(1);
});

test('new events recount only campaigns that can still gain figures; a settled one is served until the TTL', async () => {
  const settled = campaign('old', {
    createdAt: '2026-04-01T10:00:00.000Z',
    launchedAt: '2026-04-01T10:00:00.000Z',
    completedAt: '2026-04-01T11:00:00.000Z',
    attributionWindowHours: 24,
  });
  const w = world([settled, campaign('c1')]);
  await listCampaignsWithInsights(w.deps, 'acme', { status: 'sent', limit: 50 });
  expect(w.engine.started).toHaveLength(1);
  w.clock.advance(1_000);
  w.marks.eventsBy = w.clock.now(); // an open arrived
  w.clock.advance(1);
  await getCampaignInsights(w.deps, 'acme', 'old');
  expect(w.engine.started).toHaveLength(1); // settled: the mark is not its concern
  await getCampaignInsights(w.deps, 'acme', 'c1');
  expect(w.engine.started).toHaveLength(2); // launched today: recounted
  expect(w.engine.started[1].params).not.toContain('old');
});
