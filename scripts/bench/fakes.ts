/** In-memory stand-ins of the sender's ports (and a no-op gateway), to time the sender path alone. */
import { randomUUID } from 'node:crypto';
import { ZERO_COUNTERS, type Campaign, type DeliveryCounters } from '../../lambdas/domain/campaigns/campaign-record';
import type { Device } from '../../lambdas/domain/devices/device';
import { defaultSettings } from '../../lambdas/domain/settings';
import type { CampaignStore } from '../../lambdas/ports/campaign-store';
import type { ClaimResult, DeliveryLedger, FrequencyCapStore, LedgerEntry } from '../../lambdas/ports/delivery-ledger';
import type { DeviceStore } from '../../lambdas/ports/device-store';
import type { PushGateway } from '../../lambdas/ports/push-gateway';
import type { SendBatchDeps } from '../../lambdas/use-cases/delivery/send-batch';

export function benchCampaign(tenantId: string, id: string): Campaign {
  const now = new Date().toISOString();
  return {
    ...ZERO_COUNTERS,
    id,
    tenantId,
    name: 'bench',
    kind: 'campaign',
    segmentId: null,
    message: { title: '24h only: 30% off 🎉', body: 'Your favourites are on sale. Tap to shop.', deepLink: 'myshop://sale/bf' } as Campaign['message'],
    schedule: { type: 'now' } as Campaign['schedule'],
    sendRate: null,
    status: 'sending',
    warnings: [],
    version: 1,
    createdAt: now,
    updatedAt: now,
    launchedAt: now,
    completedAt: null,
    cancelledAt: null,
    timezone: null,
    waves: {},
    error: null,
  };
}

/** Ports of the sender kept in Maps; the ledger keeps the same claim/lease semantics as the DynamoDB one. */
export function memorySenderDeps(campaign: Campaign, devices: Device[]): SendBatchDeps & { pushes: () => number; counters: () => Partial<DeliveryCounters> } {
  const byId = new Map(devices.map((d) => [d.deviceId, d]));
  const ledger = new Map<string, { state: LedgerEntry['state']; reason: string | null; batchId: string | null; lease: string; leaseUntil: number }>();
  const applied = new Set<string>();
  const counters: Partial<DeliveryCounters> = {};
  let pushes = 0;
  const campaigns: Pick<CampaignStore, 'get' | 'addBatchCounters' | 'completeIfDone'> = {
    get: async () => campaign,
    addBatchCounters: async (_t, _id, key, deltas) => {
      if (applied.has(key)) return false;
      applied.add(key);
      for (const [k, v] of Object.entries(deltas)) counters[k as keyof DeliveryCounters] = (counters[k as keyof DeliveryCounters] ?? 0) + (v ?? 0);
      return true;
    },
    completeIfDone: async () => false,
  };
  const devicesStore: Pick<DeviceStore, 'getMany' | 'markTokenInvalid'> = {
    getMany: async (_t, ids) => new Map(ids.flatMap((id) => (byId.has(id) ? [[id, byId.get(id)!] as const] : []))),
    markTokenInvalid: async () => undefined,
  };
  const memLedger: DeliveryLedger = {
    claim: async (t, c, d, now, leaseMs): Promise<ClaimResult> => {
      const key = `${t}#${c}#${d}`;
      const cur = ledger.get(key);
      const lease = randomUUID();
      if (!cur) {
        ledger.set(key, { state: 'sending', reason: null, batchId: null, lease, leaseUntil: now.getTime() + leaseMs });
        return { outcome: 'claimed', lease };
      }
      if (cur.state !== 'sending') return { outcome: 'done', state: cur.state, reason: cur.reason, batchId: cur.batchId, at: '' };
      if (cur.leaseUntil > now.getTime()) return { outcome: 'busy' };
      ledger.set(key, { state: 'sending', reason: null, batchId: null, lease, leaseUntil: now.getTime() + leaseMs });
      return { outcome: 'expired', lease };
    },
    finish: async (t, c, d, lease, entry) => {
      const key = `${t}#${c}#${d}`;
      if (ledger.get(key)?.lease !== lease) return false;
      ledger.set(key, { state: entry.state, reason: entry.reason, batchId: entry.batchId ?? null, lease, leaseUntil: 0 });
      return true;
    },
    release: async (t, c, d, lease) => {
      const key = `${t}#${c}#${d}`;
      if (ledger.get(key)?.lease === lease) ledger.delete(key);
    },
    // The sender and completion never read the whole ledger (insights only).
    entries: async () => {
      throw new Error('the sender path must not read the ledger');
    },
  };
  const caps: FrequencyCapStore = { reserve: async () => true };
  const gateway: PushGateway = {
    send: async () => {
      pushes++;
      return { outcome: 'sent' };
    },
    deliveryRecord: async () => 'not_delivered',
  };
  const settings = defaultSettings();
  return {
    campaigns: campaigns as CampaignStore,
    devices: devicesStore as DeviceStore,
    settings: { get: async () => settings, put: async () => undefined },
    ledger: memLedger,
    caps,
    gateway,
    queue: { enqueue: async () => undefined },
    lake: { appendDeliveries: async () => undefined },
    clock: { now: () => new Date() },
    pushes: () => pushes,
    counters: () => ({ ...counters }),
  };
}
