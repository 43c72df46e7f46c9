/**
 * The local stand-in for EventBridge Scheduler: one item per wave in dynalite; a loop fires due
 * waves within a second, including those that came due while the process was down. A wave is claimed
 * with a conditional update before it fires (two loops cannot both fire it) and deleted after the
 * trigger succeeded; a claim that outlives its lease (a crash) is fired again, and the trigger resumes.
 */
import type { ScheduledWave, Scheduler, TriggerInvoker, WaveTrigger } from '../../ports/scheduler';
import { systemClock, type Clock } from '../../ports/clock';
import type { DynamoTable } from '../dynamo/table';
import { PollingLoop } from './persisted-loop';

const PK = 'LS#waves';

export class LocalScheduler implements Scheduler, TriggerInvoker {
  private readonly loop: PollingLoop;
  private trigger: ((t: WaveTrigger) => Promise<void>) | undefined;

  constructor(
    private readonly table: DynamoTable,
    private readonly options: { pollMs?: number; leaseMs?: number } = {},
    private readonly log: (msg: string, extra?: unknown) => void = () => undefined,
    private readonly clock: Clock = systemClock,
  ) {
    this.loop = new PollingLoop(
      options.pollMs ?? 250,
      () => this.tick(),
      (err) => this.log('scheduler poll failed', err),
    );
  }

  async schedule(waves: ScheduledWave[]): Promise<void> {
    await this.table.putMany(waves.map((w) => ({ pk: PK, sk: skOf(w), ...w, fireAtMs: Date.parse(w.fireAt), claimedUntil: 0 })));
    this.loop.wake();
  }

  async cancel(waves: WaveTrigger[]): Promise<void> {
    await Promise.all(waves.map((w) => this.table.delete({ pk: PK, sk: skOf(w) })));
  }

  async fireNow(trigger: WaveTrigger): Promise<void> {
    await this.schedule([{ ...trigger, fireAt: this.clock.now().toISOString() }]);
  }

  /** Start firing due waves with this trigger (the fire-wave use case). */
  run(trigger: (t: WaveTrigger) => Promise<void>): void {
    this.trigger = trigger;
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Waves still waiting (tests). */
  async pending(): Promise<ScheduledWave[]> {
    return (await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': PK },
    })) as unknown as ScheduledWave[];
  }

  private async tick(): Promise<void> {
    if (!this.trigger) return;
    const now = this.clock.now().getTime();
    const due = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk',
      FilterExpression: 'fireAtMs <= :now AND claimedUntil < :now',
      ExpressionAttributeValues: { ':pk': PK, ':now': now },
    });
    for (const item of due) {
      const lease = now + (this.options.leaseMs || 60_000);
      const claimed = await this.table.update({
        Key: { pk: PK, sk: item.sk },
        UpdateExpression: 'SET claimedUntil = :lease',
        ConditionExpression: 'claimedUntil = :seen AND fireAtMs = :fire',
        ExpressionAttributeValues: { ':lease': lease, ':seen': item.claimedUntil, ':fire': item.fireAtMs },
      });
      if (!claimed) continue;
      const trigger: WaveTrigger = {
        tenantId: item.tenantId,
        campaignId: item.campaignId,
        wave: item.wave,
        ...(item.correlationId ? { correlationId: item.correlationId } : {}),
      };
      const job = this.trigger(trigger)
        .then(() =>
          this.table.delete(
            { pk: PK, sk: item.sk },
            { ConditionExpression: 'claimedUntil = :lease', ExpressionAttributeValues: { ':lease': lease } },
          ),
        )
        .then(() => undefined)
        .catch(async (err) => {
          this.log('wave trigger failed; it will fire again', { trigger, error: (err as Error).message });
          await this.table
            .update({
              Key: { pk: PK, sk: item.sk },
              UpdateExpression: 'SET claimedUntil = :retry',
              ConditionExpression: 'claimedUntil = :lease',
              ExpressionAttributeValues: { ':retry': this.clock.now().getTime() + 2000, ':lease': lease },
            })
            .catch((updateErr: unknown) => {
              // Not lost: the wave fires again when its lease runs out instead of in 2 s.
              this.log('could not re-arm a failed wave trigger early', { trigger, error: (updateErr as Error).message });
            });
        });
      this.loop.track(job);
    }
  }
}

function skOf(w: WaveTrigger): string {
  return `${w.tenantId}#${w.campaignId}#${w.wave}`;
}
