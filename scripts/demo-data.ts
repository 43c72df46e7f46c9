/**
 * A realistic, seeded, reproducible shop: devices (iOS/Android mix, ~15 countries and their time
 * zones, app versions, ~40 % logged-in shoppers, some with two devices, ~8 % opted out) and N days of
 * events (opens, views, favourites, carts, purchases with amounts, push opens).
 */
import type { Device } from '../lambdas/domain/devices/device';
import { deviceLakeRow } from '../lambdas/domain/devices/device';
import { eventRow, type EventRow } from '../lambdas/domain/lake-schema';

export interface DemoOptions {
  tenantId: string;
  devices: number;
  days: number;
  seed: number;
  now: Date;
}

const COUNTRIES: [string, number, string[], string][] = [
  ['US', 30, ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles'], 'en-US'],
  ['CA', 8, ['America/Toronto', 'America/Vancouver'], 'en-CA'],
  ['GB', 10, ['Europe/London'], 'en-GB'],
  ['DE', 8, ['Europe/Berlin'], 'de-DE'],
  ['FR', 6, ['Europe/Paris'], 'fr-FR'],
  ['ES', 4, ['Europe/Madrid'], 'es-ES'],
  ['IT', 4, ['Europe/Rome'], 'it-IT'],
  ['NL', 3, ['Europe/Amsterdam'], 'nl-NL'],
  ['SE', 2, ['Europe/Stockholm'], 'sv-SE'],
  ['AU', 5, ['Australia/Sydney', 'Australia/Adelaide'], 'en-AU'],
  ['JP', 4, ['Asia/Tokyo'], 'ja-JP'],
  ['IN', 5, ['Asia/Kolkata'], 'en-IN'],
  ['BR', 5, ['America/Sao_Paulo'], 'pt-BR'],
  ['MX', 4, ['America/Mexico_City'], 'es-MX'],
  ['NZ', 2, ['Pacific/Auckland'], 'en-NZ'],
];
const VERSIONS: [string, number][] = [
  ['4.9.1', 8],
  ['5.0.0', 12],
  ['5.1.2', 20],
  ['5.2.0', 35],
  ['5.10.1', 25],
];
const DAY = 86_400_000;
const PRODUCTS = Array.from({ length: 400 }, (_, i) => `sku-${i + 1}`);
/** The shop's bestsellers: popularity is skewed (a few products draw most views), these lead it. */
export const DEMO_PRODUCT_LINE = PRODUCTS.slice(0, 8);

/** mulberry32: small, fast, seeded. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)],
    weighted: <R extends readonly [unknown, number, ...unknown[]]>(xs: readonly R[]): R => {
      const total = xs.reduce((s, x) => s + x[1], 0);
      let r = next() * total;
      for (const x of xs) if ((r -= x[1]) < 0) return x;
      return xs[xs.length - 1];
    },
    /** Poisson-ish count with mean m (exponential gaps), capped. */
    count: (m: number, cap = 500) => {
      let n = 0;
      let t = -Math.log(1 - next());
      while (t < m && n < cap) {
        n++;
        t += -Math.log(1 - next());
      }
      return n;
    },
  };
}

