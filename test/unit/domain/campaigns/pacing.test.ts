import { batchNotBefore, effectivePerMinute } from '../../../../lambdas/domain/campaigns/pacing';

const waveStartMs = Date.parse('2026-12-01T12:00:00.000Z');
const at = (batchIndex: number, perMinute: number | null, devicesPerBatch = 100) =>
  batchNotBefore({ waveStartMs, batchIndex, devicesPerBatch, perMinute });

describe('batchNotBefore', () => {
  it('lets the first batch of a wave go at once', () => {
    expect(at(0, 100)).toBeUndefined();
  });

  it('spaces 100-device batches one minute apart at 100 devices a minute', () => {
    expect([1, 2, 3].map((i) => at(i, 100))).toEqual(['2026-12-01T12:01:00.000Z', '2026-12-01T12:02:00.000Z', '2026-12-01T12:03:00.000Z']);
  });

  it('is undefined with no rate', () => {
    expect(at(5, null)).toBeUndefined();
  });

  it('counts the devices before the batch, whatever the batch size', () => {
    expect(at(4, 1_000, 25)).toBe('2026-12-01T12:00:06.000Z'); // 100 devices at 1,000/min = 6 s
  });

  it('rounds up to the millisecond so a batch is never early', () => {
    // The API floor is 100/min, but the rule is general: 100 × 60,000 / 7 = 857,142.857 ms
    expect(at(1, 7)).toBe(new Date(waveStartMs + 857_143).toISOString());
    expect(at(1, 999_999)).toBe(new Date(waveStartMs + 7).toISOString()); // 6.000006 ms → 7 ms
  });

  it('never schedules faster than the rate over any prefix of the wave', () => {
    for (const perMinute of [100, 150, 1_000, 33_333, 1_000_000]) {
      for (let k = 1; k < 50; k++) {
        const elapsedMs = Date.parse(at(k, perMinute)!) - waveStartMs;
        // By the time batch k may go, k batches were released: k × 100 devices ≤ rate × elapsed.
        expect(k * 100).toBeLessThanOrEqual((perMinute * elapsedMs) / 60_000);
      }
    }
  });

  it('is increasing in the batch index', () => {
    const times = Array.from({ length: 30 }, (_, k) => at(k + 1, 250)!).map(Date.parse);
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThan(times[i - 1]);
  });

  it('ignores nonsense inputs rather than throwing', () => {
    expect(at(-1, 100)).toBeUndefined();
    expect(at(3, 0)).toBeUndefined();
    expect(at(3, -5)).toBeUndefined();
    expect(at(3, Number.POSITIVE_INFINITY)).toBeUndefined();
    expect(at(3, 100, 0)).toBeUndefined();
  });
});

describe('effectivePerMinute', () => {
  it('takes the lower of campaign rate and account ceiling, null meaning unlimited', () => {
    expect(effectivePerMinute(null, null)).toBeNull();
    expect(effectivePerMinute(500, null)).toBe(500);
    expect(effectivePerMinute(null, 60_000)).toBe(60_000);
    expect(effectivePerMinute(120_000, 60_000)).toBe(60_000);
    expect(effectivePerMinute(500, 60_000)).toBe(500);
  });
});
