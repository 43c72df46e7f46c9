/** The composer's form state and its conversion to the API's campaign body. */
import type { Campaign, CampaignInput, IfPassed, Message, MessageInput, Schedule } from '../api/types';
import { wallClockIn } from '../lib/time-zones';

export type ScheduleType = 'now' | 'at' | 'local';

/** The message fields as typed (shared by the campaign composer and the automation editor). */
export interface MessageDraft {
  title: string;
  body: string;
  imageUrl: string;
  deepLink: string;
  buttons: { label: string; deepLink: string }[];
}

export interface Draft extends MessageDraft {
  name: string;
  segmentId: string;
  scheduleType: ScheduleType;
  at: string;
  timezone: string;
  fallbackTimezone: string;
  /** Local schedules: what zones whose time has passed at launch get (absent in drafts kept before it existed). */
  ifPassed?: IfPassed;
  /** Pushes a minute, as typed; '' = no limit. */
  sendRate: string;
  /**
   * A/B test: 2–4 variants replace the one message (the fields above then wait, unused, until the test is
   * switched off). Absent or empty: one message (and in drafts kept before variants existed).
   */
  variants?: VariantDraft[];
  /** The control group in percent of the audience, as typed ('' or '0': none; absent in older drafts). */
  holdoutPercent?: string;
}

/** One variant of an A/B test as typed: its name (the API's id), its share in percent and its message. */
export interface VariantDraft extends MessageDraft {
  id: string;
  weight: string;
}

/** Whether the draft tests variants. */
export const isAbTest = (d: Pick<Draft, 'variants'>): d is { variants: VariantDraft[] } => (d.variants?.length ?? 0) > 0;

/** The typed control group as a number (0 when empty; the server checks the range). */
export const holdoutOf = (d: Pick<Draft, 'holdoutPercent'>): number => (d.holdoutPercent?.trim() ? Number(d.holdoutPercent.trim()) : 0);

/** A message as the form's fields (the automation editor and the composer's variants share it). */
export function messageDraftOf(m: Message | MessageInput | null | undefined): MessageDraft {
  return {
    title: m?.title ?? '',
    body: m?.body ?? '',
    imageUrl: m?.imageUrl ?? '',
    deepLink: m?.deepLink ?? '',
    buttons: (m?.buttons ?? []).map((b) => ({ label: b.label, deepLink: b.deepLink ?? '' })),
  };
}

export function emptyDraft(zone: string): Draft {
  return {
    name: '',
    segmentId: '',
    title: '',
    body: '',
    imageUrl: '',
    deepLink: '',
    buttons: [],
    scheduleType: 'now',
    at: wallClockIn(zone, 60).slice(0, 14) + '00',
    timezone: zone,
    fallbackTimezone: zone,
    ifPassed: 'send_now',
    sendRate: '',
    variants: [],
    holdoutPercent: '0',
  };
}

export function draftFrom(c: Campaign, zone: string): Draft {
  // Campaigns always have a schedule (only automations, which this composer does not open, have none).
  const s: Schedule = c.schedule ?? { type: 'now' };
  const variants = (c.variants ?? []).map((v) => ({ id: v.id, weight: String(v.weight), ...messageDraftOf(v.message) }));
  return {
    name: c.name,
    segmentId: c.segmentId ?? '',
    // A campaign with variants has no message: its first variant fills the one-message fields (used if the test is switched off).
    ...messageDraftOf(c.message ?? c.variants?.[0]?.message),
    scheduleType: s.type,
    at: s.type === 'now' ? wallClockIn(zone, 60).slice(0, 14) + '00' : s.at.slice(0, 16),
    timezone: s.type === 'at' ? s.timezone : zone,
    fallbackTimezone: s.type === 'local' ? s.fallbackTimezone : zone,
    ifPassed: s.type === 'local' ? (s.ifPassed ?? 'send_now') : 'send_now',
    sendRate: c.sendRate ? String(c.sendRate.perMinute) : '',
    variants,
    holdoutPercent: String(c.holdoutPercent ?? 0),
  };
}

/** The message as the preview and the API see it (empty optional fields left out). */
export function messageOf(d: MessageDraft, keep?: Message): MessageInput {
  const m: MessageInput = { title: d.title, body: d.body };
  if (d.imageUrl.trim()) m.imageUrl = d.imageUrl.trim();
  if (d.deepLink.trim()) m.deepLink = d.deepLink.trim();
  if (d.buttons.length > 0)
    m.buttons = d.buttons.map((b) => (b.deepLink.trim() ? { label: b.label, deepLink: b.deepLink.trim() } : { label: b.label }));
  // Fields the composer does not edit (data, ttlSeconds) survive an edit.
  if (keep?.data) m.data = keep.data;
  if (keep?.ttlSeconds !== undefined) m.ttlSeconds = keep.ttlSeconds;
  return m;
}

/** What an edit keeps of the stored campaign (fields the composer does not edit: data, ttlSeconds), by variant position. */
export type Kept = Partial<Pick<Campaign, 'message' | 'variants'>> | null | undefined;

export function toInput(d: Draft, keep?: Kept): CampaignInput {
  const at = d.at.length === 16 ? `${d.at}:00` : d.at;
  const ab = isAbTest(d);
  return {
    name: d.name.trim(),
    kind: 'campaign',
    segmentId: d.segmentId || null,
    // One message, or variants of it: never both (a PUT replaces the body, so switching the test off clears the variants).
    message: ab ? null : messageOf(d, keep?.message ?? keep?.variants?.[0]?.message),
    variants: ab
      ? d.variants.map((v, i) => ({
          id: v.id.trim(),
          weight: Number(v.weight.trim()),
          message: messageOf(v, keep?.variants?.[i]?.message),
        }))
      : null,
    holdoutPercent: holdoutOf(d),
    schedule:
      d.scheduleType === 'now'
        ? { type: 'now' }
        : d.scheduleType === 'at'
          ? { type: 'at', at, timezone: d.timezone }
          : // send_now is the default: left out, so a draft that never chose says nothing it did not choose.
            {
              type: 'local',
              at,
              fallbackTimezone: d.fallbackTimezone,
              ...(d.ifPassed && d.ifPassed !== 'send_now' ? { ifPassed: d.ifPassed } : {}),
            },
    // A PUT replaces the whole body: an edit keeps the rate it was given (the server validates the number).
    sendRate: d.sendRate.trim() ? { perMinute: Number(d.sendRate.trim()) } : null,
  };
}
