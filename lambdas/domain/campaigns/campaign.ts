/**
 * The body of POST /v1/campaigns and PUT /v1/campaigns/{id} (API.md "Campaigns") and the rules
 * checked before a campaign is stored: segments only on `kind: campaign`, payload within 4 KiB on
 * every platform, schedule not in the past.
 */
import * as z from 'zod';
import { ValidationError } from '../errors';
import { parseWith } from '../validation';
import { CampaignWarning, graphemeLength, messageSchema, messageWarnings, type Message } from './message';
import { SEND_RATE_MAX_PER_MINUTE, SEND_RATE_MIN_PER_MINUTE } from './pacing';
import { assertPayloadFits, PLACEHOLDER_CAMPAIGN_ID } from './payloads';
import { assertScheduleNotPast, scheduleSchema } from './schedule';
import { triggerSchema } from '../automations/trigger';
import { MAX_HOLDOUT_PERCENT, MAX_VARIANTS, MIN_VARIANTS, VARIANT_ID_PATTERN } from './arms';

/** Campaign kinds: one-off campaigns, and automated ones (which take no segment). */
export const CAMPAIGN_KINDS = ['campaign', 'automated'] as const;
/** A campaign kind. */
export type CampaignKind = (typeof CAMPAIGN_KINDS)[number];

const nameSchema = z.string().superRefine((s, ctx) => {
  const n = graphemeLength(s);
  if (s.trim() === '') ctx.addIssue({ code: 'custom', message: 'must not be empty' });
  else if (n > 200) ctx.addIssue({ code: 'custom', message: `must be at most 200 characters (got ${n})` });
});

/** Throttling (API.md v1.1): pushes go out no faster than `perMinute` devices a minute. */
export const sendRateValueSchema = z
  .strictObject({
    perMinute: z.number().int().min(SEND_RATE_MIN_PER_MINUTE).max(SEND_RATE_MAX_PER_MINUTE),
  })
  .describe('pushes go out no faster than perMinute devices a minute (the account-wide ceiling may lower it); null or absent: no limit');

/** `sendRate` in a campaign body: null or absent = no limit. */
export const sendRateSchema = sendRateValueSchema.nullish().transform((v) => v ?? null);

/** A campaign's audience: a segment id, or absent/null for every opted-in device. */
export const segmentRefSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters')
  .nullish()
  .transform((v) => v ?? null);

/** One variant of a campaign's message: its id, its share of the pushed devices, its message. */
export const variantSchema = z.strictObject({
  id: z
    .string()
    .regex(VARIANT_ID_PATTERN, 'must be 1-16 letters, digits, _ or -')
    .describe('the variant’s name in insights and the deliveries table, such as "A"'),
  weight: z
    .number({ error: 'must be a number' })
    .int('must be a whole percent')
    .min(1, 'must be at least 1')
    .max(99, 'must be at most 99')
    .describe('percent of the pushed (non-holdout) devices that get this variant; the weights sum to 100'),
  message: messageSchema,
});

/** `variants`: 2–4 message variants, distinct ids, weights summing to 100. */
export const variantsSchema = z
  .array(variantSchema)
  .min(MIN_VARIANTS, `must have at least ${MIN_VARIANTS} variants`)
  .max(MAX_VARIANTS, `must have at most ${MAX_VARIANTS} variants`)
  .superRefine((variants, ctx) => {
    const seen = new Set<string>();
    variants.forEach((v, i) => {
      if (seen.has(v.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `repeats the id ${v.id}` });
      seen.add(v.id);
    });
    const sum = variants.reduce((n, v) => n + v.weight, 0);
    if (sum !== 100) ctx.addIssue({ code: 'custom', message: `weights must sum to 100 (they sum to ${sum})` });
  })
  .describe('message variants (replaces `message`): each targeted device gets one, by a stable hash of (campaign id, device id)');

/** `holdoutPercent`: the control group, never pushed; absent = 0. */
export const holdoutPercentSchema = z
  .number({ error: 'must be a number' })
  .int('must be a whole percent')
  .min(0, 'must be at least 0')
  .max(MAX_HOLDOUT_PERCENT, `must be at most ${MAX_HOLDOUT_PERCENT}`)
  .describe('percent of the targeted devices held out as a control group: never pushed, their purchases measured (0 = no control group)');

/**
 * The campaign body; unknown fields are refused like everywhere else in the API (a typo must not
 * pass silently). A campaign (`kind: campaign`) has a schedule and no trigger; an automated one a
 * trigger and no schedule or sendRate (it sends as its devices become due).
 */
