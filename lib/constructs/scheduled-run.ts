/** A function run on a schedule by an EventBridge rule: lake maintenance's and the automations' runs. */
import type { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { ServiceFunction } from './service-function';

export interface ScheduledRunProps {
  schedule: events.Schedule;
  fn: ServiceFunction;
  /** The run's name: the function gets `{"kind": kind}`, the rule's description says "<what>, <kind> run". */
  kind: string;
  what: string;
  /** An event EventBridge could not deliver for this long is dropped (to the DLQ). */
  maxEventAge: Duration;
  /** Where events go that EventBridge could not deliver after its 2 retries. */
  dlq: sqs.IQueue;
}

/** The rule that invokes `fn` with `{ kind }` on `schedule`. */
export function scheduledRun(scope: Construct, id: string, p: ScheduledRunProps): events.Rule {
  return new events.Rule(scope, id, {
    schedule: p.schedule,
    description: `${p.what}, ${p.kind} run`,
    targets: [
      new targets.LambdaFunction(p.fn.fn, {
        event: events.RuleTargetInput.fromObject({ kind: p.kind }),
        retryAttempts: 2,
        maxEventAge: p.maxEventAge,
        deadLetterQueue: p.dlq,
      }),
    ],
  });
}
