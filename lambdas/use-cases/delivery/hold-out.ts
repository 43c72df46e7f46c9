/**
 * Variants and a control group at send time (API.md v1.1). The arm of a device is a pure function of
 * (campaign id, device id) (domain/campaigns/arms.ts), so a retried chunk, a re-fired wave or a
 * quiet-hours chunk hours later puts a device where it was: nothing per device is stored to decide it.
 *
 * A control device goes through the same gates as a pushed one (opt-out, dead token and quiet hours
 * before this; the frequency cap here) and is recorded `held_out` at the moment it would have been
 * pushed: the control's conversions are counted from that moment, like a variant's from its push. A
 * device the cap holds back counts in neither arm; a control device checks the cap without
 * reserving, since it is never pushed.
 */
import { armsOf, assignArm } from '../../domain/campaigns/arms';
import type { Campaign } from '../../domain/campaigns/campaign-record';
import type { Message } from '../../domain/campaigns/message';
import type { Device } from '../../domain/devices/device';
import type { Settings } from '../../domain/settings';
import type { Clock } from '../../ports/clock';
import type { ChunkOutcomes, FrequencyCapStore } from '../../ports/delivery-ledger';
import type { SendBatch } from '../../ports/send-queue';

/** How a campaign's devices are split between variants and the control group. */
export interface ArmSplit {
  /** A device's variant id, or null for the control group. */
  armOf(deviceId: string): string | null;
  /** The message a device of that variant is pushed. */
  messageOf(variant: string | null): Message;
}

/** The split of a campaign with variants or a control group; null for a campaign with one message and no holdout. */
export function armSplit(c: Pick<Campaign, 'id' | 'message' | 'variants' | 'holdoutPercent'>): ArmSplit | null {
  const arms = armsOf(c);
  if (!arms) return null;
  const byId = new Map((c.variants ?? []).map((v) => [v.id, v.message]));
  return {
    armOf: (deviceId) => assignArm(c.id, deviceId, arms),
    messageOf: (variant) => {
      const message = (variant !== null ? byId.get(variant) : undefined) ?? c.message;
      if (!message) throw new Error(`campaign ${c.id} has no message for variant ${variant}`);
      return message;
    },
  };
}

/**
 * Record the control devices among `toPush` (`held_out`, or `suppressed: frequencyCap` when the cap
 * would have held them back) and return the devices left to push.
 */
export async function holdOutControl(
  deps: { caps: FrequencyCapStore; clock: Clock },
  batch: SendBatch,
  split: ArmSplit,
  settings: Settings,
  toPush: readonly string[],
  devices: ReadonlyMap<string, Device>,
  recorded: ChunkOutcomes,
): Promise<string[]> {
  const control = toPush.filter((id) => split.armOf(id) === null);
  if (control.length === 0) return [...toPush];
  const now = deps.clock.now();
  const allowed = settings.frequencyCap
    ? await deps.caps.underCap(
        batch.tenantId,
        batch.campaignId,
        now,
        settings.frequencyCap,
        control.map((id) => ({ deviceId: id, sent: batch.history?.[id] ?? [] })),
      )
    : new Set(control);
  for (const id of control) {
    const platform = devices.get(id)?.platform ?? null;
    recorded[id] = allowed.has(id)
      ? { state: 'held_out', reason: null, platform, at: now.toISOString() }
      : { state: 'suppressed', reason: 'frequencyCap', platform, at: now.toISOString() };
  }
  const held = new Set(control);
  return toPush.filter((id) => !held.has(id));
}
