/**
 * The demo shop's engagement: what shoppers' apps report after a demo push (opens, the app opens they
 * cause, some purchases), through event ingestion like a real app's events.
 */
import { ingestEvents } from '../lambdas/use-cases/events/ingest-events';
import { rng } from './demo-data';
import type { ShopWorld } from './seed-tenant';

const HOUR = 3_600_000;

/**
 * What the shoppers' apps report after a send: some recipients (as the recording gateway delivered
 * them) open the push (a push_open and the app_open it causes, minutes to hours after `deliveredBy`,
 * when the campaign had reached every device), some of those buy within a few hours; all before
 * `until`. (The recording gateway stamps pushes with the wall clock, not the world's moved clock.)
 */
export async function reportEngagement(
  world: ShopWorld,
  tenantId: string,
  campaignId: string,
  o: { openRate: number; buyRate: number; seed: number; deliveredBy: number; until: number },
) {
  const r = rng(o.seed ^ 0xca3b);
  const delivered = (await world.gateway.outbox(tenantId, campaignId)).sort((a, b) => a.deviceId.localeCompare(b.deviceId));
  const events: Record<string, unknown>[] = [];
  const iso = (t: number) => new Date(t).toISOString();
  for (const push of delivered) {
    if (r.next() >= o.openRate) continue;
    // Most opens come within the first hour; a long tail over the day.
    const openedAt = o.deliveredBy + Math.min(-Math.log(1 - r.next()) * 50 * 60_000, 20 * HOUR) + 5_000;
    if (openedAt >= o.until) continue;
    const ids = `${campaignId}-${push.deviceId}`;
    events.push(
      { eventId: `demo-open-${ids}`, deviceId: push.deviceId, type: 'push_open', campaignId, ts: iso(openedAt) },
      { eventId: `demo-app-${ids}`, deviceId: push.deviceId, type: 'app_open', ts: iso(openedAt + 1_000) },
    );
    if (r.next() >= o.buyRate) continue;
    const boughtAt = openedAt + r.int(2, 180) * 60_000;
    if (boughtAt >= o.until) continue;
    const amount = Math.round((25 + Math.pow(r.next(), 2) * 260) * 100) / 100;
    events.push({
      eventId: `demo-buy-${ids}`,
      deviceId: push.deviceId,
      type: 'purchase',
      orderId: `o-demo-${ids}`,
      amount,
      currency: 'USD',
      ts: iso(boughtAt),
    });
  }
  for (let i = 0; i < events.length; i += 500) {
    await ingestEvents(world.deps, { tenantId, body: { events: events.slice(i, i + 500) } });
  }
  return events.length;
}
