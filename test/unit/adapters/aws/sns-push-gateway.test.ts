import {
  EndpointDisabledException,
  InternalErrorException,
  InvalidParameterException,
  KMSThrottlingException,
  NotFoundException,
  PlatformApplicationDisabledException,
  PublishCommand,
  SNSClient,
  ThrottledException,
} from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { classifyPublishError, forEndpoint, SnsPushGateway } from '../../../../lambdas/adapters/aws/sns-push-gateway';
import { TransientPushError, type Push } from '../../../../lambdas/ports/push-gateway';

const sns = mockClient(SNSClient);
const meta = (status: number) => ({ $metadata: { httpStatusCode: status } });

function gateway() {
  return { g: new SnsPushGateway({ client: new SNSClient({ region: 'us-east-1' }) }) };
}

const push: Push = {
  tenantId: 'acme',
  campaignId: 'cmp_1',
  deviceId: 'd-1',
  platform: 'ios',
  token: 'tok',
  endpointArn: 'arn:aws:sns:us-east-1:123456789012:endpoint/APNS/shop/abc',
  message: { APNS: JSON.stringify({ aps: { alert: { title: 'Hi', body: 'There' } } }) },
  attributes: { 'AWS.SNS.MOBILE.APNS.TTL': '86400', 'AWS.SNS.MOBILE.APNS.PUSH_TYPE': 'alert' },
};

function sdkError(name: string, message: string, status: number, fault: 'client' | 'server' = status >= 500 ? 'server' : 'client') {
  return Object.assign(new Error(message), { name, $fault: fault, ...meta(status) });
}

beforeEach(() => sns.reset());

describe('SnsPushGateway.send', () => {
  it('publishes the json message to the endpoint with string attributes', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'msg-1' });
    const { g } = gateway();
    expect(await g.send(push)).toEqual({ outcome: 'sent', providerId: 'msg-1' });
    expect(sns.commandCalls(PublishCommand)[0].args[0].input).toEqual({
      TargetArn: push.endpointArn,
      MessageStructure: 'json',
      Message: JSON.stringify(push.message),
      MessageAttributes: {
        'AWS.SNS.MOBILE.APNS.TTL': { DataType: 'String', StringValue: '86400' },
        'AWS.SNS.MOBILE.APNS.PUSH_TYPE': { DataType: 'String', StringValue: 'alert' },
      },
    });
  });

  it('omits MessageAttributes when there are none', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'msg-2' });
    await gateway().g.send({ ...push, attributes: {} });
    expect(sns.commandCalls(PublishCommand)[0].args[0].input.MessageAttributes).toBeUndefined();
  });

  it('a device without an endpoint is an invalid token, and nothing is published', async () => {
    expect(await gateway().g.send({ ...push, endpointArn: null })).toEqual({ outcome: 'invalid_token', reason: 'no endpoint' });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('EndpointDisabled is an invalid token', async () => {
    sns.on(PublishCommand).rejects(new EndpointDisabledException({ message: 'Endpoint is disabled', ...meta(400) }));
    const { g } = gateway();
    expect(await g.send(push)).toEqual({ outcome: 'invalid_token', reason: 'endpoint disabled' });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
  });

  it.each(['Unregistered', 'BadDeviceToken', 'NotRegistered', 'UNREGISTERED'])(
    'a provider reason %s is an invalid token',
    async (reason) => {
      sns
        .on(PublishCommand)
        .rejects(new InvalidParameterException({ message: `Invalid parameter: provider said ${reason}`, ...meta(400) }));
      const result = await gateway().g.send(push);
      expect(result.outcome).toBe('invalid_token');
    },
  );

  it('InvalidParameter, NotFound and other 4xx are a permanent failure of this push, never retried', async () => {
    sns.on(PublishCommand).rejects(new InvalidParameterException({ message: 'Invalid parameter: Message too long', ...meta(400) }));
    const { g } = gateway();
    expect(await g.send(push)).toEqual({ outcome: 'failed', reason: 'InvalidParameterException: Invalid parameter: Message too long' });
    sns.reset();
    sns.on(PublishCommand).rejects(new PlatformApplicationDisabledException({ message: 'Platform application is disabled', ...meta(400) }));
    expect((await g.send(push)).outcome).toBe('failed');
    sns.reset();
    sns.on(PublishCommand).rejects(new NotFoundException({ message: 'Endpoint does not exist', ...meta(404) }));
    expect((await g.send(push)).outcome).toBe('failed');
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
  });

  it.each([
    ['Throttled', () => new ThrottledException({ message: 'Rate exceeded', ...meta(429) })],
    ['KMSThrottling', () => new KMSThrottlingException({ message: 'KMS busy', ...meta(400) })],
    ['InternalError', () => new InternalErrorException({ message: 'boom', ...meta(500) })],
    ['a bare 503', () => sdkError('ServiceUnavailable', 'unavailable', 503)],
    ['a network reset', () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ['a timeout', () => Object.assign(new Error('timed out'), { name: 'TimeoutError' })],
  ])('%s that outlived the SDK retries is a TransientPushError at once (the queue retries the batch)', async (_label, make) => {
    sns.on(PublishCommand).rejectsOnce(make()).resolves({ MessageId: 'never' });
    const err = await gateway()
      .g.send(push)
      .catch((x: unknown) => x);
    expect(err).toBeInstanceOf(TransientPushError);
    // One Publish from the gateway: the only retries are the SDK's, below this mock.
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
  });

  it('says how many attempts the SDK made', async () => {
    const throttled = new ThrottledException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400, attempts: 3 } });
    sns.on(PublishCommand).rejects(throttled);
    const err = await gateway()
      .g.send(push)
      .catch((x: unknown) => x);
    expect((err as Error).message).toBe('SNS publish to d-1 failed after 3 attempts: ThrottledException: Rate exceeded');
    expect((err as Error).cause).toBe(throttled);
  });

  it('rethrows errors that are neither SNS nor network errors (bugs)', async () => {
    sns.on(PublishCommand).rejects(new TypeError('x is undefined'));
    await expect(gateway().g.send(push)).rejects.toThrow(TypeError);
  });
});

