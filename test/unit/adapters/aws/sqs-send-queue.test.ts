import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import {
  delaySeconds,
  EnqueueError,
  MalformedSendBatchError,
  parseSendBatch,
  SqsSendQueue,
} from '../../../../lambdas/adapters/aws/sqs-send-queue';
import type { SendBatch } from '../../../../lambdas/ports/send-queue';

const sqs = mockClient(SQSClient);
const NOW = new Date('2026-11-28T12:00:00.000Z');

function queue(maxAttempts = 4) {
  const sleeps: number[] = [];
  const q = new SqsSendQueue({
    client: new SQSClient({ region: 'us-east-1' }),
    queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/send',
    maxAttempts,
    now: () => NOW,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  return { q, sleeps };
}

function batch(i: number, extra: Partial<SendBatch> = {}): SendBatch {
  return { tenantId: 'acme', campaignId: 'cmp_1', waveId: 'w0', batchId: `b${i}`, deviceIds: [`d-${i}a`, `d-${i}b`], ...extra };
}

const entries = (call: number) => sqs.commandCalls(SendMessageBatchCommand)[call].args[0].input.Entries ?? [];

beforeEach(() => sqs.reset());

describe('SqsSendQueue', () => {
  it('sends SendMessageBatch calls of at most 10 entries, one SendBatch JSON per message', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const { q } = queue();
    const batches = Array.from({ length: 23 }, (_, i) => batch(i));
    await q.enqueue(batches);
    const calls = sqs.commandCalls(SendMessageBatchCommand);
    expect(calls.map((c) => c.args[0].input.Entries?.length)).toEqual([10, 10, 3]);
    expect(calls[0].args[0].input.QueueUrl).toBe('https://sqs.us-east-1.amazonaws.com/123456789012/send');
    const bodies = calls.flatMap((c) => (c.args[0].input.Entries ?? []).map((e) => parseSendBatch(e.MessageBody ?? '')));
    expect(bodies).toEqual(batches);
    const ids = entries(0).map((e) => e.Id);
    expect(new Set(ids).size).toBe(10);
    expect(entries(0)[0].DelaySeconds).toBeUndefined();
  });

  it('delays a message until notBefore, at most 900 s', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Failed: [] });
    const { q } = queue();
    await q.enqueue([
      batch(1, { notBefore: '2026-11-28T12:05:00.000Z' }),
      batch(2, { notBefore: '2026-11-28T20:00:00.000Z' }),
      batch(3, { notBefore: '2026-11-28T11:00:00.000Z' }),
      batch(4, { notBefore: '2026-11-28T12:00:00.500Z' }),
    ]);
    expect(entries(0).map((e) => e.DelaySeconds)).toEqual([300, 900, undefined, 1]);
  });

  it('delaySeconds is undefined without notBefore', () => {
    expect(delaySeconds(batch(1), NOW)).toBeUndefined();
  });

  it('resends only the Failed entries', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({
        Successful: [{ Id: 'm0', MessageId: '1', MD5OfMessageBody: 'x' }],
        Failed: [
          { Id: 'm1', SenderFault: false, Code: 'InternalError' },
          { Id: 'm2', SenderFault: false, Code: 'ServiceUnavailable' },
        ],
      })
      .resolvesOnce({ Failed: [{ Id: 'm2', SenderFault: false, Code: 'ServiceUnavailable' }] })
      .resolves({ Failed: [] });
    const { q, sleeps } = queue();
    await q.enqueue([batch(0), batch(1), batch(2)]);
    const sent = (call: number) => entries(call).map((e) => JSON.parse(e.MessageBody ?? '{}').batchId);
    expect(sent(0)).toEqual(['b0', 'b1', 'b2']);
    expect(sent(1)).toEqual(['b1', 'b2']);
    expect(sent(2)).toEqual(['b2']);
    expect(sleeps).toHaveLength(2);
  });

  it('throws when entries still fail after the last attempt', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Failed: [{ Id: 'm1', SenderFault: false, Code: 'InternalError', Message: 'try later' }] });
    const { q } = queue(3);
    const err = await q.enqueue([batch(0), batch(1)]).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(EnqueueError);
    expect((err as EnqueueError).failedBatchIds).toEqual(['b1']);
    expect((err as Error).message).toMatch(/after 3 attempts: m1: InternalError try later/);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(3);
  });

  it('does not retry a sender fault', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Failed: [{ Id: 'm0', SenderFault: true, Code: 'InvalidMessageContents' }] });
    const { q } = queue();
    await expect(q.enqueue([batch(0)])).rejects.toThrow(EnqueueError);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(1);
  });
});

describe('parseSendBatch', () => {
  it('accepts a SendBatch, with or without notBefore', () => {
    expect(parseSendBatch(JSON.stringify(batch(1)))).toEqual(batch(1));
    const deferred = batch(2, { notBefore: '2026-11-28T12:05:00.000Z' });
    expect(parseSendBatch(JSON.stringify(deferred))).toEqual(deferred);
  });

  it('rejects non-JSON, missing fields, wrong types and unknown keys', () => {
    expect(() => parseSendBatch('not json')).toThrow(MalformedSendBatchError);
    expect(() => parseSendBatch(JSON.stringify({ ...batch(1), deviceIds: 'd-1' }))).toThrow(/deviceIds/);
    expect(() => parseSendBatch(JSON.stringify({ ...batch(1), tenantId: undefined }))).toThrow(/tenantId/);
    expect(() => parseSendBatch(JSON.stringify({ ...batch(1), notBefore: 'tomorrow' }))).toThrow(/notBefore/);
    expect(() => parseSendBatch(JSON.stringify({ ...batch(1), extra: 1 }))).toThrow(MalformedSendBatchError);
  });
});
