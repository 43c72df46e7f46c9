/** In-memory stand-ins of the sender's ports (and a no-op gateway), to time the sender path alone. */
import { randomUUID } from 'node:crypto';
import { ZERO_COUNTERS, type Campaign, type DeliveryCounters } from '../../lambdas/domain/campaigns/campaign-record';
import type { Device } from '../../lambdas/domain/devices/device';
import type { DeliveryRow } from '../../lambdas/domain/lake-schema';
import { defaultSettings } from '../../lambdas/domain/settings';
import type { CampaignStore } from '../../lambdas/ports/campaign-store';
import type { ChunkClaim, ChunkOutcomes, DeliveryLedger, FrequencyCapStore } from '../../lambdas/ports/delivery-ledger';
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
    message: {
      title: '24h only: 30% off 🎉',
      body: 'Your favourites are on sale. Tap to shop.',
      deepLink: 'myshop://sale/bf',
    } as Campaign['message'],
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
export function memorySenderDeps(
  campaign: Campaign,
  devices: Device[],
): SendBatchDeps & { pushes: () => number; counters: () => Partial<DeliveryCounters>; lakeRows: () => DeliveryRow[] } {
  const lakeRows: DeliveryRow[] = [];
  const byId = new Map(devices.map((d) => [d.deviceId, d]));
  const ledger = new Map<string, { recorded: ChunkOutcomes; done: boolean; lease: string | null; leaseUntil: number }>();
  const applied = new Set<string>();
  const counters: Partial<DeliveryCounters> = {};
  let pushes = 0;
  const campaigns: Pick<CampaignStore, 'get' | 'addBatchCounters' | 'completeIfDone'> = {
    get: async () => campaign,
    addBatchCounters: async (_t, _id, key, deltas) => {
      if (applied.has(key)) return false;
      applied.add(key);
      for (const [k, v] of Object.entries(deltas))
        counters[k as keyof DeliveryCounters] = (counters[k as keyof DeliveryCounters] ?? 0) + (v ?? 0);
      return true;
    },
    completeIfDone: async () => false,
  };
  const devicesStore: Pick<DeviceStore, 'getMany' | 'markTokenInvalid'> = {
    getMany: async (_t, ids) => new Map(ids.flatMap((id) => (byId.has(id) ? [[id, byId.get(id)!] as const] : []))),
    markTokenInvalid: async () => undefined,
  };
  const memLedger: DeliveryLedger = {
    claimChunk: async (t, c, chunk, now, leaseMs): Promise<ChunkClaim> => {
      const key = `${t}#${c}#${chunk}`;
      const cur = ledger.get(key);
      if (cur?.done) return { outcome: 'done', recorded: { ...cur.recorded } };
      if (cur?.lease && cur.leaseUntil > now.getTime()) return { outcome: 'busy' };
      const lease = randomUUID();
      ledger.set(key, { recorded: cur?.recorded ?? {}, done: false, lease, leaseUntil: now.getTime() + leaseMs });
      return { outcome: 'claimed', lease, recorded: { ...(cur?.recorded ?? {}) }, interrupted: Boolean(cur?.lease) };
    },
    recordChunk: async (t, c, chunk, lease, recorded, done) => {
      const key = `${t}#${c}#${chunk}`;
      if (ledger.get(key)?.lease !== lease) return false;
      ledger.set(key, { recorded: { ...recorded }, done, lease: null, leaseUntil: 0 });
      return true;
    },
  };
  const caps: FrequencyCapStore = {
    reserveMany: async (_t, _c, _now, _cap, devices) => new Set(devices.map((d) => d.deviceId)),
    underCap: async (_t, _c, _now, _cap, devices) => new Set(devices.map((d) => d.deviceId)),
    forget: async () => undefined,
  };
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
    settings: { get: async () => settings, put: async () => undefined, removeTestDevices: async () => undefined },
    ledger: memLedger,
    caps,
    gateway,
    queue: { enqueue: async () => undefined },
    lake: { appendDeliveries: async (_t, rows) => void lakeRows.push(...rows) },
    clock: { now: () => new Date() },
    pushes: () => pushes,
    counters: () => ({ ...counters }),
    lakeRows: () => [...lakeRows],
  };
}
