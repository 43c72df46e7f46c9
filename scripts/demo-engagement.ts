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
  // A quota of each group (rather than a coin per device): the figures a small demo shows do not depend on luck.
  const quota = <T>(items: readonly T[], rate: number): Set<T> => {
    const keyed = items.map((x) => [r.next(), x] as const).sort((a, b) => a[0] - b[0]);
    return new Set(keyed.slice(0, items.length === 0 ? 0 : Math.max(1, Math.round(items.length * rate))).map(([, x]) => x));
  };
  const armOf = (deviceId: string) => (arms ? assignArm(campaignId, deviceId, arms) : null);
  const byArm = <T>(items: readonly T[], idOf: (x: T) => string) => {
    const groups = new Map<string | null, T[]>();
    for (const x of items) groups.set(armOf(idOf(x)), [...(groups.get(armOf(idOf(x))) ?? []), x]);
    return [...groups].sort(([a], [b]) => String(a).localeCompare(String(b)));
  };
  const buy = (deviceId: string, at: number, suffix: string) => {
    if (at >= o.until) return;
    const ids = `${campaignId}-${deviceId}${suffix}`;
    const amount = Math.round((25 + Math.pow(r.next(), 2) * 260) * 100) / 100;
    events.push({ eventId: `demo-buy-${ids}`, deviceId, type: 'purchase', orderId: `o-demo-${ids}`, amount, currency: 'USD', ts: iso(at) });
  };
  if (o.baselineBuyRate) {
    const measured = [...delivered.map((p) => p.deviceId), ...(arms ? await heldOut(world, tenantId, campaignId) : [])].sort();
    const buyers = new Set(byArm(measured, (id) => id).flatMap(([, ids]) => [...quota(ids, o.baselineBuyRate!)]));
    for (const deviceId of measured) if (buyers.has(deviceId)) buy(deviceId, o.deliveredBy + r.int(30, 20 * 60) * 60_000, '-organic');
  }
  const opened: { deviceId: string; at: number }[] = [];
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
    opened.push({ deviceId: push.deviceId, at: openedAt });
  }
  // Openers buy within a few hours: a coin each, or, per variant, that variant's quota.
  const buyers = o.buyRateOf
    ? new Set(byArm(opened, (x) => x.deviceId).flatMap(([arm, xs]) => [...quota(xs, o.buyRateOf![arm ?? ''] ?? o.buyRate)]))
    : new Set(opened.filter(() => r.next() < o.buyRate));
  for (const x of opened) if (buyers.has(x)) buy(x.deviceId, x.at + r.int(2, 180) * 60_000, '');
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
