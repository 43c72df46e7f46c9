/**
 * Which Firehose stream ("shard") of a lake table carries a tenant's rows. With dynamic
 * partitioning a stream holds at most 500 active partitions (distinct tenant/day prefixes within
 * one buffer window); records past that go to the error prefix. Spreading tenants over N streams
 * per table by a stable hash gives each stream only its own tenants' partitions. Every shard of a
 * table writes the same S3 layout, so readers never need to know the shard.
 */
import { createHash } from 'node:crypto';

/**
 * The shard (0 ≤ shard < shards) of a tenant: the first four bytes of SHA-256 of the tenant id's
 * UTF-8 bytes, big-endian, modulo the shard count. SHA-256 rather than a cheap multiplicative hash
 * because `mod` of a power of two keeps only low bits, which FNV-style hashes mix poorly for ids
 * that differ in one character.
 *
 * NEVER CHANGE THIS FUNCTION once deployed: the CDK stack lists a table's streams in shard order
 * (EVENTS_FIREHOSE_STREAM etc.) and every writer of every deployed version must send a tenant to
 * the same stream, or a tenant's partitions count against two streams' 500. (The lake itself would
 * survive: all shards write the same prefixes.) test/unit/domain/lake-shards.test.ts pins values.
 */
export function lakeShardOf(tenantId: string, shards: number): number {
  if (!Number.isInteger(shards) || shards < 1) throw new RangeError(`shards must be a positive integer, got ${shards}`);
  if (shards === 1) return 0;
  return createHash('sha256').update(tenantId, 'utf8').digest().readUInt32BE(0) % shards;
}
