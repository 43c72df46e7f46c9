/**
 * Lake maintenance work handed to the maintenance worker (AWS: an SQS queue the maintenance Lambda
 * consumes, with retries and a DLQ; locally: an in-process runner).
 */
export type MaintenanceJob =
  | { kind: 'compact'; tenantId: string; before?: string; dropSuperseded?: boolean; expireBefore?: string }
  | { kind: 'erase'; tenantId: string; erasureId: string }
  /** Build the rollups a run left for later (its budget of builds ran out): days before `olderThan` only. */
  | { kind: 'rollup'; tenantId: string; olderThan?: string };

/** Receives of one job before it is given up (the queue's maxReceiveCount; then the DLQ). */
export const MAINTENANCE_MAX_RECEIVES = 5;

export interface MaintenanceJobs {
  /** Hand jobs to the worker; `delaySeconds` (≤ 900) holds them back that long. */
  enqueue(jobs: MaintenanceJob[], options?: { delaySeconds?: number }): Promise<void>;
}
