/** App events reported by the mobile SDK, validated one by one so a batch can be partly accepted. */
import * as z from 'zod';
import { DEVICE_ID_PATTERN } from '../devices/device';
import type { EventRow } from '../lake-schema';

export const MAX_EVENTS_PER_BATCH = 500;
const DAY_MS = 24 * 3600 * 1000;

const id = (max: number) => z.string().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

const propertiesSchema = z
  .record(z.string().max(128), z.union([z.string(), z.number().refine(Number.isFinite, 'must be finite'), z.boolean()]))
  .refine((p) => Buffer.byteLength(JSON.stringify(p), 'utf8') <= 4096, 'must be at most 4 KiB as JSON');

const common = {
  eventId: id(128).optional(),
  deviceId: z.string().regex(DEVICE_ID_PATTERN, 'must match ^[A-Za-z0-9._:-]{1,128}$'),
  ts: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD')
    .optional(),
  properties: propertiesSchema.optional(),
};

const productEvent = <T extends string>(type: T) => z.strictObject({ ...common, type: z.literal(type), productId: id(200) });

/** One event; `type` decides which fields are required. */
export const eventSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...common, type: z.literal('app_open') }),
  productEvent('product_view'),
  productEvent('product_favorite'),
  productEvent('add_to_cart'),
  z.strictObject({
    ...common,
    type: z.literal('purchase'),
    orderId: id(200),
    amount: z.number().min(0, 'must be ≥ 0').max(1e12, 'must be at most 1e12'),
  }),
  z.strictObject({ ...common, type: z.literal('push_open'), campaignId: id(128) }),
  z.strictObject({
    ...common,
    type: z.literal('custom'),
    name: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'must match ^[a-z][a-z0-9_]{0,63}$'),
  }),
]);

export type AppEvent = z.output<typeof eventSchema>;
export const EVENT_TYPES = ['app_open', 'product_view', 'product_favorite', 'add_to_cart', 'purchase', 'push_open', 'custom'] as const;

/** Body of POST /v1/events: the envelope only; each event is validated on its own. */
export const eventBatchSchema = z.strictObject({
  events: z
    .array(z.unknown())
    .min(1, 'must hold at least 1 event')
    .max(MAX_EVENTS_PER_BATCH, `must hold at most ${MAX_EVENTS_PER_BATCH} events`),
});

/** `ts` must lie within the last 730 days and at most 24 h in the future. */
export function timestampProblem(ts: string, now: Date): string | null {
  const t = Date.parse(ts);
  if (t < now.getTime() - 730 * DAY_MS) return 'must be within the last 730 days';
  if (t > now.getTime() + DAY_MS) return 'must be at most 24 hours in the future';
  return null;
}

/** The lake row for an accepted event; `eventId` is the SDK's, or one made here so retries of compaction dedupe. */
export function eventLakeRow(e: AppEvent, eventId: string, receivedAt: Date): EventRow {
  return {
    event_id: eventId,
    device_id: e.deviceId,
    type: e.type,
    ts: new Date(e.ts).toISOString(),
    product_id: 'productId' in e ? e.productId : null,
    order_id: 'orderId' in e ? e.orderId : null,
    amount: 'amount' in e ? e.amount : null,
    currency: e.currency ?? null,
    campaign_id: 'campaignId' in e ? e.campaignId : null,
    name: 'name' in e ? e.name : null,
    properties: e.properties ? JSON.stringify(e.properties) : null,
    received_at: receivedAt.toISOString(),
  };
}
