/**
 * The arm of a device (variants and a control group): for random weights, holdouts and audiences of
 * 40,000–60,000 devices each arm's share is within 1.5 percentage points of its weight (the standard
 * error of a share there is ≤ 0.25 pp, so 1.5 pp is six of them: a failure means a biased hash, not
 * bad luck), and a device lands in the same arm every time it is asked (a re-fired wave, a retried
 * batch, a quiet-hours chunk), whatever else is in its batch.
 */
import fc from 'fast-check';
import { armsOf, armUnit, assignArm, SINGLE_ARM_ID } from '../../../../lambdas/domain/campaigns/arms';

/** 2–4 integer weights ≥ 1 summing to 100. */
const weights = fc
  .integer({ min: 2, max: 4 })
  .chain((k) => fc.uniqueArray(fc.integer({ min: 1, max: 99 }), { minLength: k - 1, maxLength: k - 1 }))
  .map((cuts) => {
    const edges = [0, ...[...cuts].sort((a, b) => a - b), 100];
    return edges.slice(1).map((e, i) => e - edges[i]);
  });

test('each arm holds its share of the devices within 1.5 pp, and a device always lands in the same arm', () => {
  fc.assert(
    fc.property(
      weights,
      fc.integer({ min: 0, max: 50 }),
      fc.stringMatching(/^cmp_[0-9a-z]{8,20}$/),
      fc.stringMatching(/^[A-Za-z0-9_.:-]{0,12}$/),
      fc.integer({ min: 40_000, max: 60_000 }),
      (ws, holdoutPercent, campaignId, prefix, n) => {
        const arms = { arms: ws.map((weight, i) => ({ id: String.fromCharCode(65 + i), weight })), holdoutPercent };
        const ids = Array.from({ length: n }, (_, i) => `${prefix}${i}`);
        const counts = new Map<string | null, number>();
        const first = ids.map((id) => assignArm(campaignId, id, arms));
        for (const a of first) counts.set(a, (counts.get(a) ?? 0) + 1);
        const share = (a: string | null) => ((counts.get(a) ?? 0) / n) * 100;
        expect(Math.abs(share(null) - holdoutPercent)).toBeLessThanOrEqual(1.5);
        for (const arm of arms.arms) expect(Math.abs(share(arm.id) - (arm.weight * (100 - holdoutPercent)) / 100)).toBeLessThanOrEqual(1.5);
        // A re-fire asks again, in another order and among other devices: the same arm for each.
        const order = Array.from({ length: 10_000 }, (_, i) => (i * 7919) % n);
        expect(order.filter((i) => assignArm(campaignId, ids[i], arms) !== first[i])).toEqual([]);
      },
    ),
    { numRuns: 12 },
  );
});

test('the unit value is in [0, 1), differs across campaigns, and ids close to each other spread', () => {
  const us = Array.from({ length: 1000 }, (_, i) => armUnit('cmp_1', `dev-${i}`));
  expect(us.every((u) => u >= 0 && u < 1)).toBe(true);
  // Consecutive ids land in all ten deciles.
  expect(new Set(us.slice(0, 100).map((u) => Math.floor(u * 10))).size).toBe(10);
  // Another campaign splits the same devices independently: about half change sides of 0.5.
  const flips = us.filter((u, i) => u < 0.5 !== armUnit('cmp_2', `dev-${i}`) < 0.5).length;
  expect(flips).toBeGreaterThan(400);
  expect(flips).toBeLessThan(600);
});

test('arms of a campaign: variants, one message with a control group, or none', () => {
  expect(armsOf({ variants: null, holdoutPercent: 0 })).toBeNull();
  expect(armsOf({})).toBeNull();
  expect(armsOf({ holdoutPercent: 10 })).toEqual({ arms: [{ id: SINGLE_ARM_ID, weight: 100 }], holdoutPercent: 10 });
  expect(
    armsOf({
      variants: [
        { id: 'A', weight: 70 },
        { id: 'B', weight: 30 },
      ],
    }),
  ).toEqual({
    arms: [
      { id: 'A', weight: 70 },
      { id: 'B', weight: 30 },
    ],
    holdoutPercent: 0,
  });
  // Without a holdout nobody is in the control group.
  const arms = armsOf({
    variants: [
      { id: 'A', weight: 1 },
      { id: 'B', weight: 99 },
    ],
  })!;
  expect(Array.from({ length: 2000 }, (_, i) => assignArm('c', `d${i}`, arms)).includes(null)).toBe(false);
});
