/**
 * The local push gateway's control surface (`npm start` only): what it recorded for a campaign, and
 * the faults it is told to inject. AWS has no counterpart; the local routes (handlers/local.ts) use it.
 */

/** One push as the local gateway recorded it. */
export interface OutboxItem {
  deviceId: string;
  platform: 'ios' | 'android';
  message: Record<string, string>;
  sentAt: string;
}

/** Faults the local gateway injects for a tenant's pushes. */
export interface GatewayFaults {
  /** Fraction (0–1) of provider calls that fail transiently. */
  failureRate: number;
  /** Tokens the provider reports as unregistered. */
  unregisteredTokens: string[];
  /** Simulated provider latency per push (ms). */
  latencyMs: number;
}

/** Read the outbox and switch the injected faults of the local push gateway. */
export interface LocalOutbox {
  outbox(tenantId: string, campaignId: string): Promise<OutboxItem[]>;
  faultsFor(tenantId: string): GatewayFaults;
  setFaults(tenantId: string, faults: GatewayFaults): void;
}
