/**
 * Launch and PUT of a scheduled campaign: only a `local` schedule runs the audience query (its waves
 * need the zones); `now`/`at` launch at once (even when the engine hangs) and their wave's devices are
 * unknown (null) until it fires. The plan preview counts every schedule type. The launch snapshot
 * freezes the segments the audience reaches through in_segment, from the very reads the plan made.
 */
import { publicCampaign, type Campaign } from '../../../../lambdas/domain/campaigns/campaign-record';
import { defaultSettings } from '../../../../lambdas/domain/settings';
import type { Segment } from '../../../../lambdas/domain/segments/segment';
import type { CampaignStore } from '../../../../lambdas/ports/campaign-store';
import { fixedClock } from '../../../../lambdas/ports/clock';
import type { Row } from '../../../../lambdas/ports/query-engine';
import type { SegmentStore } from '../../../../lambdas/ports/segment-store';
import { planCampaignPreview } from '../../../../lambdas/use-cases/campaigns/campaign-plans';
import type { CampaignDeps } from '../../../../lambdas/use-cases/campaigns/deps';
import { launchCampaign } from '../../../../lambdas/use-cases/campaigns/launch-cancel';
import { updateCampaign } from '../../../../lambdas/use-cases/campaigns/manage-campaigns';
import { UnusedQueryEngine } from '../../../support/query-engine';
import { draftCampaign } from './draft-campaign';

const NOW = '2026-11-28T12:00:00.000Z';

/** An engine counting its runs: hangs (a heavy segment at 1 M devices) or answers zone counts. */
class CountingEngine extends UnusedQueryEngine {
  override readonly dialect = 'trino' as const;
  runs = 0;
  hang = false;
  override run(): Promise<Row[]> {
    this.runs++;
    if (this.hang) return new Promise<Row[]>(() => {});
    return Promise.resolve([
      { timezone: 'Europe/Paris', devices: 7, capped: 0 },
      { timezone: 'Asia/Tokyo', devices: 5, capped: 0 },
    ]);
  }
}

const seg = (id: string, name: string, criteria: Segment['criteria']): Segment =>
  ({ id, tenantId: 'acme', name, description: null, version: 1, createdAt: NOW, updatedAt: NOW, match: 'all', criteria }) as Segment;

function world(schedule: Campaign['schedule']) {
  const store = new Map<string, Segment>([
    ['seg_vip', seg('seg_vip', 'VIP buyers', [{ filter: 'in_segment', operator: 'is', value: 'seg_recent' }])],
    ['seg_recent', seg('seg_recent', 'Recent', [{ filter: 'in_segment', operator: 'is', value: 'seg_fr' }])],
    ['seg_fr', seg('seg_fr', 'France', [{ filter: 'device_country', operator: 'in', value: ['FR'] }])],
  ]);
  const reads: string[] = [];
  const segments = {
    get: async (_t: string, id: string) => {
      reads.push(id);
      return store.get(id);
    },
    listAll: async () => [...store.values()],
  } as unknown as SegmentStore;
  let current: Campaign = draftCampaign(NOW, { segmentId: 'seg_vip', schedule });
  const campaigns = {
    get: async () => structuredClone(current),
    update: async (_t: string, _id: string, version: number, changes: Partial<Campaign>) => {
      if (version !== current.version) return undefined;
      current = { ...current, ...changes, version: current.version + 1 };
      return structuredClone(current);
    },
  } as unknown as CampaignStore;
  const engine = new CountingEngine();
  const deps = {
    campaigns,
    segments,
    settings: { get: async () => ({ ...defaultSettings(), attributionWindowHours: 48 }) },
    scheduler: { schedule: async () => {}, cancel: async () => {} },
    triggers: { fireNow: async () => {} },
    queryEngine: engine,
    clock: fixedClock(NOW),
    sleep: async () => {},
    queryBudgetMs: 20_000,
  } as unknown as CampaignDeps;
  return { deps, engine, reads, store, current: () => current };
}

