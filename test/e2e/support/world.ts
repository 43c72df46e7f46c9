/**
 * Browser-test harness: seeds a small demo tenant into a temp data dir, builds the UI, starts the
 * real local world on a free port serving web/dist, and drives Debian's Chromium with playwright-core.
 */
import { existsSync, mkdirSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { openLocalDeps, startLocalWorld, type LocalWorld } from '../../../lambdas/composition/local';
import { buildWeb } from '../../../scripts/build-web';
import { seedTenant } from '../../../scripts/seed-tenant';
import { wallClockIn } from '../../../web/src/lib/time-zones';

export const ROOT = path.resolve(__dirname, '../../..');
export const OUT_DIR = path.join(ROOT, 'test-output/e2e');
export const README_DIR = path.join(ROOT, 'docs/screenshots');
/** `E2E_README_SCREENSHOTS=1 npm run test:e2e` also writes docs/screenshots/*.png. */
export const README_MODE = process.env.E2E_README_SCREENSHOTS === '1';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function chromiumPath(): string {
  for (const p of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/lib/chromium/chromium']) if (p && existsSync(p)) return p;
  throw new Error('Chromium not found: apt-get update && apt-get install -y chromium');
}

export interface E2E {
  world: LocalWorld;
  browser: Browser;
  url: string;
  dataDir: string;
  token: string;
  /** Calls the API as the demo tenant (for set-up and checks the UI does not show). */
  api<T = any>(method: string, p: string, body?: unknown): Promise<{ status: number; body: T }>;
  newPage(viewport?: { width: number; height: number }): Promise<{ page: Page; context: BrowserContext; consoleErrors: string[] }>;
  stop(): Promise<void>;
}

let built: Promise<unknown> | null = null;

/** A test file's world and its desktop page. */
export interface E2EFile {
  e2e: E2E;
  page: Page;
  consoleErrors: string[];
}

/** Start the world (`opts`) and a 1280×800 page before the file's tests, handed to `assign`; stop the world after them. */
export function e2eForFile(opts: { devices?: number }, assign: (file: E2EFile) => void): void {
  let e2e: E2E | undefined;
  beforeAll(async () => {
    e2e = await startE2E(opts);
    const { page, consoleErrors } = await e2e.newPage({ width: 1280, height: 800 });
    assign({ e2e, page, consoleErrors });
  }, 180_000);
  afterAll(async () => {
    await e2e?.stop();
  });
}

/** Seed (2000 devices, 30 days), build the UI once per process, start the world and the browser. */
export async function startE2E(opts: { devices?: number } = {}): Promise<E2E> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  mkdirSync(OUT_DIR, { recursive: true });
  built ??= buildWeb({ log: false });
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'sp-e2e-'));
  const opened = await openLocalDeps(dataDir);
  try {
    await seedTenant(opened, { tenantId: 'demo', devices: opts.devices ?? 2000, days: 30, seed: 7, now: new Date(), quiet: true });
  } finally {
    await opened.close();
  }
  await built;
  const world = await startLocalWorld({ dataDir, port: 0, staticDir: path.join(ROOT, 'web/dist') });
  const url = world.url;
  const issued = await fetch(`${url}/local/tenants`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenantId: 'demo' }),
  });
  const token = ((await issued.json()) as { token: string }).token;
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true });
  const contexts: BrowserContext[] = [];

  return {
    world,
    browser,
    url,
    dataDir,
    token,
    async api(method, p, body) {
      const res = await fetch(`${url}${p}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    async newPage(viewport = { width: 1280, height: 800 }) {
      const context = await browser.newContext({ viewport, deviceScaleFactor: 1, locale: 'en-US', timezoneId: 'Europe/Berlin' });
      contexts.push(context);
      // Images of the composer come from a CDN; the test serves one so nothing leaves the machine.
      await context.route('https://cdn.example.com/**', (route) =>
        route.fulfill({ status: 200, contentType: 'image/svg+xml', body: SALE_SVG }),
      );
      const page = await context.newPage();
      const consoleErrors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') consoleErrors.push(m.text());
      });
      page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
      return { page, context, consoleErrors };
    },
    async stop() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await world.stop();
      await fs.rm(dataDir, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}

/**
 * Saves test-output/e2e/<name>.png (whole page) and, in README mode, docs/screenshots/<readme>.png:
 * the 1280×800 viewport, scrolled so `readmeTop` (a selector) is at the top when given.
 */
export async function shot(page: Page, name: string, readme?: string, readmeTop?: string): Promise<void> {
  // Sticky columns land mid-page in a full-page capture; lay them out statically for it.
  const style = await page.addStyleTag({
    content: '.sidebar, .col-side.sticky { position: static !important; height: auto !important; } .toasts { display: none; }',
  });
  await page.screenshot({ path: path.join(OUT_DIR, `${name}.png`), fullPage: true });
  await style.evaluate((el) => (el as Element).remove());
  if (readme && README_MODE) {
    mkdirSync(README_DIR, { recursive: true });
    if (readmeTop)
      await page
        .locator(readmeTop)
        .first()
        .evaluate((el) => {
          el.scrollIntoView({ block: 'start' });
          window.scrollBy(0, -24);
        });
    await page.mouse.move(0, 0);
    const noToasts = await page.addStyleTag({ content: '.toasts { display: none; }' });
    await page.screenshot({ path: path.join(README_DIR, `${readme}.png`), fullPage: false });
    await noToasts.evaluate((el) => (el as Element).remove());
    await page.evaluate(() => window.scrollTo(0, 0));
  }
}

/** Console errors, minus the browser's own "Failed to load resource" notes for statuses the test expects. */
export function unexpectedErrors(errors: string[], expectedStatuses: number[] = []): string[] {
  return errors.filter((e) => !expectedStatuses.some((s) => e.includes('Failed to load resource') && e.includes(`status of ${s}`)));
}

/** Now + minutes as "YYYY-MM-DDTHH:mm" on the wall clock of `timeZone` (the UI's own conversion). */
export const wallClock = (timeZone: string, minutes: number): string => wallClockIn(timeZone, minutes);

const SALE_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="300" viewBox="0 0 600 300">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#f43f5e"/><stop offset="1" stop-color="#f59e0b"/></linearGradient></defs>
<rect width="600" height="300" fill="url(#g)"/><text x="300" y="170" font-family="sans-serif" font-size="72" font-weight="700" fill="#fff" text-anchor="middle">-30%</text></svg>`;
