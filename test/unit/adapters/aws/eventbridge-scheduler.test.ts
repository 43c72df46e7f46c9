import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
  ValidationException,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { atExpression, EventBridgeScheduler, scheduleName } from '../../../../lambdas/adapters/aws/eventbridge-scheduler';

const scheduler = mockClient(SchedulerClient);
const NOW = new Date('2026-11-28T12:00:00.000Z');

function adapter(extra: Partial<ConstructorParameters<typeof EventBridgeScheduler>[0]> = {}) {
  return new EventBridgeScheduler({
    client: new SchedulerClient({ region: 'us-east-1' }),
    groupName: 'push-waves',
    targetArn: 'arn:aws:lambda:us-east-1:123456789012:function:trigger',
    roleArn: 'arn:aws:iam::123456789012:role/scheduler',
    dlqArn: 'arn:aws:sqs:us-east-1:123456789012:scheduler-dlq',
    now: () => NOW,
    ...extra,
  });
}

const conflict = () => new ConflictException({ message: 'Schedule already exists.', Message: 'Schedule already exists.', $metadata: {} });
const notFound = () =>
  new ResourceNotFoundException({ message: 'Schedule does not exist.', Message: 'Schedule does not exist.', $metadata: {} });

const wave = { tenantId: 'acme', campaignId: 'cmp_123', wave: 'w0', fireAt: '2026-12-01T14:00:00.000Z' };

beforeEach(() => scheduler.reset());

describe('scheduleName', () => {
  it('is tenant.campaign.wave when that is valid', () => {
    expect(scheduleName(wave)).toBe('acme.cmp_123.w0');
  });

  it('hashes long or unusual names into a valid, deterministic, distinct name', () => {
    const long = { tenantId: 'a-very-long-tenant-name-of-forty-chars-x', campaignId: 'cmp_' + 'x'.repeat(40), wave: 'America/New_York' };
    const name = scheduleName(long);
    expect(name).toMatch(/^[0-9A-Za-z_.-]{1,64}$/);
    expect(scheduleName(long)).toBe(name);
    expect(scheduleName({ ...long, wave: 'America/Chicago' })).not.toBe(name);
    const zone = scheduleName({ tenantId: 'acme', campaignId: 'cmp_1', wave: 'Europe/Paris' });
    expect(zone).toMatch(/^acme\.cmp_1\.\.[0-9a-f]{32}$/);
    // Sanitising alone would make these collide; the hash keeps them apart.
    expect(scheduleName({ tenantId: 'acme', campaignId: 'cmp_1', wave: 'a:b' })).not.toBe(
      scheduleName({ tenantId: 'acme', campaignId: 'cmp_1', wave: 'a;b' }),
    );
    expect(scheduleName({ tenantId: 'acme', campaignId: 'cmp_1', wave: 'a:b' })).not.toBe('acme.cmp_1.a_b');
  });
});

describe('atExpression', () => {
  it('formats a UTC instant as at(yyyy-mm-ddThh:mm:ss)', () => {
    expect(atExpression(new Date('2026-12-01T14:00:00.000Z'))).toBe('at(2026-12-01T14:00:00)');
    expect(atExpression(new Date('2026-03-08T07:05:09.999Z'))).toBe('at(2026-03-08T07:05:09)');
    expect(() => atExpression(new Date('nope'))).toThrow(RangeError);
  });
});

