/**
 * The trigger's fan-out: ONE run of the members query per wave whatever the audience size, read page
 * by page; a wave interrupted (or handed over) reads on from its stored page without running the
 * query again and neither loses nor duplicates a device; a lost result is run again once, after the cursor.
 */
import { QueryResultLostError } from '../../../../lambdas/ports/query-engine';
import { fireWave } from '../../../../lambdas/use-cases/delivery/fire-wave';
import { defaultSettings } from '../../../../lambdas/domain/settings';
import { campaign, deviceIds, TRIGGER, world } from './wave-fakes';

const dupes = (ids: string[]) => ids.filter((d, i) => ids.indexOf(d) !== i);

describe('fireWave', () => {
  test('25,000 devices read 1,000 a page: ONE members query, every device in exactly one batch of ≤ 100', async () => {
    const w = world(25_000);
    expect(await fireWave(w.deps, TRIGGER)).toBe('enqueued');
    expect(w.engine.queries).toHaveLength(1);
    expect(w.engine.queries[0].sql).toMatch(/ORDER BY device_id$/); // the whole audience: no LIMIT, no keyset
    expect(w.engine.queries[0].sql).not.toMatch(/LIMIT|device_id > \?/);
    const ids = w.enqueued.flatMap((b) => b.deviceIds);
    expect(ids).toHaveLength(25_000);
    expect(new Set(ids).size).toBe(25_000);
    expect(w.enqueued).toHaveLength(250);
    expect(w.enqueued.every((b) => b.deviceIds.length <= 100 && b.notBefore === undefined)).toBe(true);
    expect(new Set(w.enqueued.map((b) => b.batchId)).size).toBe(250);
    expect(w.enqueued[0].batchId).toBe('now:exec-1:0:0');
    const wave = w.campaigns.c.waves.now;
    expect(wave).toMatchObject({
      status: 'enqueued',
      targeted: 25_000,
      batches: 250,
      cursor: 'd0024999',
      pageToken: null,
      execution: 'exec-1',
    });
    expect(w.campaigns.c).toMatchObject({ targeted: 25_000, batchesEnqueued: 250, wavesPending: 0 });
  });

  test('an empty audience finishes the wave with one query and no batch', async () => {
    const w = world(0);
    expect(await fireWave(w.deps, TRIGGER)).toBe('enqueued');
    expect(w.engine.queries).toHaveLength(1);
    expect(w.enqueued).toHaveLength(0);
    expect(w.campaigns.c).toMatchObject({ wavesPending: 0, batchesEnqueued: 0 });
  });

  test('interrupted after 4 pages and re-fired: reads on from the stored page, no second query, no device lost or doubled', async () => {
    const w = world(12_345);
    w.engine.failOnRead = 5;
    await expect(fireWave(w.deps, TRIGGER)).rejects.toThrow('throttled');
    expect(w.enqueued.flatMap((b) => b.deviceIds)).toHaveLength(4000);
    expect(w.campaigns.c.waves.now).toMatchObject({ status: 'firing', pages: 4, pageToken: '4000' });
    expect(await fireWave(w.deps, TRIGGER)).toBe('enqueued');
    expect(w.engine.queries).toHaveLength(1);
    const ids = w.enqueued.flatMap((b) => b.deviceIds);
    expect(dupes(ids)).toEqual([]);
    expect(ids.sort()).toEqual(deviceIds(12_345));
    expect(w.campaigns.c).toMatchObject({ targeted: 12_345, batchesEnqueued: 124 });
  });

  test('a crash between enqueue and the cursor move re-enqueues the same batches (same ids), counted once', async () => {
    const w = world(5000);
    await fireWave(w.deps, TRIGGER); // the same wave without a crash, for its batch ids
    const w2 = world(5000);
    w2.campaigns.failAdvanceOnce = true;
    await expect(fireWave(w2.deps, TRIGGER)).rejects.toThrow('DynamoDB timed out');
    expect(await fireWave(w2.deps, TRIGGER)).toBe('enqueued');
    expect(w2.engine.queries).toHaveLength(1);
    expect(w2.enqueued).toHaveLength(60); // page 0 twice
    const { batches, devices } = w2.distinct();
    expect(batches).toBe(50);
    expect(dupes(devices)).toEqual([]);
    expect(devices.sort()).toEqual(deviceIds(5000));
    expect(w2.campaigns.c.batchesEnqueued).toBe(batches);
    expect(w2.enqueued.map((b) => b.batchId)).toEqual(
      w.enqueued
        .map((b) => b.batchId)
        .slice(0, 10)
        .concat(w.enqueued.map((b) => b.batchId)),
    );
  });

  test('a lost result (a restarted local engine) is run again once, for the devices after the cursor', async () => {
    const w = world(7500);
    w.engine.failOnRead = 4;
    await expect(fireWave(w.deps, TRIGGER)).rejects.toThrow('throttled');
    w.engine.forgetAll();
    expect(await fireWave(w.deps, TRIGGER)).toBe('enqueued');
    expect(w.engine.queries).toHaveLength(2);
    expect(w.engine.queries[1].sql).toMatch(/device_id > \?/);
    expect(w.engine.queries[1].params).toContain('d0002999');
    const ids = w.enqueued.flatMap((b) => b.deviceIds);
    expect(dupes(ids)).toEqual([]);
    expect(ids.sort()).toEqual(deviceIds(7500));
    // Page numbers go on across the re-run, so no batch id is used twice.
    expect(new Set(w.enqueued.map((b) => b.batchId)).size).toBe(w.enqueued.length);
    expect(w.campaigns.c.waves.now).toMatchObject({ execution: 'exec-2', status: 'enqueued' });
  });

  test('a result lost again right after its re-run fails the firing instead of looping', async () => {
    const w = world(3000);
    w.engine.startResult = async (q) => {
      w.engine.queries.push(q);
      return { id: `gone-${w.engine.queries.length}` };
    };
    await expect(fireWave(w.deps, TRIGGER)).rejects.toBeInstanceOf(QueryResultLostError);
    expect(w.engine.queries).toHaveLength(1);
  });

  test('short of time, the firing hands the rest to its continuation, which reads on without a second query', async () => {
    const w = world(10_000);
    let asked = 0;
    expect(await fireWave(w.deps, TRIGGER, { shouldYield: () => ++asked > 2 })).toBe('continued');
    expect(w.continuations).toEqual([TRIGGER]);
    expect(w.campaigns.c.waves.now).toMatchObject({ status: 'firing', pages: 3 });
    // The continuation is the same wave trigger: it re-takes the firing wave.
    expect(await fireWave(w.deps, w.continuations[0], { shouldYield: () => false })).toBe('enqueued');
    expect(w.engine.queries).toHaveLength(1);
    const ids = w.enqueued.flatMap((b) => b.deviceIds);
    expect(dupes(ids)).toEqual([]);
    expect(ids).toHaveLength(10_000);
    expect(w.campaigns.c).toMatchObject({ targeted: 10_000, batchesEnqueued: 100, wavesPending: 0 });
  });

  test('an invocation always reads one page before it may hand over (no endless hand-over on a short timeout)', async () => {
    const w = world(2500);
    expect(await fireWave(w.deps, TRIGGER, { shouldYield: () => true })).toBe('continued');
    expect(w.campaigns.c.waves.now.pages).toBe(1);
    expect(await fireWave(w.deps, TRIGGER, { shouldYield: () => true })).toBe('continued');
    expect(await fireWave(w.deps, TRIGGER, { shouldYield: () => true })).toBe('enqueued');
    expect(w.enqueued.flatMap((b) => b.deviceIds)).toHaveLength(2500);
  });

  test('a second firing that fell behind another stops at its first cursor move', async () => {
    const w = world(3000);
    const [a, b] = await Promise.all([fireWave(w.deps, TRIGGER), fireWave(w.deps, TRIGGER)]);
    expect([a, b].sort()).toEqual(['enqueued', 'stopped']);
    expect(w.engine.queries.length).toBeLessThanOrEqual(2);
    const { devices } = w.distinct();
    expect(dupes(devices)).toEqual([]);
    expect(devices).toHaveLength(3000);
    expect(w.campaigns.c).toMatchObject({ targeted: 3000, batchesEnqueued: 30 });
  });

  test('sendRate paces batches across pages from the wave’s firedAt', async () => {
    const w = world(2500, campaign({ sendRate: { perMinute: 1000 } }));
    await fireWave(w.deps, TRIGGER);
    // 100 devices a batch at 1,000 a minute: batch k may go k × 6 s after the wave fired.
    expect(w.enqueued[0].notBefore).toBeUndefined();
    expect(w.enqueued[1].notBefore).toBe('2026-11-28T10:00:06.000Z');
    expect(w.enqueued[10].batchId).toBe('now:exec-1:1:0');
    expect(w.enqueued[10].notBefore).toBe('2026-11-28T10:01:00.000Z');
    expect(w.enqueued[24].notBefore).toBe('2026-11-28T10:02:24.000Z');
  });

  test('a cancelled campaign stops the fan-out; a wave that cannot start is skipped', async () => {
    const w = world(5000);
    let steps = 0;
    const origGet = w.campaigns.get.bind(w.campaigns);
    w.campaigns.get = async () => {
      const c = await origGet();
      return ++steps > 2 ? { ...c, status: 'cancelled' } : c;
    };
    expect(await fireWave(w.deps, TRIGGER)).toBe('stopped');
    expect(w.enqueued.flatMap((b) => b.deviceIds)).toHaveLength(2000);
    expect(await fireWave(w.deps, { ...TRIGGER, wave: 'nope' })).toBe('skipped');
  });

  test('a local wave keeps its zone filter in the one query', async () => {
    const c = campaign();
    c.waves = {
      'tz-Europe_Paris': {
        ...c.waves.now,
        id: 'tz-Europe_Paris',
        timezone: 'Europe/Paris',
        includeMissingTimezone: false,
        memberZones: ['Europe/Paris'],
      },
    };
    const w = world(10, c);
    await fireWave(w.deps, { ...TRIGGER, wave: 'tz-Europe_Paris' });
    expect(w.engine.queries).toHaveLength(1);
    expect(w.engine.queries[0].sql).toMatch(/timezone IN \(\?\)/);
    expect(w.engine.queries[0].params).toContain('Europe/Paris');
  });
});

