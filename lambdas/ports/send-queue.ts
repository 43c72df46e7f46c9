/** The fan-out queue between the trigger and the senders (SQS in AWS, a persisted in-process queue locally). */
import type { SendRecord } from '../domain/campaigns/frequency-cap';

export interface SendBatch {
  tenantId: string;
  campaignId: string;
  waveId: string;
  /** Unique per campaign; a batch is counted done once. */
  batchId: string;
  deviceIds: string[];
  /** Do not send before this UTC instant (quiet-hours deferrals, pacing). */
  notBefore?: string;
  /**
   * Under a frequency cap: each device's pushes in the cap's window that the lake's deliveries table
   * held when the wave was read (devices with none are absent). The cap counts them.
   */
  history?: Record<string, SendRecord[]>;
  /** The correlation id of the launch this batch comes from, for the sender's log entries (absent on older messages). */
  correlationId?: string;
  /**
   * A batch of an automated campaign (the sweeper's): counted per day, not per wave, and its frequency-cap
   * reservations are per batch (one automation pushes a device once per occurrence, not once ever).
   */
  automated?: boolean;
}

export interface SendQueue {
  /** Durably enqueue; resolves when every message is accepted. */
  enqueue(batches: SendBatch[]): Promise<void>;
}

/** Devices per queue message. */
export const DEVICES_PER_BATCH = 100;
