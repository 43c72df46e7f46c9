/**
 * Insights of a campaign with variants or a control group (API.md v1.1): each variant's figures and
 * its comparison with the control. The compared measure is the same on both sides (intention to
 * treat): the devices an arm was meant for at send time (a variant's pushed, failed or dead-token
 * devices; the control's held-out and dead-token ones, since the control never learns of a token
 * going dead), and those with a purchase within the attribution window after the moment of their
 * outcome, opened or not, as the insights query's `arm` rows count them.
 */
import type { ArmWeight } from '../campaigns/arms';
import type { ArmRow, InsightsRow, PlatformInsights } from './figures';
import { rate } from './figures';
import { isSignificant, liftOf, twoProportionTest, type SignificanceTest } from './significance';

/** Devices of a group measured against the control: those it was meant for at send time, and who purchased within the window after. */
export interface ArmMeasure {
  devices: number;
  conversions: number;
  conversionRate: number;
}

/** One variant's figures (the campaign's, for its devices) and how it fares against the control group. */
export interface VariantInsights extends PlatformInsights {
  id: string;
  weight: number;
  /** The devices this variant was meant for at send time (pushed, failed, dead token) and those that purchased within the attribution window after (opened or not): the control's measure. */
  sinceSend: ArmMeasure;
  /** sinceSend.conversionRate over the control's, as a ratio (1.25 = 25 % more); null without a control group or when it converted none. */
  lift: number | null;
  /** The test below says the difference is real at 95 %; false without a control group. */
  significant: boolean;
  /** The two-proportion z-test with its inputs; null without a control group. */
  test: SignificanceTest | null;
}

function measure(devices: number, conversions: number): ArmMeasure {
  return { devices, conversions, conversionRate: rate(conversions, devices) };
}

/** byVariant and control of a campaign with arms, from its rows (delivery, engagement and arm rows carry the variant). */
export function armInsights(
  rows: readonly InsightsRow[],
  arms: { arms: readonly ArmWeight[]; holdoutPercent: number },
  /** The campaign's figures (figures.ts) of a subset of its rows. */
  figuresOf: (rows: readonly InsightsRow[]) => PlatformInsights,
): { byVariant: VariantInsights[]; control: ArmMeasure | null } {
  const armRows = rows.filter((r): r is ArmRow => r.kind === 'arm');
  const held = armRows.filter((r) => r.variant === null);
  const control =
    arms.holdoutPercent > 0
      ? measure(
          held.reduce((n, r) => n + r.devices, 0),
          held.reduce((n, r) => n + r.converted, 0),
        )
      : null;
  const byVariant = arms.arms.map((arm): VariantInsights => {
    const own = armRows.filter((r) => r.variant === arm.id);
    const sinceSend = measure(
      own.reduce((n, r) => n + r.devices, 0),
      own.reduce((n, r) => n + r.converted, 0),
    );
    const test = control
      ? twoProportionTest(
          { devices: sinceSend.devices, conversions: sinceSend.conversions },
          { devices: control.devices, conversions: control.conversions },
        )
      : null;
    return {
      id: arm.id,
      weight: arm.weight,
      ...figuresOf(rows.filter((r) => r.kind !== 'arm' && (r.variant ?? null) === arm.id)),
      sinceSend,
      lift: control ? liftOf(sinceSend, control) : null,
      significant: test ? isSignificant(test) : false,
      test,
    };
  });
  return { byVariant, control };
}
