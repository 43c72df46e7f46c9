/**
 * The account-wide send ceiling (`maxSendsPerSecond`): enforced by the queue (how many senders may
 * consume it at once), handed to the trigger (MAX_SENDS_PER_SECOND) so each campaign is paced under
 * it, and bounded retries (SDK attempts × maxReceiveCount Publish calls per device at worst).
 */
import { parseConfig } from '../../lib/config';
import {
  DEVICES_PER_SENDER_INVOCATION,
  MAX_DEVICES_PER_SECOND_PER_SENDER,
  SEND_MAX_RECEIVE_COUNT,
  senderMaxConcurrency,
} from '../../lib/constructs/send-queue';
import { FUNCTION_SIZING } from '../../lib/stacks/service-stack';
import { build, logicalId } from './helpers';

const mappingOf = (b: ReturnType<typeof build>) => {
  const all = Object.values(b.service_t.findResources('AWS::Lambda::EventSourceMapping')).map((r) => r.Properties);
  return all.find((p) => JSON.stringify(p.FunctionName).includes(logicalId(b.service.functions.sender.fn)));
};
const envOf = (b: ReturnType<typeof build>, name: 'trigger' | 'sender') =>
  b.service_t.toJSON().Resources[logicalId(b.service.functions[name].fn)].Properties.Environment.Variables as Record<string, unknown>;

describe('maxSendsPerSecond', () => {
  it('defaults to 1,200 (80 % of the 1,500/s default Publish quota of the mid-size regions)', () => {
    expect(parseConfig({}).maxSendsPerSecond).toBe(1200);
    expect(parseConfig({ maxSendsPerSecond: '24000' }).maxSendsPerSecond).toBe(24_000);
    expect(() => parseConfig({ maxSendsPerSecond: 0 })).toThrow(/maxSendsPerSecond/);
    expect(() => parseConfig({ maxSendsPerSecond: 1.5 })).toThrow(/maxSendsPerSecond/);
    expect(() => parseConfig({ maxSendsPerSecond: 400_001 })).toThrow(/maxSendsPerSecond/);
  });

  it('one sender does at most 400 devices/s, and a whole invocation fits its timeout with room to spare', () => {
    expect(MAX_DEVICES_PER_SECOND_PER_SENDER).toBe(400);
    expect(DEVICES_PER_SENDER_INVOCATION / MAX_DEVICES_PER_SECOND_PER_SENDER).toBeLessThan(FUNCTION_SIZING.sender.timeout.toSeconds() / 4);
  });

  it.each([
    [1200, 3],
    [7200, 18],
    [24_000, 60],
    [240, 2], // below what two senders can do: Lambda's floor; the trigger's pacing holds the rest
    [1_000_000, 1000],
  ])('%i pushes/s → %i senders at once, never more than the ceiling allows (above the floor)', (ceiling, senders) => {
    expect(senderMaxConcurrency(ceiling)).toBe(senders);
    if (senders > 2 && senders < 1000) expect(senders * MAX_DEVICES_PER_SECOND_PER_SENDER).toBeLessThanOrEqual(ceiling);
  });

  it('the sender event source takes its maximum concurrency from the ceiling', () => {
    expect(mappingOf(build()).ScalingConfig).toEqual({ MaximumConcurrency: 3 });
    const raised = build({ maxSendsPerSecond: 24_000 });
    expect(mappingOf(raised).ScalingConfig).toEqual({ MaximumConcurrency: 60 });
    expect(mappingOf(raised).BatchSize).toBe(25);
  });

  it('the trigger (and the sender, which re-enqueues deferrals) gets MAX_SENDS_PER_SECOND with the queue grant', () => {
    const b = build({ maxSendsPerSecond: 9000 });
    expect(envOf(b, 'trigger').MAX_SENDS_PER_SECOND).toBe('9000');
    expect(envOf(b, 'sender').MAX_SENDS_PER_SECOND).toBe('9000');
  });

  it('a message is received at most 5 times before the DLQ (× 3 SDK attempts = 15 Publish calls per device at worst)', () => {
    expect(SEND_MAX_RECEIVE_COUNT).toBe(5);
    build().service_t.hasResourceProperties('AWS::SQS::Queue', { RedrivePolicy: { maxReceiveCount: SEND_MAX_RECEIVE_COUNT } });
  });
});
