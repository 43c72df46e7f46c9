/**
 * `npm run load [-- --duration 30 --connections 200]`: autocannon on loopback against a local world
 * this script starts (bin/local.ts as a child process, temp data dir, demo-size tenant), on a mix of
 * segment reads and writes, estimates and event ingestion. Reports requests/s, p50/p99 per route,
 * errors and non-2xx; exits 1 on any error or 5xx. Under CI=true the defaults are 10 s × 50 connections.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { call, fmtInt, progress } from '../bench/common';
import { sdkEvents } from '../bench/demo-world';
import { NESTED, VIP } from '../bench/segments';
import { startLocalProcess } from './local-process';

// autocannon ships no types; it is used through this narrow shape.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (
  opts: Record<string, unknown>,
) => Promise<any> & { on(ev: string, fn: (...a: any[]) => void): void };

interface Route {
  name: string;
  share: number;
  requests: Record<string, unknown>[];
}

async function main() {
  const ci = process.env.CI === 'true';
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: ci ? '10' : '30' },
      connections: { type: 'string', default: ci ? '50' : '200' },
      'batch-size': { type: 'string', default: '100' },
    },
  });
  const duration = Number(values.duration);
  const connections = Number(values.connections);
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'spush-load-'));
  console.error(`starting bin/local.ts on a fresh data dir (${dataDir}); first start seeds the demo tenant (20,000 devices) …`);
  const server = await startLocalProcess({ dataDir, seed: true, timeoutMs: 300_000 });
  let failed = false;
  try {
    const base = server.url;
    const { body: demo } = await call(base, 'POST', '/local/tenants', { body: { tenantId: 'demo' } });
    const auth = { authorization: `Bearer ${demo.token}`, 'content-type': 'application/json' };
    const segIds: string[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await call(base, 'POST', '/v1/segments', { token: demo.token, body: { name: `load ${i}`, ...(i % 2 ? NESTED : VIP) } });
      if (res.status !== 201) throw new Error(`segment: ${res.status} ${JSON.stringify(res.body)}`);
      segIds.push(res.body.id);
    }
    const seq = { next: 0 };
    const batchSize = Number(values['batch-size']);
    const eventBodies = Array.from({ length: 200 }, () => JSON.stringify({ events: sdkEvents(batchSize, 20_000, seq) }));
    let k = 0;
    const pick = <T>(xs: T[]) => xs[k++ % xs.length];
    const routes: Route[] = [
      {
        name: 'GET /v1/segments/{id}',
        share: 0.45,
        requests: [{ method: 'GET', headers: auth, setupRequest: (r: any) => ({ ...r, path: `/v1/segments/${pick(segIds)}` }) }],
      },
      { name: 'GET /v1/segments (list)', share: 0.1, requests: [{ method: 'GET', path: '/v1/segments?limit=20', headers: auth }] },
      {
        name: 'PUT /v1/segments/{id}',
        share: 0.1,
        requests: [
          {
            method: 'PUT',
            headers: auth,
            setupRequest: (r: any) => {
              const i = k++ % 10; // writes go to the first half; reads see them change
              return {
                ...r,
                path: `/v1/segments/${segIds[i * 2]}`,
                body: JSON.stringify({
                  name: `load ${i * 2}`,
                  match: 'all',
                  criteria: [{ filter: 'total_spend', operator: 'gte', value: 100 + (k % 900) }],
                }),
              };
            },
          },
        ],
      },
      {
        name: 'POST /v1/segments',
        share: 0.05,
        requests: [
          {
            method: 'POST',
            path: '/v1/segments',
            headers: auth,
            setupRequest: (r: any) => ({
              ...r,
              body: JSON.stringify({
                name: `load new ${process.pid}-${k++}`,
                match: 'all',
                criteria: [{ filter: 'platform', operator: 'in', value: ['ios'] }],
              }),
            }),
          },
        ],
      },
      {
        name: 'POST /v1/segment-estimates',
        share: 0.05,
        requests: [
          {
            method: 'POST',
            path: '/v1/segment-estimates',
            headers: auth,
            setupRequest: (r: any) => ({ ...r, body: JSON.stringify({ segmentId: pick(segIds) }) }),
          },
        ],
      },
      {
        name: `POST /v1/events (${batchSize}/batch)`,
        share: 0.25,
        requests: [
          {
            method: 'POST',
            path: '/v1/events',
            headers: { 'x-app-key': demo.appKey, 'content-type': 'application/json' },
            setupRequest: (r: any) => ({ ...r, body: pick(eventBodies) }),
          },
        ],
      },
    ];
    const split = routes.map((r) => Math.max(1, Math.round(r.share * connections)));
    console.error(
      `load: ${connections} connections for ${duration} s on loopback: ${routes.map((r, i) => `${r.name} ×${split[i]}`).join(', ')}`,
    );
    const bar = progress('load', duration, 's');
    const tick = setInterval(() => bar.increment(), 1000);
    const results = await Promise.all(
      routes.map((r, i) => autocannon({ url: base, connections: split[i], duration, requests: r.requests, timeout: 30 })),
    );
    clearInterval(tick);
    bar.update(duration);
    bar.stop();

    const rows = results.map((res, i) => ({
      route: routes[i].name,
      connections: split[i],
      requests: res.requests.total as number,
      rps: res.requests.average as number,
      p50: res.latency.p50 as number,
      p99: res.latency.p99 as number,
      errors: (res.errors as number) + (res.timeouts as number),
      non2xx: res.non2xx as number,
      s5xx: res['5xx'] as number,
      codes: Object.entries(res.statusCodeStats as Record<string, { count: number }>)
        .map(([c, v]) => `${c}:${v.count}`)
        .join(' '),
    }));
    const head = ['route', 'conns', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'non-2xx', '5xx', 'status codes'];
    const table = [
      head,
      ...rows.map((r) => [
        r.route,
        String(r.connections),
        fmtInt(r.requests),
        fmtInt(r.rps),
        String(r.p50),
        String(r.p99),
        String(r.errors),
        String(r.non2xx),
        String(r.s5xx),
        r.codes,
      ]),
    ];
    const w = head.map((_, i) => Math.max(...table.map((t) => t[i].length)));
    console.log(table.map((t) => t.map((c, i) => c.padEnd(w[i])).join('  ')).join('\n'));
    const total = rows.reduce((s, r) => s + r.requests, 0);
    const errors = rows.reduce((s, r) => s + r.errors, 0);
    const s5xx = rows.reduce((s, r) => s + r.s5xx, 0);
    const non2xx = rows.reduce((s, r) => s + r.non2xx, 0);
    const reads = rows[0];
    console.log(
      `\ntotal ${fmtInt(total)} requests in ${duration} s = ${fmtInt(total / duration)} req/s; errors ${errors}; non-2xx ${non2xx}; 5xx ${s5xx}`,
    );
    console.log(
      `targets: zero errors ${errors === 0 ? 'met' : 'MISSED'}; zero 5xx ${s5xx === 0 ? 'met' : 'MISSED'}; p99 of segment reads < 50 ms ${reads.p99 < 50 ? 'met' : 'MISSED'} (${reads.p99} ms)`,
    );
    failed = errors > 0 || s5xx > 0;
    if (s5xx > 0)
      console.error(
        server
          .output()
          .split('\n')
          .filter((l) => /error|Error/.test(l))
          .slice(-10)
          .join('\n'),
      );
  } finally {
    await server.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