describe("fireWave under a frequency cap: each device's recent pushes travel with its batch", () => {
  test("one per campaign, the cap's count at most; a batch too big for one message is split, every device still in exactly one", async () => {
    const w = world(300);
    w.deps.settings = {
      get: async () => ({ ...defaultSettings(), frequencyCap: { maxPerDevice: 40, windowHours: 720 } }),
      put: async () => undefined,
    } as never;
    const ids = deviceIds(300);
    // d0: the same campaign twice (a chunk written twice) plus two others; every other device: 60 campaigns (more than the cap counts).
    w.engine.recentSends.set(
      ids[0],
      JSON.stringify([
        'c1@2026-11-20T10:00:00.000Z',
        'c1@2026-11-20T10:00:00.000Z',
        'c2@2026-11-21T10:00:00.000Z',
        'c3@2026-11-22T10:00:00.000Z',
      ]),
    );
    for (const id of ids.slice(1)) {
      w.engine.recentSends.set(
        id,
        JSON.stringify(
          Array.from(
            { length: 60 },
            (_, k) =>
              `campaign-with-a-long-id-${String(k).padStart(3, '0')}@2026-11-${String(1 + (k % 28)).padStart(2, '0')}T10:00:00.000Z`,
          ),
        ),
      );
    }
    expect(await fireWave(w.deps, TRIGGER)).toBe('enqueued');
    expect(w.enqueued.find((b) => b.deviceIds.includes(ids[0]))!.history![ids[0]]).toEqual([
      { campaignId: 'c3', at: '2026-11-22T10:00:00.000Z' },
      { campaignId: 'c2', at: '2026-11-21T10:00:00.000Z' },
      { campaignId: 'c1', at: '2026-11-20T10:00:00.000Z' },
    ]);
    for (const b of w.enqueued) {
      expect(Buffer.byteLength(JSON.stringify(b))).toBeLessThanOrEqual(200_000);
      for (const id of b.deviceIds.filter((d) => d !== ids[0])) expect(b.history![id]).toHaveLength(40);
    }
    expect(w.enqueued.length).toBeGreaterThan(3); // 300 devices in more than three batches: some were split
    expect(w.enqueued.some((b) => b.batchId.includes('/'))).toBe(true);
    expect(w.distinct()).toEqual({ batches: w.enqueued.length, devices: ids });
  });
});

test('every enqueued device gets a `queued` row in the deliveries table (later waves leave it out before its outcome exists)', async () => {
  const w = world(1234);
  expect(await fireWave(w.deps, TRIGGER)).toBe('enqueued');
  expect(w.queued.map((r) => r.device_id).sort()).toEqual(deviceIds(1234));
  expect(new Set(w.queued.map((r) => r.outcome))).toEqual(new Set(['queued']));
  const chunkOf = new Map(w.enqueued.flatMap((b) => b.deviceIds.map((d) => [d, b.batchId] as const)));
  for (const r of w.queued) expect(r.batch_id).toBe(chunkOf.get(r.device_id));
});
