/** Every port the service uses; each world's composition root builds one of these. */
import type { AutomationStore } from './automation-store';
import type { CampaignStore } from './campaign-store';
import type { Clock } from './clock';
import type { DeliveryLedger, FrequencyCapStore } from './delivery-ledger';
import type { DeviceStore } from './device-store';
import type { EndpointRegistry } from './endpoint-registry';
import type { EstimateStore } from './estimate-store';
import type { ErasureStore } from './erasure-store';
import type { EventLake } from './event-lake';
import type { LakeMaintenance } from './lake-maintenance';
import type { MaintenanceJobs } from './maintenance-jobs';
import type { InsightsCache } from './insights-cache';
import type { PushAppProvisioner, PushAppStore } from './push-apps';
import type { PushGateway } from './push-gateway';
import type { Metrics } from './metrics';
import type { QueryEngine } from './query-engine';
import type { RollupBuilder, RollupCatalog } from './rollups';
import type { Scheduler, TriggerInvoker } from './scheduler';
import type { SegmentStore } from './segment-store';
import type { SendQueue } from './send-queue';
import type { SettingsStore } from './settings-store';
import type { TenantStore } from './tenant-store';

export interface ServiceDeps {
  clock: Clock;
  tenants: TenantStore;
  devices: DeviceStore;
  lake: EventLake;
  endpoints: EndpointRegistry;
  queryEngine: QueryEngine;
  segments: SegmentStore;
  estimates: EstimateStore;
  insightsCache: InsightsCache;
  campaigns: CampaignStore;
  /** Automated campaigns' active set, due items and marks. */
  automations: AutomationStore;
  settings: SettingsStore;
  scheduler: Scheduler;
  triggers: TriggerInvoker;
  queue: SendQueue;
  gateway: PushGateway;
  ledger: DeliveryLedger;
  caps: FrequencyCapStore;
  /** Tenants' own push apps (public view) and the provider side that creates them. */
  pushApps: PushAppStore;
  pushProvisioner: PushAppProvisioner;
  apnsSandbox: boolean;
  metrics: Metrics;
  /** Rewriting the lake's files (compaction, erasure) and the jobs that do it. */
  maintenance: LakeMaintenance;
  maintenanceJobs: MaintenanceJobs;
  erasures: ErasureStore;
  /** How long rows accepted before an erasure may still take to reach the lake (AWS: Firehose's buffer); 0 locally. */
  settleMs: number;
  /** Device-day rollups of the events (estimates read rolled days from them); absent: estimates read raw events. */
  rollups?: RollupCatalog & RollupBuilder;
  /** Days of events and deliveries kept (AWS: the lake's retention); absent: kept for ever (locally). */
  lakeRetentionDays?: number;
  /** How long an accepted event may take to reach the query engine (AWS: Firehose's buffer); absent: 0 (locally). */
  lakeVisibilityMs?: number;
  /** Insights younger than this are served even after new events (AWS: bounds Athena runs); absent: 0. */
  insightsRefreshFloorMs?: number;
  /** Longest insights are served without recounting (AWS: 5 min, a lost events mark's bound); absent: 60 s. */
  insightsTtlMs?: number;
  /** Account-wide ceiling on pushes a minute, from configuration (AWS: MAX_SENDS_PER_SECOND × 60); null/absent = none. */
  sendCeilingPerMinute?: number | null;
}
