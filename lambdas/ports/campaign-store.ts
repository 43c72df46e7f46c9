/** Campaign records (DynamoDB). API edits are version-checked; delivery counters are atomic adds. */
import type { Campaign, DeliveryCounters, WaveState } from '../domain/campaigns/campaign-record';
import type { CampaignStatus } from '../domain/campaigns/lifecycle';
import type { Page } from './segment-store';

/** Fields an API action may change (never the counters, which senders add to concurrently). */
export type CampaignChanges = Partial<Pick<Campaign, 'name' | 'kind' | 'segmentId' | 'message' | 'schedule' | 'status' | 'warnings' | 'launchedAt' | 'completedAt' | 'cancelledAt' | 'timezone' | 'waves' | 'error' | 'wavesPending'>>;

export interface CampaignStore {
  create(c: Campaign): Promise<void>;
  get(tenantId: string, id: string): Promise<Campaign | undefined>;
  list(tenantId: string, opts: { limit: number; cursor?: string; status?: CampaignStatus }): Promise<Page<Campaign>>;
  /** Every campaign of the tenant that refers to a segment (for the segment delete guard). */
  listAll(tenantId: string): Promise<Campaign[]>;
  /** Apply changes if the version is still `expectedVersion` (bumps it); the new record or undefined. */
  update(tenantId: string, id: string, expectedVersion: number, changes: CampaignChanges): Promise<Campaign | undefined>;
  delete(tenantId: string, id: string, expectedVersion: number): Promise<boolean>;

  /** Claim a wave for firing: scheduled → firing (or re-take a firing one); undefined if it is enqueued/cancelled or the campaign cannot send. */
  startWave(tenantId: string, id: string, waveId: string, now: string): Promise<Campaign | undefined>;
  /** Record one enqueued page of a wave: moves the cursor only from `prevCursor`, adds to targeted and batchesEnqueued. */
  advanceWave(tenantId: string, id: string, waveId: string, prevCursor: string | null, next: Pick<WaveState, 'cursor' | 'pages'>, added: { devices: number; batches: number }): Promise<boolean>;
  /** The wave is fully enqueued: firing → enqueued, wavesPending − 1. */
  finishWave(tenantId: string, id: string, waveId: string): Promise<Campaign | undefined>;
  /** Add to counters atomically; returns the record after the change. */
  addCounters(tenantId: string, id: string, deltas: Partial<DeliveryCounters>): Promise<Campaign | undefined>;
  /** sending → sent when no wave is pending and every batch is done; returns true if this call completed it. */
  completeIfDone(tenantId: string, id: string, now: string): Promise<boolean>;
}
