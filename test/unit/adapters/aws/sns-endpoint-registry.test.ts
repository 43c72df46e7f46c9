import {
  CreatePlatformEndpointCommand,
  DeleteEndpointCommand,
  GetEndpointAttributesCommand,
  InvalidParameterException,
  NotFoundException,
  SetEndpointAttributesCommand,
  SNSClient,
} from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { endpointBelongsTo, existingEndpointArn, SnsEndpointRegistry } from '../../../../lambdas/adapters/aws/sns-endpoint-registry';
import type { Device } from '../../../../lambdas/domain/devices/device';
import { deviceRecord } from '../../../support/devices';

const sns = mockClient(SNSClient);
const IOS_APP = 'arn:aws:sns:us-east-1:123456789012:app/APNS/shop';
const ANDROID_APP = 'arn:aws:sns:us-east-1:123456789012:app/GCM/shop';
const IOS_ENDPOINT = 'arn:aws:sns:us-east-1:123456789012:endpoint/APNS/shop/1111-aaaa';
const ANDROID_ENDPOINT = 'arn:aws:sns:us-east-1:123456789012:endpoint/GCM/shop/2222-bbbb';
const USER_DATA = JSON.stringify({ tenantId: 'acme', deviceId: 'd-1' });

const registry = () =>
  new SnsEndpointRegistry({
    client: new SNSClient({ region: 'us-east-1' }),
    platformApplicationArns: { ios: IOS_APP, android: ANDROID_APP },
  });

const device = (extra: Partial<Device> = {}) =>
  deviceRecord('d-1', {
    tenantId: 'acme',
    token: 'tok-1',
    country: 'US',
    createdAt: '2026-11-28T00:00:00.000Z',
    updatedAt: '2026-11-28T00:00:00.000Z',
    ...extra,
  });

const healthy = { Token: 'tok-1', Enabled: 'true', CustomUserData: USER_DATA };

beforeEach(() => sns.reset());