export const campaignInputSchema = z
  .strictObject({
    name: nameSchema,
    kind: z.enum(CAMPAIGN_KINDS).default('campaign'),
    segmentId: segmentRefSchema,
    message: messageSchema.nullish().transform((v) => v ?? null),
    variants: variantsSchema.nullish().transform((v) => v ?? null),
    holdoutPercent: holdoutPercentSchema.nullish().transform((v) => v ?? 0),
    schedule: scheduleSchema.nullish().transform((v) => v ?? null),
    sendRate: sendRateSchema,
    trigger: triggerSchema.nullish().transform((v) => v ?? null),
  })
  .superRefine((c, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    // One message, or variants of it (API.md v1.1): never both, never neither.
    if (c.message === null && c.variants === null) issue('message', 'is required (or give variants)');
    if (c.message !== null && c.variants !== null) issue('variants', 'give either message or variants, not both');
    if (c.kind === 'automated') {
      if (c.variants !== null) issue('variants', 'are supported on campaigns (kind "campaign") only');
      if (c.holdoutPercent > 0) issue('holdoutPercent', 'is supported on campaigns (kind "campaign") only');
      if (c.trigger === null) issue('trigger', 'is required on an automated campaign');
      if (c.schedule !== null) issue('schedule', 'an automated campaign sends on its trigger, not on a schedule');
      if (c.sendRate !== null) issue('sendRate', 'is supported on campaigns (kind "campaign") only');
    } else {
      if (c.schedule === null) issue('schedule', 'is required');
      if (c.trigger !== null) issue('trigger', 'is supported on automated campaigns (kind "automated") only');
    }
  });

/** One validated variant. */
export type Variant = z.output<typeof variantSchema>;

/** A validated campaign body (kind defaulted, segmentId and sendRate null when absent). */
export type CampaignInput = z.output<typeof campaignInputSchema>;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Throw `segments_not_supported_on_automated` for an automated campaign that names a segment. */
export function assertSegmentAllowed(input: unknown): void {
  // Checked on the raw body first so this rule wins over any other error in the same body.
  if (isRecord(input) && input.kind === 'automated' && input.segmentId !== undefined && input.segmentId !== null) {
    throw new ValidationError(
      'segmentId: segments are supported on campaigns (kind "campaign") only',
      [{ path: 'segmentId', message: 'segments are supported on campaigns (kind "campaign") only' }],
      'segments_not_supported_on_automated',
    );
  }
}

/** Parse a campaign body: schema only (no payload-size or time checks). */
export function parseCampaignInput(input: unknown): CampaignInput {
  assertSegmentAllowed(input);
  return parseWith(campaignInputSchema, input);
}

/** Options for {@link validateCampaignInput}. */
export interface ValidateCampaignOptions {
  /** The moment of the request, from the Clock. */
  now: Date;
  /** The campaign's id when known (PUT); else payloads are sized with a worst-case placeholder. */
  campaignId?: string;
}

/**
 * Everything a create or update checks: schema, the automated/segment rule, 4 KiB payloads, a
 * schedule not in the past. Returns the parsed body and its warnings (title_long, body_long).
 */
export function validateCampaignInput(
  input: unknown,
  opts: ValidateCampaignOptions,
): { campaign: CampaignInput; warnings: CampaignWarning[] } {
  const campaign = parseCampaignInput(input);
  const messages = messagesOf(campaign);
  for (const { message, path } of messages) assertPayloadFits(message, opts.campaignId ?? PLACEHOLDER_CAMPAIGN_ID, path);
  if (campaign.schedule) assertScheduleNotPast(campaign.schedule, opts.now);
  return { campaign, warnings: messages.flatMap(({ message, path }) => messageWarnings(message, path)) };
}

/** Throw `payload_too_large` when any message of the campaign (each variant's) is over 4 KiB on a platform. */
export function assertCampaignPayloadsFit(c: { message: Message | null; variants?: readonly Variant[] | null }, campaignId: string): void {
  for (const { message, path } of messagesOf(c)) assertPayloadFits(message, campaignId, path);
}

/** Every message a campaign can push, with the path of each in the body (`message`, `variants[1].message`). */
export function messagesOf(c: {
  message: Message | null;
  variants?: readonly Variant[] | null;
}): { message: Message; path: string; variantId: string | null }[] {
  if (c.variants && c.variants.length > 0)
    return c.variants.map((v, i) => ({ message: v.message, path: `variants[${i}].message`, variantId: v.id }));
  return c.message ? [{ message: c.message, path: 'message', variantId: null }] : [];
}
