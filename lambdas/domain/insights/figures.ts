/**
 * Campaign insights from the rows of the insights query (engagement-sql.ts): delivery facts (how
 * many devices were sent, failed, suppressed, per platform, from the lake's deliveries table) and
 * the first opens and attributed orders of the devices that were sent. Pure: the use case fetches,
 * this module counts. An open or purchase only counts for a device that was sent: the query joins
 * them with the sent devices, so every open/order row it returns is of a sent device.
 */
import type { Row } from '../sql';
import type { ArmWeight } from '../campaigns/arms';
import { armInsights, type ArmMeasure, type VariantInsights } from './variant-figures';

import { dailyTimeline, timeline } from './timeline';

export type { ArmMeasure, VariantInsights } from './variant-figures';
export { dailyTimeline, timeline } from './timeline';

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
  /** Devices of the control group (recorded, never pushed). */
  heldOut: number;
  /** Per variant (a campaign with one message and a holdout: the one variant `message`); null on a campaign with neither. */
  byVariant: VariantInsights[] | null;
  /** The control group: held-out devices and those that purchased within the window after the moment they would have been pushed; null without one. */
  control: ArmMeasure | null;
  attributionWindowHours: number;
  byPlatform: Record<Platform, PlatformInsights>;
  /** Hourly from the start of sending (campaigns); per day since launch (automated campaigns, which accumulate). */
  timeline: TimelinePoint[] | DayPoint[];
  asOf: string;
}

/** Headline figures of a campaign for the campaigns table. */
export type InsightsSummary = Pick<CampaignInsights, 'sent' | 'opened' | 'openRate' | 'conversions' | 'revenue'>;

/** Outcomes the deliveries table records (`held_out`: the control group). */
export type DeliveryOutcome = 'sent' | 'failed' | 'suppressed' | 'held_out';

/** A `delivery` row, parsed: how many devices of a campaign (and arm) had this outcome (and reason) on this platform. */
export interface DeliveryFact {
  campaignId: string;
  kind: 'delivery';
  platform: Platform | null;
  outcome: DeliveryOutcome;
  reason: string | null;
  devices: number;
  /** The variant the devices were in; null (or absent) for the control group and for campaigns without variants. */
  variant?: string | null;
}

/** An `open` or `order` row, parsed: engagement of a device the campaign was sent to (on `platform`, in `variant`). */
export interface EngagementRow {
  campaignId: string;
  kind: 'open' | 'order';
  deviceId: string;
  platform: Platform | null;
  ts: string;
  orderId: string | null;
  amount: number;
  variant?: string | null;
}

/** An `arm` row, parsed: the devices a variant (null: the control group) was meant for at send time, and how many purchased within the window after. */
export interface ArmRow {
  campaignId: string;
  kind: 'arm';
  variant: string | null;
  devices: number;
  converted: number;
}

/** One row of the insights query, parsed. */
export type InsightsRow = DeliveryFact | EngagementRow | ArmRow;

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

const OUTCOMES: readonly string[] = ['sent', 'failed', 'suppressed', 'held_out'] satisfies DeliveryOutcome[];

function parseRow(r: Row): InsightsRow | undefined {
  if (r.campaign_id === null || r.campaign_id === undefined) return undefined;
  const campaignId = String(r.campaign_id);
  const platform = platformOf(r.platform);
  const text = (v: Row[string] | undefined) => (v === null || v === undefined ? null : String(v));
  const variant = text(r.variant);
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
      ...(variant !== null ? { variant } : {}),
    };
  }
  if (r.kind === 'arm')
    return { campaignId, kind: 'arm', variant, devices: Number(r.devices ?? 0) || 0, converted: Number(r.converted ?? 0) || 0 };
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
    ...(variant !== null ? { variant } : {}),
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
  /** A campaign with variants or a control group: its arms (campaign-record's armsOf), for byVariant and control. */
  arms?: { arms: readonly ArmWeight[]; holdoutPercent: number } | null;
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

/** Delivery facts, first opens and attributed conversions of a set of rows (a campaign's, or one variant's), tallied as a whole and per platform. */
function tallyRows(rows: readonly InsightsRow[]) {
  const total = emptyTally();
  const per: Record<Platform, Tally> = { ios: emptyTally(), android: emptyTally() };
  const tallies = (p: Platform | null) => (p && per[p] ? [total, per[p]] : [total]);
  let heldOut = 0;

  // Delivery facts: device counts per platform, outcome and reason (a sent device may carry a reason
  // such as 'unconfirmed'; it is still sent).
  const engagement: EngagementRow[] = [];
  for (const r of rows) {
    if (r.kind === 'arm') continue;
    if (r.kind !== 'delivery') {
      engagement.push(r);
      continue;
    }
    if (r.outcome === 'held_out') {
      heldOut += r.devices;
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
  return { total, per, heldOut, firstOpen, firstConversion };
}

/** The insights of one campaign (API.md "Campaigns"), plus its hourly timeline. */
export function campaignInsights(input: InsightsInput): CampaignInsights {
  const { total, per, heldOut, firstOpen, firstConversion } = tallyRows(input.rows);
  const whole = finish(total);
  const arms = input.arms
    ? armInsights(input.rows, input.arms, (rows) => finish(tallyRows(rows).total))
    : { byVariant: null, control: null };
  return {
    campaignId: input.campaignId,
    targeted: input.targeted,
    ...whole,
    heldOut,
    suppressed: { ...whole.suppressed, timePassed: input.timePassed ?? 0 },
    attributionWindowHours: input.attributionWindowHours,
    byPlatform: { ios: finish(per.ios), android: finish(per.android) },
    byVariant: arms.byVariant,
    control: arms.control,
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

/** The headline figures of full insights. */
export function summaryOf(i: CampaignInsights): InsightsSummary {
  return { sent: i.sent, opened: i.opened, openRate: i.openRate, conversions: i.conversions, revenue: i.revenue };
}
