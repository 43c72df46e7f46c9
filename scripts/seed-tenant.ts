/** Load a demo tenant into an opened local world (registry in dynalite, snapshots and events in the lake). */
import { SingleBar, Presets } from 'cli-progress';
import pLimit from 'p-limit';
import type { DuckDbQueryEngine } from '../lambdas/adapters/local/duckdb-query-engine';
import type { ServiceDeps } from '../lambdas/ports/service-deps';
import { demoDevices, demoEvents, deviceLakeRow, type DemoOptions } from './demo-data';

/** What seeding needs of a local world (opened on its own, or a running one). */
type Opened = { deps: Pick<ServiceDeps, 'tenants' | 'devices'>; engine: DuckDbQueryEngine };

export async function seedTenant(opened: Opened, o: DemoOptions & { lakeOnly?: boolean; quiet?: boolean }) {
  const bar = (label: string, total: number) => {
    const b = new SingleBar(
      { format: `${label.padEnd(18)} [{bar}] {percentage}% {value}/{total}`, stream: process.stderr },
      Presets.shades_classic,
    );
    if (!o.quiet) b.start(total, 0);
    return { tick: (n: number) => !o.quiet && b.increment(n), stop: () => !o.quiet && b.stop() };
  };
  await opened.deps.tenants.ensureTenant(o.tenantId, o.now);
  const devices = demoDevices(o);

  if (!o.lakeOnly) {
    const b = bar('devices → registry', devices.length);
    const limit = pLimit(4);
    const chunks: (typeof devices)[] = [];
    for (let i = 0; i < devices.length; i += 500) chunks.push(devices.slice(i, i + 500));
    await Promise.all(
      chunks.map((c) =>
        limit(async () => {
          await opened.deps.devices.putMany(c);
          b.tick(c.length);
        }),
      ),
    );
    b.stop();
  }

  const rows = devices.map(deviceLakeRow);
  await opened.engine.bulkLoad(
    'devices',
    o.tenantId,
    (async function* () {
      yield rows as unknown as Record<string, unknown>[];
    })(),
  );

  // Event counts are not known up front; the bar tracks devices done.
  const b = bar('events → lake', devices.length);
  let events = 0;
  const perBatch = 5000;
  await opened.engine.bulkLoad(
    'events',
    o.tenantId,
    (async function* () {
      for (let i = 0; i < devices.length; i += perBatch) {
        for await (const batch of demoEvents({ ...o, seed: o.seed + i }, devices.slice(i, i + perBatch), 1_000_000)) {
          events += batch.length;
          yield batch as unknown as Record<string, unknown>[];
        }
        b.tick(Math.min(perBatch, devices.length - i));
      }
    })(),
  );
  b.stop();
  return { devices: devices.length, events };
}
