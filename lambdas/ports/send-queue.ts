/** The fan-out queue between the trigger and the senders (SQS in AWS, a persisted in-process queue locally). */
export interface SendBatch {
  tenantId: string;
  campaignId: string;
  waveId: string;
  /** Unique per campaign; a batch is counted done once. */
  batchId: string;
  deviceIds: string[];
  /** Do not send before this UTC instant (quiet-hours deferrals). */
  notBefore?: string;
}

export interface SendQueue {
  /** Durably enqueue; resolves when every message is accepted. */
  enqueue(batches: SendBatch[]): Promise<void>;
}

/** Devices per queue message. */
export const DEVICES_PER_BATCH = 100;
