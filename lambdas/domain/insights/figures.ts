/**
 * Campaign insights from the rows of the insights query (engagement-sql.ts): delivery facts (how
 * many devices were sent, failed, suppressed, per platform, from the lake's deliveries table) and
 * the first opens and attributed orders of the devices that were sent. Pure: the use case fetches,
 * this module counts. An open or purchase only counts for a device that was sent: the query joins
 * them with the sent devices, so every open/order row it returns is of a sent device.
 */
import type { Row } from '../sql';

export const PLATFORMS = ['ios', 'android'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** Suppressions by reason (API.md "Delivery rules"). */
export interface SuppressedFigures {
  optedOut: number;
  frequencyCap: number;
  invalidToken: number;
}

/** Delivery and engagement figures of the whole campaign or of one platform. */
export interface PlatformInsights {
  sent: number;
  failed: number;
  suppressed: SuppressedFigures;
  opened: number;
  openRate: number;
  conversions: number;
  conversionRate: number;
  revenue: number;
}

/** One hour of the timeline: first opens and first conversions of devices in that hour. */
export interface TimelinePoint {
  hour: string;
  opens: number;
  conversions: number;
}

/** One day of an automated campaign's timeline: pushes sent that day, first opens and first conversions of its devices. */
export interface DayPoint {
  day: string;
  sent: number;
  opens: number;
  conversions: number;
}

/** Days an automated campaign's timeline shows at most (the latest ones). */
export const TIMELINE_DAYS = 90;

/**
 * The campaign's suppressions: the platforms' reasons plus `timePassed` (ifPassed: skip), devices of
 * zones left out at launch. Those never reach the deliveries table and the plan counts them per zone,
 * not per platform, so only the whole campaign carries them (from its record).
 */
export interface CampaignSuppressedFigures extends SuppressedFigures {
  timePassed: number;
}

/** The body of GET /v1/campaigns/{id}/insights. */
export interface CampaignInsights extends Omit<PlatformInsights, 'suppressed'> {
  campaignId: string;
  suppressed: CampaignSuppressedFigures;
  targeted: number;
  attributionWindowHours: number;
  byPlatform: Record<Platform, PlatformInsights>;
  /** Hourly from the start of sending (campaigns); per day since launch (automated campaigns, which accumulate). */
  timeline: TimelinePoint[] | DayPoint[];
  asOf: string;
}

/** Headline figures of a campaign for the campaigns table. */
export type InsightsSummary = Pick<CampaignInsights, 'sent' | 'opened' | 'openRate' | 'conversions' | 'revenue'>;

/** Outcomes the deliveries table records. */
export type DeliveryOutcome = 'sent' | 'failed' | 'suppressed';

/** A `delivery` row, parsed: how many devices of a campaign had this outcome (and reason) on this platform. */
export interface DeliveryFact {
  campaignId: string;
  kind: 'delivery';
  platform: Platform | null;
  outcome: DeliveryOutcome;
  reason: string | null;
  devices: number;
}

/** An `open` or `order` row, parsed: engagement of a device the campaign was sent to (on `platform`). */
export interface EngagementRow {
  campaignId: string;
  kind: 'open' | 'order';
  deviceId: string;
  platform: Platform | null;
  ts: string;
  orderId: string | null;
  amount: number;
}

/** One row of the insights query, parsed. */
export type InsightsRow = DeliveryFact | EngagementRow;

/** Hours the timeline covers after its start. */
export const TIMELINE_HOURS = 72;
const HOUR_MS = 3_600_000;
const SUPPRESSION_REASONS: readonly (keyof SuppressedFigures)[] = ['optedOut', 'frequencyCap', 'invalidToken'];

/** x / total rounded to 4 decimals; 0 when total is 0. */
export function rate(x: number, total: number): number {
  return total > 0 ? Math.round((x / total) * 10_000) / 10_000 : 0;
}

/** Money rounded to cents. */
export function cents(amount: number): number {
  return Math.round(amount * 100) / 100;
}

/** Query rows → parsed rows per campaign id; rows of an unknown kind or missing their keys are dropped. */
export function engagementByCampaign(rows: readonly Row[]): Map<string, InsightsRow[]> {
  const out = new Map<string, InsightsRow[]>();
  for (const r of rows) {
    const row = parseRow(r);
    if (!row) continue;
    const list = out.get(row.campaignId);
    if (list) list.push(row);
    else out.set(row.campaignId, [row]);
  }
  return out;
}

const OUTCOMES: readonly string[] = ['sent', 'failed', 'suppressed'] satisfies DeliveryOutcome[];

function parseRow(r: Row): InsightsRow | undefined {
  if (r.campaign_id === null || r.campaign_id === undefined) return undefined;
  const campaignId = String(r.campaign_id);
  const platform = platformOf(r.platform);
  const text = (v: Row[string] | undefined) => (v === null || v === undefined ? null : String(v));
  if (r.kind === 'delivery') {
    const outcome = String(r.outcome ?? '');
    if (!OUTCOMES.includes(outcome)) return undefined;
    return {
      campaignId,
      kind: 'delivery',
      platform,
      outcome: outcome as DeliveryOutcome,
      reason: text(r.reason),
      devices: Number(r.devices ?? 0) || 0,
    };
  }
  if ((r.kind !== 'open' && r.kind !== 'order') || r.device_id === null || r.device_id === undefined || r.ts === null || r.ts === undefined)
    return undefined;
  return {
    campaignId,
    kind: r.kind,
    deviceId: String(r.device_id),
    platform,
    ts: isoOf(String(r.ts)),
    orderId: text(r.order_id),
    amount: Number(r.amount ?? 0) || 0,
  };
}

function platformOf(v: Row[string] | undefined): Platform | null {
  return (PLATFORMS as readonly unknown[]).includes(v) ? (v as Platform) : null;
}

/** Engines give 'YYYY-MM-DD HH:MM:SS.mmm' or ISO; both mean UTC. */
function isoOf(text: string): string {
  const t = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
  return Number.isNaN(t) ? text : new Date(t).toISOString();
}

/** The first hour of the timeline: the UTC hour in which sending began. */
export function timelineStart(startedAt: string): Date {
  const t = Date.parse(startedAt);
  return new Date(Math.floor(t / HOUR_MS) * HOUR_MS);
}

/** Everything the figures are computed from. */
export interface InsightsInput {
  campaignId: string;
  /** Every audience device the campaign counts, the skipped ones (`timePassed`) included. */
  targeted: number;
  /** Devices of zones left out at launch (ifPassed: skip), from the campaign record; default 0. */
  timePassed?: number;
  /** The campaign's rows of the insights query: delivery facts, and opens/orders of sent devices only. */
  rows: readonly InsightsRow[];
  attributionWindowHours: number;
  /** When sending began (the first wave's fire time, else the launch); the timeline starts at its hour. */
  startedAt: string;
  asOf: string;
  /** An automated campaign's counts per day: the timeline is then per day, from the launch to `asOf`. */
  daily?: readonly { day: string; sent: number }[];
}

interface Tally {
  sent: number;
  failed: number;
  suppressed: SuppressedFigures;
  opened: number;
  conversions: number;
  revenue: number;
}

const emptyTally = (): Tally => ({
  sent: 0,
  failed: 0,
  suppressed: { optedOut: 0, frequencyCap: 0, invalidToken: 0 },
  opened: 0,
  conversions: 0,
  revenue: 0,
});

function finish(t: Tally): PlatformInsights {
  return {
    sent: t.sent,
    failed: t.failed,
    suppressed: t.suppressed,
    opened: t.opened,
    openRate: rate(t.opened, t.sent),
    conversions: t.conversions,
    conversionRate: rate(t.conversions, t.sent),
    revenue: cents(t.revenue),
  };
}

/** The insights of one campaign (API.md "Campaigns"), plus its hourly timeline. */
export function campaignInsights(input: InsightsInput): CampaignInsights {
  const total = emptyTally();
  const per: Record<Platform, Tally> = { ios: emptyTally(), android: emptyTally() };
  const tallies = (p: Platform | null) => (p && per[p] ? [total, per[p]] : [total]);

  // Delivery facts: device counts per platform, outcome and reason (a sent device may carry a reason
  // such as 'unconfirmed'; it is still sent).
  const engagement: EngagementRow[] = [];
  for (const r of input.rows) {
    if (r.kind !== 'delivery') {
      engagement.push(r);
      continue;
    }
    for (const t of tallies(r.platform)) {
      if (r.outcome === 'sent') t.sent += r.devices;
      else if (r.outcome === 'failed') t.failed += r.devices;
      else if ((SUPPRESSION_REASONS as readonly string[]).includes(r.reason ?? ''))
        t.suppressed[r.reason as keyof SuppressedFigures] += r.devices;
    }
  }

  // Opens: each (sent) device once, at its first open, on the platform it was sent on.
  const firstOpen = new Map<string, { ts: string; platform: Platform | null }>();
  for (const r of engagement) {
    if (r.kind !== 'open') continue;
    const prev = firstOpen.get(r.deviceId);
    if (prev === undefined || r.ts < prev.ts) firstOpen.set(r.deviceId, { ts: r.ts, platform: r.platform });
  }
  const platformOfDevice = (d: string) => firstOpen.get(d)?.platform ?? null;
  for (const { platform } of firstOpen.values()) for (const t of tallies(platform)) t.opened++;

  // Conversions: opened devices with an attributed purchase; revenue: each order once, credited
  // to the device that reported it first.
  const firstConversion = new Map<string, string>();
  const orders = new Map<string, EngagementRow>();
  for (const r of engagement) {
    if (r.kind !== 'order' || r.orderId === null || !firstOpen.has(r.deviceId)) continue;
    const prev = firstConversion.get(r.deviceId);
    if (prev === undefined || r.ts < prev) firstConversion.set(r.deviceId, r.ts);
    const held = orders.get(r.orderId);
    if (!held || r.ts < held.ts || (r.ts === held.ts && r.deviceId < held.deviceId)) orders.set(r.orderId, r);
  }
  for (const d of firstConversion.keys()) for (const t of tallies(platformOfDevice(d))) t.conversions++;
  for (const o of orders.values()) for (const t of tallies(platformOfDevice(o.deviceId))) t.revenue += o.amount;

  const whole = finish(total);
  return {
    campaignId: input.campaignId,
    targeted: input.targeted,
    ...whole,
    suppressed: { ...whole.suppressed, timePassed: input.timePassed ?? 0 },
    attributionWindowHours: input.attributionWindowHours,
    byPlatform: { ios: finish(per.ios), android: finish(per.android) },
    timeline: input.daily
      ? dailyTimeline(
          input.startedAt,
          input.asOf,
          input.daily,
          [...firstOpen.values()].map((o) => o.ts),
          [...firstConversion.values()],
        )
      : timeline(
          timelineStart(input.startedAt),
          [...firstOpen.values()].map((o) => o.ts),
          [...firstConversion.values()],
        ),
    asOf: input.asOf,
  };
}

/** TIMELINE_HOURS hourly buckets from `start`; times outside them are not drawn. */
export function timeline(start: Date, opens: readonly string[], conversions: readonly string[]): TimelinePoint[] {
  const points: TimelinePoint[] = Array.from({ length: TIMELINE_HOURS }, (_, i) => ({
    hour: new Date(start.getTime() + i * HOUR_MS).toISOString(),
    opens: 0,
    conversions: 0,
  }));
  const bucket = (iso: string) => Math.floor((Date.parse(iso) - start.getTime()) / HOUR_MS);
  for (const o of opens) {
    const i = bucket(o);
    if (i >= 0 && i < TIMELINE_HOURS) points[i].opens++;
  }
  for (const c of conversions) {
    const i = bucket(c);
    if (i >= 0 && i < TIMELINE_HOURS) points[i].conversions++;
  }
  return points;
}

/** One point per UTC day from the launch's day to `asOf`'s (the latest TIMELINE_DAYS), with the day's pushes, first opens and conversions. */
export function dailyTimeline(
  startedAt: string,
  asOf: string,
  daily: readonly { day: string; sent: number }[],
  opens: readonly string[],
  conversions: readonly string[],
): DayPoint[] {
  const dayMs = 86_400_000;
  const last = Math.floor(Date.parse(asOf) / dayMs);
  const first = Math.max(Math.floor(Date.parse(startedAt) / dayMs), last - TIMELINE_DAYS + 1);
  const points = new Map<string, DayPoint>();
  for (let d = first; d <= last; d++) {
    const day = new Date(d * dayMs).toISOString().slice(0, 10);
    points.set(day, { day, sent: 0, opens: 0, conversions: 0 });
  }
  for (const d of daily) {
    const p = points.get(d.day);
    if (p) p.sent += d.sent;
  }
  for (const o of opens) {
    const p = points.get(o.slice(0, 10));
    if (p) p.opens++;
  }
  for (const c of conversions) {
    const p = points.get(c.slice(0, 10));
    if (p) p.conversions++;
  }
  return [...points.values()];
}

/** The headline figures of full insights. */
export function summaryOf(i: CampaignInsights): InsightsSummary {
  return { sent: i.sent, opened: i.opened, openRate: i.openRate, conversions: i.conversions, revenue: i.revenue };
}
