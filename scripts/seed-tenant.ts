/**
 * Load a demo tenant into an opened local world (registry in dynalite, snapshots and events in the
 * lake), and make the demo shop a newcomer sees on the first screen: the help article's five example
 * segments and three campaigns sent in the past (one an A/B test with a control group), with opens, purchases and revenue in their insights.
 */
import { existsSync, promises as fs, readdirSync } from 'node:fs';
import path from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import pLimit from 'p-limit';
import type { DuckDbQueryEngine } from '../lambdas/adapters/local/duckdb-query-engine';
import { startLocalWorld, type LocalWorld } from '../lambdas/composition/local';
import { offsetClock } from '../lambdas/ports/clock';
import type { ServiceDeps } from '../lambdas/ports/service-deps';
import { launchCampaign } from '../lambdas/use-cases/campaigns/launch-cancel';
import { createCampaign, getCampaign, listCampaigns } from '../lambdas/use-cases/campaigns/manage-campaigns';
import { createSegment, listSegments } from '../lambdas/use-cases/segments/manage-segments';
import { demoDevices, demoEvents, deviceLakeRow, DEMO_PRODUCT_LINE, type DemoOptions } from './demo-data';
import { DEMO_AUTOMATION, seedDemoAutomation } from './demo-automation';
import { reportEngagement } from './demo-engagement';

/** What seeding needs of a local world (opened on its own, or a running one). */
type Opened = { deps: Pick<ServiceDeps, 'tenants' | 'devices'>; engine: DuckDbQueryEngine };

