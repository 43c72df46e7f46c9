/**
 * DynamoDB key definitions, shared by the CDK data stack (lib/) and the local world, which creates
 * the same tables in dynalite. Plain data: no SDK here.
 */
export interface TableDefinition {
  /** Logical name; the physical name comes from the environment (see env.ts). */
  logicalName: string;
  partitionKey: { name: string; type: 'S' };
  sortKey: { name: string; type: 'S' };
  /** Attribute that holds an epoch-seconds expiry, enabled as TTL in AWS (dynalite ignores it). */
  ttlAttribute?: string;
  /** Sparse global secondary indexes (string keys, keys-only projection). */
  indexes?: readonly { name: string; partitionKey: string; sortKey: string }[];
}

/** The deliveries table's index of pushes by device (sparse: only ledger items that were sent carry its keys). */
export const SENDS_BY_DEVICE_INDEX = { name: 'sendsByDevice', partitionKey: 'dpk', sortKey: 'dsk' } as const;

/** Tenants, app keys, devices, segments, campaigns, settings, estimates, local schedules. */
export const RECORDS_TABLE: TableDefinition = {
  logicalName: 'records',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  ttlAttribute: 'expiresAt',
};

/**
 * The delivery ledger (one item per campaign and device) and frequency-cap records. Every sent
 * ledger item is also in the sends-by-device index, which is the send history a frequency cap
 * reads: recording a push costs no write of its own (the index is maintained by DynamoDB).
 */
export const DELIVERIES_TABLE: TableDefinition = {
  logicalName: 'deliveries',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  ttlAttribute: 'expiresAt',
  indexes: [SENDS_BY_DEVICE_INDEX],
};

export const TABLE_DEFINITIONS = [RECORDS_TABLE, DELIVERIES_TABLE] as const;
