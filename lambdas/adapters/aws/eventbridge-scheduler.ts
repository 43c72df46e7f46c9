/**
 * Campaign waves as EventBridge Scheduler one-time schedules: one `at()` schedule per wave, in a
 * dedicated schedule group, invoking the trigger Lambda with {tenantId, campaignId, wave}. The
 * schedule deletes itself after it fired; failed invocations are retried, then land in the DLQ.
 */
import { createHash } from 'node:crypto';
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
  type CreateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import pLimit from 'p-limit';
import type { ScheduledWave, Scheduler, WaveTrigger } from '../../ports/scheduler';

/** Options of the Scheduler adapter (all but the client come from env, see report / config). */
export interface EventBridgeSchedulerOptions {
  client: SchedulerClient;
  /** SCHEDULER_GROUP */
  groupName: string;
  /** TRIGGER_FUNCTION_ARN: the Lambda that starts a wave. */
  targetArn: string;
  /** SCHEDULER_ROLE_ARN: role Scheduler assumes to invoke the target (lambda:InvokeFunction, sqs:SendMessage on the DLQ). */
  roleArn: string;
  /** SCHEDULER_DLQ_ARN: SQS queue for invocations that exhausted their retries. */
  dlqArn: string;
  /** 0–185, default 20. */
  maxRetryAttempts?: number;
  /** 60–86400, default 3600: a wave that could not fire within an hour goes to the DLQ. */
  maxEventAgeSeconds?: number;
  /**
   * A fireAt closer than this (or past) is moved to now + this: Scheduler does not fire a
   * one-time schedule for a moment already gone. Default 30 s.
   */
  minLeadSeconds?: number;
  /** Injectable clock. */
  now?: () => Date;
  /** Waves created at once (default 5; Scheduler's API is rate limited). */
  concurrency?: number;
}

/** Schedule names: [0-9a-zA-Z-_.], 1–64 characters. */
const NAME_MAX = 64;
const PLAIN_PART = /^[0-9A-Za-z_-]+$/;

/**
 * The deterministic schedule name of a wave: `tenant.campaign.wave` when that is valid and short
 * enough; otherwise a readable prefix, `..` (never in a plain name, whose parts are not empty)
 * and a hash of the three parts, so distinct waves never share a name.
 */
export function scheduleName(w: WaveTrigger): string {
  const plain = `${w.tenantId}.${w.campaignId}.${w.wave}`;
  if ([w.tenantId, w.campaignId, w.wave].every((p) => PLAIN_PART.test(p)) && plain.length <= NAME_MAX) return plain;
  const hash = createHash('sha256')
    .update(JSON.stringify([w.tenantId, w.campaignId, w.wave]))
    .digest('hex')
    .slice(0, 32);
  const prefix = `${w.tenantId}.${w.campaignId}`.replace(/[^0-9A-Za-z_.-]/g, '_').slice(0, NAME_MAX - 2 - hash.length);
  return `${prefix}..${hash}`;
}

/** `at(yyyy-mm-ddThh:mm:ss)` of a UTC instant (fractions of a second are dropped). */
export function atExpression(instant: Date): string {
  if (Number.isNaN(instant.getTime())) throw new RangeError('invalid fireAt');
  return `at(${instant.toISOString().slice(0, 19)})`;
}

/** EventBridge Scheduler as the wave scheduler. */
export class EventBridgeScheduler implements Scheduler {
  private readonly client: SchedulerClient;
  private readonly opts: Required<Omit<EventBridgeSchedulerOptions, 'client'>>;

  constructor(opts: EventBridgeSchedulerOptions) {
    this.client = opts.client;
    this.opts = {
      groupName: opts.groupName,
      targetArn: opts.targetArn,
      roleArn: opts.roleArn,
      dlqArn: opts.dlqArn,
      maxRetryAttempts: clamp(opts.maxRetryAttempts ?? 20, 0, 185),
      maxEventAgeSeconds: clamp(opts.maxEventAgeSeconds ?? 3600, 60, 86_400),
      minLeadSeconds: Math.max(0, opts.minLeadSeconds ?? 30),
      now: opts.now ?? (() => new Date()),
      concurrency: Math.max(1, opts.concurrency ?? 5),
    };
  }

  async schedule(waves: ScheduledWave[]): Promise<void> {
    await eachLimited(waves, this.opts.concurrency, (w) => this.upsert(w));
  }

  async cancel(waves: WaveTrigger[]): Promise<void> {
    await eachLimited(waves, this.opts.concurrency, async (w) => {
      try {
        await this.client.send(new DeleteScheduleCommand({ Name: scheduleName(w), GroupName: this.opts.groupName }));
      } catch (err) {
        if (!(err instanceof ResourceNotFoundException || (err as Error)?.name === 'ResourceNotFoundException')) throw err;
      }
    });
  }

  /** The full definition of a wave's schedule (UpdateSchedule replaces every field, so both calls get all of it). */
  definition(w: ScheduledWave): CreateScheduleCommandInput {
    const earliest = this.opts.now().getTime() + this.opts.minLeadSeconds * 1000;
    const fireAt = new Date(Math.max(new Date(w.fireAt).getTime(), earliest));
    return {
      Name: scheduleName(w),
      GroupName: this.opts.groupName,
      ScheduleExpression: atExpression(fireAt),
      // fireAt is already a UTC instant: the domain converted wall-clock times and time zones.
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      State: 'ENABLED',
      Description: `campaign ${w.campaignId} wave ${w.wave}`.slice(0, 512),
      Target: {
        Arn: this.opts.targetArn,
        RoleArn: this.opts.roleArn,
        Input: JSON.stringify({
          tenantId: w.tenantId,
          campaignId: w.campaignId,
          wave: w.wave,
          ...(w.correlationId ? { correlationId: w.correlationId } : {}),
        }),
        RetryPolicy: { MaximumRetryAttempts: this.opts.maxRetryAttempts, MaximumEventAgeInSeconds: this.opts.maxEventAgeSeconds },
        DeadLetterConfig: { Arn: this.opts.dlqArn },
      },
    };
  }

  /** Create, or replace an existing schedule of the same name. */
  private async upsert(w: ScheduledWave): Promise<void> {
    const input = this.definition(w);
    // Two rounds cover the races: exists → update; deleted meanwhile (it fired) → create again.
    for (let round = 0; round < 2; round++) {
      try {
        await this.client.send(new CreateScheduleCommand(input));
        return;
      } catch (err) {
        if (!(err instanceof ConflictException || (err as Error)?.name === 'ConflictException')) throw err;
      }
      try {
        await this.client.send(new UpdateScheduleCommand(input));
        return;
      } catch (err) {
        if (!(err instanceof ResourceNotFoundException || (err as Error)?.name === 'ResourceNotFoundException')) throw err;
      }
    }
    throw new Error(`schedule ${input.Name} kept changing while it was being replaced`);
  }
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.trunc(n)));
}

/** `fn` over every item, at most `concurrency` at a time; after a failure no further item starts. */
async function eachLimited<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  const limit = pLimit(concurrency);
  await limit.map(items, async (item) => {
    try {
      await fn(item);
    } catch (err) {
      limit.clearQueue(); // the call fails anyway: do not go on creating or deleting schedules
      throw err;
    }
  });
}
