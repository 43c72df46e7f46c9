/** The delivery ledger: one item per (campaign, device), so no device is pushed twice for a campaign. */
export type LedgerState = 'sending' | 'sent' | 'failed' | 'suppressed';
export type SuppressionReason = 'optedOut' | 'frequencyCap' | 'invalidToken';

export interface LedgerEntry {
  campaignId: string;
  deviceId: string;
  state: LedgerState;
  reason: SuppressionReason | string | null;
  platform: 'ios' | 'android' | null;
  at: string;
}

export type ClaimResult =
  | { outcome: 'claimed'; lease: string }
  /** Someone else holds a live lease on it. */
  | { outcome: 'busy' }
  /** A previous holder's lease ran out before it recorded an outcome: it may or may not have pushed. */
  | { outcome: 'expired'; lease: string }
  | { outcome: 'done'; state: LedgerState };

export interface DeliveryLedger {
  /** Claim the device for this campaign with a lease (conditional put). */
  claim(tenantId: string, campaignId: string, deviceId: string, now: Date, leaseMs: number): Promise<ClaimResult>;
  /** Record the outcome if we still hold the lease; false when we lost it. */
  finish(tenantId: string, campaignId: string, deviceId: string, lease: string, entry: Omit<LedgerEntry, 'campaignId' | 'deviceId'>): Promise<boolean>;
  /** Give the claim back (a transient failure): a retry can claim it again. */
  release(tenantId: string, campaignId: string, deviceId: string, lease: string): Promise<void>;
  /** Record a batch milestone ('enqueued' for deferrals, 'done') exactly once; true the first time. */
  markBatch(tenantId: string, campaignId: string, batchId: string, milestone: 'enqueued' | 'done'): Promise<boolean>;
  /** Every entry of a campaign (insights). */
  entries(tenantId: string, campaignId: string): Promise<LedgerEntry[]>;
}

/** Per-device send history for the frequency cap, updated with compare-and-set. */
export interface FrequencyCapStore {
  /**
   * Reserve a send for this campaign if the device is under the cap in the rolling window.
   * Idempotent per campaign (a retry finds its own reservation). Concurrent campaigns cannot exceed the cap.
   */
  reserve(tenantId: string, deviceId: string, campaignId: string, now: Date, cap: { maxPerDevice: number; windowHours: number }): Promise<boolean>;
}
