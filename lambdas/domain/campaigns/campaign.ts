/**
 * The body of POST /v1/campaigns and PUT /v1/campaigns/{id} (API.md "Campaigns") and the rules
 * checked before a campaign is stored: segments only on `kind: campaign`, payload within 4 KiB on
 * every platform, schedule not in the past.
 */
import * as z from 'zod';
import { ValidationError } from '../errors';
import { parseWith } from '../validation';
import { CampaignWarning, graphemeLength, messageSchema, messageWarnings } from './message';
import { SEND_RATE_MAX_PER_MINUTE, SEND_RATE_MIN_PER_MINUTE } from './pacing';
import { assertPayloadFits, PLACEHOLDER_CAMPAIGN_ID } from './payloads';
import { assertScheduleNotPast, scheduleSchema } from './schedule';
import { triggerSchema } from '../automations/trigger';

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
    message: messageSchema,
    schedule: scheduleSchema.nullish().transform((v) => v ?? null),
    sendRate: sendRateSchema,
    trigger: triggerSchema.nullish().transform((v) => v ?? null),
  })
  .superRefine((c, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (c.kind === 'automated') {
      if (c.trigger === null) issue('trigger', 'is required on an automated campaign');
      if (c.schedule !== null) issue('schedule', 'an automated campaign sends on its trigger, not on a schedule');
      if (c.sendRate !== null) issue('sendRate', 'is supported on campaigns (kind "campaign") only');
    } else {
      if (c.schedule === null) issue('schedule', 'is required');
      if (c.trigger !== null) issue('trigger', 'is supported on automated campaigns (kind "automated") only');
    }
  });

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
  assertPayloadFits(campaign.message, opts.campaignId ?? PLACEHOLDER_CAMPAIGN_ID);
  if (campaign.schedule) assertScheduleNotPast(campaign.schedule, opts.now);
  return { campaign, warnings: messageWarnings(campaign.message) };
}
