/**
 * Variants and a control group (API.md v1.1): which arm a device of a campaign lands in. Zod-free
 * and free of Node APIs, so the merchant UI imports the limits and the words from here too.
 *
 * A campaign's arms are its variants (2–4, weights summing to 100) or, for a campaign with one
 * `message` and a holdout, that message as the one arm `message`; `holdoutPercent` of the devices
 * form the control group, which is never pushed. The arm of a device is a pure function of
 * (campaign id, device id): a re-fired wave, a retried or redelivered batch, a quiet-hours chunk
 * sent hours later all put a device in the same arm, with nothing stored per device.
 */

/** Variants a campaign may test at least and at most. */
export const MIN_VARIANTS = 2;
export const MAX_VARIANTS = 4;
/** The largest control group, in percent of the targeted devices. */
export const MAX_HOLDOUT_PERCENT = 50;
/** A variant's id: what the insights and the lake's deliveries table name it by. */
export const VARIANT_ID_PATTERN = /^[A-Za-z0-9_-]{1,16}$/;
/** The arm of a campaign that has one `message` and a control group. */
export const SINGLE_ARM_ID = 'message';

/** An arm: a variant's id and weight (percent of the pushed, i.e. non-holdout, devices). */
export interface ArmWeight {
  id: string;
  weight: number;
}

/** What a campaign says about its arms. */
export interface ArmsSource {
  variants?: readonly ArmWeight[] | null;
  holdoutPercent?: number | null;
}

/** The arms of a campaign, or null when it has no variants and no control group (one message, everyone pushed). */
export function armsOf(c: ArmsSource): { arms: ArmWeight[]; holdoutPercent: number } | null {
  const holdoutPercent = c.holdoutPercent ?? 0;
  if (c.variants && c.variants.length > 0) return { arms: c.variants.map(({ id, weight }) => ({ id, weight })), holdoutPercent };
  if (holdoutPercent > 0) return { arms: [{ id: SINGLE_ARM_ID, weight: 100 }], holdoutPercent };
  return null;
}

/** FNV-1a (32 bits) of `s` from `seed`, then murmur3's finaliser so close ids (dev-0001, dev-0002) spread evenly. */
function hash32(s: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniform number in [0, 1) from (campaign id, device id): 53 bits of two independent 32-bit hashes. */
export function armUnit(campaignId: string, deviceId: string): number {
  const key = `${campaignId}\u0000${deviceId}`;
  const hi = hash32(key, 0x811c9dc5) >>> 11; // 21 bits
  const lo = hash32(key, 0x2f1b6a3d); // 32 bits
  return (hi * 2 ** 32 + lo) / 2 ** 53;
}

/**
 * The arm of a device: a variant's id, or null for the control group. The holdout takes the lowest
 * `holdoutPercent` of the unit interval; the rest is cut in proportion to the weights, in order.
 */
export function assignArm(
  campaignId: string,
  deviceId: string,
  arms: { arms: readonly ArmWeight[]; holdoutPercent: number },
): string | null {
  const u = armUnit(campaignId, deviceId);
  const holdout = arms.holdoutPercent / 100;
  if (u < holdout) return null;
  const v = ((u - holdout) / (1 - holdout)) * 100;
  let edge = 0;
  for (const arm of arms.arms) {
    edge += arm.weight;
    if (v < edge) return arm.id;
  }
  return arms.arms[arms.arms.length - 1].id;
}
