/** The local scheduler on real dynalite: due waves fire within a second, once, even with two loops racing. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openLocalDeps } from '../../lambdas/composition/local';
import { LocalScheduler } from '../../lambdas/adapters/local/local-scheduler';
import type { WaveTrigger } from '../../lambdas/ports/scheduler';

describe('LocalScheduler', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sched-'));
  let opened: Awaited<ReturnType<typeof openLocalDeps>>;
  beforeAll(async () => {
    opened = await openLocalDeps(dir);
  });
  afterAll(async () => {
    await opened.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('two loops on the same table fire a due wave exactly once, within a second of its time', async () => {
    const fired: { t: WaveTrigger; at: number; by: string }[] = [];
    const a = new LocalScheduler(opened.records, { pollMs: 50 });
    const b = new LocalScheduler(opened.records, { pollMs: 50 });
    const slowTrigger = (by: string) => async (t: WaveTrigger) => {
      fired.push({ t, at: Date.now(), by });
      await new Promise((r) => setTimeout(r, 200)); // a trigger takes a while; the other loop must not fire it meanwhile
    };
    a.run(slowTrigger('a'));
    b.run(slowTrigger('b'));
    const due = Date.now() + 600;
    await a.schedule([
      { tenantId: 't', campaignId: 'c1', wave: 'at', fireAt: new Date(due).toISOString() },
      { tenantId: 't', campaignId: 'c2', wave: 'tz-Asia.Tokyo', fireAt: new Date(due).toISOString() },
    ]);
    await new Promise((r) => setTimeout(r, 2000));
    await Promise.all([a.stop(), b.stop()]);
    expect(fired.map((f) => f.t.campaignId).sort()).toEqual(['c1', 'c2']);
    for (const f of fired) expect(f.at - due).toBeLessThan(1000);
    expect(await a.pending()).toEqual([]);
  });

  test('a wave that came due while nothing ran fires when a loop starts; a cancelled one never does', async () => {
    const s = new LocalScheduler(opened.records, { pollMs: 50 });
    await s.schedule([
      { tenantId: 't', campaignId: 'late', wave: 'at', fireAt: new Date(Date.now() - 60_000).toISOString() },
      { tenantId: 't', campaignId: 'gone', wave: 'at', fireAt: new Date(Date.now() - 60_000).toISOString() },
    ]);
    await s.cancel([{ tenantId: 't', campaignId: 'gone', wave: 'at' }]);
    const fired: string[] = [];
    s.run(async (t) => {
      fired.push(t.campaignId);
    });
    await new Promise((r) => setTimeout(r, 500));
    await s.stop();
    expect(fired).toEqual(['late']);
  });

  test('a trigger that fails is fired again', async () => {
    const s = new LocalScheduler(opened.records, { pollMs: 50 });
    let calls = 0;
    s.run(async () => {
      calls++;
      if (calls === 1) throw new Error('query engine hiccup');
    });
    await s.schedule([{ tenantId: 't', campaignId: 'retry', wave: 'at', fireAt: new Date().toISOString() }]);
    await new Promise((r) => setTimeout(r, 3000));
    await s.stop();
    expect(calls).toBe(2);
    expect(await s.pending()).toEqual([]);
  });
});
