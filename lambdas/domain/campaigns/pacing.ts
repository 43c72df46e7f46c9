/**
 * Throttling (API.md v1.1 `sendRate.perMinute`): a wave is paced by giving each queued batch a
 * `notBefore`, so the queue (SQS delays, the local queue's visibility) spaces the sends out and no
 * Lambda ever sleeps. Batch k of a wave starts once the k × devicesPerBatch devices before it have
 * had their share of the rate: the wave never runs ahead of `perMinute` by more than one batch.
 */

/** Bounds of `sendRate.perMinute` (API.md). */
export const SEND_RATE_MIN_PER_MINUTE = 100;
export const SEND_RATE_MAX_PER_MINUTE = 1_000_000;

/**
 * The ISO instant before which batch `batchIndex` (0-based, counted across the wave) must not be
 * sent, so the wave goes out no faster than `perMinute` devices a minute; undefined when there is
 * no rate or the instant is not after `waveStartMs` (the batch may go at once).
 */
export function batchNotBefore(opts: {
  waveStartMs: number;
  batchIndex: number;
  devicesPerBatch: number;
  perMinute: number | null;
}): string | undefined {
  const { waveStartMs, batchIndex, devicesPerBatch, perMinute } = opts;
  if (perMinute === null || !(perMinute > 0) || !Number.isFinite(perMinute)) return undefined;
  if (!(batchIndex > 0) || !(devicesPerBatch > 0) || !Number.isFinite(waveStartMs)) return undefined;
  // Rounded up to the millisecond: rounding down could let a batch out a hair early.
  const offsetMs = Math.ceil((batchIndex * devicesPerBatch * 60_000) / perMinute);
  return offsetMs > 0 ? new Date(waveStartMs + offsetMs).toISOString() : undefined;
}

/**
 * The rate a wave is paced at: the campaign's own rate, lowered to the account-wide ceiling when
 * one is configured (null = unlimited on either side).
 */
export function effectivePerMinute(campaignPerMinute: number | null, ceilingPerMinute: number | null): number | null {
  if (campaignPerMinute === null) return ceilingPerMinute;
  if (ceilingPerMinute === null) return campaignPerMinute;
  return Math.min(campaignPerMinute, ceilingPerMinute);
}
