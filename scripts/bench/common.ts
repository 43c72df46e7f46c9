/** Shared helpers of the benchmarks and the load test: progress bars, statistics, the machine, HTTP. */
import { execSync } from 'node:child_process';
import os from 'node:os';
import { Presets, SingleBar } from 'cli-progress';
import pLimit from 'p-limit';

export const DAY_MS = 86_400_000;

/** A progress bar on stderr (drawn on a TTY, a line per 10 % otherwise so logs still show progress). */
export function progress(label: string, total: number, unit = '') {
  const tty = Boolean(process.stderr.isTTY);
  const bar = new SingleBar(
    {
      format: `${label.padEnd(30)} [{bar}] {percentage}% {value}/{total}${unit ? ` ${unit}` : ''} {extra}`,
      stream: process.stderr,
      noTTYOutput: !tty,
      notTTYSchedule: 5000,
      hideCursor: tty,
    },
    Presets.shades_classic,
  );
  bar.start(total, 0, { extra: '' });
  return {
    update: (value: number, extra = '') => bar.update(value, { extra }),
    increment: (n = 1, extra = '') => bar.increment(n, { extra }),
    setTotal: (n: number) => bar.setTotal(n),
    stop: () => bar.stop(),
  };
}

export function median(xs: number[]): number {
  return percentile(xs, 50);
}

/** Nearest-rank percentile. */
export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export function fmtMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;
}

export function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  os: string;
  date: string;
  commit: string;
}

export function machine(): Machine {
  let commit = 'unknown';
  try {
    commit = execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
    if (
      execSync('git status --porcelain', { stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim()
    )
      commit += ' (+ local changes)';
  } catch {
    // not a git checkout
  }
  let cpus = os.cpus().length;
  try {
    cpus = Number(
      execSync('nproc', { stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim(),
    );
  } catch {
    // nproc missing: keep os.cpus()
  }
  return {
    cpus,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    date: new Date().toISOString(),
    commit,
  };
}

/** Load average of the last minute, to tell a quiet machine from a busy one in the report. */
export function loadAverage(): number {
  return Math.round(os.loadavg()[0] * 100) / 100;
}

export interface JsonResponse<T = any> {
  status: number;
  body: T;
}

/** A JSON request against the local world. */
export async function call<T = any>(
  base: string,
  method: string,
  urlPath: string,
  opts: { token?: string; appKey?: string; body?: unknown } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.appKey) headers['x-app-key'] = opts.appKey;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(base + urlPath, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** Time an async function (ms, high resolution). */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Ingestion as measured: events accepted, wall time and request latencies. */
export interface IngestTiming {
  accepted: number;
  seconds: number;
  requestP50Ms: number;
  requestP99Ms: number;
}

/**
 * POST the bodies (500 events each) to `${base}/v1/events` from `concurrency` clients, with a progress bar.
 * A non-200 answer fails the run; with `requireAll` so does any rejected event.
 */
export async function postEvents(o: {
  base: string;
  appKey: string;
  bodies: string[];
  concurrency: number;
  label: string;
  requireAll?: boolean;
}): Promise<IngestTiming> {
  const limit = pLimit(o.concurrency);
  const bar = progress(o.label, o.bodies.length * 500, 'events');
  const reqMs: number[] = [];
  let accepted = 0;
  const started = performance.now();
  await Promise.all(
    o.bodies.map((body) =>
      limit(async () => {
        const r0 = performance.now();
        const res = await fetch(`${o.base}/v1/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-app-key': o.appKey },
          body,
        });
        const out = (await res.json()) as { accepted: number; rejected?: unknown[] };
        reqMs.push(performance.now() - r0);
        if (o.requireAll && (res.status !== 200 || (out.rejected?.length ?? 0) > 0))
          throw new Error(`events: HTTP ${res.status} ${JSON.stringify(out).slice(0, 300)}`);
        if (res.status !== 200) throw new Error(`events: HTTP ${res.status}`);
        accepted += out.accepted;
        bar.increment(out.accepted);
      }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  bar.stop();
  return { accepted, seconds, requestP50Ms: percentile(reqMs, 50), requestP99Ms: percentile(reqMs, 99) };
}

/** A markdown table: the first row is the header. */
export const md = (rows: string[][]) =>
  [`| ${rows[0].join(' | ')} |`, `|${rows[0].map(() => '---').join('|')}|`, ...rows.slice(1).map((x) => `| ${x.join(' | ')} |`)].join('\n');

/** A bench data path as the docs show it (from `.bench-data`). */
export function relative(p: string): string {
  const i = p.indexOf('.bench-data');
  return i >= 0 ? p.slice(i) : p;
}
