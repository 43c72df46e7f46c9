/**
 * `npm start`: the local world on one machine (dynalite, DuckDB, in-process scheduler and queue, a
 * recording push gateway) serving the HTTP API and the merchant UI. Seeds demo data on first start.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { startLocalWorld } from '../lambdas/composition/local';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

async function main() {
  const dataDir = path.resolve(process.env.DATA_DIR ?? '.data');
  const port = Number(process.env.PORT ?? 3000);
  const staticDir = path.resolve('web/dist');
  const world = await startLocalWorld({ dataDir, port, host: process.env.HOST ?? '127.0.0.1', staticDir: existsSync(staticDir) ? staticDir : undefined });
  console.log(`segmented-push local world on ${world.url.replace('127.0.0.1', 'localhost')}  (data: ${dataDir})`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping…`);
    await world.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
