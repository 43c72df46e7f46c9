/**
 * The demo shop's automated campaign: an active cart reminder ("1 hour after Add to cart, unless
 * they purchase") with three days of history, made by the same path as a live shop's: cart adds
 * (and some purchases, which exit) reported through event ingestion at moments in the past, the
 * sweeper handing the due devices to the world's queue and senders, the recording gateway's pushes.
 */
import type { ServiceDeps } from '../lambdas/ports/service-deps';
import { launchCampaign } from '../lambdas/use-cases/campaigns/launch-cancel';
import { createCampaign, getCampaign } from '../lambdas/use-cases/campaigns/manage-campaigns';
import { ingestEvents } from '../lambdas/use-cases/events/ingest-events';
import { sweepDue } from '../lambdas/use-cases/automations/sweep-due';
import type { offsetClock } from '../lambdas/ports/clock';
import { rng } from './demo-data';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const DEMO_AUTOMATION = {
  name: 'Cart reminder',
  kind: 'automated',
  trigger: { type: 'event', event: 'add_to_cart', delayMinutes: 60, exitOn: ['purchase'], reentryAfterDays: 7 },
  message: {
    title: 'Left something behind? 🛒',
    body: 'Your cart is waiting. Complete your order before it sells out.',
    deepLink: 'myshop://cart',
    buttons: [{ label: 'Go to cart', deepLink: 'myshop://cart' }],
  },
} as const;

/** Devices that add to cart each demo day, and how many of them buy first (they exit). */
const PER_DAY = 60;
const BUY_FIRST = 0.25;
const SETTLE_TIMEOUT_MS = 60_000;

/**
 * Launched 3 days ago; on each of the last 3 days some of `population` (device ids) add to cart an
 * hour before a sweep at that moment. Returns the automation's id (an existing one of that name is kept as it is).
 */
export async function seedDemoAutomation(
  world: { deps: ServiceDeps; clock: ReturnType<typeof offsetClock> },
  o: { tenantId: string; seed: number; existingId?: string; population: readonly string[] },
): Promise<string> {
  const { deps, clock } = world;
  if (o.existingId) return o.existingId;
  const realNow = Date.now();
  const at = (daysAgo: number) => Math.floor((realNow - daysAgo * DAY) / HOUR) * HOUR;
  clock.setOffset(at(3) - HOUR - Date.now());
  const { id } = await createCampaign(deps, o.tenantId, DEMO_AUTOMATION);
  await launchCampaign(deps, o.tenantId, id);
  const r = rng(o.seed ^ 0xa11);
  for (const daysAgo of [3, 2, 1]) {
    const sweepAt = at(daysAgo);
    clock.setOffset(sweepAt - Date.now());
    const start = (3 - daysAgo) * PER_DAY;
    const events: Record<string, unknown>[] = [];
    for (const deviceId of o.population.slice(start, start + PER_DAY)) {
      const addedAt = sweepAt - HOUR - r.int(1, 50) * 60_000;
      const ids = `${daysAgo}-${deviceId}`;
      events.push({
        eventId: `demo-cart-${ids}`,
        deviceId,
        type: 'add_to_cart',
        productId: 'sku-1001',
        ts: new Date(addedAt).toISOString(),
      });
      if (r.next() < BUY_FIRST)
        events.push({
          eventId: `demo-cart-buy-${ids}`,
          deviceId,
          type: 'purchase',
          orderId: `o-cart-${ids}`,
          amount: Math.round((30 + r.next() * 120) * 100) / 100,
          currency: 'USD',
          ts: new Date(addedAt + r.int(5, 40) * 60_000).toISOString(),
        });
    }
    await ingestEvents(deps, { tenantId: o.tenantId, body: { events } });
    await sweepDue(deps);
    await untilSettled(deps, o.tenantId, id);
  }
  clock.setOffset(0);
  return id;
}

/** Wait until every device the automation handed over has an outcome (or is held by quiet hours). */
async function untilSettled(deps: ServiceDeps, tenantId: string, id: string) {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  for (;;) {
    const c = await getCampaign(deps, tenantId, id);
    const done = c.sent + c.failed + c.supOptedOut + c.supFrequencyCap + c.supInvalidToken + Math.max(0, c.deferred ?? 0);
    if (done >= c.targeted) return;
    if (Date.now() > deadline) throw new Error(`the demo automation did not settle within ${SETTLE_TIMEOUT_MS / 1000} s`);
    await new Promise((res) => setTimeout(res, 100));
  }
}
