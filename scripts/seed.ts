/**
 * `npm run seed -- [--tenant demo] [--devices 20000] [--days 90] [--seed 42] [--data-dir .data] [--lake-only]`
 * Generates a reproducible demo tenant. The same tool makes the 1 M-device benchmark set.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openLocalDeps } from '../lambdas/composition/local';
import { seedTenant } from './seed-tenant';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

async function main() {
  const { values } = parseArgs({
    options: {
      tenant: { type: 'string', default: 'demo' },
      devices: { type: 'string', default: '20000' },
      days: { type: 'string', default: '90' },
      seed: { type: 'string', default: '42' },
      'data-dir': { type: 'string', default: process.env.DATA_DIR ?? '.data' },
      'lake-only': { type: 'boolean', default: false },
    },
  });
  const dataDir = path.resolve(values['data-dir']!);
  const opened = await openLocalDeps(dataDir);
  const started = Date.now();
  try {
    const out = await seedTenant(opened, {
      tenantId: values.tenant!,
      devices: Number(values.devices),
      days: Number(values.days),
      seed: Number(values.seed),
      now: new Date(),
      lakeOnly: values['lake-only'],
    });
    console.log(
      `seeded tenant ${values.tenant}: ${out.devices} devices, ${out.events} events in ${((Date.now() - started) / 1000).toFixed(1)} s (${dataDir})`,
    );
  } finally {
    await opened.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
