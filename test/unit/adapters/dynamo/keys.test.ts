/** Spreading: ledger chunks of one campaign over LEDGER_SHARDS partitions; counter keys stable per batch. */
import { COUNTER_SHARDS, counterToken } from '../../../../lambdas/adapters/dynamo/campaign-counters';
import { deliveryKeys, keys, LEDGER_SHARDS, stableHash } from '../../../../lambdas/adapters/dynamo/keys';

describe('ledger keys', () => {
  test('two chunks of one campaign land in different partitions, each always in the same one', () => {
    const a = deliveryKeys.chunk('t1', 'cmp_1', 'now:x:0:0');
    const b = deliveryKeys.chunk('t1', 'cmp_1', 'now:x:0:1');
    expect(a.pk).not.toBe(b.pk);
    expect(deliveryKeys.chunk('t1', 'cmp_1', 'now:x:0:0')).toEqual(a);
    expect(a.sk).toBe('CHUNK#now:x:0:0');
    expect(deliveryKeys.ledgerPartitions('t1', 'cmp_1')).toContain(a.pk);
    expect(deliveryKeys.ledgerPartitions('t1', 'cmp_1')).toContain(b.pk);
  });

  test('a campaign of 1,000,000 devices (10,000 chunks) uses every partition, none much more than its share', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 10_000; i++) {
      const { pk } = deliveryKeys.chunk('t1', 'cmp_1', `now:exec:${Math.floor(i / 50)}:${i % 50}`);
      counts.set(pk, (counts.get(pk) ?? 0) + 1);
    }
    expect(counts.size).toBe(LEDGER_SHARDS);
    expect(Math.max(...counts.values())).toBeLessThan((10_000 / LEDGER_SHARDS) * 1.5);
  });

  test('the hash is stable across releases (stored items depend on it)', () => {
    expect(stableHash('')).toBe(0x811c9dc5);
    expect(stableHash('device-a')).toBe(stableHash('device-a'));
    expect(deliveryKeys.chunk('t1', 'c', 'x').pk).toBe(`T#t1#CMP#c#${stableHash('x') % LEDGER_SHARDS}`);
  });
});

describe('counter shard keys', () => {
  test('a batch key has one token and one shard; shards differ by batch', () => {
    expect(counterToken('done:now:0:0')).toEqual(counterToken('done:now:0:0'));
    const shards = new Set(Array.from({ length: 200 }, (_, i) => counterToken(`done:now:${i}:0`).shard));
    expect(shards.size).toBe(COUNTER_SHARDS);
    expect(counterToken('done:now:0:0').token).toHaveLength(12);
    expect(keys.campaignCounter('t1', 'cmp_1', 3)).toEqual({ pk: 'T#t1#CMP#cmp_1#CNT#3', sk: 'CNT' });
  });
});
