/** The stored campaign: what the merchant composed, its lifecycle, its waves and delivery counters. */
import type { CampaignKind } from './campaign';
import type { CampaignStatus } from './lifecycle';
import type { CampaignWarning, Message } from './message';
import type { Schedule, Wave } from './schedule';

export type WaveStatus = 'scheduled' | 'firing' | 'enqueued' | 'cancelled';

/** A planned wave and how far its fan-out got. */
export interface WaveState extends Wave {
  status: WaveStatus;
  /** Last device id enqueued: if the audience result is lost, the query runs again for the devices after it. */
  cursor: string | null;
  /** Pages enqueued so far (batch ids are `<wave>:<page>:<index>`); every move of the wave's cursor adds one. */
  pages: number;
  targeted: number;
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
}

export interface Campaign extends DeliveryCounters {
  id: string;
  tenantId: string;
  name: string;
  kind: CampaignKind;
  segmentId: string | null;
  message: Message;
  schedule: Schedule;
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

/** The campaign as the API shows it. */
export function publicCampaign(c: Campaign) {
  return {
    id: c.id,
    name: c.name,
    kind: c.kind,
    segmentId: c.segmentId,
    message: c.message,
    schedule: c.schedule,
    sendRate: c.sendRate ?? null,
    status: c.status,
    warnings: c.warnings,
    version: c.version,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    launchedAt: c.launchedAt,
    completedAt: c.completedAt,
    cancelledAt: c.cancelledAt,
    progress: {
      targeted: c.targeted,
      sent: c.sent,
      failed: c.failed,
      suppressed: c.supOptedOut + c.supFrequencyCap + c.supInvalidToken,
      suppressedBy: { optedOut: c.supOptedOut, frequencyCap: c.supFrequencyCap, invalidToken: c.supInvalidToken },
    },
    waves: Object.values(c.waves)
      .sort((a, b) => a.fireAt.localeCompare(b.fireAt) || a.id.localeCompare(b.id))
      .map((w) => ({
        id: w.id,
        timezone: w.timezone,
        fireAt: w.fireAt,
        intendedAt: w.intendedAt,
        pastDue: w.pastDue,
        status: w.status,
        targeted: w.targeted,
        firedAt: w.firedAt,
      })),
    error: c.error,
  };
}