describe('SnsEndpointRegistry.ensureEndpoint', () => {
  it('creates an endpoint for a new device and checks it', async () => {
    sns.on(CreatePlatformEndpointCommand).resolves({ EndpointArn: IOS_ENDPOINT });
    sns.on(GetEndpointAttributesCommand).resolves({ Attributes: healthy });
    expect(await registry().ensureEndpoint(device())).toBe(IOS_ENDPOINT);
    expect(sns.commandCalls(CreatePlatformEndpointCommand)[0].args[0].input).toEqual({
      PlatformApplicationArn: IOS_APP,
      Token: 'tok-1',
      CustomUserData: USER_DATA,
    });
    expect(sns.commandCalls(GetEndpointAttributesCommand)[0].args[0].input).toEqual({ EndpointArn: IOS_ENDPOINT });
    expect(sns.commandCalls(SetEndpointAttributesCommand)).toHaveLength(0);
  });

  it('adopts the endpoint named by "already exists with the same Token, but different attributes" and updates it', async () => {
    sns.on(CreatePlatformEndpointCommand).rejects(
      new InvalidParameterException({
        message: `Invalid parameter: Token Reason: Endpoint ${IOS_ENDPOINT} already exists with the same Token, but different attributes.`,
        $metadata: { httpStatusCode: 400 },
      }),
    );
    sns.on(GetEndpointAttributesCommand).resolves({ Attributes: { Token: 'tok-1', Enabled: 'false', CustomUserData: 'old' } });
    sns.on(SetEndpointAttributesCommand).resolves({});
    expect(await registry().ensureEndpoint(device())).toBe(IOS_ENDPOINT);
    expect(sns.commandCalls(SetEndpointAttributesCommand)[0].args[0].input).toEqual({
      EndpointArn: IOS_ENDPOINT,
      Attributes: { Token: 'tok-1', Enabled: 'true', CustomUserData: USER_DATA },
    });
  });

  it('propagates other CreatePlatformEndpoint errors', async () => {
    sns.on(CreatePlatformEndpointCommand).rejects(new InvalidParameterException({ message: 'Invalid parameter: Token', $metadata: {} }));
    await expect(registry().ensureEndpoint(device())).rejects.toThrow('Invalid parameter: Token');
  });

  it('re-enables a disabled endpoint', async () => {
    sns.on(GetEndpointAttributesCommand).resolves({ Attributes: { ...healthy, Enabled: 'false' } });
    sns.on(SetEndpointAttributesCommand).resolves({});
    expect(await registry().ensureEndpoint(device({ endpointArn: IOS_ENDPOINT }))).toBe(IOS_ENDPOINT);
    expect(sns.commandCalls(CreatePlatformEndpointCommand)).toHaveLength(0);
    expect(sns.commandCalls(SetEndpointAttributesCommand)[0].args[0].input.Attributes).toEqual({
      Token: 'tok-1',
      Enabled: 'true',
      CustomUserData: USER_DATA,
    });
  });

  it('updates the token when it changed', async () => {
    sns.on(GetEndpointAttributesCommand).resolves({ Attributes: { ...healthy, Token: 'tok-old' } });
    sns.on(SetEndpointAttributesCommand).resolves({});
    expect(await registry().ensureEndpoint(device({ endpointArn: IOS_ENDPOINT, token: 'tok-1' }))).toBe(IOS_ENDPOINT);
    expect(sns.commandCalls(SetEndpointAttributesCommand)[0].args[0].input).toEqual({
      EndpointArn: IOS_ENDPOINT,
      Attributes: { Token: 'tok-1', Enabled: 'true', CustomUserData: USER_DATA },
    });
  });

  it('does nothing more for a stored endpoint that is enabled and current', async () => {
    sns.on(GetEndpointAttributesCommand).resolves({ Attributes: healthy });
    expect(await registry().ensureEndpoint(device({ endpointArn: IOS_ENDPOINT }))).toBe(IOS_ENDPOINT);
    expect(sns.commandCalls(CreatePlatformEndpointCommand)).toHaveLength(0);
    expect(sns.commandCalls(SetEndpointAttributesCommand)).toHaveLength(0);
  });

  it('re-creates an endpoint that was deleted', async () => {
    const fresh = 'arn:aws:sns:us-east-1:123456789012:endpoint/APNS/shop/3333-cccc';
    sns
      .on(GetEndpointAttributesCommand, { EndpointArn: IOS_ENDPOINT })
      .rejects(new NotFoundException({ message: 'Endpoint does not exist', $metadata: {} }));
    sns.on(GetEndpointAttributesCommand, { EndpointArn: fresh }).resolves({ Attributes: healthy });
    sns.on(CreatePlatformEndpointCommand).resolves({ EndpointArn: fresh });
    expect(await registry().ensureEndpoint(device({ endpointArn: IOS_ENDPOINT }))).toBe(fresh);
    expect(sns.commandCalls(CreatePlatformEndpointCommand)).toHaveLength(1);
  });

  it('gives a device that switched platform an endpoint on the other platform application', async () => {
    sns.on(CreatePlatformEndpointCommand).resolves({ EndpointArn: ANDROID_ENDPOINT });
    sns.on(GetEndpointAttributesCommand).resolves({ Attributes: healthy });
    expect(await registry().ensureEndpoint(device({ platform: 'android', endpointArn: IOS_ENDPOINT }))).toBe(ANDROID_ENDPOINT);
    expect(sns.commandCalls(CreatePlatformEndpointCommand)[0].args[0].input.PlatformApplicationArn).toBe(ANDROID_APP);
  });
});

describe('helpers', () => {
  it('existingEndpointArn reads the ARN out of the InvalidParameter message only', () => {
    const msg = `Invalid parameter: Token Reason: Endpoint ${ANDROID_ENDPOINT} already exists with the same Token, but different attributes.`;
    expect(existingEndpointArn(new InvalidParameterException({ message: msg, $metadata: {} }))).toBe(ANDROID_ENDPOINT);
    expect(existingEndpointArn(new Error(msg))).toBeUndefined();
    expect(existingEndpointArn(new InvalidParameterException({ message: 'Invalid parameter: Token', $metadata: {} }))).toBeUndefined();
  });

  it('endpointBelongsTo matches the platform application of an endpoint', () => {
    expect(endpointBelongsTo(IOS_ENDPOINT, IOS_APP)).toBe(true);
    expect(endpointBelongsTo(IOS_ENDPOINT, ANDROID_APP)).toBe(false);
    expect(endpointBelongsTo('arn:aws:sns:us-east-1:123456789012:endpoint/APNS/shop-dev/1', IOS_APP)).toBe(false);
  });
});

