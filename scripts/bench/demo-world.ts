/** A local world in a fresh data dir with the demo-size tenant (20,000 devices, 90 days), for latency and load runs. */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLocalWorld, type LocalWorld, type LocalWorldOptions } from '../../lambdas/composition/local';
import { seedTenant } from '../seed-tenant';
import { call } from './common';

export interface DemoWorld {
  world: LocalWorld;
  dataDir: string;
  token: string;
  appKey: string;
  tenantId: string;
  stop(): Promise<void>;
}

export async function startDemoWorld(o: { devices?: number; dir?: string; world?: Partial<LocalWorldOptions> } = {}): Promise<DemoWorld> {
  const dataDir = await fs.mkdtemp(path.join(o.dir ?? os.tmpdir(), 'spush-bench-'));
  const world = await startLocalWorld({ dataDir, port: 0, ...o.world });
  try {
    await seedTenant(
      { deps: world.deps, engine: world.engine },
      { tenantId: 'demo', devices: o.devices ?? 20_000, days: 90, seed: 42, now: new Date() },
    );
    const { body } = await call(world.url, 'POST', '/local/tenants', { body: { tenantId: 'demo' } });
    return {
      world,
      dataDir,
      token: body.token,
      appKey: body.appKey,
      tenantId: 'demo',
      stop: async () => {
        await world.stop();
        await fs.rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await world.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
    throw err;
  }
}

/** Events an app SDK would flush: recent, mixed types, unique ids. */
export function sdkEvents(n: number, deviceCount: number, seq: { next: number }): Record<string, unknown>[] {
  const now = Date.now();
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const k = seq.next++;
    const deviceId = `d-${String((k % deviceCount) + 1).padStart(7, '0')}`;
    const ts = new Date(now - (k % 3600) * 1000).toISOString();
    const kind = k % 10;
    if (kind < 5) out.push({ eventId: `ld-${k}`, deviceId, type: 'app_open', ts });
    else if (kind < 8) out.push({ eventId: `ld-${k}`, deviceId, type: 'product_view', ts, productId: `sku-${(k % 400) + 1}` });
    else if (kind < 9) out.push({ eventId: `ld-${k}`, deviceId, type: 'add_to_cart', ts, productId: `sku-${(k % 400) + 1}` });
    else out.push({ eventId: `ld-${k}`, deviceId, type: 'purchase', ts, orderId: `lo-${k}`, amount: 10 + (k % 200), currency: 'USD' });
  }
  return out;
}
