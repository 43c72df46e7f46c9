/**
 * The push `message` of a campaign (API.md "Campaigns"): its schema, user-perceived length and
 * the soft-limit warnings. Lengths count grapheme clusters because that is what a merchant sees
 * in the composer and on the lock screen: 🎉, 👨‍👩‍👧‍👦, 🇫🇷 and e+◌́ are one character each.
 */
import * as z from 'zod';
import { parseWith } from '../validation';
import {
  BODY_MAX_LENGTH,
  BODY_WARN_LENGTH,
  BUTTON_LABEL_MAX_LENGTH,
  graphemeLength,
  MAX_BUTTONS,
  TITLE_MAX_LENGTH,
  TITLE_WARN_LENGTH,
} from './message-length';

// The counting and the limits live in a zod-free module that the merchant UI imports as well.
export * from './message-length';

/** Max TTL the providers accept: APNs and FCM both keep a message at most 28 days. */
export const MAX_TTL_SECONDS = 2_419_200;
/** TTL when the merchant does not choose one: a day, so stale promotions are not shown. */
export const DEFAULT_TTL_SECONDS = 86_400;
/** Keys our payload builders put into the FCM `data` map themselves (see payloads.ts). */
export const RESERVED_DATA_KEYS: readonly string[] = ['campaignId', 'deepLink', 'imageUrl', 'buttons'];

const MAX_URL_LENGTH = 2048;
// scheme ":" rest, RFC 3986 scheme syntax; no whitespace or control characters anywhere.
const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s\p{Cc}]+$/u;

/** A string of `min`..`max` user-perceived characters. */
function graphemeString(min: number, max: number) {
  return z.string().superRefine((s, ctx) => {
    const n = graphemeLength(s);
    if (n < min || s.trim() === '')
      ctx.addIssue({ code: 'custom', message: min === 1 ? 'must not be empty' : `must be at least ${min} characters` });
    else if (n > max) ctx.addIssue({ code: 'custom', message: `must be at most ${max} characters (got ${n})` });
  });
}

/** Any absolute URI, such as `myshop://sale/bf` or `https://shop.example/p/1`. */
export const uriSchema = z
  .string()
  .max(MAX_URL_LENGTH, `must be at most ${MAX_URL_LENGTH} characters`)
  .regex(ABSOLUTE_URI, 'must be an absolute URI (scheme:...)');

/** An https URL with a host, which is what the iOS service extension and FCM will fetch. */
export const httpsUrlSchema = z
  .string()
  .max(MAX_URL_LENGTH, `must be at most ${MAX_URL_LENGTH} characters`)
  .refine((s) => {
    try {
      const u = new URL(s);
      return u.protocol === 'https:' && u.hostname !== '' && !/\s/.test(s);
    } catch {
      return false;
    }
  }, 'must be an https URL');

/** One action button on the notification. */
export const buttonSchema = z.strictObject({
  label: graphemeString(1, BUTTON_LABEL_MAX_LENGTH),
  deepLink: uriSchema.optional(),
  // The id comes back in the open event, so keep it to safe characters.
  id: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 letters, digits, _ . or -')
    .optional(),
});

// FCM rejects these keys in `data`; rejecting them here avoids a campaign that fails at send time.
function isProviderReservedKey(key: string): boolean {
  const k = key.toLowerCase();
  return k === 'from' || k === 'message_type' || k === 'collapse_key' || k.startsWith('google') || k.startsWith('gcm');
}

const dataSchema = z.record(z.string(), z.string({ error: 'must be a string' })).superRefine((data, ctx) => {
  for (const key of Object.keys(data)) {
    if (key === '') ctx.addIssue({ code: 'custom', path: [key], message: 'key must not be empty' });
    else if (RESERVED_DATA_KEYS.includes(key)) ctx.addIssue({ code: 'custom', path: [key], message: 'is a reserved key' });
    else if (isProviderReservedKey(key)) ctx.addIssue({ code: 'custom', path: [key], message: 'is reserved by the push provider' });
  }
});

/** The `message` object of a campaign, with `ttlSeconds` defaulted. */
export const messageSchema = z.strictObject({
  title: graphemeString(1, TITLE_MAX_LENGTH),
  body: graphemeString(1, BODY_MAX_LENGTH),
  imageUrl: httpsUrlSchema.optional(),
  deepLink: uriSchema.optional(),
  buttons: z.array(buttonSchema).max(MAX_BUTTONS, `must have at most ${MAX_BUTTONS} buttons`).optional(),
  data: dataSchema.optional(),
  ttlSeconds: z
    .number({ error: 'must be a number' })
    .int('must be an integer')
    .min(0, 'must be at least 0')
    .max(MAX_TTL_SECONDS, `must be at most ${MAX_TTL_SECONDS} (28 days)`)
    .default(DEFAULT_TTL_SECONDS),
});

/** A validated message (ttlSeconds always present). */
export type Message = z.output<typeof messageSchema>;
/** A message as a client sends it. */
export type MessageInput = z.input<typeof messageSchema>;
/** One validated button. */
export type MessageButton = z.output<typeof buttonSchema>;

/** Parse a message or throw ValidationError with paths under `prefix` (e.g. `message.title`). */
export function parseMessage(input: unknown, prefix = 'message'): Message {
  return parseWith(messageSchema, input, prefix);
}

/** A non-blocking remark returned with the campaign (API.md `warnings`). */
export interface CampaignWarning {
  code: 'title_long' | 'body_long';
  message: string;
  path: string;
  limit: number;
  length: number;
}

/** The soft limits a merchant is warned about (messageSchema enforces the hard ones). */
const SOFT_LIMITS = [
  { field: 'title', code: 'title_long', limit: TITLE_WARN_LENGTH },
  { field: 'body', code: 'body_long', limit: BODY_WARN_LENGTH },
] as const;

/** Warnings for a title over 50 or a body over 120 user-perceived characters. */
export function messageWarnings(message: Pick<Message, 'title' | 'body'>, path = 'message'): CampaignWarning[] {
  return SOFT_LIMITS.flatMap(({ field, code, limit }) => {
    const length = graphemeLength(message[field]);
    if (length <= limit) return [];
    const text = `${field} has ${length} characters; over ${limit} it may be truncated on some devices`;
    return [{ code, message: text, path: `${path}.${field}`, limit, length }];
  });
}
