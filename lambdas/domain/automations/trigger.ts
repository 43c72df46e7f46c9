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

export {
  TRIGGER_EVENT_TYPES,
  CUSTOM_EVENT_NAME,
  MAX_DELAY_MINUTES,
  MAX_REENTRY_DAYS,
  MAX_INACTIVITY_DAYS,
  MAX_EXIT_EVENTS,
  STALE_AFTER_MS,
  eventInWords,
  delayInWords,
  triggerInWords,
} from './trigger-words';
import {
  CUSTOM_EVENT_NAME,
  MAX_DELAY_MINUTES,
  MAX_EXIT_EVENTS,
  MAX_INACTIVITY_DAYS,
  MAX_REENTRY_DAYS,
  TRIGGER_EVENT_TYPES,
} from './trigger-words';

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
