/** The automation editor's form state and its conversion to the API's automated-campaign body. */
import type { Automation, CampaignInput, Message, MessageInput, Trigger } from '../api/types';
import { messageDraftOf, messageOf, type MessageDraft } from '../campaigns/draft';
import { triggerInWords } from './trigger-words';

export type TriggerType = Trigger['type'];
export type DelayUnit = 'minutes' | 'hours' | 'days';
/** The event select's value for "a custom event" (its name is typed beside it). */
export const CUSTOM = 'custom';

export const UNIT_MINUTES: Record<DelayUnit, number> = { minutes: 1, hours: 60, days: 1440 };

export interface AutomationDraft extends MessageDraft {
  name: string;
  triggerType: TriggerType;
  /** An event type of TRIGGER_EVENT_TYPES, or CUSTOM. */
  event: string;
  /** The custom event's name (without "custom:"). */
  customName: string;
  /** As typed, in `delayUnit`s. */
  delay: string;
  delayUnit: DelayUnit;
  /** Event keys; the trigger's own event is left out when sent. */
  exitOn: string[];
  reentryDays: string;
  inactivityDays: string;
}

/** A new automation starts as the cart reminder merchants turn on first. */
export function emptyAutomationDraft(): AutomationDraft {
  return {
    name: '',
    title: '',
    body: '',
    imageUrl: '',
    deepLink: '',
    buttons: [],
    triggerType: 'event',
    event: 'add_to_cart',
    customName: '',
    delay: '1',
    delayUnit: 'hours',
    exitOn: ['purchase'],
    reentryDays: '0',
    inactivityDays: '30',
  };
}

/** 90 → 90 minutes, 120 → 2 hours, 2880 → 2 days. */
export function splitDelay(minutes: number): { delay: string; delayUnit: DelayUnit } {
  if (minutes > 0 && minutes % 1440 === 0) return { delay: String(minutes / 1440), delayUnit: 'days' };
  if (minutes > 0 && minutes % 60 === 0) return { delay: String(minutes / 60), delayUnit: 'hours' };
  return { delay: String(minutes), delayUnit: 'minutes' };
}

export function automationDraftFrom(a: Automation): AutomationDraft {
  const base = emptyAutomationDraft();
  const t = a.trigger;
  // Automations always have a message (variants are for campaigns only); the type allows null for campaigns.
  const draft: AutomationDraft = { ...base, name: a.name, ...messageDraftOf(a.message) };
  if (!t) return draft;
  if (t.type === 'inactivity') return { ...draft, triggerType: 'inactivity', inactivityDays: String(t.days) };
  if (t.type === 'first_open') return { ...draft, triggerType: 'first_open' };
  const custom = t.event.startsWith('custom:');
  return {
    ...draft,
    triggerType: 'event',
    event: custom ? CUSTOM : t.event,
    customName: custom ? t.event.slice(7) : '',
    ...splitDelay(t.delayMinutes),
    exitOn: t.exitOn,
    reentryDays: String(t.reentryAfterDays),
  };
}

/** The event key the draft triggers on: `add_to_cart`, `custom:level_up`. */
export const eventKeyOf = (d: AutomationDraft) => (d.event === CUSTOM ? `custom:${d.customName.trim()}` : d.event);

/** A typed number as the API gets it: whole numbers stay numbers, anything else is sent as typed for the server to refuse. */
const num = (raw: string): number => (raw.trim() === '' ? NaN : Number(raw.trim()));

/** The trigger as sent. Numbers the merchant left empty or mistyped go as NaN → null, and the server names the field. */
export function triggerOf(d: AutomationDraft): Trigger {
  if (d.triggerType === 'first_open') return { type: 'first_open' };
  if (d.triggerType === 'inactivity') return { type: 'inactivity', days: num(d.inactivityDays) };
  const event = eventKeyOf(d);
  const delay = num(d.delay) * UNIT_MINUTES[d.delayUnit];
  return {
    type: 'event',
    event,
    delayMinutes: Number.isFinite(delay) ? Math.round(delay * 1000) / 1000 : delay,
    exitOn: d.exitOn.filter((e) => e !== event),
    reentryAfterDays: num(d.reentryDays),
  };
}

/** "1 hour after Add to cart, unless they purchase", or null while a number is not a whole number yet. */
export function sentenceOf(d: AutomationDraft): string | null {
  const t = triggerOf(d);
  const whole = (n: number) => Number.isInteger(n) && n >= 0;
  if (t.type === 'inactivity' && !(whole(t.days) && t.days > 0)) return null;
  if (t.type === 'event' && (!whole(t.delayMinutes) || !whole(t.reentryAfterDays) || t.event === 'custom:')) return null;
  return triggerInWords(t);
}

/** The body of an automation: always one message (variants and control groups are for campaigns). */
export function toAutomationInput(d: AutomationDraft, keep?: Message): CampaignInput & { message: MessageInput } {
  return { name: d.name.trim(), kind: 'automated', message: messageOf(d, keep), trigger: triggerOf(d) };
}
