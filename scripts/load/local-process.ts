/**
 * `bin/local.ts` as a child process (the server the user runs), for the load test and the crash tests.
 * It runs as `node --import tsx bin/local.ts` in its own process group, so SIGKILL hits the server itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

export interface LocalProcess {
  url: string;
  port: number;
  child: ChildProcess;
  output: () => string;
  /** SIGKILL the process group and wait for the exit. */
  kill(): Promise<void>;
  /** SIGTERM (graceful stop) and wait. */
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

const ROOT = path.resolve(__dirname, '..', '..');

export async function startLocalProcess(o: {
  dataDir: string;
  port?: number;
  seed?: boolean;
  leaseMs?: number;
  timeoutMs?: number;
  env?: Record<string, string>;
}): Promise<LocalProcess> {
  const port = o.port ?? (await freePort());
  const child = spawn(process.execPath, ['--import', 'tsx', 'bin/local.ts'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: String(port),
      DATA_DIR: o.dataDir,
      SEED: o.seed ? 'true' : 'false',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...(o.leaseMs ? { LOCAL_LEASE_MS: String(o.leaseMs) } : {}),
      ...o.env,
    },
  });
  let out = '';
  child.stdout!.on('data', (b) => (out += b.toString()));
  child.stderr!.on('data', (b) => (out = (out + b.toString()).slice(-200_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  await new Promise<void>((resolve, reject) => {
    const deadline = Date.now() + (o.timeoutMs ?? 120_000);
    const check = () => {
      if (out.includes('segmented-push local world:')) return resolve();
      if (child.exitCode !== null) return reject(new Error(`bin/local.ts exited with ${child.exitCode}:\n${out.slice(-3000)}`));
      if (Date.now() > deadline) return reject(new Error(`bin/local.ts did not start in time:\n${out.slice(-3000)}`));
      setTimeout(check, 50);
    };
    check();
  });
  const signal = async (sig: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid!, sig);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err; // ESRCH: already gone
    }
    await exited;
  };
  return { url, port, child, output: () => out, kill: () => signal('SIGKILL'), stop: () => signal('SIGTERM') };
}
