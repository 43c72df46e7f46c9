/**
 * The demo shop's engagement: what shoppers' apps report after a demo push (opens, the app opens they
 * cause, some purchases), through event ingestion like a real app's events.
 */
import { armsOf, assignArm } from '../lambdas/domain/campaigns/arms';
import { getCampaign } from '../lambdas/use-cases/campaigns/manage-campaigns';
import { ingestEvents } from '../lambdas/use-cases/events/ingest-events';
import { listCampaignRecipients } from '../lambdas/use-cases/insights/campaign-recipients';
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
  o: {
    openRate: number;
    buyRate: number;
    seed: number;
    deliveredBy: number;
    until: number;
    /** A campaign with variants: the openers' buy rate per variant (else `buyRate`). */
    buyRateOf?: Readonly<Record<string, number>>;
    /** Devices that buy within the day whether they open or not, held-out ones included (the control's measure). */
    baselineBuyRate?: number;
  },
) {
  const r = rng(o.seed ^ 0xca3b);
  const delivered = (await world.gateway.outbox(tenantId, campaignId)).sort((a, b) => a.deviceId.localeCompare(b.deviceId));
  const events: Record<string, unknown>[] = [];
  const iso = (t: number) => new Date(t).toISOString();
  const campaign = await getCampaign(world.deps, tenantId, campaignId);
  const arms = armsOf(campaign);
  if (o.baselineBuyRate) {
    const measured = [...delivered.map((p) => p.deviceId), ...(arms ? await heldOut(world, tenantId, campaignId) : [])].sort();
    for (const deviceId of measured) {
      if (r.next() >= o.baselineBuyRate) continue;
      const boughtAt = o.deliveredBy + r.int(30, 20 * 60) * 60_000;
      if (boughtAt >= o.until) continue;
      const ids = `${campaignId}-${deviceId}-organic`;
      const amount = Math.round((25 + Math.pow(r.next(), 2) * 260) * 100) / 100;
      events.push({
        eventId: `demo-buy-${ids}`,
        deviceId,
        type: 'purchase',
        orderId: `o-demo-${ids}`,
        amount,
        currency: 'USD',
        ts: iso(boughtAt),
      });
    }
  }
  for (const push of delivered) {
    const buyRate = arms && o.buyRateOf ? (o.buyRateOf[assignArm(campaignId, push.deviceId, arms) ?? ''] ?? o.buyRate) : o.buyRate;
    if (r.next() >= o.openRate) continue;
    // Most opens come within the first hour; a long tail over the day.
    const openedAt = o.deliveredBy + Math.min(-Math.log(1 - r.next()) * 50 * 60_000, 20 * HOUR) + 5_000;
    if (openedAt >= o.until) continue;
    const ids = `${campaignId}-${push.deviceId}`;
    events.push(
      { eventId: `demo-open-${ids}`, deviceId: push.deviceId, type: 'push_open', campaignId, ts: iso(openedAt) },
      { eventId: `demo-app-${ids}`, deviceId: push.deviceId, type: 'app_open', ts: iso(openedAt + 1_000) },
    );
    if (r.next() >= buyRate) continue;
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

/** The control group of a campaign, from its recipients (the lake's deliveries). */
async function heldOut(world: ShopWorld, tenantId: string, campaignId: string): Promise<string[]> {
  const out: string[] = [];
  let after: string | null = null;
  do {
    const page = await listCampaignRecipients(world.deps, tenantId, campaignId, { outcome: 'heldOut', limit: 100, after });
    out.push(...page.items.map((i) => i.deviceId));
    after = page.nextCursor === null ? null : page.items[page.items.length - 1].deviceId;
  } while (after !== null);
  return out;
}