describe('push apps per tenant', () => {
  const TENANT_APP = 'arn:aws:sns:us-east-1:123456789012:app/APNS/segmented-push-dev-acme-ios';
  const TENANT_ENDPOINT = 'arn:aws:sns:us-east-1:123456789012:endpoint/APNS/segmented-push-dev-acme-ios/9999-ffff';
  const withTenantApps = (apps: Record<string, string>) =>
    new SnsEndpointRegistry({
      client: new SNSClient({ region: 'us-east-1' }),
      platformApplicationArns: { ios: IOS_APP, android: ANDROID_APP },
      tenantApplication: async (tenantId, platform) => apps[`${tenantId}/${platform}`] ?? null,
    });

  it("creates the endpoint on the tenant's own application when it has one", async () => {
    sns.on(CreatePlatformEndpointCommand).resolves({ EndpointArn: TENANT_ENDPOINT });
    sns.on(GetEndpointAttributesCommand).resolves({ Attributes: healthy });
    expect(await withTenantApps({ 'acme/ios': TENANT_APP }).ensureEndpoint(device())).toBe(TENANT_ENDPOINT);
    expect(sns.commandCalls(CreatePlatformEndpointCommand)[0].args[0].input.PlatformApplicationArn).toBe(TENANT_APP);
  });

  it('falls back to the deploy-time default for a tenant without one', async () => {
    sns.on(CreatePlatformEndpointCommand).resolves({ EndpointArn: ANDROID_ENDPOINT });
    sns.on(GetEndpointAttributesCommand).resolves({ Attributes: healthy });
    await withTenantApps({ 'acme/ios': TENANT_APP }).ensureEndpoint(device({ platform: 'android' }));
    expect(sns.commandCalls(CreatePlatformEndpointCommand)[0].args[0].input.PlatformApplicationArn).toBe(ANDROID_APP);
  });

  it('moves a device onto the new application when its tenant switched apps', async () => {
    sns.on(CreatePlatformEndpointCommand).resolves({ EndpointArn: TENANT_ENDPOINT });
    sns.on(GetEndpointAttributesCommand).resolves({ Attributes: healthy });
    // The device's endpoint is on the default app; the tenant now has its own.
    expect(await withTenantApps({ 'acme/ios': TENANT_APP }).ensureEndpoint(device({ endpointArn: IOS_ENDPOINT }))).toBe(TENANT_ENDPOINT);
    expect(sns.commandCalls(CreatePlatformEndpointCommand)).toHaveLength(1);
  });

  it('keeps a device already on the tenant app without creating anything', async () => {
    sns.on(GetEndpointAttributesCommand).resolves({ Attributes: healthy });
    expect(await withTenantApps({ 'acme/ios': TENANT_APP }).ensureEndpoint(device({ endpointArn: TENANT_ENDPOINT }))).toBe(TENANT_ENDPOINT);
    expect(sns.commandCalls(CreatePlatformEndpointCommand)).toHaveLength(0);
  });
});

describe('SnsEndpointRegistry.deleteEndpoint', () => {
  it("deletes the device's endpoint", async () => {
    sns.on(DeleteEndpointCommand).resolves({});
    await registry().deleteEndpoint(device({ endpointArn: IOS_ENDPOINT }));
    expect(sns.commandCalls(DeleteEndpointCommand).map((c) => c.args[0].input)).toEqual([{ EndpointArn: IOS_ENDPOINT }]);
  });

  it('does nothing for a device without an endpoint', async () => {
    await registry().deleteEndpoint(device());
    expect(sns.calls()).toHaveLength(0);
  });

  it('takes an endpoint that is gone already as deleted', async () => {
    sns
      .on(DeleteEndpointCommand)
      .rejects(new NotFoundException({ message: 'Endpoint does not exist', $metadata: { httpStatusCode: 404 } }));
    await expect(registry().deleteEndpoint(device({ endpointArn: IOS_ENDPOINT }))).resolves.toBeUndefined();
  });

  it('lets other failures through (the caller retries)', async () => {
    sns.on(DeleteEndpointCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottledException' }));
    await expect(registry().deleteEndpoint(device({ endpointArn: IOS_ENDPOINT }))).rejects.toThrow('Rate exceeded');
  });
});
