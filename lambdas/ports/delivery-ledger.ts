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
  /** The batch that recorded the outcome: a retried batch counts only what it recorded itself. */
  batchId?: string | null;
}

export type ClaimResult =
  | { outcome: 'claimed'; lease: string }
  /** Someone else holds a live lease on it. */
  | { outcome: 'busy' }
  /** A previous holder's lease ran out before it recorded an outcome: it may or may not have pushed. */
  | { outcome: 'expired'; lease: string }
  /** An outcome is recorded already (by `batchId`, when it was recorded with one). */
  | { outcome: 'done'; state: LedgerState; reason: string | null; batchId: string | null; at: string };

export interface DeliveryLedger {
  /** Claim the device for this campaign with a lease (conditional put). */
  claim(tenantId: string, campaignId: string, deviceId: string, now: Date, leaseMs: number): Promise<ClaimResult>;
  /** Record the outcome (and the batch that made it) if we still hold the lease; false when we lost it. */
  finish(tenantId: string, campaignId: string, deviceId: string, lease: string, entry: Omit<LedgerEntry, 'campaignId' | 'deviceId'>): Promise<boolean>;
  /** Give the claim back (a transient failure): a retry can claim it again. */
  release(tenantId: string, campaignId: string, deviceId: string, lease: string): Promise<void>;
  /** Every entry of a campaign (insights; never the sender or completion). */
  entries(tenantId: string, campaignId: string): Promise<LedgerEntry[]>;
}

/** The frequency cap's cap, as settings hold it. */
export interface Cap {
  maxPerDevice: number;
  windowHours: number;
}

/** Per-device send history for the frequency cap, updated with compare-and-set. */
export interface FrequencyCapStore {
  /**
   * Reserve a send for this campaign if the device is under the cap in the rolling window.
   * Idempotent per campaign (a retry finds its own reservation). Concurrent campaigns cannot exceed the cap.
   */
  reserve(tenantId: string, deviceId: string, campaignId: string, now: Date, cap: Cap): Promise<boolean>;
}