describe('classifyPublishError', () => {
  it('uses the HTTP status when the name is unknown', () => {
    expect(classifyPublishError(sdkError('Weird', 'x', 502))?.kind).toBe('transient');
    expect(classifyPublishError(sdkError('AuthorizationError', 'no', 403))?.kind).toBe('failed');
    expect(classifyPublishError('string')).toBeUndefined();
  });
});

describe('SnsPushGateway.deliveryRecord', () => {
  it('is unknown: SNS keeps no queryable record of a publish', async () => {
    expect(await gateway().g.deliveryRecord('acme', 'cmp_1', 'd-1')).toBe('unknown');
  });
});

describe('the platform key follows the endpoint (defect 5)', () => {
  const apnsPayload = push.message.APNS!;
  const sandboxEndpoint = 'arn:aws:sns:us-east-1:123456789012:endpoint/APNS_SANDBOX/segmented-push-dev-acme-ios/abc';

  it('an APNS-keyed message to a sandbox endpoint is published under APNS_SANDBOX, TTL attribute renamed', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm' });
    await gateway().g.send({ ...push, endpointArn: sandboxEndpoint });
    const input = sns.commandCalls(PublishCommand)[0].args[0].input;
    expect(JSON.parse(input.Message!)).toEqual({ APNS_SANDBOX: apnsPayload });
    expect(input.MessageAttributes).toEqual({
      'AWS.SNS.MOBILE.APNS_SANDBOX.TTL': { DataType: 'String', StringValue: '86400' },
      'AWS.SNS.MOBILE.APNS.PUSH_TYPE': { DataType: 'String', StringValue: 'alert' },
    });
  });

  it('an APNS_SANDBOX-keyed message to a production endpoint is published under APNS', () => {
    const out = forEndpoint({
      endpointArn: 'arn:aws:sns:us-east-1:123456789012:endpoint/APNS/shop/abc',
      message: { APNS_SANDBOX: apnsPayload },
      attributes: { 'AWS.SNS.MOBILE.APNS_SANDBOX.TTL': '60' },
    });
    expect(out).toEqual({ message: { APNS: apnsPayload }, attributes: { 'AWS.SNS.MOBILE.APNS.TTL': '60' } });
  });

  it('leaves matching, Android and unknown-shape endpoints alone', () => {
    const gcm = {
      endpointArn: 'arn:aws:sns:us-east-1:123456789012:endpoint/GCM/shop/abc',
      message: { GCM: '{}' },
      attributes: { 'AWS.SNS.MOBILE.FCM.TTL': '1' },
    };
    expect(forEndpoint(gcm)).toEqual({ message: gcm.message, attributes: gcm.attributes });
    expect(forEndpoint(push)).toEqual({ message: push.message, attributes: push.attributes });
    expect(forEndpoint({ ...push, endpointArn: 'something-else' })).toEqual({ message: push.message, attributes: push.attributes });
  });
});