export async function seedTenant(opened: Opened, o: DemoOptions & { lakeOnly?: boolean; quiet?: boolean }) {
  const bar = (label: string, total: number) => {
    const b = new SingleBar(
      { format: `${label.padEnd(18)} [{bar}] {percentage}% {value}/{total}`, stream: process.stderr },
      Presets.shades_classic,
    );
    if (!o.quiet) b.start(total, 0);
    return { tick: (n: number) => !o.quiet && b.increment(n), stop: () => !o.quiet && b.stop() };
  };
  await opened.deps.tenants.ensureTenant(o.tenantId, o.now);
  const devices = demoDevices(o);

  if (!o.lakeOnly) {
    const b = bar('devices → registry', devices.length);
    const limit = pLimit(4);
    const chunks: (typeof devices)[] = [];
    for (let i = 0; i < devices.length; i += 500) chunks.push(devices.slice(i, i + 500));
    await Promise.all(
      chunks.map((c) =>
        limit(async () => {
          await opened.deps.devices.putMany(c);
          b.tick(c.length);
        }),
      ),
    );
    b.stop();
  }

  const rows = devices.map(deviceLakeRow);
  await opened.engine.bulkLoad(
    'devices',
    o.tenantId,
    (async function* () {
      yield rows as unknown as Record<string, unknown>[];
    })(),
  );

  // Event counts are not known up front; the bar tracks devices done.
  const b = bar('events → lake', devices.length);
  let events = 0;
  const perBatch = 5000;
  await opened.engine.bulkLoad(
    'events',
    o.tenantId,
    (async function* () {
      for (let i = 0; i < devices.length; i += perBatch) {
        for await (const batch of demoEvents({ ...o, seed: o.seed + i }, devices.slice(i, i + perBatch), 1_000_000)) {
          events += batch.length;
          yield batch as unknown as Record<string, unknown>[];
        }
        b.tick(Math.min(perBatch, devices.length - i));
      }
    })(),
  );
  b.stop();
  return { devices: devices.length, events };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * The help article's five example segments, as a merchant would write them in the segment builder
 * ("Example Use Cases": app activity, purchase behaviour, product interest, VIP customer, regional offer).
 */
export const DEMO_SEGMENTS = [
  {
    name: 'Active in the last 7 days',
    description: 'App activity: opened the app within the last 7 days.',
    match: 'all',
    criteria: [{ filter: 'last_app_open', operator: 'within_last_days', value: 7 }],
  },
  {
    name: 'Abandoned cart',
    description: 'Purchase behaviour: added to cart in the last 7 days and has not bought since.',
    match: 'all',
    criteria: [{ filter: 'abandoned_cart', operator: 'is', value: true, withinDays: 7 }],
  },
  {
    name: 'Viewed or favourited a bestseller',
    description: 'Product interest: viewed one of the bestsellers in the last 30 days, or favourited one.',
    match: 'any',
    criteria: [
      { filter: 'product_viewed', operator: 'any_of', value: [...DEMO_PRODUCT_LINE], withinDays: 30 },
      { filter: 'product_favorited', operator: 'any_of', value: [...DEMO_PRODUCT_LINE] },
    ],
  },
  {
    name: 'VIP: spent $500 or more',
    description: 'VIP customer: $500 or more in all (every device of a logged-in shopper counts).',
    match: 'all',
    criteria: [{ filter: 'total_spend', operator: 'gte', value: 500 }],
  },
  {
    name: 'Regional offer: Europe',
    description: 'Regional offer: shoppers whose device country is in Europe.',
    match: 'all',
    criteria: [{ filter: 'device_country', operator: 'in', value: ['GB', 'DE', 'FR', 'ES', 'IT', 'NL', 'SE'] }],
  },
] as const;

/**
 * Three campaigns sent in the past: `daysAgo` days before the seeding run (on the hour), to the segment
 * named; `openRate` of the recipients open the push, `buyRate` of those buy within a few hours. The A/B
 * test's openers buy at their variant's rate (`buyRateOf`), and `baselineBuyRate` of every device it
 * was meant for, held out or pushed, buys anyway within the day: what the control group measures.
 */
export const DEMO_CAMPAIGNS = [
  {
    name: 'Weekend flash sale',
    segment: 'Active in the last 7 days',
    daysAgo: 3,
    openRate: 0.14,
    buyRate: 0.22,
    message: {
      title: 'Weekend flash sale: 20% off ⚡',
      body: 'Two days only: 20% off everything in the app. Tap to shop.',
      deepLink: 'myshop://sale/weekend',
      buttons: [{ label: 'Shop Now', deepLink: 'myshop://sale/weekend' }],
    },
  },
  {
    name: 'Your cart misses you',
    segment: 'Abandoned cart',
    daysAgo: 1,
    openRate: 0.21,
    buyRate: 0.3,
    message: {
      title: 'Still thinking it over? 🛒',
      body: 'Your cart is saved. Complete your order today and shipping is on us.',
      deepLink: 'myshop://cart',
      buttons: [{ label: 'Claim Your Discount', deepLink: 'myshop://cart' }],
    },
  },
  {
    // An A/B test with a control group: variant A sells clearly more than sending nothing, B barely.
    name: 'Bestsellers: A/B test',
    segment: 'Viewed or favourited a bestseller',
    daysAgo: 2,
    openRate: 0.2,
    buyRate: 0.25,
    buyRateOf: { A: 0.4, B: 0.1 },
    baselineBuyRate: 0.04,
    holdoutPercent: 10,
    message: null,
    variants: [
      {
        id: 'A',
        weight: 50,
        message: {
          title: 'Back in stock: your favourites 🔥',
          body: 'The bestsellers you looked at are back. Get yours before they go again.',
          deepLink: 'myshop://bestsellers',
        },
      },
      {
        id: 'B',
        weight: 50,
        message: { title: 'New this week at the shop', body: 'Have a look at what is new.', deepLink: 'myshop://new' },
      },
    ],
  },
] as const;

/** How long seeding waits for a demo campaign to be delivered before giving up. */
const SEND_TIMEOUT_MS = 120_000;

export type ShopWorld = Pick<LocalWorld, 'deps' | 'gateway'> & { clock: ReturnType<typeof offsetClock> };

/**
 * The demo shop on top of a seeded tenant, through the same use cases the API runs: the five
 * segments (created unless one of that name exists), and each demo campaign created at its past
 * moment, launched and delivered by the world's own trigger → queue → sender → recording gateway,
 * then push opens and purchases of some of its recipients reported through event ingestion.
 * `world.clock` must be the world's clock; it is moved to each campaign's moment and back to now.
 * Safe to run again: nothing that exists is made twice (segments and campaigns are found by name; the
 * engagement of a campaign named in `reported` is not reported again, and its events carry fixed ids
 * that compaction folds should it be).
 */
export async function seedDemoShop(
  world: ShopWorld,
  o: { tenantId: string; seed: number; reported?: readonly string[]; onReported?: (campaign: string) => Promise<void> },
) {
  const { deps, clock } = world;
  const realNow = Date.now();
  const at = (daysAgo: number) => Math.floor((realNow - daysAgo * DAY) / HOUR) * HOUR;

  // Segments exist before the oldest campaign, as a merchant would have made them.
  clock.setOffset(at(Math.max(...DEMO_CAMPAIGNS.map((c) => c.daysAgo)) + 1) - Date.now());
  const segmentIds = new Map<string, string>();
  for (const s of await allSegments(deps, o.tenantId)) segmentIds.set(s.name, s.id);
  for (const s of DEMO_SEGMENTS) {
    if (!segmentIds.has(s.name)) segmentIds.set(s.name, (await createSegment(deps, o.tenantId, s)).id);
  }

  const existing = new Map((await allCampaigns(deps, o.tenantId)).map((c) => [c.name, c.id]));
  let events = 0;
  for (const [i, spec] of DEMO_CAMPAIGNS.entries()) {
    const sendAt = at(spec.daysAgo);
    clock.setOffset(sendAt - Date.now());
    let id = existing.get(spec.name);
    if (!id) {
      const created = await createCampaign(deps, o.tenantId, {
        name: spec.name,
        kind: 'campaign',
        segmentId: segmentIds.get(spec.segment),
        message: spec.message,
        ...('variants' in spec ? { variants: spec.variants, holdoutPercent: spec.holdoutPercent } : {}),
        schedule: { type: 'now' },
      });
      id = created.id;
    }
    if ((await getCampaign(deps, o.tenantId, id)).status === 'draft') await launchCampaign(deps, o.tenantId, id);
    const sent = await untilSent(deps, o.tenantId, id);
    clock.setOffset(0);
    if (o.reported?.includes(spec.name)) continue;
    const deliveredBy = Date.parse(sent.completedAt ?? sent.launchedAt ?? sent.createdAt);
    events += await reportEngagement(world, o.tenantId, id, { ...spec, seed: o.seed + i, deliveredBy, until: realNow - 60_000 });
    await o.onReported?.(spec.name);
  }
  clock.setOffset(0);
  // The active cart reminder, over the devices the first campaign reached (a stable, real population).
  if (!o.reported?.includes(DEMO_AUTOMATION.name)) {
    const population = (await world.gateway.outbox(o.tenantId, existingOrFirst(existing, await allCampaigns(deps, o.tenantId))))
      .map((p) => p.deviceId)
      .sort();
    const auto = await seedDemoAutomation(world, {
      tenantId: o.tenantId,
      seed: o.seed,
      existingId: existing.get(DEMO_AUTOMATION.name),
      population,
    });
    events += await reportEngagement(world, o.tenantId, auto, {
      openRate: 0.3,
      buyRate: 0.35,
      seed: o.seed + 7,
      deliveredBy: Date.now() - DAY + HOUR,
      until: realNow - 60_000,
    });
    await o.onReported?.(DEMO_AUTOMATION.name);
  }
  clock.setOffset(0);
  return { segments: DEMO_SEGMENTS.length, campaigns: DEMO_CAMPAIGNS.length, automations: 1, events };
}

/** The first demo campaign's id (its recipients are the cart reminder's population). */
function existingOrFirst(existing: Map<string, string>, all: { id: string; name: string }[]): string {
  return existing.get(DEMO_CAMPAIGNS[0].name) ?? all.find((c) => c.name === DEMO_CAMPAIGNS[0].name)!.id;
}

/** Every item of a paged list, read 100 at a time. */
async function allPages(
  list: (page: { limit: number; cursor?: string }) => Promise<{ items: { id: string; name: string }[]; nextCursor?: string | null }>,
) {
  const out: { id: string; name: string }[] = [];
  let cursor: string | undefined;
  do {
    const page = await list({ limit: 100, cursor });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

const allSegments = (deps: ServiceDeps, tenantId: string) => allPages((page) => listSegments(deps, tenantId, page));
const allCampaigns = (deps: ServiceDeps, tenantId: string) => allPages((page) => listCampaigns(deps, tenantId, page));

/** Wait for the world's workers to finish sending the campaign. */
async function untilSent(deps: ServiceDeps, tenantId: string, id: string) {
  const deadline = Date.now() + SEND_TIMEOUT_MS;
  for (;;) {
    const c = await getCampaign(deps, tenantId, id);
    if (c.status === 'sent') return c;
    if (c.status === 'failed' || c.status === 'cancelled') throw new Error(`demo campaign ${c.name} ended ${c.status}: ${c.error ?? ''}`);
    if (Date.now() > deadline) throw new Error(`demo campaign ${c.name} was not sent within ${SEND_TIMEOUT_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Marks a data dir as the demo's: what was seeded so far (a start resumes an unfinished shop). */
export const DEMO_SEED_MARKER = 'demo-seed.json';
type SeedStage = 'tenant' | 'shop' | 'done';

export interface DemoSeedOptions {
  tenantId?: string;
  devices?: number;
  days?: number;
  seed?: number;
  quiet?: boolean;
}

/**
 * `npm start`'s first-start seeding: on a fresh data dir (missing or empty) the demo tenant and its
 * shop; on a dir whose shop seeding was interrupted, the rest of the shop; otherwise nothing (a
 * restart adds no copies, and a merchant's own data dir is never touched). Runs its own short-lived
 * local world whose clock is moved into the past for the demo campaigns. What it did, and how long.
 */
export async function seedDemoIfFresh(dataDir: string, options: DemoSeedOptions = {}) {
  const o = { tenantId: 'demo', devices: 20_000, days: 90, seed: 42, quiet: false, ...options };
  const marker = path.join(dataDir, DEMO_SEED_MARKER);
  const fresh = !existsSync(dataDir) || readdirSync(dataDir).length === 0;
  const state: SeedState | undefined = fresh ? { stage: 'tenant', reported: [] } : await readState(marker);
  let stage = state?.stage;
  if (state === undefined || stage === undefined || stage === 'done') return { seeded: false as const };
  if (stage === 'tenant' && !fresh) return { seeded: false as const, interrupted: true as const };
  const started = Date.now();
  if (fresh) {
    // Claimed before anything else is written, so an interrupted first start is told from a merchant's own dir.
    await fs.mkdir(dataDir, { recursive: true });
    await writeState(marker, { stage: 'tenant', reported: [] });
  }
  const clock = offsetClock();
  const world = await startLocalWorld({ dataDir, port: 0, clock, compactEveryMs: 0 });
  try {
    let tenant: { devices: number; events: number } | undefined;
    if (stage === 'tenant') {
      tenant = await seedTenant(world, {
        tenantId: o.tenantId,
        devices: o.devices,
        days: o.days,
        seed: o.seed,
        now: new Date(),
        quiet: o.quiet,
      });
      stage = 'shop';
      await writeState(marker, { stage, reported: [] });
    }
    const shopStarted = Date.now();
    const reported = [...(state.reported ?? [])];
    const shop = await seedDemoShop(
      { ...world, clock },
      {
        tenantId: o.tenantId,
        seed: o.seed,
        reported: [...reported],
        onReported: async (name) => {
          reported.push(name);
          await writeState(marker, { stage: 'shop', reported });
        },
      },
    );
    await writeState(marker, { stage: 'done', reported });
    const seconds = (since: number) => Math.round((Date.now() - since) / 100) / 10;
    return { seeded: true as const, tenant, shop: { ...shop, seconds: seconds(shopStarted) }, seconds: seconds(started) };
  } finally {
    await world.stop();
  }
}

interface SeedState {
  stage: SeedStage;
  /** Demo campaigns whose opens and purchases were reported already. */
  reported?: string[];
}

async function readState(marker: string): Promise<SeedState | undefined> {
  try {
    return JSON.parse(await fs.readFile(marker, 'utf8')) as SeedState;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Written whole to a temporary file, then renamed over the marker (a crash leaves the old or the new one). */
async function writeState(marker: string, state: SeedState) {
  await fs.writeFile(`${marker}.tmp`, JSON.stringify(state));
  await fs.rename(`${marker}.tmp`, marker);
}
