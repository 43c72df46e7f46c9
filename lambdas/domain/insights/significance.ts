/**
 * Lift and its significance (API.md v1.1 "Variants and a control group"): a variant's conversion
 * rate against the control group's, by a two-sided two-proportion z-test at 95 % with the pooled
 * proportion. Pure; the figures come from insights. The answer carries every input and the z and p
 * values, so a merchant (or their analyst) can redo the test by hand.
 */

/** Devices measured in a group and how many of them converted. */
export interface Proportion {
  devices: number;
  conversions: number;
}

/** The test as the insights answer shows it. */
export interface SignificanceTest {
  method: 'two-proportion z-test, two-sided, pooled';
  /** 0.05: 95 % confidence. */
  alpha: number;
  /** |z| at or above which the difference is significant (1.96). */
  criticalZ: number;
  variant: Proportion;
  control: Proportion;
  /** (p_variant − p_control) / sqrt(p(1−p)(1/n_variant + 1/n_control)), p pooled; null when undefined (no devices, or p is 0 or 1). */
  z: number | null;
  /** Two-sided p-value of z; null with z. */
  pValue: number | null;
  /**
   * The normal approximation holds: each group has at least MIN_EXPECTED conversions and as many
   * non-conversions. Without it the answer is never `significant`, whatever z says.
   */
  enoughData: boolean;
}

export const ALPHA = 0.05;
export const CRITICAL_Z = 1.959964;
/** Conversions and non-conversions each group needs for the z-test's normal approximation. */
export const MIN_EXPECTED = 5;

/** The complementary error function (Numerical Recipes' erfcc: fractional error below 1.2e-7 everywhere). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Two-sided p-value of a standard normal z: P(|Z| ≥ |z|). */
export function twoSidedP(z: number): number {
  return erfc(Math.abs(z) / Math.SQRT2);
}

/** The test of a variant against the control. */
export function twoProportionTest(variant: Proportion, control: Proportion): SignificanceTest {
  const base = {
    method: 'two-proportion z-test, two-sided, pooled' as const,
    alpha: ALPHA,
    criticalZ: round(CRITICAL_Z, 4),
    variant,
    control,
  };
  const n1 = variant.devices;
  const n2 = control.devices;
  const enough = [variant, control].every((g) => g.conversions >= MIN_EXPECTED && g.devices - g.conversions >= MIN_EXPECTED);
  const z = zOf(variant, control);
  if (z === null) return { ...base, z: null, pValue: null, enoughData: n1 > 0 && n2 > 0 && enough };
  return { ...base, z: round(z, 4), pValue: round(twoSidedP(z), 6), enoughData: enough };
}

/** The unrounded z of the test, or null when it is undefined (no devices, or the pooled rate is 0 or 1). */
function zOf(variant: Proportion, control: Proportion): number | null {
  const n1 = variant.devices;
  const n2 = control.devices;
  if (n1 === 0 || n2 === 0) return null;
  const pooled = (variant.conversions + control.conversions) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  return se === 0 ? null : (variant.conversions / n1 - control.conversions / n2) / se;
}

/**
 * Significant at 95 %: enough data and |z| ≥ 1.96 (equivalently p < 0.05), decided on the unrounded z
 * (the answer's `z` and `pValue` are rounded for reading). Two-sided: a variant that does
 * significantly worse than the control is significant too, with a lift below 1.
 */
export function isSignificant(t: SignificanceTest): boolean {
  const z = zOf(t.variant, t.control);
  return t.enoughData && z !== null && Math.abs(z) >= CRITICAL_Z;
}

/** Lift as a ratio of conversion rates (1.25 = 25 % more conversions than the control); null when the control converted none. */
export function liftOf(variant: Proportion, control: Proportion): number | null {
  if (variant.devices === 0 || control.devices === 0 || control.conversions === 0) return null;
  return round(variant.conversions / variant.devices / (control.conversions / control.devices), 4);
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
