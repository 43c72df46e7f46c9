/**
 * Builds the merchant UI: esbuild bundles web/src/main.tsx (Preact) and its CSS (uPlot's included)
 * into web/dist with an index.html. Everything is bundled: nothing is fetched from a CDN at run time.
 * `npm run build:web` runs it; bin/local.ts calls buildWeb() when web/dist is missing.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { build, type Metafile } from 'esbuild';

const ROOT = path.resolve(__dirname, '..');

export interface BuildWebOptions {
  /** Where the bundle goes; default web/dist. */
  outDir?: string;
  /** Minify (default true). */
  minify?: boolean;
  /** Print a one-line summary (default true). */
  log?: boolean;
}

export interface BuildWebResult {
  outDir: string;
  files: string[];
  ms: number;
}

/** Bundle the UI into `outDir` (web/dist): app-[hash].js/.css, source maps and index.html. */
export async function buildWeb(options: BuildWebOptions = {}): Promise<BuildWebResult> {
  const started = Date.now();
  const outDir = path.resolve(options.outDir ?? path.join(ROOT, 'web/dist'));
  await fs.rm(outDir, { recursive: true, force: true });
  await fs.mkdir(outDir, { recursive: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: { app: path.join(ROOT, 'web/src/main.tsx') },
    outdir: outDir,
    entryNames: '[name]-[hash]',
    assetNames: 'assets/[name]-[hash]',
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome110', 'firefox115', 'safari16'],
    minify: options.minify ?? true,
    sourcemap: true,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    loader: { '.svg': 'file', '.png': 'file' },
    define: { 'process.env.NODE_ENV': '"production"' },
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const { js, css } = entryFiles(result.metafile, outDir);
  const template = await fs.readFile(path.join(ROOT, 'web/src/index.html'), 'utf8');
  const html = template
    .replace('<!--CSS-->', css ? `<link rel="stylesheet" href="./${css}">` : '')
    .replace('<!--JS-->', `<script type="module" src="./${js}"></script>`);
  await fs.writeFile(path.join(outDir, 'index.html'), html);
  const files = [...Object.keys(result.metafile.outputs).map((f) => path.relative(outDir, path.resolve(ROOT, f))), 'index.html'];
  const ms = Date.now() - started;
  if (options.log ?? true)
    console.log(`web UI built in ${ms} ms → ${path.relative(process.cwd(), outDir) || outDir} (${files.length} files)`);
  return { outDir, files, ms };
}

function entryFiles(meta: Metafile, outDir: string): { js: string; css?: string } {
  for (const [file, out] of Object.entries(meta.outputs)) {
    if (out.entryPoint && file.endsWith('.js')) {
      return {
        js: path.relative(outDir, path.resolve(ROOT, file)),
        css: out.cssBundle ? path.relative(outDir, path.resolve(ROOT, out.cssBundle)) : undefined,
      };
    }
  }
  throw new Error('esbuild produced no entry bundle');
}

if (require.main === module) {
  buildWeb({ minify: !process.argv.includes('--dev') }).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
