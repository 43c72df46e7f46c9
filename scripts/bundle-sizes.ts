/**
 * Minified Lambda bundle sizes, read from cdk.out after `npx cdk synth` (with bundling). Maps each
 * asset folder to its function through the templates' asset metadata, prints a table and exits 1
 * when a bundle is over the budget (source maps are not counted: they never load unless asked) or
 * holds Powertools code, which every function takes from the Powertools layer instead.
 *
 *   npx cdk synth --quiet && npx tsx scripts/bundle-sizes.ts [cdk.out] [--max-kb 400]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const args = process.argv.slice(2);
const maxIdx = args.indexOf('--max-kb');
const MAX_KB = maxIdx >= 0 ? Number(args[maxIdx + 1]) : 400;
const outDir = path.resolve(args.find((a, i) => !a.startsWith('--') && (maxIdx < 0 || i !== maxIdx + 1)) ?? 'cdk.out');

interface Row {
  stack: string;
  fn: string;
  asset: string;
  bytes: number;
  /** Powertools or X-Ray SDK code found in the bundle (it must come from the layer). */
  powertools: string[];
}

/** Strings found only inside Powertools Logger, Metrics and the X-Ray SDK (environment variables they read). */
const POWERTOOLS_MARKERS = ['POWERTOOLS_LOGGER_LOG_EVENT', 'POWERTOOLS_METRICS_DISABLED', 'AWS_XRAY_DAEMON_ADDRESS'];

function markersIn(dir: string): string[] {
  const found = new Set<string>();
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || entry.name.endsWith('.map')) continue;
    const text = fs.readFileSync(path.join(entry.parentPath, entry.name), 'utf8');
    for (const m of POWERTOOLS_MARKERS) if (text.includes(m)) found.add(m);
  }
  return [...found];
}

function bundleBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) total += bundleBytes(p);
    else if (!entry.name.endsWith('.map')) total += fs.statSync(p).size;
  }
  return total;
}

function rows(): Row[] {
  if (!fs.existsSync(outDir)) throw new Error(`${outDir} does not exist: run \`npx cdk synth --quiet\` first`);
  const out: Row[] = [];
  for (const file of fs.readdirSync(outDir).filter((f) => f.endsWith('.template.json'))) {
    const stack = file.replace(/\.template\.json$/, '');
    const template = JSON.parse(fs.readFileSync(path.join(outDir, file), 'utf8')) as {
      Resources?: Record<string, { Type: string; Metadata?: Record<string, string> }>;
    };
    for (const [id, r] of Object.entries(template.Resources ?? {})) {
      if (r.Type !== 'AWS::Lambda::Function') continue;
      const asset = r.Metadata?.['aws:asset:path'];
      if (!asset) continue; // inline code (a template-only synth) or a CDK-provided handler
      const assetDir = path.join(outDir, asset);
      if (!fs.existsSync(assetDir) || !fs.statSync(assetDir).isDirectory()) continue;
      // "<stack>/<Construct>/Function/Resource" → "<Construct>"
      const cdkPath = r.Metadata?.['aws:cdk:path'] ?? id;
      const parts = cdkPath.split('/');
      const fn = parts.length >= 3 ? parts.slice(1, -2).join('/') || parts[1] : id;
      out.push({ stack, fn, asset, bytes: bundleBytes(assetDir), powertools: markersIn(assetDir) });
    }
  }
  return out;
}

function main(): number {
  const found = rows().sort((a, b) => b.bytes - a.bytes);
  if (found.length === 0) {
    console.error(`No bundled Lambda assets in ${outDir}: synthesize with bundling (no skipBundling).`);
    return 2;
  }
  const kb = (n: number) => (n / 1024).toFixed(1);
  const header = ['stack', 'function', 'bytes', 'KB', 'status'];
  const table = found.map((r) => [r.stack, r.fn, String(r.bytes), kb(r.bytes), r.bytes > MAX_KB * 1024 ? `OVER ${MAX_KB} KB` : 'ok']);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 2 || i === 3 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of table) console.log(line(row));
  const over = found.filter((r) => r.bytes > MAX_KB * 1024);
  if (over.length > 0) {
    console.error(`\n${over.length} bundle(s) over ${MAX_KB} KB: ${over.map((r) => r.fn).join(', ')}`);
    return 1;
  }
  const bundled = found.filter((r) => r.powertools.length > 0);
  if (bundled.length > 0) {
    console.error(
      `\nPowertools bundled (it must come from the layer; externalModules in service-function.ts): ${bundled.map((r) => `${r.fn} (${r.powertools.join(', ')})`).join('; ')}`,
    );
    return 1;
  }
  console.log(`\nAll ${found.length} bundles within ${MAX_KB} KB.`);
  return 0;
}

try {
  process.exitCode = main();
} catch (err) {
  console.error((err as Error).message);
  process.exitCode = 2;
}
