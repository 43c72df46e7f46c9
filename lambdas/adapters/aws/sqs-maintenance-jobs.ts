/** Maintenance jobs onto the maintenance queue (the maintenance Lambda consumes it, one job at a time). */
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { backoffDelay, SQS_SEND_RETRY } from '../../domain/backoff';
import type { MaintenanceJob, MaintenanceJobs } from '../../ports/maintenance-jobs';

export class SqsMaintenanceJobs implements MaintenanceJobs {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  async enqueue(jobs: MaintenanceJob[], options: { delaySeconds?: number } = {}): Promise<void> {
    const delay = options.delaySeconds ? Math.min(900, Math.max(0, Math.round(options.delaySeconds))) : undefined;
    for (let i = 0; i < jobs.length; i += 10) {
      let pending = jobs.slice(i, i + 10).map((job, n) => ({ Id: String(n), MessageBody: JSON.stringify(job), DelaySeconds: delay }));
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt >= 5) throw new Error(`the maintenance queue refused ${pending.length} job(s)`);
        if (attempt > 0) await this.sleep(backoffDelay(attempt - 1, SQS_SEND_RETRY));
        const out = await this.client.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: pending }));
        const failed = new Set((out.Failed ?? []).map((f) => f.Id));
        pending = pending.filter((e) => failed.has(e.Id));
      }
    }
  }
}
