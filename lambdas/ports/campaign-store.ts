/** Campaign records (DynamoDB). API edits are version-checked; delivery counters are atomic adds. */
import type { Campaign, DailyCounters, DeliveryCounters, WaveCursor } from '../domain/campaigns/campaign-record';
import type { CampaignStatus } from '../domain/campaigns/lifecycle';
import type { CampaignKind } from '../domain/campaigns/campaign';
import type { Page } from './segment-store';

/** Fields an API action may change (never the counters, which senders add to concurrently). */
export type CampaignChanges = Partial<
  Pick<
    Campaign,
    | 'name'
    | 'kind'
    | 'segmentId'
    | 'message'
    | 'variants'
    | 'holdoutPercent'
    | 'schedule'
    | 'trigger'
    | 'sendRate'
    | 'status'
    | 'warnings'
    | 'launchedAt'
    | 'completedAt'
    | 'cancelledAt'
    | 'timezone'
    | 'waves'
    | 'error'
    | 'wavesPending'
    | 'audience'
    | 'attributionWindowHours'
  >
>;

export interface CampaignStore {
  create(c: Campaign): Promise<void>;
  /** The campaign with its live delivery counters; `liveCounters: false` skips them (a sender needs only the message and status). */
  get(tenantId: string, id: string, opts?: { liveCounters?: boolean }): Promise<Campaign | undefined>;
  list(tenantId: string, opts: { limit: number; cursor?: string; status?: CampaignStatus; kind?: CampaignKind }): Promise<Page<Campaign>>;
  /** Every campaign of the tenant that refers to a segment (for the segment delete guard). */
  listAll(tenantId: string): Promise<Campaign[]>;
  /** Apply changes if the version is still `expectedVersion` (bumps it); the new record or undefined. */
  update(tenantId: string, id: string, expectedVersion: number, changes: CampaignChanges): Promise<Campaign | undefined>;
  delete(tenantId: string, id: string, expectedVersion: number): Promise<boolean>;

  /**
   * Claim a wave for firing: scheduled → firing (or re-take a firing one), the campaign `sending`, its
   * version moved on (so an edit read before cannot write back older waves); undefined if it is
   * enqueued/cancelled or the campaign cannot send.
   */
  startWave(tenantId: string, id: string, waveId: string, now: string): Promise<Campaign | undefined>;
  /**
   * Record the audience result a firing wave reads (a new one, or a re-run of a lost one), only if the wave is
   * still at `expected` pages with `expected` execution: false when another firing got there first.
   */
  recordWaveExecution(
    tenantId: string,
    id: string,
    waveId: string,
    expected: Pick<WaveCursor, 'pages' | 'execution'>,
    execution: string,
  ): Promise<boolean>;
  /**
   * Record one enqueued page of a firing wave: moves the cursor only from `prev` (pages and execution), adds to
   * targeted and batchesEnqueued; the last page also finishes the wave (firing → enqueued, wavesPending − 1).
   */
  advanceWave(
    tenantId: string,
    id: string,
    waveId: string,
    prev: Pick<WaveCursor, 'pages' | 'execution'>,
    next: WaveCursor,
    added: { devices: number; batches: number },
    lastPage?: boolean,
  ): Promise<boolean>;
  /**
   * Add one batch's delivery counts exactly once per `key` (a retried or redelivered batch adds
   * nothing twice), and `wave`'s figure (batches done minus quiet-hours batches spawned) in the same
   * write; true the first time.
   */
  addBatchCounters(
    tenantId: string,
    id: string,
    key: string,
    deltas: Partial<DeliveryCounters>,
    wave?: { waveId: string; net: number },
  ): Promise<boolean>;
  /**
   * Automated campaigns: add one batch's counts to `day` (UTC, YYYY-MM-DD) exactly once per `key`;
   * true the first time. `get` and `list` sum the days into the campaign's counters (and give them as `days`).
   */
  addDailyCounters(tenantId: string, id: string, key: string, day: string, deltas: Partial<DailyCounters>): Promise<boolean>;
  /** sending → sent when no wave is pending and every batch is done (from the counters, never the ledger); true if this call completed it. */
  completeIfDone(tenantId: string, id: string, now: string): Promise<boolean>;
}
