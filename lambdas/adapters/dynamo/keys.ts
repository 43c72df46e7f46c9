/** Item keys of the records and deliveries tables, in one place. */
export const keys = {
  tenant: (t: string) => ({ pk: `TENANT#${t}`, sk: 'TENANT' }),
  appKey: (hash: string) => ({ pk: `APPKEY#${hash}`, sk: 'APPKEY' }),
  device: (t: string, d: string) => ({ pk: `T#${t}#DEV#${d}`, sk: 'DEVICE' }),
  /** Segments, campaigns, settings and estimates of a tenant share one partition: lists are queries. */
  tenantItems: (t: string) => `T#${t}`,
  segment: (t: string, id: string) => ({ pk: `T#${t}`, sk: `SEG#${id}` }),
  segmentName: (t: string, name: string) => ({ pk: `T#${t}`, sk: `SEGNAME#${name.trim().toLowerCase()}` }),
  campaign: (t: string, id: string) => ({ pk: `T#${t}`, sk: `CMP#${id}` }),
  /**
   * One of a campaign's live counter shards. Each has its own partition key: senders update them
   * ~250 times/s at 25,000 devices/s, which must not land on the tenant's partition (nor on one).
   */
  campaignCounter: (t: string, id: string, shard: number) => ({ pk: `T#${t}#CMP#${id}#CNT#${shard}`, sk: 'CNT' }),
  settings: (t: string) => ({ pk: `T#${t}`, sk: 'SETTINGS' }),
  estimate: (t: string, id: string) => ({ pk: `T#${t}`, sk: `EST#${id}` }),
  erasure: (t: string, id: string) => ({ pk: `T#${t}`, sk: `ERASURE#${id}` }),
  /** The claim of a subject (subjectKey) by its running erasure: one running erasure per subject and tenant. */
  erasureSubject: (t: string, subject: string) => ({ pk: `T#${t}`, sk: `ERASUBJ#${subject}` }),
  /** Running erasures of every tenant, in one small partition (the hourly sweep lists it). */
  erasuresRunning: 'ERASURES#RUNNING',
  erasureRunning: (t: string, id: string) => ({ pk: 'ERASURES#RUNNING', sk: `T#${t}#${id}` }),
  /** The lease of whoever maintains (compacts, erases) the tenant's lake. */
  lakeLease: (t: string) => ({ pk: `T#${t}#LAKE`, sk: 'LEASE' }),
};

/**
 * Ledger partitions per campaign. A partition takes at most 1,000 WCU/s; the target is 25,000
 * devices/s = 250 chunks/s, each a claim and a record of ~6 KB (≈ 12 WCU per chunk) = 3,000 WCU/s →
 * 3 partitions at full load. 16 keeps ample headroom for takeovers, uneven hashing and bigger
 * items. (Spread over 16 partition keys, DynamoDB's adaptive capacity splits the hot ones; one key
 * could never be split.)
 */
export const LEDGER_SHARDS = 16;

/** FNV-1a, 32 bits: a stable, fast hash to pick a shard (not for security). */
export function stableHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const ledgerPk = (t: string, campaignId: string, shard: number) => `T#${t}#CMP#${campaignId}#${shard}`;

/** Keys of the deliveries table. */
export const deliveryKeys = {
  /** A chunk's ledger item sits in the shard its id hashes to: one campaign's writes spread over LEDGER_SHARDS partitions. */
  chunk: (t: string, campaignId: string, chunkId: string) => ({
    pk: ledgerPk(t, campaignId, stableHash(chunkId) % LEDGER_SHARDS),
    sk: `CHUNK#${chunkId}`,
  }),
  /** Every ledger partition of a campaign. */
  ledgerPartitions: (t: string, campaignId: string) => Array.from({ length: LEDGER_SHARDS }, (_, k) => ledgerPk(t, campaignId, k)),
  cap: (t: string, deviceId: string) => ({ pk: `T#${t}#DEV#${deviceId}`, sk: 'CAP' }),
};
