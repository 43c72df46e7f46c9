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

/** Tenants, app keys, devices, segments, campaigns, settings, estimates, local schedules, automations' due items. */
export const RECORDS_TABLE: TableDefinition = {
  logicalName: 'records',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  ttlAttribute: 'expiresAt',
  indexes: [
    // Automations' due items by due time: `DUE#<shard>` while waiting, `PARK#…` while their automation is paused.
    { name: 'due', partitionKey: 'duePk', sortKey: 'dueSk' },
  ],
};

/**
 * The delivery ledger (one item per chunk of a campaign's devices) and frequency-cap reservations.
 * The send history a cap reads is the lake's deliveries table, not this table.
 */
export const DELIVERIES_TABLE: TableDefinition = {
  logicalName: 'deliveries',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  ttlAttribute: 'expiresAt',
};

export const TABLE_DEFINITIONS = [RECORDS_TABLE, DELIVERIES_TABLE] as const;
