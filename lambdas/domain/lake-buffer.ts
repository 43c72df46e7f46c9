/**
 * How long the lake takes to show what was accepted. Every lake stream (lib/constructs/lake-streams.ts)
 * buffers for LAKE_BUFFER_SECONDS before writing; the insights freshness rule (lambdas/composition/aws.ts,
 * domain/insights/freshness.ts) derives its visibility delay from the same number, so the two cannot
 * drift apart.
 */

/** Firehose's buffering interval of every lake stream, in seconds (≤ 300: API.md's 5-minute lake delay). */
export const LAKE_BUFFER_SECONDS = 120;

/**
 * Firehose's multi-stage buffering (dynamic partitioning, then format conversion) can stretch a
 * buffer up to 1.5 × its interval before the object lands in S3.
 */
export const LAKE_BUFFER_STRETCH = 1.5;

/** The latest an accepted event becomes visible to the query engine (180 s for a 120 s buffer). */
export const LAKE_VISIBILITY_MS = LAKE_BUFFER_SECONDS * 1_000 * LAKE_BUFFER_STRETCH;
