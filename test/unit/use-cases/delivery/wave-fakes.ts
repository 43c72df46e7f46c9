/** Fakes of the trigger's ports for fire-wave tests: a members-query engine over a fixed audience and the campaign store's wave CAS. */
import { ZERO_COUNTERS, type Campaign, type WaveCursor, type WaveState } from '../../../../lambdas/domain/campaigns/campaign-record';
import type { CampaignStore } from '../../../../lambdas/ports/campaign-store';
import { fixedClock } from '../../../../lambdas/ports/clock';
import { QueryResultLostError, type QueryHandle, type ResultPage, type SqlQuery } from '../../../../lambdas/ports/query-engine';
import type { WaveTrigger } from '../../../../lambdas/ports/scheduler';
import type { SegmentStore } from '../../../../lambdas/ports/segment-store';
import type { SettingsStore } from '../../../../lambdas/ports/settings-store';
import { defaultSettings } from '../../../../lambdas/domain/settings';
import type { SendBatch } from '../../../../lambdas/ports/send-queue';
import type { DeliveryRow } from '../../../../lambdas/domain/lake-schema';
import type { FireWaveDeps } from '../../../../lambdas/use-cases/delivery/fire-wave';
import { UnusedQueryEngine } from '../../../support/query-engine';

export const NOW = '2026-11-28T10:00:00.000Z';
export const TRIGGER: WaveTrigger = { tenantId: 't1', campaignId: 'c1', wave: 'now' };
export const deviceIds = (n: number) => Array.from({ length: n }, (_, i) => `d${String(i).padStart(7, '0')}`);

/** A members-query engine over a fixed audience: results by handle, read in pages of `rows` (offset tokens). */
export class FakeEngine extends UnusedQueryEngine {
  readonly queries: SqlQuery[] = [];
  private readonly results = new Map<string, string[]>();
  reads = 0;
  /** Throw a transient error on this read (1-based). */
  failOnRead = 0;
  /** `recent_sends` per device (JSON text), as the members query returns under a cap. */
  recentSends = new Map<string, string>();
  constructor(public audience: string[]) {
    super();
  }
  override async run(): Promise<never> {
    throw new Error('the trigger must not page with run()');
  }
  override async startResult(q: SqlQuery): Promise<QueryHandle> {
    this.queries.push(q);
    // The keyset parameter of a re-run is the only device-id-shaped parameter.
    const after = /device_id > \?/.test(q.sql) ? (q.params.find((p) => typeof p === 'string' && /^d\d{7}$/.test(p)) as string) : undefined;
    const id = `exec-${this.queries.length}`;
    this.results.set(id, this.audience.filter((d) => after === undefined || d > after).sort());
    return { id };
  }
  override async readPage(h: QueryHandle, page: string | null, rows: number): Promise<ResultPage> {
    if (++this.reads === this.failOnRead) throw new Error('throttled');
    const all = this.results.get(h.id);
    if (!all) throw new QueryResultLostError(`no result ${h.id}`);
    const from = page === null ? 0 : Number(page);
    const slice = all.slice(from, from + rows).map((device_id) => ({
      device_id,
      platform: 'ios',
      timezone: null,
      ...(this.recentSends.has(device_id) ? { recent_sends: this.recentSends.get(device_id) } : {}),
    }));
    return { rows: slice, next: from + rows < all.length ? String(from + rows) : null };
  }
  /** A restarted local engine forgets its results. */
  forgetAll(): void {
    this.results.clear();
  }
}

