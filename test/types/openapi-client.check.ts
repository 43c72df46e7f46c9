/**
 * Compile-time check (tsc --noEmit -p ., npm run typecheck): a client typed from docs/openapi.json by
 * openapi-typescript (test/types/openapi.d.ts) accepts valid conditions and rejects one whose
 * operator does not belong to its filter or whose value has the wrong type. Each `@ts-expect-error`
 * fails the type check if the line below it compiles, so these lines prove the errors happen.
 */
import type { components, paths } from './openapi';

type Condition = components['schemas']['Condition'];
type SegmentInput = paths['/v1/segments']['post']['requestBody']['content']['application/json'];

export const valid: Condition[] = [
  { filter: 'total_spend', operator: 'gte', value: 500, withinDays: 365 },
  { filter: 'total_spend', operator: 'between', value: [100, 500] },
  { filter: 'device_country', operator: 'in', value: ['US', 'CA'] },
  { filter: 'last_app_open', operator: 'within_last_days', value: 30 },
  { filter: 'last_app_open', operator: 'exists' },
  { filter: 'custom_event', operator: 'gt', value: 2, event: 'wishlist_add' },
  { filter: 'platform', operator: 'in', value: ['ios'] },
];

export const segment: SegmentInput = {
  name: 'VIP',
  match: 'all',
  criteria: [...valid, { match: 'any', negate: true, criteria: [{ filter: 'app_version', operator: 'gte', value: '5.2' }] }],
};

export const operatorOfAnotherFilter: Condition[] = [
  // @ts-expect-error total_spend has no `in`
  { filter: 'total_spend', operator: 'in', value: ['US'] },
  // @ts-expect-error device_country has no `gte`
  { filter: 'device_country', operator: 'gte', value: 5 },
  // @ts-expect-error platform has no `within_last_days`
  { filter: 'platform', operator: 'within_last_days', value: 3 },
];

export const valueOfTheWrongType: Condition[] = [
  // @ts-expect-error total_spend gte takes a number
  { filter: 'total_spend', operator: 'gte', value: '500' },
  // @ts-expect-error between takes a [min, max] pair
  { filter: 'total_spend', operator: 'between', value: [1, 2, 3] },
  // @ts-expect-error device_country takes a list of codes
  { filter: 'device_country', operator: 'in', value: 'US' },
  // @ts-expect-error exists takes no value
  { filter: 'last_app_open', operator: 'exists', value: 3 },
  // @ts-expect-error custom_event needs its event name
  { filter: 'custom_event', operator: 'gt', value: 2 },
  // @ts-expect-error no such filter
  { filter: 'favourite_colour', operator: 'in', value: ['red'] },
];

type CampaignInput = paths['/v1/campaigns']['post']['requestBody']['content']['application/json'];
type TriggerInput = components['schemas']['TriggerInput'];
type Insights = components['schemas']['Insights'];

/** The cart reminder of API.md "Automated campaigns", as a typed client sends it. */
export const cartReminder: CampaignInput = {
  name: 'Cart reminder',
  kind: 'automated',
  trigger: { type: 'event', event: 'add_to_cart', delayMinutes: 60, exitOn: ['purchase'], reentryAfterDays: 7 },
  message: { title: 'Still thinking it over?', body: 'Your cart is waiting.', ttlSeconds: 86400 },
};

export const triggers: TriggerInput[] = [
  { type: 'inactivity', days: 30 },
  { type: 'first_open' },
  // @ts-expect-error inactivity needs its days
  { type: 'inactivity' },
  // @ts-expect-error no such trigger type
  { type: 'install' },
  // @ts-expect-error first_open takes nothing else
  { type: 'first_open', days: 3 },
];

/** The timeline is hourly (a campaign) or daily (an automated campaign): a client tells them apart by their key. */
export function timelineLabels(i: Insights): string[] {
  const labels: string[] = [];
  for (const point of i.timeline) labels.push('day' in point ? `${point.day}: ${point.sent} sent` : point.hour);
  return labels;
}