describe('launch plans count only local schedules', () => {
  test.each([
    ['now', { type: 'now' }],
    ['at', { type: 'at', at: '2026-12-01T09:00', timezone: 'Europe/Paris' }],
  ] as const)('a `%s` launch runs no audience query: it answers at once even when the engine hangs', async (_n, schedule) => {
    const w = world(schedule as Campaign['schedule']);
    w.engine.hang = true;
    const launched = (await launchCampaign(w.deps, 'acme', 'cmp_1'))!;
    expect(w.engine.runs).toBe(0);
    expect(launched.waves).toHaveLength(1);
    expect(launched.waves[0]).toMatchObject({ status: 'pending', devices: null });
    // Once the wave fired, GET shows the devices its trigger targeted.
    const c = w.current();
    const fired = {
      ...c,
      waves: { [launched.waves[0].id]: { ...Object.values(c.waves)[0], status: 'enqueued', firedAt: NOW, targeted: 12 } },
    } as Campaign;
    expect(publicCampaign(fired).waves[0].devices).toBe(12);
  });

  test('a PUT of a scheduled `at` campaign re-plans without a query', async () => {
    const w = world({ type: 'at', at: '2026-12-01T09:00', timezone: 'Europe/Paris' } as Campaign['schedule']);
    await launchCampaign(w.deps, 'acme', 'cmp_1');
    w.engine.hang = true;
    const edited = await updateCampaign(w.deps, 'acme', 'cmp_1', {
      name: 'BF',
      segmentId: 'seg_vip',
      message: { title: 'Sale', body: 'Now on' },
      schedule: { type: 'at', at: '2026-12-02T09:00', timezone: 'Europe/Paris' },
    });
    expect(w.engine.runs).toBe(0);
    expect(edited!.waves[0]).toMatchObject({ sendAt: '2026-12-02T08:00:00.000Z', devices: null });
  });

  test('a `local` launch counts the audience once and plans a wave per zone with its devices', async () => {
    const w = world({ type: 'local', at: '2026-12-01T09:00', fallbackTimezone: 'Europe/Paris' } as Campaign['schedule']);
    const launched = (await launchCampaign(w.deps, 'acme', 'cmp_1'))!;
    expect(w.engine.runs).toBe(1);
    expect(launched.waves.map((x) => [x.timezones, x.devices])).toEqual([
      [['Asia/Tokyo'], 5],
      [['Europe/Paris'], 7],
    ]);
  });

  test('the plan preview counts a `now` schedule too', async () => {
    const w = world({ type: 'now' } as Campaign['schedule']);
    const plan = await planCampaignPreview(w.deps, 'acme', { segmentId: 'seg_vip', schedule: { type: 'now' } });
    expect(w.engine.runs).toBe(1);
    expect(plan).toMatchObject({ targeted: 12, waves: [{ devices: 12 }] });
  });
});

describe('the launch snapshot freezes referenced segments', () => {
  test('it keeps the definitions reached through in_segment (recursively), each segment read once', async () => {
    const w = world({ type: 'now' } as Campaign['schedule']);
    const launched = (await launchCampaign(w.deps, 'acme', 'cmp_1'))!;
    expect(launched.audience).toEqual({
      segmentId: 'seg_vip',
      segmentName: 'VIP buyers',
      match: 'all',
      criteria: [{ filter: 'in_segment', operator: 'is', value: 'seg_recent' }],
      referenced: {
        seg_fr: { name: 'France', match: 'all', criteria: [{ filter: 'device_country', operator: 'in', value: ['FR'] }] },
        seg_recent: { name: 'Recent', match: 'all', criteria: [{ filter: 'in_segment', operator: 'is', value: 'seg_fr' }] },
      },
    });
    expect(launched.attributionWindowHours).toBe(48);
    // The plan and the snapshot share one read of each segment (they cannot disagree).
    expect(w.reads.sort()).toEqual(['seg_fr', 'seg_recent', 'seg_vip']);
    // Editing or deleting the referenced segments later leaves the recorded audience as it was.
    w.store.delete('seg_fr');
    w.store.set('seg_recent', seg('seg_recent', 'Renamed', []));
    expect(publicCampaign(w.current()).audience).toEqual(launched.audience);
  });

  test('an audience without references has no `referenced`', async () => {
    const w = world({ type: 'now' } as Campaign['schedule']);
    w.current().segmentId = null;
    const launched = (await launchCampaign(w.deps, 'acme', 'cmp_1'))!;
    expect(launched.audience).toEqual({ segmentId: null, segmentName: null, match: 'all', criteria: [] });
  });
});
