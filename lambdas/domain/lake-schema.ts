/**
 * The event lake's tables, defined once. The local lake (NDJSON/Parquet read by DuckDB) and the
 * Glue tables read by Athena are both derived from these column lists. Partition columns
 * (`tenant_id`, `dt` = YYYY-MM-DD of `ts` in UTC) are in the path, not in the rows.
 */
export type LakeColumnType = 'string' | 'timestamp' | 'double' | 'boolean';

export interface LakeColumn {
  name: string;
  type: LakeColumnType;
  comment: string;
  /** Added after files were written without it: readers take it as null in those files. */
  addedLater?: boolean;
}

export const PARTITION_COLUMNS: LakeColumn[] = [
  { name: 'tenant_id', type: 'string', comment: 'tenant the row belongs to' },
  { name: 'dt', type: 'string', comment: 'UTC day of the row (YYYY-MM-DD)' },
];

export const EVENT_COLUMNS: LakeColumn[] = [
  { name: 'event_id', type: 'string', comment: "the SDK's eventId, or a server-made id when it sent none" },
  { name: 'device_id', type: 'string', comment: 'device that reported the event' },
  { name: 'type', type: 'string', comment: 'app_open | product_view | product_favorite | add_to_cart | purchase | push_open | custom' },
  { name: 'ts', type: 'timestamp', comment: 'when it happened (UTC)' },
  { name: 'product_id', type: 'string', comment: 'product of view / favourite / cart events' },
  { name: 'order_id', type: 'string', comment: 'order of purchase events' },
  { name: 'amount', type: 'double', comment: 'order amount of purchase events' },
  { name: 'currency', type: 'string', comment: 'ISO currency of the amount' },
  { name: 'campaign_id', type: 'string', comment: 'campaign of push_open events' },
  { name: 'name', type: 'string', comment: 'name of custom events' },
  { name: 'properties', type: 'string', comment: 'JSON object of extra properties' },
  { name: 'received_at', type: 'timestamp', comment: 'when the service accepted it' },
];

export const DEVICE_COLUMNS: LakeColumn[] = [
  { name: 'device_id', type: 'string', comment: 'device id' },
  { name: 'platform', type: 'string', comment: 'ios | android' },
  { name: 'opted_in', type: 'boolean', comment: 'push opt-in at this registration' },
  { name: 'country', type: 'string', comment: 'ISO 3166-1 alpha-2, upper-case' },
  { name: 'timezone', type: 'string', comment: 'IANA zone' },
  { name: 'locale', type: 'string', comment: 'BCP 47 locale' },
  { name: 'app_version', type: 'string', comment: 'app version as reported' },
  { name: 'app_version_key', type: 'string', comment: 'sortable form of app_version (see version-key.ts)' },
  { name: 'customer_id', type: 'string', comment: 'logged-in shopper, when known' },
  { name: 'updated_at', type: 'timestamp', comment: 'time of this registration; the latest row per device wins' },
];

/**
 * One row per (campaign, device) outcome, written by the sender once per chunk (batch) of devices:
 * the history a frequency cap reads (pushes made with or without a cap) and the set insights join
 * engagement with. A chunk retried after a crash may write its rows again: readers reduce to one row
 * per (campaign_id, device_id) (the outcomes are identical, the chunk's ledger item holds them).
 */
export const DELIVERY_COLUMNS: LakeColumn[] = [
  { name: 'campaign_id', type: 'string', comment: 'campaign the push belongs to' },
  { name: 'device_id', type: 'string', comment: 'device' },
  { name: 'wave_id', type: 'string', comment: 'wave of the campaign that took the device' },
  { name: 'batch_id', type: 'string', comment: 'chunk (queue batch) that recorded the outcome' },
  {
    name: 'outcome',
    type: 'string',
    comment: 'queued (the trigger enqueued it) | sent | failed | suppressed | held_out (control group, never pushed)',
  },
  { name: 'reason', type: 'string', comment: 'suppression reason (optedOut | frequencyCap | invalidToken) or failure reason' },
  { name: 'platform', type: 'string', comment: 'ios | android, when the device was known' },
  { name: 'ts', type: 'timestamp', comment: 'when the outcome was recorded (UTC); dt is its day' },
  {
    name: 'variant',
    type: 'string',
    comment: 'a campaign with variants or a control group: the variant of the device (null: control group, or no variants)',
    addedLater: true,
  },
];

