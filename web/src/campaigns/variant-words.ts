/**
 * Variants and a control group in the merchant's words (API.md v1.1): a campaign's arms ("Variant A 50 % ·
 * Variant B 50 % · control group 10 %"), the list's title of a campaign without a message, and the insights'
 * reading: lift as "+48 %", each variant's significance, and the headline that names the winner. Pure.
 */
import type { Campaign, Insights } from '../api/types';
import { SINGLE_ARM_ID } from '../../../lambdas/domain/campaigns/arms';

export type VariantInsights = NonNullable<Insights['byVariant']>[number];
export type Significance = 'significant' | 'not_yet' | 'not_enough_data' | 'no_control';

/** "Variant A", or "The push" for the one arm of a one-message campaign with a control group. */
export const armName = (id: string) => (id === SINGLE_ARM_ID ? 'The push' : `Variant ${id}`);

/** The title a list shows: the message's, or the first variant's (a campaign with variants has no message). */
export function titleOf(c: { message: { title: string } | null; variants?: readonly { message: { title: string } }[] | null }): string {
  return c.message?.title ?? c.variants?.[0]?.message.title ?? '';
}

/** "Variant A 50 % · Variant B 50 % · control group 10 % of the audience (not pushed)". */
export function armsInWords(c: Pick<Campaign, 'variants' | 'holdoutPercent'>): string {
  const parts = (c.variants ?? []).map((v) => `Variant ${v.id} ${v.weight} %`);
  const holdout = c.holdoutPercent ?? 0;
  if (holdout > 0) parts.push(`${parts.length > 0 ? 'control group ' : ''}${holdout} % of the audience (not pushed)`);
  return parts.join(' · ');
}

/** A ratio as a change: 1.48 → "+48 %", 0.9 → "−10 %", null → "—". */
export function fmtLift(lift: number | null | undefined): string {
  if (lift === null || lift === undefined || !Number.isFinite(lift)) return '—';
  const pct = Math.round((lift - 1) * 100);
  return pct > 0 ? `+${pct} %` : pct < 0 ? `−${Math.abs(pct)} %` : '±0 %';
}

/** Where a variant stands against the control. */
export function significanceOf(v: VariantInsights): Significance {
  if (!v.test) return 'no_control';
  if (!v.test.enoughData) return 'not_enough_data';
  return v.significant ? 'significant' : 'not_yet';
}

export const SIGNIFICANCE_WORDS: Record<Significance, string> = {
  significant: 'significant at 95 %',
  not_yet: 'not significant yet',
  not_enough_data: 'not enough data',
  no_control: 'no control group',
};

/** The headline of the comparison, and a tone for it. */
export interface Verdict {
  text: string;
  tone: 'ok' | 'neutral' | 'warn';
  /** The winning arm's id, if any. */
  winner: string | null;
}

const pctOf = (rate: number) => `${(rate * 100).toFixed(rate < 0.1 ? 1 : 0)} %`;

/**
 * "Variant A wins: +48 % conversions vs control (significant at 95 %)": the arm with the highest lift among
 * those significantly better than the control; else "No variant beats the control significantly yet".
 * Without a control group, the best conversion rate (there is no lift to test).
 */
export function verdictOf(i: Pick<Insights, 'byVariant' | 'control'>): Verdict | null {
  const arms = i.byVariant ?? [];
  if (arms.length === 0) return null;
  const single = arms.length === 1 && arms[0].id === SINGLE_ARM_ID;
  if (!i.control) {
    const best = [...arms].sort((a, b) => b.sinceSend.conversionRate - a.sinceSend.conversionRate)[0];
    if (best.sinceSend.conversions === 0)
      return { text: 'No conversions yet: the variants are side by side below.', tone: 'neutral', winner: null };
    return {
      text: `${armName(best.id)} converts best so far (${pctOf(best.sinceSend.conversionRate)}). Without a control group there is no lift to test.`,
      tone: 'neutral',
      winner: null,
    };
  }
  const better = arms.filter((v) => v.significant && (v.lift ?? 0) > 1).sort((a, b) => (b.lift ?? 0) - (a.lift ?? 0));
  if (better.length > 0) {
    const w = better[0];
    return {
      text: single
        ? `The push lifts conversions: ${fmtLift(w.lift)} vs control (significant at 95 %)`
        : `${armName(w.id)} wins: ${fmtLift(w.lift)} conversions vs control (significant at 95 %)`,
      tone: 'ok',
      winner: w.id,
    };
  }
  const worse = arms.filter((v) => v.significant && (v.lift ?? 1) < 1);
  const enough = arms.some((v) => v.test?.enoughData);
  const base = single ? 'The push does not beat the control significantly yet' : 'No variant beats the control significantly yet';
  if (worse.length > 0)
    return {
      text: `${base}; ${worse.map((v) => armName(v.id)).join(', ')} converts significantly less than the control`,
      tone: 'warn',
      winner: null,
    };
  return { text: enough ? base : `${base} (not enough data: each group needs at least 5 conversions)`, tone: 'neutral', winner: null };
}

/** The p-value as said: "p = 0.021", "p < 0.001", or "p undefined" when the test could not be computed. */
export function fmtP(p: number | null | undefined): string {
  if (p === null || p === undefined) return 'p undefined';
  return p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`;
}

/** "2.31"; null → "—". */
export const fmtZ = (z: number | null | undefined) => (z === null || z === undefined ? '—' : z.toFixed(2).replace('-', '−'));
