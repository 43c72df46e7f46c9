/**
 * Per-platform push payloads, shaped as the SNS `Message` of a `MessageStructure: json` publish to
 * a platform endpoint: `{"APNS" | "APNS_SANDBOX": "<json>"}` for iOS, `{"GCM": "<json>"}` for
 * Android (FCM HTTP v1 through SNS's `fcmV1Message` envelope). Pure: the SNS adapter and the
 * local outbox publish exactly what this returns.
 */
import { ValidationError } from '../errors';
import { Message, MessageButton } from './message';

/** A device platform. */
export type Platform = 'ios' | 'android';
/** The platform keys of an SNS json message. */
export type SnsPlatformKey = 'APNS' | 'APNS_SANDBOX' | 'GCM';
/** The object to publish as SNS `Message` (JSON-encode it and set `MessageStructure: json`). */
export type SnsMessage = Partial<Record<SnsPlatformKey, string>>;

/** Options for rendering one platform's payload. */
export interface RenderOptions {
  campaignId: string;
  platform: Platform;
  /** Development builds of the iOS app talk to the APNs sandbox: SNS wants the APNS_SANDBOX key. */
  apnsSandbox?: boolean;
  /** Android intent action to open on tap; omitted, the launcher activity gets `data.deepLink`. */
  androidClickAction?: string;
  /** What replaces what on the phone (apns-collapse-id, FCM collapse_key); default the campaign id. */
  collapseId?: string;
}

/** APNs and FCM both refuse payloads over 4 KiB. */
export const MAX_PAYLOAD_BYTES = 4096;
/**
 * A campaign id as long as any we issue, used to size payloads before the campaign has an id.
 * Validation must not pass a message that the real id later pushes over the limit.
 */
export const PLACEHOLDER_CAMPAIGN_ID = 'cmp_' + 'x'.repeat(60);

/** A button as it travels in the payload: the id is always set so opens can say which was tapped. */
interface WireButton {
  id: string;
  label: string;
  deepLink?: string;
}

function wireButtons(buttons: readonly MessageButton[] | undefined): WireButton[] {
  return (buttons ?? []).map((b, i) => ({
    id: b.id ?? `b${i + 1}`,
    label: b.label,
    ...(b.deepLink !== undefined ? { deepLink: b.deepLink } : {}),
  }));
}

// FNV-1a, 32 bits: a small stable hash so equal button sets share one iOS category.
function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/**
 * iOS category id for a set of buttons: the app's notification service extension registers a
 * category with these actions on the fly, so the same buttons must always give the same id.
 */
export function apnsCategoryId(buttons: readonly MessageButton[]): string {
  const wire = wireButtons(buttons).map((b) => [b.id, b.label]);
  return `campaign_buttons_${wire.length}_${fnv1a(JSON.stringify(wire))}`;
}

/** The APNs payload (what SNS forwards to APNs as the notification body). */
export function apnsPayload(message: Message, campaignId: string): Record<string, unknown> {
  const buttons = wireButtons(message.buttons);
  const aps: Record<string, unknown> = {
    alert: { title: message.title, body: message.body },
    sound: 'default',
  };
  // The service extension only runs with mutable-content; it downloads the image as an attachment.
  if (message.imageUrl !== undefined) aps['mutable-content'] = 1;
  if (buttons.length > 0) aps.category = apnsCategoryId(message.buttons ?? []);
  return {
    aps,
    campaignId,
    ...(message.deepLink !== undefined ? { deepLink: message.deepLink } : {}),
    ...(message.imageUrl !== undefined ? { imageUrl: message.imageUrl } : {}),
    ...(buttons.length > 0 ? { buttons } : {}),
    // Merchant data goes under its own key so it can never clash with `aps` or ours.
    ...(message.data !== undefined && Object.keys(message.data).length > 0 ? { data: message.data } : {}),
  };
}

