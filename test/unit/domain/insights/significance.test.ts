/** The two-proportion z-test behind `significant`, checked against values worked out by hand and tables. */
import { erfc, isSignificant, liftOf, twoProportionTest, twoSidedP } from '../../../../lambdas/domain/insights/significance';

test('erfc and the two-sided p-value match the normal table', () => {
  expect(erfc(0)).toBeCloseTo(1, 7);
  expect(erfc(1)).toBeCloseTo(0.157299207, 6);
  expect(erfc(-1)).toBeCloseTo(1.842700793, 6);
  expect(twoSidedP(1.959964)).toBeCloseTo(0.05, 5);
  expect(twoSidedP(2.575829)).toBeCloseTo(0.01, 5);
  expect(twoSidedP(0)).toBeCloseTo(1, 6);
});

test('120/1000 against 80/1000: z = 0.04 / sqrt(0.1 · 0.9 · 0.002) ≈ 2.9814, p ≈ 0.00287, significant, lift 1.5', () => {
  const t = twoProportionTest({ devices: 1000, conversions: 120 }, { devices: 1000, conversions: 80 });
  expect(t).toMatchObject({ method: 'two-proportion z-test, two-sided, pooled', alpha: 0.05, criticalZ: 1.96, enoughData: true });
  expect(t.z).toBeCloseTo(2.9814, 3);
  expect(t.pValue).toBeCloseTo(0.00287, 4);
  expect(isSignificant(t)).toBe(true);
  expect(liftOf(t.variant, t.control)).toBe(1.5);
});

test('a worse variant is significant too (two-sided), with a lift below 1', () => {
  const t = twoProportionTest({ devices: 1000, conversions: 80 }, { devices: 1000, conversions: 120 });
  expect(t.z).toBeCloseTo(-2.9814, 3);
  expect(isSignificant(t)).toBe(true);
  expect(liftOf(t.variant, t.control)).toBeCloseTo(0.6667, 4);
});

test('a small difference is not significant; z just under the critical value is not either', () => {
  expect(isSignificant(twoProportionTest({ devices: 1000, conversions: 105 }, { devices: 1000, conversions: 100 }))).toBe(false);
  // 140/1000 vs 110/1000: z ≈ 2.0326 → significant; 139/1000 vs 112/1000: z ≈ 1.8146 → not.
  expect(isSignificant(twoProportionTest({ devices: 1000, conversions: 140 }, { devices: 1000, conversions: 110 }))).toBe(true);
  expect(isSignificant(twoProportionTest({ devices: 1000, conversions: 139 }, { devices: 1000, conversions: 112 }))).toBe(false);
});

test('too little data is never significant, whatever z says; undefined z is null', () => {
  const few = twoProportionTest({ devices: 10, conversions: 9 }, { devices: 10, conversions: 1 });
  expect(few.z).toBeGreaterThan(3);
  expect(few.enoughData).toBe(false);
  expect(isSignificant(few)).toBe(false);
  expect(twoProportionTest({ devices: 0, conversions: 0 }, { devices: 100, conversions: 10 })).toMatchObject({
    z: null,
    pValue: null,
    enoughData: false,
  });
  expect(twoProportionTest({ devices: 100, conversions: 0 }, { devices: 100, conversions: 0 })).toMatchObject({ z: null, pValue: null });
  expect(liftOf({ devices: 100, conversions: 5 }, { devices: 100, conversions: 0 })).toBeNull();
});
