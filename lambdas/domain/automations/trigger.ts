/**
 * Triggers of automated campaigns (API.md v1.1 "Automated campaigns"): what makes a device due.
 *
 * - `event`: a matching event at `ts` makes the device due at `ts + delayMinutes`, unless the
 *   device (or another device of the same logged-in shopper) reports one of `exitOn` after `ts`
 *   and before it is pushed; a device is pushed at most once per `reentryAfterDays` (0: once per
 *   triggering event).
 * - `inactivity`: a device whose latest `app_open` is `days` days old, once per spell.
 * - `first_open`: the device's first-ever `app_open` (welcome), once ever.
 */
import * as z from 'zod';

/** Event types an event trigger (and its exit events) may name; custom events as `custom:<name>`. */
export const TRIGGER_EVENT_TYPES = ['app_open', 'product_view', 'product_favorite', 'add_to_cart', 'purchase', 'push_open'] as const;

/** A custom event's name as the events API accepts it. */
export const CUSTOM_EVENT_NAME = /^[a-z][a-z0-9_]{0,63}$/;

export const MAX_DELAY_MINUTES = 43_200;
export const MAX_REENTRY_DAYS = 365;
export const MAX_INACTIVITY_DAYS = 365;
export const MAX_EXIT_EVENTS = 10;
/** Events whose due time is more than this far in the past when they arrive are history, not a trigger. */
export const STALE_AFTER_MS = 24 * 3_600_000;

const eventKeyMessage = `must be one of ${TRIGGER_EVENT_TYPES.join(', ')}, or custom:<name> (name: ^[a-z][a-z0-9_]{0,63}$)`;

/** `add_to_cart`, `custom:level_up`, …: the key an event is matched by. */
export const eventKeySchema = z
  .string({ error: eventKeyMessage })
  .refine(
    (s) => (TRIGGER_EVENT_TYPES as readonly string[]).includes(s) || (s.startsWith('custom:') && CUSTOM_EVENT_NAME.test(s.slice(7))),
    eventKeyMessage,
  );

const int = (min: number, max: number) =>
  z
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

export const eventTriggerSchema = z
  .strictObject({
    type: z.literal('event'),
    event: eventKeySchema,
    delayMinutes: int(0, MAX_DELAY_MINUTES).default(0),
    exitOn: z.array(eventKeySchema).max(MAX_EXIT_EVENTS, `must hold at most ${MAX_EXIT_EVENTS} events`).default([]),
    reentryAfterDays: int(0, MAX_REENTRY_DAYS).default(0),
  })
  .superRefine((t, ctx) => {
    t.exitOn.forEach((e, i) => {
      if (e === t.event) ctx.addIssue({ code: 'custom', path: ['exitOn', i], message: `must not be the trigger's own event (${t.event})` });
    });
  })
  .transform((t) => ({ ...t, exitOn: [...new Set(t.exitOn)] }));

export const inactivityTriggerSchema = z.strictObject({ type: z.literal('inactivity'), days: int(1, MAX_INACTIVITY_DAYS) });
export const firstOpenTriggerSchema = z.strictObject({ type: z.literal('first_open') });

/** The trigger of an automated campaign. */
export const triggerSchema = z.discriminatedUnion('type', [eventTriggerSchema, inactivityTriggerSchema, firstOpenTriggerSchema], {
  error: 'type must be event, inactivity or first_open',
});

export type Trigger = z.output<typeof triggerSchema>;
export type EventTrigger = Extract<Trigger, { type: 'event' }>;

/** The key an event row is matched by: its type, or `custom:<name>` for a custom event. */
export function eventKeyOf(e: { type: string; name?: string | null }): string {
  return e.type === 'custom' ? `custom:${e.name ?? ''}` : e.type;
}

/** Event keys an ingested event must be looked at for: the trigger event, the exit events, app_open for first_open. */
export function keysOfInterest(t: Trigger): { enter: string[]; exit: string[] } {
  if (t.type === 'event') return { enter: [t.event], exit: t.exitOn };
  if (t.type === 'first_open') return { enter: ['app_open'], exit: [] };
  return { enter: [], exit: [] }; // inactivity: evaluated from the lake by the daily run
}

const EVENT_WORDS: Record<string, string> = {
  app_open: 'App open',
  product_view: 'Product view',
  product_favorite: 'Favourite',
  add_to_cart: 'Add to cart',
  purchase: 'Purchase',
  push_open: 'Push open',
};

/** "Add to cart", "custom event level_up". */
export function eventInWords(key: string): string {
  return EVENT_WORDS[key] ?? (key.startsWith('custom:') ? `custom event ${key.slice(7)}` : key);
}

const EXIT_VERBS: Record<string, string> = {
  app_open: 'open the app',
  product_view: 'view a product',
  product_favorite: 'favourite a product',
  add_to_cart: 'add to cart',
  purchase: 'purchase',
  push_open: 'open a push',
};

/** "1 hour", "90 minutes", "2 days". */
export function delayInWords(minutes: number): string {
  if (minutes === 0) return 'right after';
  const unit = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  if (minutes % 1440 === 0) return unit(minutes / 1440, 'day');
  if (minutes % 60 === 0) return unit(minutes / 60, 'hour');
  return unit(minutes, 'minute');
}

/** The trigger as a merchant reads it: "1 hour after Add to cart, unless they purchase". */
export function triggerInWords(t: Trigger): string {
  if (t.type === 'first_open') return 'When a device opens the app for the first time';
  if (t.type === 'inactivity') return `When a device has not opened the app for ${delayInWords(t.days * 1440)}`;
  const when =
    t.delayMinutes === 0 ? `Right after ${eventInWords(t.event)}` : `${delayInWords(t.delayMinutes)} after ${eventInWords(t.event)}`;
  const exits = t.exitOn.map((e) => EXIT_VERBS[e] ?? `report ${e.slice(7)}`);
  return exits.length > 0 ? `${when}, unless they ${exits.join(' or ')}` : when;
}
