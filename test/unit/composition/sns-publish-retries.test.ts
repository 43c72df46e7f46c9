/**
 * One retry layer for a push: the sender's SNS client (SNS_PUBLISH_CLIENT_CONFIG) under the real SDK
 * middleware, with a fake HTTP handler answering like SNS, counts the Publish calls one device costs.
 * Throttles and 5xx: 3 attempts, then TransientPushError (the queue takes over). Permanent errors: 1.
 */
import { SNSClient } from '@aws-sdk/client-sns';
import { SnsPushGateway } from '../../../lambdas/adapters/aws/sns-push-gateway';
import { SNS_PUBLISH_CLIENT_CONFIG } from '../../../lambdas/composition/aws';
import { TransientPushError, type Push } from '../../../lambdas/ports/push-gateway';

const push: Push = {
  tenantId: 'acme',
  campaignId: 'cmp_1',
  deviceId: 'd-1',
  platform: 'android',
  token: 'tok',
  endpointArn: 'arn:aws:sns:us-east-1:123456789012:endpoint/GCM/shop/abc',
  message: { GCM: '{}' },
  attributes: {},
};

/** An SNS (awsQuery) error body. */
const errorXml = (code: string, message: string, type = 'Sender') =>
  `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`;
const okXml =
  '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-1</MessageId></PublishResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></PublishResponse>';

/** A gateway on the production client config whose HTTP layer answers `replies` in turn (the last one repeats). */
function gatewayAnswering(replies: { status: number; body: string }[]) {
  let calls = 0;
  const client = new SNSClient({
    ...SNS_PUBLISH_CLIENT_CONFIG,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    requestHandler: {
      handle: async () => {
        const reply = replies[Math.min(calls++, replies.length - 1)];
        return {
          response: { statusCode: reply.status, headers: { 'content-type': 'text/xml' }, body: new TextEncoder().encode(reply.body) },
        };
      },
    },
  });
  return { gateway: new SnsPushGateway({ client }), calls: () => calls };
}

/**
 * Runs a send with the SDK's backoff and adaptive rate-limit waits on a fake clock (no real seconds
 * spent). The SDK also awaits real I/O-like steps (signing, body reading), so the clock is moved in
 * small steps with a real event-loop turn in between until the send settles.
 */
async function onFakeClock<T>(run: () => Promise<T>): Promise<T> {
  let settled: { value: T } | { error: unknown } | undefined;
  void run().then(
    (value) => (settled = { value }),
    (error: unknown) => (settled = { error }),
  );
  for (let i = 0; !settled && i < 10_000; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    await jest.advanceTimersByTimeAsync(50);
  }
  if (!settled) throw new Error('the send never settled');
  if ('error' in settled) throw settled.error;
  return settled.value;
}

describe('the sender SNS client is the one retry layer', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] }));
  afterEach(() => jest.useRealTimers());

  it('is adaptive with 3 attempts', () => {
    expect(SNS_PUBLISH_CLIENT_CONFIG).toEqual({ retryMode: 'adaptive', maxAttempts: 3 });
  });

  it('retries a throttle within the SDK and succeeds', async () => {
    const { gateway, calls } = gatewayAnswering([
      { status: 400, body: errorXml('Throttling', 'Rate exceeded') },
      { status: 200, body: okXml },
    ]);
    expect(await onFakeClock(() => gateway.send(push))).toEqual({ outcome: 'sent', providerId: 'm-1' });
    expect(calls()).toBe(2);
  });

  it.each([
    ['a throttle', 400, errorXml('Throttling', 'Rate exceeded')],
    ['an internal error', 500, errorXml('InternalError', 'boom', 'Receiver')],
  ])('%s that persists: 3 Publish calls, then TransientPushError', async (_label, status, body) => {
    const { gateway, calls } = gatewayAnswering([{ status, body }]);
    const err = await onFakeClock(() => gateway.send(push)).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(TransientPushError);
    expect((err as Error).message).toMatch(/after 3 attempts/);
    expect(calls()).toBe(3);
  });

  it.each([
    ['EndpointDisabled', 400, errorXml('EndpointDisabled', 'Endpoint is disabled'), 'invalid_token'],
    ['InvalidParameter', 400, errorXml('InvalidParameter', 'Invalid parameter: Message'), 'failed'],
    ['NotFound', 404, errorXml('NotFound', 'Endpoint does not exist'), 'failed'],
  ])('%s is permanent: one Publish call, never retried', async (_label, status, body, outcome) => {
    const { gateway, calls } = gatewayAnswering([{ status, body }]);
    expect((await onFakeClock(() => gateway.send(push))).outcome).toBe(outcome);
    expect(calls()).toBe(1);
  });
});
