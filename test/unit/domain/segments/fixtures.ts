/** Small hand-made rows for the literal / dialect tests. */
import { eventRow, type DeviceRow, type EventRow } from '../../../../lambdas/domain/lake-schema';
import type { SegmentDefinition } from '../../../../lambdas/domain/segments/criteria';
import { versionKey } from '../../../../lambdas/domain/version-key';

export const NOW = new Date('2026-06-01T12:00:00.000Z');

/** A device row with defaults. */
export function device(id: string, extra: Partial<DeviceRow> = {}): DeviceRow {
  const version = extra.app_version === undefined ? '5.10' : extra.app_version;
  return {
    device_id: id,
    platform: 'ios',
    opted_in: true,
    country: 'US',
    timezone: 'Europe/Paris',
    locale: null,
    app_version: version,
    app_version_key: version === null ? null : versionKey(version),
    customer_id: null,
    updated_at: '2026-05-01T00:00:00.000Z',
    ...extra,
  };
}

let seq = 0;
/** An event row with defaults (a fresh event id each call). */
export function event(deviceId: string, type: string, extra: Partial<EventRow> = {}): EventRow {
  seq++;
  return eventRow(
    { event_id: `ev-${seq}`, device_id: deviceId, type, ts: '2026-05-30T00:00:00.000Z', received_at: '2026-05-30T00:00:00.000Z' },
    extra,
  );
}

/** A definition that uses every filter and operator kind at least once (nested, negated). */
export const EVERY_FILTER: SegmentDefinition = {
  match: 'any',
  criteria: [
    { filter: 'last_app_open', operator: 'within_last_days', value: 7 },
    { filter: 'last_purchase_date', operator: 'before', value: '2026-05-01' },
    { filter: 'last_push_open', operator: 'after', value: '2026-05-01T10:00:00Z' },
    { filter: 'last_push_open', operator: 'more_than_days_ago', value: 3 },
    { filter: 'last_app_open', operator: 'exists' },
    {
      match: 'all',
      negate: true,
      criteria: [
        { filter: 'app_opens', operator: 'between', value: [1, 5], withinDays: 30 },
        { filter: 'total_orders', operator: 'gte', value: 2, withinDays: 90 },
        { filter: 'total_spend', operator: 'gt', value: 99.5 },
        { filter: 'custom_event', operator: 'eq', value: 1, event: 'level_up', withinDays: 7 },
        {
          match: 'any',
          criteria: [
            { filter: 'abandoned_cart', operator: 'is', value: true },
            { filter: 'product_viewed', operator: 'any_of', value: ['sku-1', 'sku-2'], withinDays: 14 },
            { filter: 'product_favorited', operator: 'none_of', value: ['sku-3'] },
          ],
        },
      ],
    },
    { filter: 'device_country', operator: 'not_in', value: ['US', 'CA'] },
    { filter: 'platform', operator: 'in', value: ['android'] },
    { filter: 'app_version', operator: 'lt', value: '5.10.2' },
    { filter: 'in_segment', operator: 'is_member', value: 'seg-other' },
  ],
};

export const OTHER_SEGMENT: SegmentDefinition = { match: 'all', criteria: [{ filter: 'total_orders', operator: 'eq', value: 0 }] };
