/**
 * `npm start`: the local world on one machine (dynalite, DuckDB, in-process scheduler and queue, a
 * recording push gateway) serving the HTTP API and the merchant UI. Seeds the demo shop on first start
 * (a fresh data dir): devices, 90 days of events, five example segments and three campaigns sent in the past (one an A/B test with a control group).
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { startLocalWorld } from '../lambdas/composition/local';
import { issueLocalTenant } from '../lambdas/use-cases/tenants/issue-local-tenant';
import { buildWeb } from '../scripts/build-web';
import { seedDemoIfFresh } from '../scripts/seed-tenant';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

async function main() {
  const dataDir = path.resolve(process.env.DATA_DIR ?? '.data');
  const port = Number(process.env.PORT ?? 3000);
  const staticDir = path.resolve('web/dist');

  if (process.env.SEED !== 'false') {
    // Only a fresh data dir (or one whose demo shop a previous first start left unfinished) is seeded.
    if (!existsSync(dataDir) || readdirSync(dataDir).length === 0) console.log(`first start: generating the demo shop in ${dataDir} …`);
    const out = await seedDemoIfFresh(dataDir);
    if (out.seeded) {
      const tenant = out.tenant ? `${out.tenant.devices} devices, ${out.tenant.events} events, ` : '';
      console.log(
        `demo shop ready in ${out.seconds} s: ${tenant}${out.shop.segments} segments, ${out.shop.campaigns} sent campaigns, ${out.shop.automations} active automation (${out.shop.seconds} s of it)`,
      );
    } else if (out.interrupted) {
      console.warn(`the demo data in ${dataDir} was left half-written by an interrupted first start: delete ${dataDir} to start over`);
    }
  }

  if (!existsSync(path.join(staticDir, 'index.html'))) await buildWeb({ outDir: staticDir });
  const leaseMs = process.env.LOCAL_LEASE_MS ? Number(process.env.LOCAL_LEASE_MS) : undefined;
  const world = await startLocalWorld({ dataDir, port, host: process.env.HOST ?? '127.0.0.1', staticDir, leaseMs });
  const demo = await issueLocalTenant({ ...world.deps, tokens: world.tokens }, { tenantId: 'demo' });
  const url = world.url.replace('127.0.0.1', 'localhost');
  console.log(`segmented-push local world: ${url}  (UI ${url}/, API ${url}/v1/…, data ${dataDir})`);
  console.log(`demo tenant: Authorization: Bearer ${demo.token}`);
  console.log(`demo app key (X-App-Key): ${demo.appKey}`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping…`);
    await world.stop();
    process.exit(0);
  };
  const stopOn = (signal: string) =>
    stop(signal).catch((err) => {
      console.error(`${signal}: stopping failed`, err);
      process.exit(1);
    });
  process.on('SIGINT', () => void stopOn('SIGINT'));
  process.on('SIGTERM', () => void stopOn('SIGTERM'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
