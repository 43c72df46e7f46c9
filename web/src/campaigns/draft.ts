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
  };
}

export function draftFrom(c: Campaign, zone: string): Draft {
  // Campaigns always have a schedule (only automations, which this composer does not open, have none).
  const s: Schedule = c.schedule ?? { type: 'now' };
  return {
    name: c.name,
    segmentId: c.segmentId ?? '',
    title: c.message.title,
    body: c.message.body,
    imageUrl: c.message.imageUrl ?? '',
    deepLink: c.message.deepLink ?? '',
    buttons: (c.message.buttons ?? []).map((b) => ({ label: b.label, deepLink: b.deepLink ?? '' })),
    scheduleType: s.type,
    at: s.type === 'now' ? wallClockIn(zone, 60).slice(0, 14) + '00' : s.at.slice(0, 16),
    timezone: s.type === 'at' ? s.timezone : zone,
    fallbackTimezone: s.type === 'local' ? s.fallbackTimezone : zone,
    ifPassed: s.type === 'local' ? (s.ifPassed ?? 'send_now') : 'send_now',
    sendRate: c.sendRate ? String(c.sendRate.perMinute) : '',
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

export function toInput(d: Draft, keep?: Message): CampaignInput {
  const at = d.at.length === 16 ? `${d.at}:00` : d.at;
  return {
    name: d.name.trim(),
    kind: 'campaign',
    segmentId: d.segmentId || null,
    message: messageOf(d, keep),
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
