/** One-time triggers for campaign waves (EventBridge Scheduler in AWS, a persisted loop locally). */
export interface WaveTrigger {
  tenantId: string;
  campaignId: string;
  wave: string;
  /** The correlation id of the request that launched the campaign (absent on waves scheduled before it was carried). */
  correlationId?: string;
}

export interface ScheduledWave extends WaveTrigger {
  /** UTC ISO instant. */
  fireAt: string;
}

export interface Scheduler {
  /** Create or replace the schedules of these waves. */
  schedule(waves: ScheduledWave[]): Promise<void>;
  /** Remove the schedules of these waves (missing ones are fine). */
  cancel(waves: WaveTrigger[]): Promise<void>;
}

/** Fire a wave right away (send now, or a wave whose moment passed before launch). */
export interface TriggerInvoker {
  fireNow(trigger: WaveTrigger): Promise<void>;
}
