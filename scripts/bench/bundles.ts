/** Lambda bundle sizes: synthesize with bundling into .bench-data/cdk.out (not the shared cdk.out), then scripts/bundle-sizes.ts. */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { progress } from './common';

export interface BundleRow {
  stack: string;
  fn: string;
  bytes: number;
  status: string;
}

export interface BundleResult {
  outDir: string;
  synthS: number | null;
  rows: BundleRow[];
  budgetKb: number;
  output: string;
}

export function benchBundles(o: { root: string; reuse: boolean }): BundleResult {
  const outDir = path.join(o.root, 'cdk.out');
  let synthS: number | null = null;
  if (!(o.reuse && existsSync(outDir))) {
    const bar = progress('cdk synth (bundling)', 1, 'step');
    const t0 = performance.now();
    execFileSync('npx', ['cdk', 'synth', '--quiet', '-o', outDir], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    synthS = (performance.now() - t0) / 1000;
    bar.increment();
    bar.stop();
  }
  let output: string;
  try {
    output = execFileSync('npx', ['tsx', 'scripts/bundle-sizes.ts', outDir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err: any) {
    if (err.status !== 1) throw err; // 2 = it could not measure: no table to report
    output = `${err.stdout ?? ''}${err.stderr ?? ''}`; // exit 1 = a bundle over budget: still report the table
  }
  const rows: BundleRow[] = [];
  for (const line of output.split('\n')) {
    const m = /^(\S+)\s+(\S+)\s+(\d+)\s+[\d.]+\s+(.+)$/.exec(line.trim());
    if (m) rows.push({ stack: m[1], fn: m[2], bytes: Number(m[3]), status: m[4].trim() });
  }
  return { outDir, synthS, rows, budgetKb: 400, output };
}