/**
 * Device-day rollups of the events (domain/segments/rollups.ts): per tenant, closed day (dt) and
 * device, one row per (type, name, product, order), made from the day's raw events by maintenance.
 */
export const ROLLUP_TABLE = 'event_rollups';
export const ROLLUP_COLUMNS: LakeColumn[] = [
  { name: 'device_id', type: 'string', comment: 'device that reported the events' },
  { name: 'type', type: 'string', comment: 'event type' },
  { name: 'name', type: 'string', comment: 'custom event name' },
  { name: 'product_id', type: 'string', comment: 'product of view / favourite / cart events' },
  { name: 'order_id', type: 'string', comment: 'order of purchase events' },
  { name: 'events', type: 'double', comment: 'distinct events (event ids) of the row' },
  { name: 'first_ts', type: 'timestamp', comment: 'earliest event time of the row' },
  { name: 'last_ts', type: 'timestamp', comment: 'latest event time of the row' },
  { name: 'amount', type: 'double', comment: 'largest order amount of the row (purchases)' },
];

/**
 * The rollup table in AWS: partitioned by tenant and build (domain/lake/rollup-builds.ts), both
 * injected, with the day as a column. (Locally a day has one rollup file in a dt partition.)
 */
export const ROLLUP_PARTITION_COLUMNS: LakeColumn[] = [
  PARTITION_COLUMNS[0],
  { name: 'build', type: 'string', comment: '<day>.<tag of the events files it was made from>.<run>: one build of a day' },
];
export const ROLLUP_BUILD_COLUMNS: LakeColumn[] = [
  ...ROLLUP_COLUMNS,
  { name: 'dt', type: 'string', comment: 'UTC day of the rolled events' },
];

/**
 * The latest registration of every device of a tenant, as of a closed day (`through`): made by
 * maintenance from the devices partitions up to that day (domain/segments/rollups.ts), so an estimate
 * reads one row per device instead of ranking every snapshot. Columns of `devices`; locally in a
 * `dt=<through>` partition, in AWS per build like the rollups.
 */
export const LATEST_TABLE = 'device_latest';

export const LAKE_TABLES = {
  events: EVENT_COLUMNS,
  devices: DEVICE_COLUMNS,
  deliveries: DELIVERY_COLUMNS,
} as const;

export type LakeTable = keyof typeof LAKE_TABLES;

/** One row of the events table, as written to the lake (timestamps as ISO strings). */
export interface EventRow {
  event_id: string;
  device_id: string;
  type: string;
  ts: string;
  product_id: string | null;
  order_id: string | null;
  amount: number | null;
  currency: string | null;
  campaign_id: string | null;
  name: string | null;
  properties: string | null;
  received_at: string;
}

/** One row of the devices table (a registration snapshot). */
export interface DeviceRow {
  device_id: string;
  platform: string;
  opted_in: boolean;
  country: string | null;
  timezone: string | null;
  locale: string | null;
  app_version: string | null;
  app_version_key: string | null;
  customer_id: string | null;
  updated_at: string;
}

/** One row of the deliveries table. */
export interface DeliveryRow {
  campaign_id: string;
  device_id: string;
  wave_id: string;
  batch_id: string;
  /** `queued`: written by the trigger when it enqueues the device; the sender's outcome comes later. */
  outcome: 'queued' | 'sent' | 'failed' | 'suppressed' | 'held_out';
  reason: string | null;
  platform: string | null;
  ts: string;
  /** The device's variant (campaigns with variants or a control group; null for the control group); absent = null. */
  variant?: string | null;
}

/** UTC day partition of an ISO timestamp. */
export function dayPartition(isoTs: string): string {
  return new Date(isoTs).toISOString().slice(0, 10);
}

/** The columns every event row has; the type-specific ones default to null. */
export type EventRowCore = Pick<EventRow, 'event_id' | 'device_id' | 'type' | 'ts' | 'received_at'>;

/** An event row from its core columns plus whichever type-specific columns it carries. */
export function eventRow(core: EventRowCore, extra: Partial<EventRow> = {}): EventRow {
  return {
    product_id: null,
    order_id: null,
    amount: null,
    currency: null,
    campaign_id: null,
    name: null,
    properties: null,
    ...core,
    ...extra,
  };
}

/** Tables maintenance derives from the lake's own (rollups, latest registrations): not written by the app. */
export type DerivedTable = typeof ROLLUP_TABLE | typeof LATEST_TABLE;
