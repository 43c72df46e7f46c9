/**
 * Campaign insights from two sources: the delivery ledger (who was sent, failed, suppressed, on
 * which platform) and the engagement rows of the lake (engagement-sql.ts). Pure: the use case
 * fetches, this module counts. An open or purchase only counts for a device the ledger says was sent.
 */
import type { LedgerEntry } from '../../ports/delivery-ledger';
import type { Row } from '../../ports/query-engine';

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

/** The body of GET /v1/campaigns/{id}/insights. */
export interface CampaignInsights extends PlatformInsights {
  campaignId: string;
  targeted: number;
  attributionWindowHours: number;
  byPlatform: Record<Platform, PlatformInsights>;
  timeline: TimelinePoint[];
  asOf: string;
}

/** Headline figures of a campaign for the campaigns table. */
export type InsightsSummary = Pick<CampaignInsights, 'sent' | 'opened' | 'openRate' | 'conversions' | 'revenue'>;

/** One engagement row, parsed. */
export interface EngagementRow {
  campaignId: string;
  kind: 'open' | 'order';
  deviceId: string;
  ts: string;
  orderId: string | null;
  amount: number;
}

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

/** Query rows → engagement rows per campaign id. */
export function engagementByCampaign(rows: readonly Row[]): Map<string, EngagementRow[]> {
  const out = new Map<string, EngagementRow[]>();
  for (const r of rows) {
    const kind = r.kind === 'order' ? 'order' : r.kind === 'open' ? 'open' : undefined;
    if (!kind || r.campaign_id === null || r.device_id === null || r.ts === null) continue;
    const row: EngagementRow = {
      campaignId: String(r.campaign_id),
      kind,
      deviceId: String(r.device_id),
      ts: isoOf(String(r.ts)),
      orderId: r.order_id === null || r.order_id === undefined ? null : String(r.order_id),
      amount: Number(r.amount ?? 0) || 0,
    };
    out.set(row.campaignId, [...(out.get(row.campaignId) ?? []), row]);
  }
  return out;
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
  targeted: number;
  entries: readonly Pick<LedgerEntry, 'deviceId' | 'state' | 'reason' | 'platform'>[];
  rows: readonly EngagementRow[];
  attributionWindowHours: number;
  /** When sending began (the first wave's fire time, else the launch); the timeline starts at its hour. */
  startedAt: string;
  asOf: string;
}

interface Tally {
  sent: number;
  failed: number;
  suppressed: SuppressedFigures;
  opened: number;
  conversions: number;
  revenue: number;
}

const emptyTally = (): Tally => ({ sent: 0, failed: 0, suppressed: { optedOut: 0, frequencyCap: 0, invalidToken: 0 }, opened: 0, conversions: 0, revenue: 0 });

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

  // Delivery from the ledger; the sent set decides whose engagement counts.
  const sentTo = new Map<string, Platform | null>();
  for (const e of input.entries) {
    const platform = (PLATFORMS as readonly string[]).includes(e.platform ?? '') ? (e.platform as Platform) : null;
    if (e.state === 'sent') {
      sentTo.set(e.deviceId, platform);
      for (const t of tallies(platform)) t.sent++;
    } else if (e.state === 'failed') {
      for (const t of tallies(platform)) t.failed++;
    } else if (e.state === 'suppressed' && (SUPPRESSION_REASONS as readonly string[]).includes(e.reason ?? '')) {
      for (const t of tallies(platform)) t.suppressed[e.reason as keyof SuppressedFigures]++;
    }
  }

  // Opens: each sent device once, at its first open.
  const firstOpen = new Map<string, string>();
  for (const r of input.rows) {
    if (r.kind !== 'open' || !sentTo.has(r.deviceId)) continue;
    const prev = firstOpen.get(r.deviceId);
    if (prev === undefined || r.ts < prev) firstOpen.set(r.deviceId, r.ts);
  }
  for (const d of firstOpen.keys()) for (const t of tallies(sentTo.get(d) ?? null)) t.opened++;

  // Conversions: opened devices with an attributed purchase; revenue: each order once, credited
  // to the device that reported it first.
  const firstConversion = new Map<string, string>();
  const orders = new Map<string, EngagementRow>();
  for (const r of input.rows) {
    if (r.kind !== 'order' || r.orderId === null || !firstOpen.has(r.deviceId)) continue;
    const prev = firstConversion.get(r.deviceId);
    if (prev === undefined || r.ts < prev) firstConversion.set(r.deviceId, r.ts);
    const held = orders.get(r.orderId);
    if (!held || r.ts < held.ts || (r.ts === held.ts && r.deviceId < held.deviceId)) orders.set(r.orderId, r);
  }
  for (const d of firstConversion.keys()) for (const t of tallies(sentTo.get(d) ?? null)) t.conversions++;
  for (const o of orders.values()) for (const t of tallies(sentTo.get(o.deviceId) ?? null)) t.revenue += o.amount;

  return {
    campaignId: input.campaignId,
    targeted: input.targeted,
    ...finish(total),
    attributionWindowHours: input.attributionWindowHours,
    byPlatform: { ios: finish(per.ios), android: finish(per.android) },
    timeline: timeline(timelineStart(input.startedAt), [...firstOpen.values()], [...firstConversion.values()]),
    asOf: input.asOf,
  };
}

/** TIMELINE_HOURS hourly buckets from `start`; times outside them are not drawn. */
export function timeline(start: Date, opens: readonly string[], conversions: readonly string[]): TimelinePoint[] {
  const points: TimelinePoint[] = Array.from({ length: TIMELINE_HOURS }, (_, i) => ({ hour: new Date(start.getTime() + i * HOUR_MS).toISOString(), opens: 0, conversions: 0 }));
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

/** The headline figures of full insights. */
export function summaryOf(i: CampaignInsights): InsightsSummary {
  return { sent: i.sent, opened: i.opened, openRate: i.openRate, conversions: i.conversions, revenue: i.revenue };
}
