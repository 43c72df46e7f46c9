/**
 * Lake maintenance work handed to the maintenance worker (AWS: an SQS queue the maintenance Lambda
 * consumes, with retries and a DLQ; locally: an in-process runner).
 */
export type MaintenanceJob =
  | { kind: 'compact'; tenantId: string; before?: string; dropSuperseded?: boolean }
  | { kind: 'erase'; tenantId: string; erasureId: string };

export interface MaintenanceJobs {
  enqueue(jobs: MaintenanceJob[]): Promise<void>;
}
