/**
 * Automated campaigns' schedules: two EventBridge rules (like lake maintenance's) invoke the
 * automations function with a constant input, every minute `{"kind":"sweep"}` (due items → send
 * queue) and daily at 03:30 UTC `{"kind":"inactivity"}` (one Athena query per active inactivity
 * automation). Two fixed rules whatever the number of devices or automations: no per-device
 * schedules. Events EventBridge could not deliver go to a DLQ (alarmed). How it runs, the 2-minute
 * bound and its costs are in docs/deploy.md, "Automated campaigns".
 */
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterQueue } from './queues';
import { scheduledRun } from './scheduled-run';
import type { ServiceFunction } from './service-function';

/** The sweep's rule: a due item waits at most this long for the next sweep to start. */
export const AUTOMATION_SWEEP_SCHEDULE = events.Schedule.rate(Duration.minutes(1));
/** The daily inactivity run (after lake maintenance's 02:15 compaction, outside most shops' evening peak). */
export const AUTOMATION_INACTIVITY_SCHEDULE = events.Schedule.cron({ minute: '30', hour: '3' });

export interface AutomationSchedulesProps {
  fn: ServiceFunction;
}

export class AutomationSchedules extends Construct {
  /** Events EventBridge failed to deliver to the function (after its retries). */
  readonly dlq: sqs.Queue;
  readonly rules: Record<'sweep' | 'inactivity', events.Rule>;

  constructor(scope: Construct, id: string, props: AutomationSchedulesProps) {
    super(scope, id);
    this.dlq = deadLetterQueue(
      this,
      'Dlq',
      'Dead-letter queue of the automations schedules (EventBridge rule targets): nothing consumes it, so it has no DLQ of its own',
    );
    const rule = (name: string, kind: 'sweep' | 'inactivity', schedule: events.Schedule, maxEventAge: Duration) =>
      scheduledRun(this, name, { schedule, fn: props.fn, kind, what: 'Automated campaigns', maxEventAge, dlq: this.dlq });
    this.rules = {
      // A sweep that could not be delivered within 2 minutes is superseded by the next ones (sweeps are idempotent).
      sweep: rule('Sweep', 'sweep', AUTOMATION_SWEEP_SCHEDULE, Duration.minutes(2)),
      inactivity: rule('Inactivity', 'inactivity', AUTOMATION_INACTIVITY_SCHEDULE, Duration.hours(1)),
    };
  }
}
