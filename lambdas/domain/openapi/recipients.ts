/** OpenAPI schemas of a campaign's recipients (GET /v1/campaigns/{id}/recipients, an extension of API.md). */
import * as z from 'zod';
import { RECIPIENT_FILTERS, RECIPIENT_OUTCOMES } from '../insights/recipients';

const isoTime = z.iso.datetime({ offset: true });

/** One device the campaign reached or held back. */
export const recipientSchema = z.object({
  deviceId: z.string(),
  platform: z.enum(['ios', 'android']).nullable().describe('null when the device was unknown to the sender'),
  waveId: z.string().nullable().describe('the wave that took the device'),
  outcome: z
    .enum(RECIPIENT_OUTCOMES)
    .describe(
      'final outcome: the latest sent, failed, suppressed or heldOut (control group: recorded, never pushed) record, else `queued` (enqueued, not yet sent)',
    ),
  reason: z
    .string()
    .nullable()
    .describe('suppressed: optedOut | frequencyCap | invalidToken; failed: the provider’s reason; otherwise null'),
  at: isoTime.describe('when the final outcome was recorded'),
  openedAt: isoTime.nullable().describe('the device’s first push_open of this campaign (sent devices only), else null'),
  variant: z
    .string()
    .nullable()
    .describe('a campaign with variants or a control group: the device’s variant; null in the control group and otherwise'),
});

export const recipientPageSchema = z.object({
  items: z.array(recipientSchema).describe('ordered by deviceId'),
  nextCursor: z.string().nullable(),
});

/** The query parameters of GET /v1/campaigns/{id}/recipients besides `limit`, as documented (the handler reads them as text). */
export const recipientQueryParameters = {
  recipientOutcome: {
    name: 'outcome',
    in: 'query',
    description: 'Only devices with this final outcome; `opened`: sent and opened',
    schema: z.enum(RECIPIENT_FILTERS),
  },
  recipientCursor: {
    name: 'cursor',
    in: 'query',
    description: 'The `nextCursor` of the previous page (a keyset on `deviceId`)',
    schema: z.string().min(1),
  },
} as const;
