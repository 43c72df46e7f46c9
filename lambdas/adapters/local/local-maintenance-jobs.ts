/**
 * The local stand-in for the maintenance queue: jobs run one at a time in this process, a failed one
 * is tried again after `retryMs` (its last attempt told so, as SQS's receive count tells the Lambda).
 * Nothing is persisted: after a restart the local world hands running erasures over again, and the
 * compaction loop re-plans compactions.
 */
import type { MaintenanceJob, MaintenanceJobs } from '../../ports/maintenance-jobs';

export interface LocalMaintenanceJobsOptions {
  retryMs?: number;
  maxAttempts?: number;
}

type Runner = (job: MaintenanceJob, lastAttempt: boolean) => Promise<void>;

export class LocalMaintenanceJobs implements MaintenanceJobs {
  private readonly queue: { job: MaintenanceJob; attempt: number }[] = [];
  private readonly retrying = new Set<NodeJS.Timeout>();
  private running: Promise<void> | undefined;
  private runner: Runner | undefined;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];
  private readonly retryMs: number;
  private readonly maxAttempts: number;

  constructor(
    options: LocalMaintenanceJobsOptions = {},
    private readonly log: (msg: string, extra?: unknown) => void = () => undefined,
  ) {
    this.retryMs = options.retryMs ?? 2_000;
    this.maxAttempts = options.maxAttempts ?? 5;
  }

  async enqueue(jobs: MaintenanceJob[], options: { delaySeconds?: number } = {}): Promise<void> {
    if (options.delaySeconds && options.delaySeconds > 0) {
      const timer = setTimeout(() => {
        this.retrying.delete(timer);
        if (!this.stopped) void this.enqueue(jobs);
      }, options.delaySeconds * 1000);
      this.retrying.add(timer);
      return;
    }
    for (const job of jobs) {
      // The same job already waiting would do the same work twice.
      if (!this.queue.some((q) => sameJob(q.job, job))) this.queue.push({ job, attempt: 0 });
    }
    this.pump();
  }

  /** Start running jobs with `runner`. */
  consume(runner: Runner): void {
    this.runner = runner;
    this.pump();
  }

  /** Resolves when no job waits, runs or is due for a retry (tests, `compact()`). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.retrying) clearTimeout(t);
    this.retrying.clear();
    await this.running;
    this.wakeIdle();
  }

  private isIdle(): boolean {
    return this.queue.length === 0 && !this.running && this.retrying.size === 0;
  }

  private wakeIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private pump(): void {
    if (this.running || !this.runner || this.stopped) return;
    const runner = this.runner;
    this.running = (async () => {
      for (let next = this.queue.shift(); next && !this.stopped; next = this.queue.shift()) {
        const { job, attempt } = next;
        try {
          await runner(job, attempt + 1 >= this.maxAttempts);
        } catch (err) {
          if (attempt + 1 >= this.maxAttempts) continue; // the runner was told; nothing more to do
          this.log('maintenance job failed; retrying', { job, attempt: attempt + 1, error: (err as Error).message });
          const timer = setTimeout(() => {
            this.retrying.delete(timer);
            if (this.stopped) return;
            this.queue.push({ job, attempt: attempt + 1 });
            this.pump();
          }, this.retryMs);
          this.retrying.add(timer);
        }
      }
    })().finally(() => {
      this.running = undefined;
      if (this.queue.length > 0 && !this.stopped) this.pump();
      else if (this.isIdle()) this.wakeIdle();
    });
  }
}

function sameJob(a: MaintenanceJob, b: MaintenanceJob): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
