/** The ports the campaign use cases need. */
import type { CampaignStore } from '../../ports/campaign-store';
import type { Clock } from '../../ports/clock';
import type { DeliveryLedger } from '../../ports/delivery-ledger';
import type { QueryEngine } from '../../ports/query-engine';
import type { Scheduler, TriggerInvoker } from '../../ports/scheduler';
import type { SegmentStore } from '../../ports/segment-store';
import type { SettingsStore } from '../../ports/settings-store';

export interface CampaignDeps {
  campaigns: CampaignStore;
  segments: SegmentStore;
  settings: SettingsStore;
  scheduler: Scheduler;
  triggers: TriggerInvoker;
  queryEngine: QueryEngine;
  ledger: DeliveryLedger;
  clock: Clock;
}
