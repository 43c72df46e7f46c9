/** A polling loop that can be woken early and stopped cleanly (waits for the work in flight). */
export class PollingLoop {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private stopped = false;
  private current: Promise<void> = Promise.resolve();
  /** Jobs a tick started and did not wait for (see track). */
  private readonly work = new Set<Promise<void>>();

  constructor(
    private readonly intervalMs: number,
    private readonly tick: () => Promise<void>,
    private readonly onError: (err: unknown) => void,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Run a tick soon (new work arrived). */
  wake(): void {
    if (!this.stopped && !this.running) this.schedule(0);
  }

  /** Count `job`, started by a tick without waiting for it, as work in flight: stop() waits for it too. */
  track(job: Promise<void>): void {
    this.work.add(job);
    // A job handles its own errors: one that rejects anyway is a bug and stays an unhandled rejection.
    void job.finally(() => this.work.delete(job));
  }

  /** No more ticks; resolves when the current tick and every tracked job have settled. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.current;
    await Promise.allSettled([...this.work]);
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.stopped || this.running) return;
      this.running = true;
      this.current = this.tick()
        .catch(this.onError)
        .finally(() => {
          this.running = false;
          if (!this.stopped) this.schedule(this.intervalMs);
        });
    }, ms);
  }
}
