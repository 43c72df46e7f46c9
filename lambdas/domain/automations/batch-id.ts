/**
 * Ids of the sweeper's batches: `auto:<time, base 36>.<run>.<k>` (a quiet-hours chunk of one appends
 * `>q…`). The time is the sweep's, fixed in the id, so every count of a batch (its hand-over, its
 * outcomes, a redelivery's) lands on the same UTC day: the day counters' once-only tokens live in
 * the day's items, and a copy counted on another day would count twice.
 */
export const AUTOMATION_BATCH_PREFIX = 'auto:';

export function automationBatchId(at: Date, run: string, k: number): string {
  return `${AUTOMATION_BATCH_PREFIX}${at.getTime().toString(36)}.${run}.${k}`;
}

/** The UTC day (YYYY-MM-DD) a sweeper batch (or a chunk made from one) counts on; `fallback`'s for any other id. */
export function automationBatchDay(batchId: string, fallback: Date): string {
  const m = /^auto:([0-9a-z]+)\./.exec(batchId);
  const t = m ? parseInt(m[1], 36) : NaN;
  return (Number.isFinite(t) ? new Date(t) : fallback).toISOString().slice(0, 10);
}
