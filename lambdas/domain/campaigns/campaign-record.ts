/** The stored campaign: what the merchant composed, its lifecycle, its waves and delivery counters. */
import type { CampaignKind, Variant } from './campaign';
import type { CampaignStatus } from './lifecycle';
import type { CampaignWarning, Message } from './message';
import type { Schedule, Wave } from './schedule';
import type { SegmentDefinition } from '../segments/criteria';
import type { Trigger } from '../automations/trigger';

/** Stored wave states; `skipped` (ifPassed: skip) never fires and is not shown among the waves. */
export type WaveStatus = 'scheduled' | 'firing' | 'enqueued' | 'cancelled' | 'skipped';

/** A planned wave and how far its fan-out got. */
export interface WaveState extends Wave {
  status: WaveStatus;
  /** Last device id enqueued: if the audience result is lost, the query runs again for the devices after it. */
  cursor: string | null;
  /** Pages enqueued so far (batch ids are `<wave>:<page>:<index>`); every move of the wave's cursor adds one. */
  pages: number;
  targeted: number;
  /** Devices the plan counted for this wave at launch (absent on waves stored before plans counted them). */
  devices?: number;
  firedAt: string | null;
  /** The audience query's one result being read (the engine's handle id); absent/null until the wave first fires. */
  execution?: string | null;
  /** Where the next page of that result starts (the engine's token; null = its first page). */
  pageToken?: string | null;
  /** Batches enqueued so far, across pages (pacing spaces batch k from firedAt). */
  batches?: number;
}

/** How far a wave's fan-out got: what one compare-and-set of the wave moves. */
export type WaveCursor = Pick<WaveState, 'cursor' | 'pages'> & { execution: string | null; pageToken: string | null; batches: number };

/**
 * Counters kept as top-level attributes so they can be added to atomically. While a campaign sends,
 * the senders' counts live in counter shards beside it (read back into these fields); on completion
 * they are folded into the record.
 */
export interface DeliveryCounters {
  targeted: number;
  sent: number;
  failed: number;
  supOptedOut: number;
  supFrequencyCap: number;
  supInvalidToken: number;
  batchesEnqueued: number;
  batchesDone: number;
  /** Waves not yet fully enqueued; the campaign is `sent` when this is 0 and every batch is done. */
  wavesPending: number;
  /** Devices held by quiet hours and not yet sent (a live counter; absent on older records). */
  deferred?: number;
  /** Automated campaigns: due devices that reported an exit event first and were not pushed. */
  exited?: number;
  /** Devices of the control group (holdoutPercent): recorded, never pushed (absent on older records). */
  heldOut?: number;
}

/** What an automated campaign counts per UTC day (its timeline and, summed, its progress). */
export const DAILY_COUNTERS = [
  'targeted',
  'sent',
  'failed',
  'supOptedOut',
  'supFrequencyCap',
  'supInvalidToken',
  'deferred',
  'exited',
] as const;
export type DailyCounters = Record<(typeof DAILY_COUNTERS)[number], number>;
/** One day's counts of an automated campaign. */
export interface DayCounts extends DailyCounters {
  /** YYYY-MM-DD (UTC). */
  day: string;
}

export interface Campaign extends DeliveryCounters {
  id: string;
  tenantId: string;
  name: string;
  kind: CampaignKind;
  segmentId: string | null;
  /** The push; null when the campaign tests variants (each carries its own message). */
  message: Message | null;
  /** Message variants (API.md v1.1); null or absent on a campaign with one message. */
  variants?: Variant[] | null;
  /** Percent of the targeted devices held out as the control group (absent = 0). */
  holdoutPercent?: number;
  /** When a campaign goes out; null on an automated campaign (it sends on its trigger). */
  schedule: Schedule | null;
  /** What makes a device due (automated campaigns only; null on campaigns and on records stored before automations). */
  trigger?: Trigger | null;
  /** Throttling: devices a minute at most (API.md v1.1); null = no limit (records stored before it carry none). */
  sendRate: { perMinute: number } | null;
  status: CampaignStatus;
  warnings: CampaignWarning[];
  version: number;
  createdAt: string;
  updatedAt: string;
  launchedAt: string | null;
  completedAt: string | null;
  cancelledAt: string | null;
  /** Time zone used for quiet hours of devices without one (schedule zone, else the tenant default). */
  timezone: string | null;
  waves: Record<string, WaveState>;
  error: string | null;
  /**
   * Launch snapshot (API.md v1.1): what the merchant launched, so deleting or editing the segment or
   * changing the settings never rewrites a sent campaign's history. Absent/null before launch, and
   * on records launched before the snapshot existed (their insights use the current settings).
   */
  audience?: AudienceSnapshot | null;
  attributionWindowHours?: number | null;
  /**
   * Read-only, filled by the store while the campaign counts: per wave id, batches done minus
   * quiet-hours batches it spawned. A wave whose figure reaches its `batches` has nothing left to send.
   */
  liveWaves?: Record<string, number>;
  /** Read-only, filled by the store for an automated campaign: its counts per day (summed into the counters above). */
  days?: DayCounts[];
}

/** The audience as launched; "all subscribers" is `{segmentId: null, segmentName: null, match: 'all', criteria: []}`. */
export interface AudienceSnapshot extends SegmentDefinition {
  segmentId: string | null;
  segmentName: string | null;
  /**
   * The segments the criteria reach through `in_segment` (directly or through one another), by id,
   * as they were at launch: the recorded audience keeps its meaning after they are edited or deleted.
   * Absent when the audience references none.
   */
  referenced?: Record<string, ReferencedSegment>;
}

