/**
 * The words and limits of automated campaigns' triggers, without the schemas (no zod): the merchant
 * UI imports this module as a value (its live sentence is the server's own), and trigger.ts re-exports it.
 */

/** The shape triggerInWords reads (trigger.ts's Trigger fits it). */
export type TriggerShape =
  | { type: 'event'; event: string; delayMinutes: number; exitOn: readonly string[]; reentryAfterDays: number }
  | { type: 'inactivity'; days: number }
  | { type: 'first_open' };

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
export function triggerInWords(t: TriggerShape): string {
  if (t.type === 'first_open') return 'When a device opens the app for the first time';
  if (t.type === 'inactivity') return `When a device has not opened the app for ${delayInWords(t.days * 1440)}`;
  const when =
    t.delayMinutes === 0 ? `Right after ${eventInWords(t.event)}` : `${delayInWords(t.delayMinutes)} after ${eventInWords(t.event)}`;
  const exits = t.exitOn.map((e) => EXIT_VERBS[e] ?? `report ${e.slice(7)}`);
  return exits.length > 0 ? `${when}, unless they ${exits.join(' or ')}` : when;
}
