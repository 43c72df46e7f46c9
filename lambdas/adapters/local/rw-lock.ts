/**
 * Many readers or one writer. Queries read the lake's files; compaction and view refreshes replace
 * them, and must not pull files out from under a running query.
 */
export class RwLock {
  private readers = 0;
  private writer = false;
  private waiting: Array<{ write: boolean; wake: () => void }> = [];

  async read<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire(false);
    try {
      return await fn();
    } finally {
      this.readers--;
      this.drain();
    }
  }

  async write<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire(true);
    try {
      return await fn();
    } finally {
      this.writer = false;
      this.drain();
    }
  }

  /**
   * Write, then read without letting a writer in between: `prepare` runs alone, then the lock turns
   * into a read lock (other readers may join, writers wait) for `read`.
   */
  async writeThenRead<T>(prepare: () => Promise<void>, read: () => Promise<T>): Promise<T> {
    await this.acquire(true);
    try {
      await prepare();
    } catch (err) {
      this.writer = false;
      this.drain();
      throw err;
    }
    this.writer = false;
    this.readers++;
    this.drain(); // waiting readers join; a waiting writer still waits for this reader
    try {
      return await read();
    } finally {
      this.readers--;
      this.drain();
    }
  }

  private acquire(write: boolean): Promise<void> {
    // A waiting writer blocks new readers, so a steady stream of queries cannot starve compaction.
    const free = write ? !this.writer && this.readers === 0 : !this.writer && !this.waiting.some((w) => w.write);
    if (free && this.waiting.length === 0) {
      if (write) this.writer = true;
      else this.readers++;
      return Promise.resolve();
    }
    return new Promise((wake) => this.waiting.push({ write, wake }));
  }

  private drain(): void {
    while (this.waiting.length > 0 && !this.writer) {
      const next = this.waiting[0];
      if (next.write) {
        if (this.readers > 0) return;
        this.waiting.shift();
        this.writer = true;
        next.wake();
        return;
      }
      this.waiting.shift();
      this.readers++;
      next.wake();
    }
  }
}
