/**
 * Fault: `bin/local.ts` killed with SIGKILL while many concurrent POST /v1/events are in flight →
 * every event the API acknowledged (200, counted in `accepted`) is in the lake afterwards, read by a
 * fresh world's DuckDB over the same data dir.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openLocalDeps } from '../../lambdas/composition/local';
import { call } from '../../scripts/bench/common';
import { startLocalProcess } from '../../scripts/load/local-process';
import { FULL, sleep } from './support';

describe('faults: ingestion killed mid-batch', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'spush-crash-ingest-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  test(
    'every acknowledged event is in the lake after a SIGKILL',
    async () => {
      const rounds = FULL ? 5 : 1;
      const acked = new Set<string>();
      let seq = 0;
      let tenant: { appKey: string } | undefined;
      for (let round = 0; round < rounds; round++) {
        const server = await startLocalProcess({ dataDir });
        tenant ??= (await call(server.url, 'POST', '/local/tenants', { body: { tenantId: 'ingest-crash' } })).body;
        let stop = false;
        const client = async () => {
          while (!stop) {
            // Events over a few days so one request writes several partition files.
            const events = Array.from({ length: 200 }, () => {
              const k = seq++;
              return {
                eventId: `ic-${k}`,
                deviceId: `d-${k % 500}`,
                type: 'app_open',
                ts: new Date(Date.now() - (k % 4) * 86_400_000).toISOString(),
              };
            });
            try {
              const res = await fetch(`${server.url}/v1/events`, {
                method: 'POST',
                headers: { 'content-type': 'application/json', 'x-app-key': tenant!.appKey },
                body: JSON.stringify({ events }),
              });
              const body = (await res.json()) as { accepted: number; rejected: { index: number }[] };
              if (res.status === 200) {
                const rejected = new Set(body.rejected.map((r) => r.index));
                events.forEach((e, i) => !rejected.has(i) && acked.add(e.eventId));
              }
            } catch {
              // the connection died with the server: not acknowledged, nothing to check
            }
          }
        };
        const clients = Array.from({ length: 16 }, client);
        await sleep(800 + Math.floor(Math.random() * 1200));
        await server.kill();
        stop = true;
        await Promise.all(clients);
      }
      expect(acked.size).toBeGreaterThan(0);

      const fresh = await openLocalDeps(dataDir);
      try {
        const rows = await fresh.engine.run({
          sql: "SELECT DISTINCT event_id FROM events WHERE tenant_id = ? AND event_id LIKE 'ic-%'",
          params: ['ingest-crash'],
        });
        const inLake = new Set(rows.map((r) => String(r.event_id)));
        const missing = [...acked].filter((id) => !inLake.has(id));
        expect(missing).toEqual([]);
      } finally {
        await fresh.close();
      }
    },
    FULL ? 300_000 : 120_000,
  );
});
