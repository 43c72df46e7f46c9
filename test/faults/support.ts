/** Shared helpers of the fault suites: mode (CI-sized or FAULTS_FULL=1), fleets of devices, polling, scratch dirs. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pLimit from 'p-limit';
import type { Device } from '../../lambdas/domain/devices/device';
import { deviceLakeRow } from '../../lambdas/domain/devices/device';
import { call } from '../../scripts/bench/common';
import { demoDevices } from '../../scripts/demo-data';
import type { TestWorld } from '../integration/harness';

/** FAULTS_FULL=1 runs the documented full versions (more devices, ten crashes in a row). */
export const FULL = process.env.FAULTS_FULL === '1';

/** n opted-in devices with the demo generator's mix (platforms, zones), ids `<prefix>-0000001`… */
export function fleet(tenantId: string, n: number, prefix: string): Device[] {
  return demoDevices({ tenantId, devices: n, days: 30, seed: 11, now: new Date() }).map((d) => ({
    ...d,
    deviceId: d.deviceId.replace(/^d-/, `${prefix}-`),
    optedIn: true,
  }));
}

/** Register devices straight into a running in-process world: the registry and the lake, as the device API would. */
export async function registerFleet(t: TestWorld, devices: Device[]): Promise<void> {
  await t.world.deps.devices.putMany(devices);
  await t.world.lake.appendDevices(devices[0].tenantId, devices.map(deviceLakeRow));
}

/** Each id's count in a list of pushed device ids. */
export function duplicates(ids: string[]): string[] {
  const seen = new Map<string, number>();
  for (const id of ids) seen.set(id, (seen.get(id) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([id, n]) => `${id}×${n}`);
}

/** A fresh data dir for the describe block it is called in; `stop` (the server on it) runs before it is removed. */
export function scratchDir(prefix: string, stop: () => Promise<unknown> | undefined): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  afterAll(async () => {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

/** Register opted-in US devices (alternately Android and iOS, token `tok-<id>`) over HTTP, 16 at a time. */
export async function putDevices(base: string, appKey: string, ids: string[]): Promise<void> {
  const limit = pLimit(16);
  await Promise.all(
    ids.map((id, i) =>
      limit(async () => {
        const res = await call(base, 'PUT', `/v1/devices/${id}`, {
          appKey,
          body: { platform: i % 2 ? 'ios' : 'android', token: `tok-${id}`, optedIn: true, country: 'US', timezone: 'America/New_York' },
        });
        if (res.status !== 200) throw new Error(`device ${id}: ${res.status}`);
      }),
    ),
  );
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
