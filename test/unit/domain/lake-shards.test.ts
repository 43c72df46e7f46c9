/** The stable hash that picks a tenant's Firehose stream: pinned values, spread, and bounds. */
import { lakeShardOf } from '../../../lambdas/domain/lake-shards';

describe('lakeShardOf', () => {
  it("is pinned: these values must never change once deployed (writers must agree on a tenant's stream)", () => {
    // SHA-256 of the UTF-8 id, first four bytes big-endian, modulo the shard count.
    expect(['acme', 'globex', 'initech', 'umbrella', 'tenant-0001', 'tenant-0002', 'é-shop'].map((t) => lakeShardOf(t, 4))).toEqual([
      1, 1, 2, 1, 3, 0, 1,
    ]);
    expect(['acme', 'globex', 'initech', 'umbrella', 'tenant-0001', 'tenant-0002', 'é-shop'].map((t) => lakeShardOf(t, 32))).toEqual([
      13, 13, 2, 9, 27, 24, 29,
    ]);
  });

  it('gives the same shard for the same tenant every time', () => {
    for (let i = 0; i < 100; i++) expect(lakeShardOf(`t-${i}`, 7)).toBe(lakeShardOf(`t-${i}`, 7));
  });

  it('one shard: always 0', () => {
    for (const t of ['acme', '', 'x'.repeat(64), 'tenant-0001']) expect(lakeShardOf(t, 1)).toBe(0);
  });

  it.each([2, 4, 7, 32])('spreads 10,000 tenant ids over %i shards within 15 %% of even', (shards) => {
    const counts = new Array<number>(shards).fill(0);
    // Sequential ids that differ in one character: the case a weak hash clusters.
    for (let i = 0; i < 10_000; i++) counts[lakeShardOf(`tenant-${String(i).padStart(5, '0')}`, shards)]++;
    const even = 10_000 / shards;
    for (const c of counts) expect(Math.abs(c - even) / even).toBeLessThan(0.15);
  });

  it('stays in range', () => {
    for (let i = 0; i < 1000; i++) {
      const s = lakeShardOf(`acme-${i}`, 5);
      expect(Number.isInteger(s) && s >= 0 && s < 5).toBe(true);
    }
  });

  it('refuses a shard count that is not a positive integer', () => {
    expect(() => lakeShardOf('acme', 0)).toThrow(RangeError);
    expect(() => lakeShardOf('acme', 2.5)).toThrow(RangeError);
  });
});