/** The FCM HTTP v1 payload inside SNS's `fcmV1Message` envelope. */
export function fcmPayload(
  message: Message,
  campaignId: string,
  androidClickAction?: string,
  collapseId = campaignId,
): Record<string, unknown> {
  const buttons = wireButtons(message.buttons);
  // FCM data values must be strings; the SDK reads campaignId/deepLink/buttons from here on tap.
  const data: Record<string, string> = {
    ...(message.data ?? {}),
    campaignId,
    ...(message.deepLink !== undefined ? { deepLink: message.deepLink } : {}),
    ...(message.imageUrl !== undefined ? { imageUrl: message.imageUrl } : {}),
    ...(buttons.length > 0 ? { buttons: JSON.stringify(buttons) } : {}),
  };
  const notification: Record<string, string> = { title: message.title, body: message.body };
  if (message.imageUrl !== undefined) notification.image = message.imageUrl;
  // collapse_key: a push published again after a sender crash replaces, never doubles, the first (rule 7).
  const android: Record<string, unknown> = { ttl: `${message.ttlSeconds}s`, collapse_key: collapseId };
  if (androidClickAction !== undefined) android.notification = { click_action: androidClickAction };
  return { fcmV1Message: { message: { notification, data, android } } };
}

/** The SNS message for one platform: the key SNS routes on and the provider payload as a JSON string. */
export function renderSnsMessage(message: Message, opts: RenderOptions): SnsMessage {
  if (opts.platform === 'ios') {
    const key: SnsPlatformKey = opts.apnsSandbox ? 'APNS_SANDBOX' : 'APNS';
    return { [key]: JSON.stringify(apnsPayload(message, opts.campaignId)) };
  }
  return { GCM: JSON.stringify(fcmPayload(message, opts.campaignId, opts.androidClickAction, opts.collapseId)) };
}

/** UTF-8 byte size of each platform's provider payload (the inner JSON string). */
export function payloadSizes(message: Message, campaignId: string = PLACEHOLDER_CAMPAIGN_ID): Record<Platform, number> {
  const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
  return {
    ios: bytes(JSON.stringify(apnsPayload(message, campaignId))),
    android: bytes(JSON.stringify(fcmPayload(message, campaignId))),
  };
}

/**
 * Throw ValidationError `payload_too_large` when any platform's payload exceeds 4 KiB: a campaign
 * that fits Android but not iOS would silently miss part of its audience, so it fails as a whole.
 */
export function assertPayloadFits(message: Message, campaignId: string = PLACEHOLDER_CAMPAIGN_ID, path = 'message'): void {
  const sizes = payloadSizes(message, campaignId);
  const over = (Object.keys(sizes) as Platform[]).filter((p) => sizes[p] > MAX_PAYLOAD_BYTES);
  if (over.length === 0) return;
  const details = over.map((p) => ({
    path,
    message: `${p} payload is ${sizes[p]} bytes, over the ${MAX_PAYLOAD_BYTES}-byte limit`,
  }));
  throw new ValidationError(`${path}: ${details[0].message}`, details, 'payload_too_large', {
    platforms: over,
    sizes,
    limit: MAX_PAYLOAD_BYTES,
  });
}

/**
 * SNS per-message TTL attributes (name → seconds as a string; the adapter sends them as String
 * attributes). APNs gets its TTL only this way; FCM also has `android.ttl` in the payload.
 */
export function ttlAttributes(
  message: Pick<Message, 'ttlSeconds'>,
  platform: Platform,
  opts: { apnsSandbox?: boolean } = {},
): Record<string, string> {
  const value = String(message.ttlSeconds);
  if (platform === 'android') return { 'AWS.SNS.MOBILE.FCM.TTL': value };
  return { [opts.apnsSandbox ? 'AWS.SNS.MOBILE.APNS_SANDBOX.TTL' : 'AWS.SNS.MOBILE.APNS.TTL']: value };
}

/**
 * SNS attributes of a campaign push: the TTL, and on iOS the apns-collapse-id (= the campaign id,
 * ≤ 64 bytes), so a push published again after a sender crash replaces the first on the phone.
 * Android's collapse_key travels inside the FCM payload.
 */
export function pushAttributes(
  message: Pick<Message, 'ttlSeconds'>,
  platform: Platform,
  campaignId: string,
  opts: { apnsSandbox?: boolean } = {},
): Record<string, string> {
  const ttl = ttlAttributes(message, platform, opts);
  if (platform === 'android') return ttl;
  return { ...ttl, 'AWS.SNS.MOBILE.APNS.COLLAPSE_ID': campaignId.slice(0, 64) };
}