/** The campaign store's wave methods with the adapter's compare-and-set semantics. */
export class FakeCampaigns {
  failAdvanceOnce = false;
  constructor(public c: Campaign) {}
  private wave(id: string): WaveState {
    return this.c.waves[id];
  }
  async get(): Promise<Campaign> {
    return structuredClone(this.c);
  }
  async startWave(_t: string, _id: string, waveId: string, now: string): Promise<Campaign | undefined> {
    const w = this.wave(waveId);
    if (!w || !['scheduled', 'firing'].includes(w.status) || !['scheduled', 'sending'].includes(this.c.status)) return undefined;
    w.status = 'firing';
    w.firedAt ??= now;
    this.c.status = 'sending';
    this.c.version++;
    return structuredClone(this.c);
  }
  private matches(w: WaveState, prev: Pick<WaveCursor, 'pages' | 'execution'>): boolean {
    return w.status === 'firing' && w.pages === prev.pages && (w.execution ?? null) === prev.execution;
  }
  async recordWaveExecution(...[, , waveId, expected, execution]: Parameters<CampaignStore['recordWaveExecution']>): Promise<boolean> {
    const w = this.wave(waveId);
    if (!this.matches(w, expected)) return false;
    Object.assign(w, { execution, pageToken: null });
    return true;
  }
  async advanceWave(...[, , waveId, prev, next, added, last = false]: Parameters<CampaignStore['advanceWave']>): Promise<boolean> {
    if (this.failAdvanceOnce) {
      this.failAdvanceOnce = false;
      throw new Error('DynamoDB timed out');
    }
    const w = this.wave(waveId);
    if (!this.matches(w, prev)) return false;
    Object.assign(w, next, { targeted: w.targeted + added.devices });
    this.c.targeted += added.devices;
    this.c.batchesEnqueued += added.batches;
    if (last) {
      w.status = 'enqueued';
      this.c.wavesPending -= 1;
    }
    return true;
  }
  async completeIfDone(): Promise<boolean> {
    return false; // the senders complete the campaign; these tests stop at the queue
  }
}

/** A wave as launch plans it, not yet fired. */
export function wave(extra: Partial<WaveState> = {}): WaveState {
  return {
    id: 'now',
    timezone: null,
    fireAt: NOW,
    intendedAt: NOW,
    pastDue: false,
    includeMissingTimezone: true,
    memberZones: null,
    status: 'scheduled',
    cursor: null,
    pages: 0,
    targeted: 0,
    firedAt: null,
    ...extra,
  };
}

export function campaign(extra: Partial<Campaign> = {}): Campaign {
  return {
    ...ZERO_COUNTERS,
    id: 'c1',
    tenantId: 't1',
    name: 'Sale',
    kind: 'campaign',
    segmentId: null,
    message: { title: 'Sale', body: 'Now' } as Campaign['message'],
    schedule: { type: 'now' } as Campaign['schedule'],
    sendRate: null,
    status: 'sending',
    warnings: [],
    version: 1,
    createdAt: NOW,
    updatedAt: NOW,
    launchedAt: NOW,
    completedAt: null,
    cancelledAt: null,
    timezone: null,
    waves: { now: wave() },
    error: null,
    wavesPending: 1,
    ...extra,
  };
}

export function world(audience: number, c: Campaign = campaign()) {
  const engine = new FakeEngine(deviceIds(audience));
  const campaigns = new FakeCampaigns(c);
  const enqueued: SendBatch[] = [];
  const queued: DeliveryRow[] = [];
  const continuations: WaveTrigger[] = [];
  const deps: FireWaveDeps = {
    campaigns: campaigns as unknown as CampaignStore,
    segments: {} as SegmentStore,
    settings: { get: async () => defaultSettings(), put: async () => undefined } as unknown as SettingsStore,
    queryEngine: engine,
    lake: { appendDeliveries: async (_t, rows) => void queued.push(...rows) },
    queue: { enqueue: async (b) => void enqueued.push(...b) },
    clock: fixedClock(NOW),
    triggers: { fireNow: async (t) => void continuations.push(t) },
    pageSize: 1000,
  };
  /** Devices over DISTINCT batches (a resumed page re-enqueues identical ones). */
  const distinct = () => {
    const byId = new Map<string, SendBatch>();
    for (const b of enqueued) {
      const seen = byId.get(b.batchId);
      if (seen) expect(seen.deviceIds).toEqual(b.deviceIds);
      byId.set(b.batchId, b);
    }
    return { batches: byId.size, devices: [...byId.values()].flatMap((b) => b.deviceIds) };
  };
  return { engine, campaigns, enqueued, queued, continuations, deps, distinct };
}