describe('EventBridgeScheduler', () => {
  it('creates a one-time schedule with the full definition', async () => {
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:sched' });
    await adapter({ maxRetryAttempts: 5, maxEventAgeSeconds: 900 }).schedule([wave]);
    expect(scheduler.commandCalls(CreateScheduleCommand)[0].args[0].input).toEqual({
      Name: 'acme.cmp_123.w0',
      GroupName: 'push-waves',
      ScheduleExpression: 'at(2026-12-01T14:00:00)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      State: 'ENABLED',
      Description: 'campaign cmp_123 wave w0',
      Target: {
        Arn: 'arn:aws:lambda:us-east-1:123456789012:function:trigger',
        RoleArn: 'arn:aws:iam::123456789012:role/scheduler',
        Input: JSON.stringify({ tenantId: 'acme', campaignId: 'cmp_123', wave: 'w0' }),
        RetryPolicy: { MaximumRetryAttempts: 5, MaximumEventAgeInSeconds: 900 },
        DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:123456789012:scheduler-dlq' },
      },
    });
    expect(scheduler.commandCalls(UpdateScheduleCommand)).toHaveLength(0);
  });

  it('replaces an existing schedule: Conflict → UpdateSchedule with the same full definition', async () => {
    scheduler.on(CreateScheduleCommand).rejects(conflict());
    scheduler.on(UpdateScheduleCommand).resolves({ ScheduleArn: 'arn:sched' });
    await adapter().schedule([wave]);
    const created = scheduler.commandCalls(CreateScheduleCommand)[0].args[0].input;
    expect(scheduler.commandCalls(UpdateScheduleCommand)[0].args[0].input).toEqual(created);
  });

  it('creates again when the schedule vanished between Conflict and Update (it fired)', async () => {
    scheduler.on(CreateScheduleCommand).rejectsOnce(conflict()).resolves({ ScheduleArn: 'arn:sched' });
    scheduler.on(UpdateScheduleCommand).rejects(notFound());
    await adapter().schedule([wave]);
    expect(scheduler.commandCalls(CreateScheduleCommand)).toHaveLength(2);
  });

  it('propagates other errors', async () => {
    scheduler.on(CreateScheduleCommand).rejects(new ValidationException({ message: 'bad', Message: 'bad', $metadata: {} }));
    await expect(adapter().schedule([wave])).rejects.toThrow('bad');
  });

  it('moves a moment already past (or too close) to a little after now', async () => {
    scheduler.on(CreateScheduleCommand).resolves({});
    await adapter().schedule([{ ...wave, fireAt: '2026-11-28T11:59:00.000Z' }]);
    expect(scheduler.commandCalls(CreateScheduleCommand)[0].args[0].input.ScheduleExpression).toBe('at(2026-11-28T12:00:30)');
  });

  it('schedules every wave, clamping retry settings to the API ranges', async () => {
    scheduler.on(CreateScheduleCommand).resolves({});
    const waves = Array.from({ length: 12 }, (_, i) => ({ ...wave, wave: `w${i}` }));
    await adapter({ maxRetryAttempts: 500, maxEventAgeSeconds: 1 }).schedule(waves);
    const calls = scheduler.commandCalls(CreateScheduleCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => c.Name).sort()).toEqual(waves.map((w) => `acme.cmp_123.${w.wave}`).sort());
    expect(calls[0].Target?.RetryPolicy).toEqual({ MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 60 });
  });

  it('cancel deletes by name and ignores schedules that are gone', async () => {
    scheduler.on(DeleteScheduleCommand, { Name: 'acme.cmp_123.w0' }).resolves({});
    scheduler.on(DeleteScheduleCommand, { Name: 'acme.cmp_123.w1' }).rejects(notFound());
    await adapter().cancel([
      { tenantId: 'acme', campaignId: 'cmp_123', wave: 'w0' },
      { tenantId: 'acme', campaignId: 'cmp_123', wave: 'w1' },
    ]);
    expect(scheduler.commandCalls(DeleteScheduleCommand).map((c) => c.args[0].input)).toEqual([
      { Name: 'acme.cmp_123.w0', GroupName: 'push-waves' },
      { Name: 'acme.cmp_123.w1', GroupName: 'push-waves' },
    ]);
  });

  it('cancel propagates other errors', async () => {
    scheduler.on(DeleteScheduleCommand).rejects(new Error('AccessDenied'));
    await expect(adapter().cancel([wave])).rejects.toThrow('AccessDenied');
  });

  it('runs at most `concurrency` calls at a time, and starts none after a failure', async () => {
    let active = 0;
    let peak = 0;
    scheduler.on(CreateScheduleCommand).callsFake(async (input: { Name?: string }) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 5));
      active--;
      if (input.Name === 'acme.cmp_123.w3') throw new ValidationException({ message: 'bad', Message: 'bad', $metadata: {} });
      return {};
    });
    const waves = Array.from({ length: 20 }, (_, i) => ({ ...wave, wave: `w${i}` }));
    await expect(adapter({ concurrency: 3 }).schedule(waves)).rejects.toThrow('bad');
    await new Promise((r) => setTimeout(r, 30)); // whatever was running settles; nothing new starts
    expect(peak).toBe(3);
    expect(scheduler.commandCalls(CreateScheduleCommand).length).toBeLessThan(8);
  });
});
