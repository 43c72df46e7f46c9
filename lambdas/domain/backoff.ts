/**
 * The one exponential backoff formula, and every retry/poll policy's numbers in one place.
 *
 *   delay(attempt) = min(capMs, baseMs × 2^attempt) × factor,  factor uniform in [low, high]
 *
 * `attempt` counts the waits already made (0: the wait before the first retry or second poll).
 * [0, 1] is "full jitter" (AWS Architecture Blog, "Exponential Backoff And Jitter"), the default;
 * [0.5, 1] "equal jitter" keeps at least half the wait, for retries whose budget of attempts must
 * span some minimum time; [1, 1] is none, where the caller wants a fixed schedule. Pure: the random
 * source is injectable, and no sleep happens here.
 */

/** Factor range the capped exponential delay is multiplied by: [low, high]. */
export type JitterRange = readonly [low: number, high: number];

export const FULL_JITTER: JitterRange = [0, 1];
export const EQUAL_JITTER: JitterRange = [0.5, 1];
export const NO_JITTER: JitterRange = [1, 1];

export interface BackoffPolicy {
  /** Wait at attempt 0, before jitter. */
  readonly baseMs: number;
  /** The doubling stops here (before jitter). */
  readonly capMs: number;
  /** Default FULL_JITTER. */
  readonly jitter?: JitterRange;
}

/** Beyond this many doublings every sane cap is reached; it also keeps 2^n finite (0 × ∞ is NaN). */
const MAX_DOUBLINGS = 52;

/** Milliseconds to wait after `attempt` earlier waits; `random` returns [0, 1) like Math.random. */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const n = Number.isFinite(attempt) ? Math.min(MAX_DOUBLINGS, Math.max(0, Math.floor(attempt))) : 0;
  const capped = Math.min(policy.capMs, policy.baseMs * 2 ** n);
  const [low, high] = policy.jitter ?? FULL_JITTER;
  // No spread: do not draw, so an injected random source shared with other uses keeps its sequence.
  return low === high ? capped * low : capped * (low + (high - low) * random());
}

/**
 * Athena GetQueryExecution polls of a run (estimates, audiences; overridable per engine).
 * 200 ms first: a small estimate finishes in about a second, so the answer is seen soon after it is
 * ready. 2 s cap: GetQueryExecution is rate limited per account and a long query gains nothing from
 * faster polls. ±25 % around the schedule keeps concurrent estimates from polling in lock-step
 * while keeping the mean on the doubling schedule.
 */
export const ATHENA_POLL: BackoffPolicy = { baseMs: 200, capMs: 2000, jitter: [0.75, 1.25] };

/**
 * Polls of a query a request waits for a bounded time (runWithin: estimates, insights).
 * 10 ms first: the local DuckDB engine answers in tens of milliseconds. 500 ms cap: the wait is a
 * few seconds, so a ready answer is seen within half a second. No jitter: each request polls only
 * its own query, started at its own moment.
 */
export const QUERY_WAIT_POLL: BackoffPolicy = { baseMs: 10, capMs: 500, jitter: NO_JITTER };

/**
 * SendMessageBatch entries SQS failed (throttling, internal errors), up to the queue's attempts
 * (5 by default: at most 50 + 100 + 200 + 400 ms of waiting). Equal jitter: the senders of a wave
 * enqueue together, and each retry still waits at least half its step. 2 s cap: a wave's trigger
 * Lambda must not spend its timeout waiting.
 */
export const SQS_SEND_RETRY: BackoffPolicy = { baseMs: 50, capMs: 2000, jitter: EQUAL_JITTER };

/**
 * PutRecordBatch records Firehose rejected, mostly the stream's throughput limit, which is per
 * second: 100 ms first, doubling to a 5 s cap (6 attempts by default: 0.1 + 0.2 + 0.4 + 0.8 + 1.6 s
 * at most, so a retry lands in a later second). Equal jitter, as for SQS.
 */
export const FIREHOSE_PUT_RETRY: BackoffPolicy = { baseMs: 100, capMs: 5000, jitter: EQUAL_JITTER };

/**
 * Unprocessed keys/items of DynamoDB BatchGetItem/BatchWriteItem (the partition's throughput ran
 * out): AWS asks for exponential backoff. 20 ms first, as a partition recovers within tens of
 * milliseconds; 1 s cap. Equal jitter, so concurrent batch readers spread out.
 */
export const DYNAMO_BATCH_RETRY: BackoffPolicy = { baseMs: 20, capMs: 1000, jitter: EQUAL_JITTER };

/**
 * A send batch the local queue redelivers after a failure (attempt = receives before this one):
 * 400 ms, 800 ms, … The cap is the queue's visibility timeout (the default, 30 s, here; the queue
 * puts in its own), as an SQS message is at the latest visible again after it. No jitter: one
 * process, and tests step a fake clock through the schedule.
 */
export const LOCAL_QUEUE_REDELIVERY: BackoffPolicy = { baseMs: 400, capMs: 30_000, jitter: NO_JITTER };

/**
 * A segment update without If-Match that lost its compare-and-set to a concurrent writer (up to 20
 * attempts). Writers race within milliseconds, so 5 ms first and a 100 ms cap; full jitter so the
 * racing writers spread out instead of colliding again.
 */
export const SEGMENT_WRITE_RACE: BackoffPolicy = { baseMs: 5, capMs: 100, jitter: FULL_JITTER };

/**
 * The local push gateway's retries of an injected transient failure (3 attempts: 5 ms, 10 ms),
 * standing in for the SNS client's own retries at a scale that keeps tests fast. No jitter: its
 * random source decides the injected faults and must not be consumed by the waits.
 */
export const LOCAL_PUSH_FAULT_RETRY: BackoffPolicy = { baseMs: 5, capMs: 40, jitter: NO_JITTER };
