/**
 * The delivery ledger: one item per chunk (queue batch) of a campaign's devices, so no device is
 * pushed twice for a campaign while the ledger costs two writes per ~100 devices (claim, record).
 */
import type { SendRecord } from '../domain/campaigns/frequency-cap';

/** `held_out`: the device is in the campaign's control group (recorded, never pushed). */
export type ChunkState = 'sent' | 'failed' | 'suppressed' | 'deferred' | 'held_out';
export type SuppressionReason = 'optedOut' | 'frequencyCap' | 'invalidToken';

/** What happened to one device of a chunk. `deferred`: quiet hours; `at` is then when it may go (its own batch). */
export interface ChunkOutcome {
  state: ChunkState;
  reason: SuppressionReason | string | null;
  platform: 'ios' | 'android' | null;
  at: string;
  /**
   * `deferred` only: the id of the quiet-hours chunk the device was handed to, fixed when the outcome
   * is first recorded, so a retried parent re-sends that same chunk and never puts the device in a
   * second one. Absent on outcomes recorded before it existed (their chunk is derived from `at`).
   */
  child?: string;
}

/** Outcomes recorded so far, by device id. */
export type ChunkOutcomes = Record<string, ChunkOutcome>;

export type ChunkClaim =
  /**
   * The chunk is ours until the lease runs out. `recorded`: devices an earlier attempt finished
   * (they are not sent again). `interrupted`: an earlier holder's lease ran out before it recorded
   * anything more: it may have pushed some of the other devices.
   */
  | { outcome: 'claimed'; lease: string; recorded: ChunkOutcomes; interrupted: boolean }
  /** Another sender holds a live lease on it. */
  | { outcome: 'busy' }
  /** Every device has an outcome (an earlier attempt finished it; it may not have counted it). */
  | { outcome: 'done'; recorded: ChunkOutcomes };

export interface DeliveryLedger {
  /** Claim a chunk with a lease (one conditional write). */
  claimChunk(tenantId: string, campaignId: string, chunkId: string, now: Date, leaseMs: number): Promise<ChunkClaim>;
  /**
   * Store the chunk's outcomes (all of them so far) and give the lease back (one conditional write);
   * `done` when every device has one. False when the lease was lost (another sender took over).
   */
  recordChunk(
    tenantId: string,
    campaignId: string,
    chunkId: string,
    lease: string,
    recorded: ChunkOutcomes,
    done: boolean,
    now: Date,
  ): Promise<boolean>;
}

/** The frequency cap's cap, as settings hold it. */
export interface Cap {
  maxPerDevice: number;
  windowHours: number;
}

/** A device a chunk would push under a cap, with its pushes the lake's deliveries table knew of (any campaign, cap or not). */
export interface CapCandidate {
  deviceId: string;
  sent: readonly SendRecord[];
}

/** Reservations under a frequency cap, updated with compare-and-set. */
export interface FrequencyCapStore {
  /**
   * Reserve a send for this campaign for each device that is under the cap in the rolling window,
   * counting its `sent` pushes and the reservations made under a cap; returns the devices reserved.
   * Idempotent per campaign (a retry finds its own reservation). Concurrent campaigns cannot exceed
   * the cap.
   */
  reserveMany(tenantId: string, campaignId: string, now: Date, cap: Cap, devices: readonly CapCandidate[]): Promise<Set<string>>;
  /**
   * The devices the cap would let this campaign push now, reserving nothing: a control-group device
   * is measured only if it could have been pushed (a capped device counts in neither arm), and, never
   * pushed, it must not use up the cap.
   */
  underCap(tenantId: string, campaignId: string, now: Date, cap: Cap, devices: readonly CapCandidate[]): Promise<Set<string>>;
  /** Drop the send history kept for these devices (erasure). */
  forget(tenantId: string, deviceIds: readonly string[]): Promise<void>;
}
