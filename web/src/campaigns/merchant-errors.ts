/**
 * The API's validation messages (written for developers) in the merchant's words, by field:
 * "must be an absolute URI (scheme:...)" at message.deepLink → "Enter a full link such as https://… or myshop://…".
 * A message nobody mapped yet is shown as the API wrote it, rather than hidden.
 */
import { ApiError, errorText, type ErrorDetail } from '../api/client';

const FIELD_NAMES: Record<string, string> = {
  name: 'Campaign name',
  'message.title': 'Title',
  'message.body': 'Message',
  'message.imageUrl': 'Image URL',
  'message.deepLink': 'Deep link',
  'schedule.at': 'Date and time',
  'schedule.timezone': 'Time zone',
  'schedule.fallbackTimezone': 'Fallback time zone',
  'sendRate.perMinute': 'Send rate',
  trigger: 'Trigger',
  'trigger.event': 'Event',
  'trigger.delayMinutes': 'Delay',
  'trigger.exitOn': 'Exit events',
  'trigger.reentryAfterDays': 'Send again after',
  'trigger.days': 'Days without opening the app',
  variants: 'Variants',
  holdoutPercent: 'Control group',
  id: 'Name',
  weight: 'Share',
};

const RULES: { test: RegExp; say: (m: RegExpExecArray, path: string) => string }[] = [
  { test: /weights must sum to 100 \(they sum to (\d+)\)/, say: (m) => `The shares must add up to 100 % (they add up to ${m[1]} %)` },
  { test: /repeats the id (\S+)/, say: (m) => `Another variant is already called ${m[1]}` },
  { test: /must be 1-16 letters, digits, _ or -/, say: () => 'Name it with 1–16 letters, digits, _ or -' },
  { test: /must be a whole percent/, say: () => 'Enter a whole percent' },
  { test: /must be an absolute URI/, say: () => 'Enter a full link such as https://… or myshop://…' },
  { test: /must be an https URL/, say: () => 'Enter an image address that starts with https://' },
  { test: /must not be empty|required/i, say: (_m, path) => (path.endsWith('label') ? 'Write the button text' : 'This cannot be empty') },
  {
    test: /must be at most (\d+) characters(?: \(got (\d+)\))?/,
    say: (m) => `Too long: at most ${m[1]} characters${m[2] ? ` (this has ${m[2]})` : ''}`,
  },
  { test: /is in the past/, say: () => 'This moment has already passed: pick a later time' },
  { test: /must be a whole number/, say: () => 'Enter a whole number' },
  {
    test: /or custom:<name>/,
    say: () => 'A custom event name has lowercase letters, digits and _ and starts with a letter (at most 64)',
  },
  { test: /must not be the trigger's own event/, say: () => 'The event that starts the automation cannot also stop it' },
  {
    test: /must be at most (\d+)$/,
    say: (m, path) =>
      path === 'trigger.delayMinutes'
        ? `At most ${Number(m[1]) / 1440} days (${Number(m[1]).toLocaleString()} minutes)`
        : `At most ${m[1]}`,
  },
  { test: /IANA time zone/, say: () => 'Pick a time zone from the list' },
  {
    test: /no device \S+ is registered for this tenant/,
    say: () => 'No phone with this id is registered with your app: open the app on it once, then copy its device id again',
  },
  { test: /must match \^\[A-Za-z0-9\._:-\]\{1,128\}\$/, say: () => 'A device id has only letters, digits and . _ : - (at most 128)' },
  { test: /must hold at most (\d+) device ids/, say: (m) => `At most ${m[1]} test devices` },
  { test: /Too small: expected number to be >=(\d+)|must be (?:at least|>=) ?(\d+)/, say: (m) => `At least ${m[1] ?? m[2]}` },
  { test: /Too big: expected number to be <=(\d+)|must be (?:at most|<=) ?(\d+)$/, say: (m) => `At most ${m[1] ?? m[2]}` },
];

/** One API detail in merchant words. */
export function merchantMessage(path: string, message: string): string {
  for (const r of RULES) {
    const m = r.test.exec(message);
    if (m) return r.say(m, path);
  }
  return message;
}

/** The details as `{ path: text }` for the form, in merchant words. */
export function fieldErrors(details: ErrorDetail[]): Record<string, string> {
  return Object.fromEntries(details.map((d) => [d.path, merchantMessage(d.path, d.message)]));
}

/** "Deep link: Enter a full link …" for a banner when a field has no home on the page. */
export const labelled = (d: ErrorDetail) => `${fieldName(d.path)}: ${merchantMessage(d.path, d.message)}`;

/** "Title", or "Variant 2 title" for a path inside a variant (`variants[1].message.title`). */
function fieldName(path: string): string {
  const m = /^variants\[(\d+)\]\.(?:message\.)?(.+)$/.exec(path);
  if (m) return `Variant ${Number(m[1]) + 1} ${(FIELD_NAMES[`message.${m[2]}`] ?? FIELD_NAMES[m[2]] ?? m[2]).toLowerCase()}`;
  return FIELD_NAMES[path] ?? path;
}

/** Why POST /v1/campaigns/{id}/duplicate failed, in the merchant's words (409: the segment was deleted). */
export function duplicateErrorText(err: unknown): string {
  if (err instanceof ApiError && err.status === 409 && err.code === 'conflict' && 'segmentId' in err.extra)
    return 'This campaign’s segment has been deleted, so a copy would have no audience. Create a new campaign and choose a segment.';
  return `Could not duplicate: ${errorText(err)}`;
}

/** The input id that shows an API path's error (to tell whether every error has a visible home). */
export function fieldIdFor(path: string): string {
  const map: Record<string, string> = {
    name: 'cmp-name',
    segmentId: 'cmp-segment',
    'message.title': 'msg-title',
    'message.body': 'msg-body',
    'message.imageUrl': 'msg-image',
    'message.deepLink': 'msg-link',
    'schedule.at': 'sched-at',
    schedule: 'sched-at',
    'schedule.timezone': 'sched-tz',
    'schedule.fallbackTimezone': 'sched-fallback',
    holdoutPercent: 'holdout-percent',
  };
  return map[path] ?? '__none__';
}
