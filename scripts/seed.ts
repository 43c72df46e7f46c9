/**
 * `npm run seed -- [--tenant demo] [--devices 20000] [--days 90] [--seed 42] [--data-dir .data] [--lake-only] [--shop]`
 * Generates a reproducible demo tenant. The same tool makes the 1 M-device benchmark set. `--shop`
 * adds the demo shop `npm start` makes on a fresh data dir (the five example segments and two
 * campaigns sent in the past, through a local world with workers); it adds nothing that exists.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openLocalDeps, startLocalWorld } from '../lambdas/composition/local';
import { offsetClock } from '../lambdas/ports/clock';
import { seedDemoShop, seedTenant } from './seed-tenant';

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
      shop: { type: 'boolean', default: false },
    },
  });
  const dataDir = path.resolve(values['data-dir']!);
  if (values.shop && values['lake-only']) throw new Error('--shop needs the device registry: drop --lake-only');
  // The shop is sent by the world's own workers, on a clock the seeding moves into the past.
  const clock = offsetClock();
  const opened = values.shop
    ? await startLocalWorld({ dataDir, port: 0, clock, compactEveryMs: 0 })
    : { ...(await openLocalDeps(dataDir)), stop: undefined };
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
    const shop = opened.stop
      ? await seedDemoShop({ ...opened, clock }, { tenantId: values.tenant!, seed: Number(values.seed) })
      : undefined;
    console.log(
      `seeded tenant ${values.tenant}: ${out.devices} devices, ${out.events} events${shop ? `, ${shop.segments} segments, ${shop.campaigns} sent campaigns` : ''} in ${((Date.now() - started) / 1000).toFixed(1)} s (${dataDir})`,
    );
  } finally {
    await (opened.stop ? opened.stop() : opened.close());
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
