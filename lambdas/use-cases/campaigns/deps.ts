/** The ports the campaign use cases need. */
import type { AutomationStore } from '../../ports/automation-store';
import type { CampaignStore } from '../../ports/campaign-store';
import type { Clock } from '../../ports/clock';
import type { QueryEngine } from '../../ports/query-engine';
import type { Scheduler, TriggerInvoker } from '../../ports/scheduler';
import type { SegmentStore } from '../../ports/segment-store';
import type { SettingsStore } from '../../ports/settings-store';
import type { QueryBudget } from '../segments/query-budget';

/** `queryBudgetMs`/`sleep` (QueryBudget) bound the audience query of wave planning (HTTP requests). */
export interface CampaignDeps extends QueryBudget {
  campaigns: CampaignStore;
  automations: AutomationStore;
  segments: SegmentStore;
  settings: SettingsStore;
  scheduler: Scheduler;
  triggers: TriggerInvoker;
  queryEngine: QueryEngine;
  clock: Clock;
}