/** A segment an audience referred to, frozen in the launch snapshot. */
export interface ReferencedSegment extends SegmentDefinition {
  name: string;
}

/** The snapshot of a segment (or of every opted-in device when there is none) and of the segments it references. */
export function audienceSnapshot(
  segment: ({ id: string; name: string } & SegmentDefinition) | null,
  referenced: ReadonlyMap<string, ReferencedSegment> = new Map(),
): AudienceSnapshot {
  const base: AudienceSnapshot = segment
    ? { segmentId: segment.id, segmentName: segment.name, match: segment.match, criteria: segment.criteria }
    : { segmentId: null, segmentName: null, match: 'all', criteria: [] };
  if (referenced.size === 0) return base;
  const frozen = [...referenced].sort(([a], [b]) => a.localeCompare(b));
  return { ...base, referenced: Object.fromEntries(frozen.map(([id, r]) => [id, { name: r.name, match: r.match, criteria: r.criteria }])) };
}

export const ZERO_COUNTERS: DeliveryCounters = {
  targeted: 0,
  sent: 0,
  failed: 0,
  supOptedOut: 0,
  supFrequencyCap: 0,
  supInvalidToken: 0,
  batchesEnqueued: 0,
  batchesDone: 0,
  wavesPending: 0,
};

/** Devices left out because their zone's time had passed at launch (ifPassed: skip). */
function timePassedOf(c: Campaign): number {
  return Object.values(c.waves)
    .filter((w) => w.status === 'skipped')
    .reduce((n, w) => n + (w.devices ?? 0), 0);
}

/**
 * A wave as the API shows it: pending until it fires, sending while its batches go out, sent when
 * each of its batches (the quiet-hours ones it spawned included) is done.
 */
export function publicWaveStatus(c: Campaign, w: WaveState): 'pending' | 'sending' | 'sent' | 'cancelled' {
  if (w.status === 'scheduled') return 'pending';
  if (w.status === 'cancelled' || w.status === 'skipped') return 'cancelled';
  if (w.status === 'firing') return c.status === 'sending' ? 'sending' : 'cancelled';
  if (c.status === 'sent') return 'sent';
  if ((c.liveWaves?.[w.id] ?? 0) >= (w.batches ?? 0)) return 'sent';
  return c.status === 'sending' ? 'sending' : 'cancelled';
}

/** Whether the wave's trigger has run (its status says so even where `firedAt` was not recorded). */
function waveFired(w: WaveState): boolean {
  return w.status === 'firing' || w.status === 'enqueued' || (w.firedAt ?? null) !== null;
}

/** The campaign as the API shows it. */
export function publicCampaign(c: Campaign) {
  const timePassed = timePassedOf(c);
  return {
    id: c.id,
    name: c.name,
    kind: c.kind,
    segmentId: c.segmentId,
    message: c.message,
    variants: c.variants ?? null,
    holdoutPercent: c.holdoutPercent ?? 0,
    schedule: c.schedule,
    trigger: c.trigger ?? null,
    sendRate: c.sendRate ?? null,
    status: c.status,
    warnings: c.warnings,
    version: c.version,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    launchedAt: c.launchedAt,
    completedAt: c.completedAt,
    cancelledAt: c.cancelledAt,
    audience: c.audience ?? null,
    attributionWindowHours: c.attributionWindowHours ?? null,
    progress: {
      // Skipped devices (ifPassed: skip) are targeted and suppressed, so targeted = sent + heldOut + failed + suppressed once done.
      targeted: c.targeted + timePassed,
      sent: c.sent,
      // The control group: counted, recorded in the lake, never pushed.
      heldOut: c.heldOut ?? 0,
      failed: c.failed,
      suppressed: c.supOptedOut + c.supFrequencyCap + c.supInvalidToken + timePassed,
      suppressedBy: { optedOut: c.supOptedOut, frequencyCap: c.supFrequencyCap, invalidToken: c.supInvalidToken, timePassed },
      // Held by quiet hours and not sent yet; nothing is held any more once the campaign stopped.
      deferred: c.status === 'sending' || c.status === 'active' || c.status === 'paused' ? Math.max(0, c.deferred ?? 0) : 0,
      ...(c.kind === 'automated' ? { exited: c.exited ?? 0 } : {}),
    },
    waves: Object.values(c.waves)
      .filter((w) => w.status !== 'skipped')
      .sort((a, b) => a.fireAt.localeCompare(b.fireAt) || a.id.localeCompare(b.id))
      .map((w) => ({
        id: w.id,
        timezone: w.timezone,
        // A local wave's zones; a `now`/`at` wave follows one clock (its zone; none for now) for every device.
        timezones: w.memberZones ?? (w.timezone ? [w.timezone] : []),
        sendAt: w.fireAt,
        // Counted at launch for local waves; a `now`/`at` wave's devices are known once it fires (its targeted), null until then.
        devices: w.devices ?? (waveFired(w) ? w.targeted : null),
        fireAt: w.fireAt,
        intendedAt: w.intendedAt,
        pastDue: w.pastDue,
        status: publicWaveStatus(c, w),
        targeted: w.targeted,
        firedAt: w.firedAt,
      })),
    error: c.error,
  };
}