/** The demo devices, in id order. */
export function demoDevices(o: DemoOptions): Device[] {
  const r = rng(o.seed);
  const devices: Device[] = [];
  let customerSeq = 0;
  let pendingSecond: string | null = null;
  for (let i = 0; i < o.devices; i++) {
    const [country, , zones, locale] = r.weighted(COUNTRIES) as (typeof COUNTRIES)[number];
    let customerId: string | null = null;
    if (pendingSecond && r.next() < 0.5) {
      customerId = pendingSecond; // this shopper's second phone
      pendingSecond = null;
    } else if (r.next() < 0.36) {
      customerId = `cust-${String(++customerSeq).padStart(7, '0')}`;
      if (r.next() < 0.25) pendingSecond = customerId;
    }
    const created = new Date(o.now.getTime() - r.int(o.days, o.days + 200) * DAY);
    const updated = new Date(o.now.getTime() - r.int(0, o.days) * DAY - r.int(0, DAY - 1));
    devices.push({
      tenantId: o.tenantId,
      deviceId: `d-${String(i + 1).padStart(7, '0')}`,
      platform: r.next() < 0.55 ? 'ios' : 'android',
      token: `tok-${o.seed}-${i + 1}-${Math.floor(r.next() * 1e9).toString(36)}`,
      optedIn: r.next() >= 0.08,
      country: r.next() < 0.97 ? country : null,
      timezone: r.next() < 0.95 ? r.pick(zones) : null,
      locale,
      appVersion: r.next() < 0.98 ? r.weighted(VERSIONS)[0] : null,
      customerId,
      tokenState: 'valid',
      endpointArn: null,
      createdAt: created.toISOString(),
      updatedAt: updated.toISOString(),
    });
  }
  return devices;
}

export { deviceLakeRow };

/** Events of the demo devices over the last `days` days, in batches (so 20 M rows never sit in memory). */
export async function* demoEvents(o: DemoOptions, devices: Device[], batchSize = 20_000): AsyncGenerator<EventRow[]> {
  const r = rng(o.seed ^ 0x5eed);
  // Zipf-like popularity: sku-1 is the bestseller, the long tail is rarely seen.
  const product = () => PRODUCTS[Math.floor(PRODUCTS.length * Math.pow(r.next(), 3))];
  const campaigns = Array.from({ length: 12 }, (_, i) => `cmp-hist-${i + 1}`);
  const start = o.now.getTime() - o.days * DAY;
  const span = o.days * DAY - 60_000;
  let batch: EventRow[] = [];
  let seq = 0;
  const push = (device: string, type: string, ts: number, extra: Partial<EventRow> = {}) => {
    const iso = new Date(ts).toISOString();
    batch.push(eventRow({ event_id: `ev-${(++seq).toString(36)}`, device_id: device, type, ts: iso, received_at: iso }, extra));
  };
  for (const d of devices) {
    // Engagement varies a lot between shoppers: most are light users, a few are heavy.
    const activity = Math.pow(r.next(), 2.2) * 3;
    const lastActive = start + span * Math.pow(r.next(), 0.35);
    const at = () => start + (lastActive - start) * r.next();
    const opens = r.count(activity * o.days * 0.12, 400);
    for (let k = 0; k < opens; k++) push(d.deviceId, 'app_open', at());
    // The shopper's last visit: an app open, and now and then a cart left behind (no purchase after it).
    push(d.deviceId, 'app_open', lastActive - 30 * 60_000);
    const leftCart = r.next() < 0.35;
    const favourite = product();
    const views = r.count(opens * 0.8, 400);
    for (let k = 0; k < views; k++) push(d.deviceId, 'product_view', at(), { product_id: r.next() < 0.3 ? favourite : product() });
    if (r.next() < 0.15) push(d.deviceId, 'product_favorite', at(), { product_id: favourite });
    const carts = r.count(views * 0.12, 50);
    for (let k = 0; k < carts; k++) push(d.deviceId, 'add_to_cart', at(), { product_id: product() });
    const purchases = Math.min(carts, r.count(carts * 0.6, 30));
    for (let k = 0; k < purchases; k++) {
      push(d.deviceId, 'purchase', at(), {
        order_id: `o-${d.deviceId}-${k + 1}`,
        amount: Math.round((15 + Math.pow(r.next(), 1.7) * 520) * 100) / 100,
        currency: 'USD',
      });
    }
    const pushOpens = r.count(opens * 0.05, 20);
    for (let k = 0; k < pushOpens; k++) push(d.deviceId, 'push_open', at(), { campaign_id: r.pick(campaigns) });
    if (r.next() < 0.1) push(d.deviceId, 'custom', at(), { name: 'wishlist_shared' });
    if (leftCart) push(d.deviceId, 'add_to_cart', lastActive, { product_id: favourite });
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
