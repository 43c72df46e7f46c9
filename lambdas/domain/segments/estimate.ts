/** Estimate requests and the size advice of the help article: a segment should hold 5–50 % of subscribers. */
import * as z from 'zod';

/** How many matching device ids an estimate may return. */
export const sampleSizeSchema = z.number().int('must be an integer').min(0, 'must be 0–100').max(100, 'must be 0–100').optional();

/** POST /v1/segment-estimates for a saved segment. */
export const savedEstimateRequestSchema = z.strictObject({ segmentId: z.string().min(1).max(64), sampleSize: sampleSizeSchema });

export type Recommendation = 'empty' | 'too_narrow' | 'too_broad' | 'ok';

export interface EstimateFigures {
  matched: number;
  total: number;
  percent: number;
  recommendation: Recommendation;
}

/** percent = 100 × matched / total rounded to 2 decimals (0 when total is 0), and the advice. */
export function estimateFigures(matched: number, total: number): EstimateFigures {
  const percent = total === 0 ? 0 : Math.round((10000 * matched) / total) / 100;
  const recommendation: Recommendation = total === 0 ? 'empty' : percent < 5 ? 'too_narrow' : percent > 50 ? 'too_broad' : 'ok';
  return { matched, total, percent, recommendation };
}
