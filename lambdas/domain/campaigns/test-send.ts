/**
 * Test sends (API.md v1.1 "Test send"): the body of POST /v1/campaigns/{id}/test, its answer, and
 * the message a test push carries. Pure rules; the use case does the I/O.
 */
import * as z from 'zod';
import { deviceIdSchema } from '../devices/device';
import { MAX_TEST_DEVICES } from '../settings';
import { parseWith } from '../validation';
import type { Message } from './message';
import { VARIANT_ID_PATTERN } from './arms';

/**
 * The payload `data` key that marks a test push. Data values are strings on the wire (FCM requires
 * it, and the message schema only allows strings), so the value is the string "true" on both platforms.
 */
export const TEST_DATA_KEY = 'test';
export const TEST_DATA_VALUE = 'true';

/** Why a device of a test send was not pushed. */
export const TEST_SKIP_REASONS = ['notFound', 'optedOut', 'invalidToken', 'failed'] as const;
export type TestSkipReason = (typeof TEST_SKIP_REASONS)[number];

/** POST /v1/campaigns/{id}/test; an absent body (or `deviceIds` absent) means the tenant's test devices. */
export const testSendRequestSchema = z
  .strictObject({
    deviceIds: z
      .array(deviceIdSchema)
      .min(1, 'must hold at least one device id (omit it to use the test devices of the settings)')
      .max(MAX_TEST_DEVICES, `must hold at most ${MAX_TEST_DEVICES} device ids`)
      .optional()
      .describe(`devices to push now (at most ${MAX_TEST_DEVICES}); omitted: the testDevices of GET /v1/settings; repeats are pushed once`),
    variantId: z
      .string()
      .regex(VARIANT_ID_PATTERN, 'must be 1-16 letters, digits, _ or -')
      .optional()
      .describe('a campaign with variants: push only this variant; omitted: every variant, one push each'),
  })
  .describe('whom to push the test to');

export type TestSendRequest = z.output<typeof testSendRequestSchema>;

/** Parse the body of a test send (undefined = empty body). */
export function parseTestSendRequest(body: unknown): TestSendRequest {
  return parseWith(testSendRequestSchema, body ?? {});
}

/** The answer: devices pushed, and each device that was not, with why (an extension of API.md's `{"sent": N}`). */
export const testSendResultSchema = z.object({
  sent: z.number().int().min(0).describe('devices the provider accepted the test push for'),
  skipped: z
    .array(
      z.object({
        deviceId: z.string(),
        reason: z
          .enum(TEST_SKIP_REASONS)
          .describe(
            '`notFound`: no such device (deleted since it was saved as a test device); `optedOut`; `invalidToken`: the provider rejected the token (now or before); `failed`: the provider refused or could not take this push',
          ),
      }),
    )
    .describe('devices not pushed, in the order asked'),
  variants: z
    .array(z.string())
    .optional()
    .describe('a campaign with variants: the variants each device was pushed (one push each, each replacing only itself on the phone)'),
});

export type TestSendResult = z.output<typeof testSendResultSchema>;

/** The campaign's message as a test push carries it: `data.test = "true"` (ours wins over a merchant key of that name). */
export function testMessage(message: Message): Message {
  return { ...message, data: { ...(message.data ?? {}), [TEST_DATA_KEY]: TEST_DATA_VALUE } };
}
