/** The one backoff formula: bounds, cap, jitter range, and the named policies' schedules. */
import {
  ATHENA_POLL,
  backoffDelay,
  DYNAMO_BATCH_RETRY,
  EQUAL_JITTER,
  FIREHOSE_PUT_RETRY,
  FULL_JITTER,
  LOCAL_PUSH_FAULT_RETRY,
  LOCAL_QUEUE_REDELIVERY,
  NO_JITTER,
  QUERY_WAIT_POLL,
  SEGMENT_WRITE_RACE,
  SQS_SEND_RETRY,
  type BackoffPolicy,
} from '../../../lambdas/domain/backoff';

const fixed = (r: number) => () => r;
const top = fixed(1 - Number.EPSILON);
const schedule = (policy: BackoffPolicy, n: number, random = top) =>
  Array.from({ length: n }, (_, a) => Math.round(backoffDelay(a, policy, random)));

describe('backoffDelay', () => {
  const p: BackoffPolicy = { baseMs: 100, capMs: 1000, jitter: NO_JITTER };

  test('attempt 0 waits the base; each attempt doubles it up to the cap', () => {
    expect(schedule(p, 6)).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  test('the cap holds for huge attempts, and odd attempts count as 0 or are floored', () => {
    expect(backoffDelay(10_000, p)).toBe(1000);
    expect(backoffDelay(Number.MAX_SAFE_INTEGER, { ...p, baseMs: 0 })).toBe(0); // never NaN
    expect(backoffDelay(-3, p)).toBe(100);
    expect(backoffDelay(Number.NaN, p)).toBe(100);
    expect(backoffDelay(2.9, p)).toBe(400);
  });

  test('full jitter (the default) spreads over [0, delay)', () => {
    const full: BackoffPolicy = { baseMs: 100, capMs: 1000 };
    expect(backoffDelay(3, full, fixed(0))).toBe(0);
    expect(backoffDelay(3, full, fixed(0.5))).toBe(400);
    expect(backoffDelay(3, full, top)).toBeLessThan(800);
    expect(backoffDelay(3, { ...full, jitter: FULL_JITTER }, fixed(0.25))).toBe(200);
  });

  test('a jitter range maps random 0 to its low end and random → 1 to its high end', () => {
    const equal = { ...p, jitter: EQUAL_JITTER };
    expect(backoffDelay(1, equal, fixed(0))).toBe(100);
    expect(backoffDelay(1, equal, fixed(0.5))).toBe(150);
    expect(backoffDelay(1, equal, top)).toBeCloseTo(200);
    // Jitter applies after the cap: a capped delay spreads around the cap like any other.
    expect(backoffDelay(20, { ...p, jitter: [0.75, 1.25] }, fixed(0))).toBe(750);
    expect(backoffDelay(20, { ...p, jitter: [0.75, 1.25] }, top)).toBeCloseTo(1250);
  });

  test('every value stays within [low × min(cap, base × 2^n), high × the same]', () => {
    for (const policy of [ATHENA_POLL, SQS_SEND_RETRY, FIREHOSE_PUT_RETRY, DYNAMO_BATCH_RETRY, SEGMENT_WRITE_RACE]) {
      const [low, high] = policy.jitter ?? FULL_JITTER;
      for (let a = 0; a < 30; a++) {
        const exp = Math.min(policy.capMs, policy.baseMs * 2 ** a);
        for (const r of [0, 0.1, 0.5, 0.9, 1 - Number.EPSILON]) {
          const d = backoffDelay(a, policy, fixed(r));
          expect(d).toBeGreaterThanOrEqual(low * exp);
          expect(d).toBeLessThanOrEqual(high * exp);
        }
      }
    }
  });

  test('no jitter never draws from the random source', () => {
    const random = jest.fn(() => 0.5);
    expect(backoffDelay(2, p, random)).toBe(400);
    expect(random).not.toHaveBeenCalled();
  });
});

describe('named policies keep their schedules', () => {
  test('Athena polls: 200 ms doubling to 2 s, ±25 % (midpoint at random 0.5)', () => {
    expect(schedule(ATHENA_POLL, 6, fixed(0.5))).toEqual([200, 400, 800, 1600, 2000, 2000]);
    expect(backoffDelay(0, ATHENA_POLL, fixed(0))).toBe(150);
  });

  test('bounded waits poll at 10 ms doubling to 500 ms, exactly', () => {
    expect(schedule(QUERY_WAIT_POLL, 8)).toEqual([10, 20, 40, 80, 160, 320, 500, 500]);
  });

  test('SQS, Firehose and DynamoDB batch retries: equal jitter under their caps', () => {
    expect(schedule(SQS_SEND_RETRY, 7)).toEqual([50, 100, 200, 400, 800, 1600, 2000]);
    expect(backoffDelay(0, SQS_SEND_RETRY, fixed(0))).toBe(25);
    expect(schedule(FIREHOSE_PUT_RETRY, 7)).toEqual([100, 200, 400, 800, 1600, 3200, 5000]);
    expect(schedule(DYNAMO_BATCH_RETRY, 7)).toEqual([20, 40, 80, 160, 320, 640, 1000]);
  });

  test('local redelivery 400 ms doubling; segment races up to 100 ms; local push faults 5, 10 ms', () => {
    expect(schedule(LOCAL_QUEUE_REDELIVERY, 3)).toEqual([400, 800, 1600]);
    expect(backoffDelay(50, LOCAL_QUEUE_REDELIVERY)).toBe(30_000);
    expect(schedule(SEGMENT_WRITE_RACE, 7)).toEqual([5, 10, 20, 40, 80, 100, 100]);
    expect(schedule(LOCAL_PUSH_FAULT_RETRY, 2)).toEqual([5, 10]);
  });
});
