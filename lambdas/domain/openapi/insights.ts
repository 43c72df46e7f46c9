/** OpenAPI schemas of a campaign's insights (GET /v1/campaigns/{id}/insights), variants and control group included. */
import * as z from 'zod';
import { TIMELINE_DAYS, TIMELINE_HOURS } from '../insights/figures';

const isoTime = z.iso.datetime({ offset: true });
const count = z.number().int().min(0);

const suppressed = z.object({ optedOut: count, frequencyCap: count, invalidToken: count });

/** Figures of the whole campaign or of one platform (domain/insights/figures.ts). */
const platformInsightsShape = {
  sent: count,
  failed: count,
  suppressed,
  opened: count,
  openRate: z.number().min(0).max(1).describe('opened / sent, 4 decimals'),
  conversions: count,
  conversionRate: z.number().min(0).max(1).describe('conversions / sent'),
  revenue: z.number().min(0),
};

const proportion = z.object({ devices: count, conversions: count });
const armMeasureSchema = proportion.extend({ conversionRate: z.number().min(0).max(1).describe('conversions / devices, 4 decimals') });

/** One variant's figures and its comparison with the control group (API.md v1.1 "Variants and a control group"). */
const variantInsightsSchema = z.object({
  id: z.string(),
  weight: z.number().int().min(1).max(100),
  ...platformInsightsShape,
  sinceSend: armMeasureSchema.describe(
    'the measure compared with the control (intention to treat): the devices this variant was meant for at send time (pushed, failed, or with a token found dead), and those with a purchase within the attribution window after their push (opened or not)',
  ),
  lift: z
    .number()
    .min(0)
    .nullable()
    .describe(
      'sinceSend.conversionRate / control.conversionRate (1.25 = 25 % more); null without a control group or when the control converted none',
    ),
  significant: z
    .boolean()
    .describe(
      'the two-sided two-proportion z-test below rejects "no difference" at 95 % (|z| ≥ 1.96) with enough data; false without a control group',
    ),
  test: z
    .object({
      method: z.literal('two-proportion z-test, two-sided, pooled'),
      alpha: z.number().describe('0.05'),
      criticalZ: z.number().describe('1.96'),
      variant: proportion,
      control: proportion,
      z: z
        .number()
        .nullable()
        .describe('(p_variant − p_control) / sqrt(p(1 − p)(1/n_variant + 1/n_control)), p the pooled rate; null when undefined'),
      pValue: z.number().min(0).max(1).nullable(),
      enoughData: z
        .boolean()
        .describe(
          'each group has at least 5 conversions and 5 devices without one (the normal approximation holds); never significant without it',
        ),
    })
    .nullable()
    .describe('the test and its inputs; null without a control group'),
});

/** GET /v1/campaigns/{id}/insights, 200 (API.md "Campaigns"). */
export const insightsSchema = z.object({
  campaignId: z.string(),
  targeted: count.describe('every audience device: sent + heldOut + failed + suppressed (timePassed included) once sent'),
  ...platformInsightsShape,
  heldOut: count.describe('devices of the control group: recorded, never pushed'),
  byVariant: z
    .array(variantInsightsSchema)
    .nullable()
    .describe('per variant (a campaign with one message and a holdout: the one variant "message"); null on a campaign with neither'),
  control: armMeasureSchema
    .nullable()
    .describe(
      'the control group (holdoutPercent): held-out devices (and those with a token known dead at send time) and those with a purchase within the attribution window after the moment they would have been pushed; null without one',
    ),
  suppressed: suppressed.extend({
    timePassed: count.describe(
      'local schedule with ifPassed "skip": devices of zones whose time had passed at launch (whole campaign only: the plan counts zones, not platforms)',
    ),
  }),
  attributionWindowHours: z.number().int().min(1),
  byPlatform: z.object({ ios: z.object(platformInsightsShape), android: z.object(platformInsightsShape) }),
  timeline: z
    .xor([
      z
        .array(z.object({ hour: isoTime, opens: count, conversions: count }))
        .length(TIMELINE_HOURS)
        .describe(`a campaign: first opens and first conversions per hour, ${TIMELINE_HOURS} hours from the hour sending began`),
      z
        .array(
          z.object({
            day: z.iso.date().describe('UTC day, YYYY-MM-DD'),
            sent: count.describe('pushes sent that day'),
            opens: count,
            conversions: count,
          }),
        )
        .max(TIMELINE_DAYS)
        .describe(
          `an automated campaign: per UTC day from its launch to asOf (the latest ${TIMELINE_DAYS} days), pushes sent, first opens and first conversions`,
        ),
    ])
    .describe('hourly points for a campaign, daily points for an automated campaign (which accumulates while active)'),
  asOf: isoTime,
});

/** GET /v1/campaigns/{id}/insights, 202: the engagement query is still running. */
export const insightsRunningSchema = z.object({ campaignId: z.string(), status: z.literal('running') });
