/**
 * Frequency cap (API.md "Settings" / "Delivery rules"): at most `maxPerDevice` pushes per device in
 * any sliding window of `windowHours`. The device keeps a short list of its recent send times.
 */

/** The tenant's cap; null in settings means no cap. */
export interface FrequencyCap {
  maxPerDevice: number;
  windowHours: number;
}

/** Largest window and count settings allow: history beyond them can never matter. */
export const MAX_CAP_WINDOW_HOURS = 720;
export const MAX_CAP_PER_DEVICE = 100;

/** The verdict for one device and the send-time list to store back. */
export interface FrequencyCapDecision {
  allowed: boolean;
  /** Sends counted against the cap in the current window (before this one). */
  countInWindow: number;
  /**
   * Recent send times (ISO, ascending) to store: the longest window settings allow and at most
   * 100 entries, so a cap switched on or widened later still sees the real history; includes
   * `now` when allowed.
   */
  sentAt: string[];
}

/**
 * Decide whether a device may get one more push at `now` under `cap`, given its recent send times.
 * A send exactly `windowHours` ago has left the window; unreadable timestamps are dropped.
 */
export function applyFrequencyCap(recentSentAt: readonly string[], now: Date, cap: FrequencyCap | null): FrequencyCapDecision {
  const nowMs = now.getTime();
  const keepFrom = nowMs - MAX_CAP_WINDOW_HOURS * 3_600_000;
  const kept = recentSentAt
    .map((s) => Date.parse(s))
    .filter((ms) => Number.isFinite(ms) && ms > keepFrom)
    .sort((a, b) => a - b);
  const windowFrom = cap ? nowMs - cap.windowHours * 3_600_000 : Infinity;
  // Timestamps a little in the future (clock skew between senders) still count.
  const countInWindow = cap ? kept.filter((ms) => ms > windowFrom).length : 0;
  const allowed = cap === null || countInWindow < cap.maxPerDevice;
  const next = allowed ? [...kept, nowMs].sort((a, b) => a - b) : kept;
  return {
    allowed,
    countInWindow,
    sentAt: next.slice(-MAX_CAP_PER_DEVICE).map((ms) => new Date(ms).toISOString()),
  };
}

/** One push in a device's history: which campaign, when (ISO). */
export interface SendRecord {
  campaignId: string;
  at: string;
}

/**
 * The history worth keeping: pushes inside the longest window settings allow, at most the largest
 * count they allow (the most recent ones), ascending. Whatever cap is switched on later, it sees
 * every push that could count against it.
 */
export function trimSendHistory(sends: readonly SendRecord[], now: Date): SendRecord[] {
  const keepFrom = now.getTime() - MAX_CAP_WINDOW_HOURS * 3_600_000;
  return sends
    .filter((s) => Date.parse(s.at) > keepFrom)
    .sort((a, b) => a.at.localeCompare(b.at))
    .slice(-MAX_CAP_PER_DEVICE);
}
