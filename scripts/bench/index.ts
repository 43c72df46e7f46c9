/**
 * `npm run bench [-- --quick] [--only segments,delivery,api,automations,bundles] [--devices N]`: segment
 * estimates vs the scan floor on the 1 M / 20 M lake, delivery end to end (no cap, then a cap; `--devices`
 * sets the fleet, default 100,000, 10,000 with --quick) and the sender alone, ingestion, API latency,
 * automated campaigns (events/s through the automation path, due time → push for 10,000 devices due
 * at once) and Lambda bundle sizes. Prints a table and updates docs/benchmarks.md: the sections measured are
 * replaced, the others kept. Big data lives in .bench-data/.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { benchApi } from './api';
import { benchAutomations } from './automations';
import { benchBundles } from './bundles';
import { loadAverage, machine } from './common';
import { benchDelivery } from './delivery';
import { analysis } from './analysis';
import { mergeReport } from './merge-report';
import { AREAS, consoleTable, type Area, type BenchResults } from './report';
import { benchSegments } from './segments';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

async function main() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      devices: { type: 'string' },
      'data-dir': { type: 'string', default: '.bench-data' },
      out: { type: 'string', default: 'docs/benchmarks.md' },
    },
  });
  const quick = values.quick!;
  const only = new Set((values.only ?? AREAS.map((a) => a.key).join(',')).split(',').map((x) => x.trim()));
  const unknown = [...only].filter((x) => !AREAS.some((a) => a.key === x));
  if (unknown.length > 0)
    throw new Error(`--only: unknown section(s) ${unknown.join(', ')} (known: ${AREAS.map((a) => a.key).join(', ')})`);
  const deliveryDevices = values.devices === undefined ? (quick ? 10_000 : 100_000) : Number(values.devices.replace(/_/g, ''));
  if (!Number.isInteger(deliveryDevices) || deliveryDevices < 100)
    throw new Error(`--devices: expected an integer ≥ 100, got ${values.devices}`);
  const root = path.resolve(values['data-dir']!);
  await mkdir(root, { recursive: true });
  const started = performance.now();
  const r: BenchResults = {
    machine: machine(),
    loadBefore: loadAverage(),
    quick,
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    totalS: 0,
    tookS: {},
  };
  const timedArea = async (area: Area, fn: () => Promise<void> | void) => {
    if (!only.has(area)) return;
    const t0 = performance.now();
    await fn();
    r.tookS[area] = (performance.now() - t0) / 1000;
  };
  await timedArea('segments', async () => {
    r.segments = await benchSegments({ root, devices: quick ? 100_000 : 1_000_000, runs: quick ? 3 : 7 });
  });
  await timedArea('delivery', async () => {
    r.delivery = await benchDelivery({ root, devices: deliveryDevices, senderDevices: quick ? 20_000 : 100_000 });
  });
  await timedArea('api', async () => {
    r.api = await benchApi({ root, batches: quick ? 100 : 1000, concurrency: 8, reads: quick ? 200 : 1000, estimates: quick ? 10 : 30 });
  });
  await timedArea('automations', async () => {
    r.automations = await benchAutomations({ root, devices: quick ? 2000 : 10_000, batches: quick ? 10 : 40, concurrency: 8 });
  });
  await timedArea('bundles', () => {
    r.bundles = benchBundles({ root, reuse: quick });
  });
  r.totalS = (performance.now() - started) / 1000;
  console.log('\n' + consoleTable(r) + '\n');
  // Merge: the sections measured now replace theirs; the others (and hand-written ones) stay as they were.
  const out = path.resolve(values.out!);
  const existing = existsSync(out) ? readFileSync(out, 'utf8') : undefined;
  writeFileSync(out, mergeReport(existing, r, analysis(r)));
  console.log(
    `wrote ${values.out} (measured: ${AREAS.filter((a) => r.tookS[a.key] !== undefined)
      .map((a) => a.key)
      .join(', ')}; other sections kept)`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
