/**
 * The composer's A/B test (API.md v1.1 "Variants and a control group"): switching it on and off, adding and
 * removing variants, even weights, the checks made before saving, and the server's errors and warnings of one
 * variant. Pure: the composer and the unit tests share it.
 */
import type { Warning } from '../api/types';
// The server's limits and id rule, from a zod-free module of the domain.
import { MAX_HOLDOUT_PERCENT, MAX_VARIANTS, MIN_VARIANTS, VARIANT_ID_PATTERN } from '../../../lambdas/domain/campaigns/arms';
import { isAbTest, type Draft, type MessageDraft, type VariantDraft } from './draft';
import { messageErrors } from './message-checks';

export { MAX_HOLDOUT_PERCENT, MAX_VARIANTS, MIN_VARIANTS };

/** The names new variants get, in order. */
export const DEFAULT_VARIANT_IDS = ['A', 'B', 'C', 'D'];

/** 100 split evenly over `n` variants, the remainder to the first ones: 3 → 34, 33, 33. */
export function evenWeights(n: number): string[] {
  return Array.from({ length: n }, (_, i) => String(Math.floor(100 / n) + (i < 100 % n ? 1 : 0)));
}

/** The message fields only (not a variant's id and weight, nor a draft's other fields), buttons copied. */
const copy = (m: MessageDraft): MessageDraft => ({
  title: m.title,
  body: m.body,
  imageUrl: m.imageUrl,
  deepLink: m.deepLink,
  buttons: m.buttons.map((b) => ({ ...b })),
});

/** The first default name no variant uses yet ("C" after A and B). */
function nextId(variants: readonly VariantDraft[]): string {
  const used = new Set(variants.map((v) => v.id));
  return DEFAULT_VARIANT_IDS.find((id) => !used.has(id)) ?? `V${variants.length + 1}`;
}

/** Switching the test on: A and B both start as the message written so far (the merchant then changes one). */
export function startAbTest(d: Draft): Partial<Draft> {
  const weights = evenWeights(MIN_VARIANTS);
  return { variants: weights.map((weight, i) => ({ id: DEFAULT_VARIANT_IDS[i], weight, ...copy(d) })) };
}

/** Switching it off: the variant on screen becomes the one message. */
export function stopAbTest(d: Draft, keep: number): Partial<Draft> {
  const v = d.variants?.[keep] ?? d.variants?.[0];
  return v ? { ...copy(v), variants: [] } : { variants: [] };
}

/** A new variant, a copy of variant `from`'s message; the shares are split evenly again. */
export function addVariant(variants: readonly VariantDraft[], from: number): VariantDraft[] {
  if (variants.length >= MAX_VARIANTS) return [...variants];
  const weights = evenWeights(variants.length + 1);
  const added = { id: nextId(variants), weight: '', ...copy(variants[from] ?? variants[0]) };
  return [...variants, added].map((v, i) => ({ ...v, weight: weights[i] }));
}

/** Variant `i` removed; the shares are split evenly again. */
export function removeVariant(variants: readonly VariantDraft[], i: number): VariantDraft[] {
  if (variants.length <= MIN_VARIANTS) return [...variants];
  const left = variants.filter((_, j) => j !== i);
  const weights = evenWeights(left.length);
  return left.map((v, j) => ({ ...v, weight: weights[j] }));
}

/** The typed shares' sum (a share that is not a number counts 0). */
export const weightSum = (variants: readonly Pick<VariantDraft, 'weight'>[]): number =>
  variants.reduce((n, v) => n + (Number.isFinite(Number(v.weight)) ? Number(v.weight) : 0), 0);

const isWhole = (s: string) => /^\d+$/.test(s.trim());

/**
 * The checks made before saving, as `{ API path: text }` with the API's own paths (`variants[1].message.title`,
 * `variants[0].weight`, `variants`, `holdoutPercent`) so local and server errors show in the same places.
 */
export function variantErrors(d: Draft, tooLong: (max: number, length: number) => string): Record<string, string> {
  const out: Record<string, string> = {};
  const holdout = (d.holdoutPercent ?? '').trim();
  if (holdout !== '' && (!isWhole(holdout) || Number(holdout) > MAX_HOLDOUT_PERCENT))
    out.holdoutPercent = `Enter a whole percent from 0 to ${MAX_HOLDOUT_PERCENT}`;
  if (!isAbTest(d)) return out;
  const seen = new Set<string>();
  d.variants.forEach((v, i) => {
    const at = `variants[${i}]`;
    const id = v.id.trim();
    if (!VARIANT_ID_PATTERN.test(id)) out[`${at}.id`] = 'Name it with 1–16 letters, digits, _ or -';
    else if (seen.has(id)) out[`${at}.id`] = `Another variant is already called ${id}`;
    seen.add(id);
    if (!isWhole(v.weight) || Number(v.weight) < 1 || Number(v.weight) > 99) out[`${at}.weight`] = 'A whole percent from 1 to 99';
    for (const [path, text] of Object.entries(messageErrors(v, tooLong))) out[`${at}.${path}`] = text;
    v.buttons.forEach((b, j) => {
      if (!b.label.trim()) out[`${at}.message.buttons[${j}].label`] = 'Write the button text, or remove the button';
    });
  });
  const sum = weightSum(d.variants);
  if (sum !== 100) out.variants = `The shares add up to ${sum} %: they must add up to 100 %`;
  return out;
}

const VARIANT_PATH = /^variants\[(\d+)\](?:\.(.*))?$/;

/** The errors of variant `i` with the paths of a one-message campaign (`variants[1].message.title` → `message.title`). */
export function errorsOfVariant(errors: Record<string, string>, i: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, text] of Object.entries(errors)) {
    const m = VARIANT_PATH.exec(path);
    if (m && Number(m[1]) === i && m[2]) out[m[2]] = text;
  }
  return out;
}

/** The variants (by position) that have an error, for a marker on their tab. */
export function variantsWithErrors(errors: Record<string, string>): Set<number> {
  const out = new Set<number>();
  for (const path of Object.keys(errors)) {
    const m = VARIANT_PATH.exec(path);
    if (m) out.add(Number(m[1]));
  }
  return out;
}

/** The saved campaign's warnings about variant `i`'s message (each names its path: `variants[0].message.title`). */
export const warningsOfVariant = (warnings: readonly Warning[], i: number): Warning[] =>
  warnings.filter((w) => w.path.startsWith(`variants[${i}].`));

/** "Variant B: " for a warning or error about a variant's message, '' for anything else. */
export function variantPrefix(path: string, ids: readonly string[]): string {
  const m = VARIANT_PATH.exec(path);
  return m ? `Variant ${ids[Number(m[1])] ?? Number(m[1]) + 1}: ` : '';
}
