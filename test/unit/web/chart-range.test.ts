/** The insights chart's time axis: the points' span, or an hour around a lone point (not years). */
import { timeAxisRange } from '../../../web/src/campaigns/chart-range';

test('a span of points is kept as it is', () => {
  expect(timeAxisRange(1_800_000_000, 1_800_007_200)).toEqual([1_800_000_000, 1_800_007_200]);
});

test('a single point gets half an hour on each side', () => {
  expect(timeAxisRange(1_800_000_000, 1_800_000_000)).toEqual([1_799_998_200, 1_800_001_800]);
});

test('no points at all: a one-hour axis, never NaN', () => {
  expect(timeAxisRange(null, null)).toEqual([-1800, 1800]);
});
