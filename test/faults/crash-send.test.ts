/**
 * Fault: `bin/local.ts` killed with SIGKILL at random points of a send, several times in a row
 * (3 here, 10 with FAULTS_FULL=1), each followed by a restart on the same data dir → the campaign
 * ends `sent` with each targeted device pushed exactly once (outbox: no duplicates, none missing).
 * A killed sender's chunks are taken over once their lease runs out (LOCAL_LEASE_MS=3000 here): the
 * outbox says which of their devices were pushed, so only the others are. The gateway's latency
 * (set again after each restart: it is in-memory) keeps the send long enough to be interrupted.
 */
import { call } from '../../scripts/bench/common';
import { startLocalProcess, type LocalProcess } from '../../scripts/load/local-process';
import { duplicates, FULL, putDevices, scratchDir, sleep } from './support';

const KILLS = FULL ? 10 : 3;
const DEVICES = FULL ? 1200 : 400;
const LATENCY_MS = 60;

describe('faults: the server killed mid-send, again and again', () => {
  let server: LocalProcess | undefined;
  const dataDir = scratchDir('spush-crash-send-', () => server?.stop());

  test(
    `SIGKILL ${KILLS}× during a send: sent, each device pushed exactly once`,
    async () => {
      const start = async () => {
        server = await startLocalProcess({ dataDir, leaseMs: 3000 });
        return server;
      };
      let s = await start();
      const { body: shop } = await call(s.url, 'POST', '/local/tenants', { body: { tenantId: 'crash-shop' } });
      const ids = Array.from({ length: DEVICES }, (_, i) => `cr-${String(i).padStart(5, '0')}`);
      await putDevices(s.url, shop.appKey, ids);
      const api = (method: string, p: string, body?: unknown) => call(s.url, method, p, { token: shop.token, body });
      await api('PUT', '/local/push-gateway', { latencyMs: LATENCY_MS });
      const created = await api('POST', '/v1/campaigns', {
        name: 'crash test',
        kind: 'campaign',
        message: { title: 'Crash', body: 'Exactly once, please' },
        schedule: { type: 'now' },
      });
      expect((await api('POST', `/v1/campaigns/${created.body.id}/launch`)).status).toBe(200);
      const id = created.body.id as string;

      const log: string[] = [];
      for (let k = 0; k < KILLS; k++) {
        // A random point of the send: from during the fan-out to well into the pushes.
        await sleep(200 + Math.floor(Math.random() * 1300));
        const before = (await api('GET', `/v1/campaigns/${id}`)).body;
        await s.kill();
        log.push(`kill ${k + 1}: ${before.status}, ${before.progress.sent}/${before.progress.targeted} sent`);
        s = await start();
        await api('PUT', '/local/push-gateway', { latencyMs: LATENCY_MS });
      }
      const deadline = Date.now() + 150_000;
      let done: any;
      for (;;) {
        done = (await api('GET', `/v1/campaigns/${id}`)).body;
        if (done.status === 'sent' || done.status === 'failed' || Date.now() > deadline) break;
        await sleep(250);
      }
      const pushed = ((await api('GET', `/local/outbox?campaignId=${id}`)).body.items as { deviceId: string }[]).map((i) => i.deviceId);
      if (done.status !== 'sent') console.log(log.join('\n'), JSON.stringify(done.progress), s.output().slice(-4000));
      expect(done.status).toBe('sent');
      expect(duplicates(pushed)).toEqual([]);
      expect(pushed.sort()).toEqual(ids);
      // Insights (the lake's deliveries table, one row per device however often a chunk wrote it) and the
      // counters (one update per chunk) agree, exactly.
      const insights = (await api('GET', `/v1/campaigns/${id}/insights`)).body;
      expect(insights).toMatchObject({ sent: DEVICES, failed: 0 });
      await sleep(500);
      const final = (await api('GET', `/v1/campaigns/${id}`)).body;
      expect(final.progress).toMatchObject({ targeted: DEVICES, sent: DEVICES, failed: 0, suppressed: 0 });
    },
    FULL ? 600_000 : 170_000,
  );
});
