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
export function memorySenderDeps(campaign: Campaign, devices: Device[]): SendBatchDeps & { pushes: () => number } {
  const byId = new Map(devices.map((d) => [d.deviceId, d]));
  const ledger = new Map<string, { state: LedgerEntry['state']; lease: string; leaseUntil: number }>();
  const batches = new Set<string>();
  const counters: Partial<DeliveryCounters> = {};
  let pushes = 0;
  const campaigns: Pick<CampaignStore, 'get' | 'addCounters' | 'completeIfDone'> = {
    get: async () => campaign,
    addCounters: async (_t, _id, deltas) => {
      for (const [k, v] of Object.entries(deltas)) counters[k as keyof DeliveryCounters] = (counters[k as keyof DeliveryCounters] ?? 0) + (v ?? 0);
      return campaign;
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
        ledger.set(key, { state: 'sending', lease, leaseUntil: now.getTime() + leaseMs });
        return { outcome: 'claimed', lease };
      }
      if (cur.state !== 'sending') return { outcome: 'done', state: cur.state };
      if (cur.leaseUntil > now.getTime()) return { outcome: 'busy' };
      ledger.set(key, { state: 'sending', lease, leaseUntil: now.getTime() + leaseMs });
      return { outcome: 'expired', lease };
    },
    finish: async (t, c, d, lease, entry) => {
      const key = `${t}#${c}#${d}`;
      if (ledger.get(key)?.lease !== lease) return false;
      ledger.set(key, { state: entry.state, lease, leaseUntil: 0 });
      return true;
    },
    release: async (t, c, d, lease) => {
      const key = `${t}#${c}#${d}`;
      if (ledger.get(key)?.lease === lease) ledger.delete(key);
    },
    markBatch: async (t, c, b, m) => {
      const key = `${t}#${c}#${b}#${m}`;
      if (batches.has(key)) return false;
      batches.add(key);
      return true;
    },
    entries: async () => [],
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
    clock: { now: () => new Date() },
    pushes: () => pushes,
  };
}
