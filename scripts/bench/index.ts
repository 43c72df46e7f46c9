/**
 * `npm run bench [-- --quick] [--only segments,delivery,api,bundles]`: segment estimates vs the scan
 * floor on the 1 M / 20 M lake, delivery end to end and the sender alone, ingestion, API latency and
 * Lambda bundle sizes. Prints a table and writes docs/benchmarks.md. Big data lives in .bench-data/.
 */
import { writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { benchApi } from './api';
import { benchBundles } from './bundles';
import { loadAverage, machine } from './common';
import { benchDelivery } from './delivery';
import { analysis } from './analysis';
import { consoleTable, markdown, type BenchResults } from './report';
import { benchSegments } from './segments';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

async function main() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      'data-dir': { type: 'string', default: '.bench-data' },
      out: { type: 'string', default: 'docs/benchmarks.md' },
    },
  });
  const quick = values.quick!;
  const only = new Set((values.only ?? 'segments,delivery,api,bundles').split(','));
  const root = path.resolve(values['data-dir']!);
  await mkdir(root, { recursive: true });
  const started = performance.now();
  const r: BenchResults = {
    machine: machine(),
    loadBefore: loadAverage(),
    quick,
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    totalS: 0,
  };
  if (only.has('segments')) r.segments = await benchSegments({ root, devices: quick ? 100_000 : 1_000_000, runs: quick ? 3 : 7 });
  if (only.has('delivery')) r.delivery = await benchDelivery({ root, devices: quick ? 10_000 : 100_000, senderDevices: quick ? 20_000 : 100_000 });
  if (only.has('api')) r.api = await benchApi({ root, batches: quick ? 100 : 1000, concurrency: 8, reads: quick ? 200 : 1000, estimates: quick ? 10 : 30 });
  if (only.has('bundles')) r.bundles = benchBundles({ root, reuse: quick });
  r.totalS = (performance.now() - started) / 1000;
  console.log('\n' + consoleTable(r) + '\n');
  writeFileSync(path.resolve(values.out!), markdown(r) + '\n' + analysis(r) + '\n');
  console.log(`wrote ${values.out}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
