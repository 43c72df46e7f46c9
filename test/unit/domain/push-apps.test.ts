import { ValidationError } from '../../../lambdas/domain/errors';
import {
  androidView,
  iosView,
  parsePushAppRequest,
  parseServiceAccount,
  parseSnsPushArn,
  snsPlatformOfArn,
  tenantNameSegment,
  tenantPlatformAppName,
  tenantPushSecretName,
} from '../../../lambdas/domain/push-apps';
import { validationErrorOf } from '../../support/errors';
import { apnsCredentials, p8, rsaPem, serviceAccountJson as serviceAccount } from '../../support/push-credentials';

const apns = apnsCredentials(false);

const rejects = (platform: string, body: unknown) => validationErrorOf(() => parsePushAppRequest(platform, body));

describe('SNS ARNs', () => {
  test('the platform comes from the application or endpoint ARN', () => {
    expect(snsPlatformOfArn('arn:aws:sns:eu-west-1:111122223333:app/APNS/shop')).toBe('APNS');
    expect(snsPlatformOfArn('arn:aws:sns:eu-west-1:111122223333:app/APNS_SANDBOX/shop')).toBe('APNS_SANDBOX');
    expect(snsPlatformOfArn('arn:aws:sns:eu-west-1:111122223333:endpoint/APNS_SANDBOX/shop/5e3f-aa')).toBe('APNS_SANDBOX');
    expect(snsPlatformOfArn('arn:aws-cn:sns:cn-north-1:111122223333:endpoint/GCM/shop/1')).toBe('GCM');
    expect(snsPlatformOfArn('arn:aws:sns:eu-west-1:111122223333:topic')).toBeUndefined();
    expect(snsPlatformOfArn('arn:aws:sns:eu-west-1:111122223333:app/ADM/shop')).toBeUndefined();
  });

  test('an application ARN has no endpoint id, an endpoint ARN needs one', () => {
    expect(parseSnsPushArn('arn:aws:sns:eu-west-1:111122223333:app/APNS/shop/x')).toBeUndefined();
    expect(parseSnsPushArn('arn:aws:sns:eu-west-1:111122223333:endpoint/APNS/shop')).toBeUndefined();
    expect(parseSnsPushArn('arn:aws:sns:eu-west-1:111122223333:app/GCM/shop')).toEqual({
      region: 'eu-west-1',
      account: '111122223333',
      kind: 'app',
      platform: 'GCM',
      name: 'shop',
    });
  });
});

describe('PUT /v1/push-apps/ios body', () => {
  test('APNs token credentials: production by default, sandbox on request', () => {
    expect(parsePushAppRequest('ios', { apns })).toMatchObject({
      platform: 'ios',
      kind: 'credentials',
      snsPlatform: 'APNS',
      apns: { bundleId: 'com.acme.shop' },
    });
    const { sandbox: _s, ...noFlag } = apns;
    expect(parsePushAppRequest('ios', { apns: noFlag })).toMatchObject({ snsPlatform: 'APNS' });
    expect(parsePushAppRequest('ios', { apns: { ...apns, sandbox: true } })).toMatchObject({ snsPlatform: 'APNS_SANDBOX' });
  });

  test('an application ARN: its platform decides sandbox or production', () => {
    expect(
      parsePushAppRequest('ios', {
        platformApplicationArn: 'arn:aws:sns:us-east-1:123456789012:app/APNS_SANDBOX/segmented-push-dev-acme-ios',
      }),
    ).toMatchObject({
      kind: 'arn',
      snsPlatform: 'APNS_SANDBOX',
    });
  });

  test.each([
    [{ apns: { ...apns, teamId: 'abc' } }, 'apns.teamId'],
    [{ apns: { ...apns, keyId: 'KEY12345678' } }, 'apns.keyId'],
    [{ apns: { ...apns, bundleId: 'shop' } }, 'apns.bundleId'],
    [{ apns: { ...apns, signingKey: 'not a key' } }, 'apns.signingKey'],
    [{ apns: { ...apns, signingKey: p8.replace('PRIVATE KEY', 'CERTIFICATE') } }, 'apns.signingKey'],
    [{ apns: { ...apns, sandbox: 'no' } }, 'apns.sandbox'],
    [{ apns: { ...apns, extra: 1 } }, 'apns.extra'],
    [{ platformApplicationArn: 'arn:aws:sns:us-east-1:123456789012:app/GCM/x' }, 'platformApplicationArn'],
    [{ platformApplicationArn: 'arn:aws:sns:us-east-1:123456789012:endpoint/APNS/x/1' }, 'platformApplicationArn'],
    [{ platformApplicationArn: 'arn:aws:sns:us-east-1:123456789012:mytopic' }, 'platformApplicationArn'],
  ])('rejects a bad field (case %#)', (body, path) => {
    const err = rejects('ios', body);
    expect(err.details?.map((d) => d.path)).toContain(path);
  });

  test('a message never quotes the signing key', () => {
    const err = rejects('ios', { apns: { ...apns, signingKey: 'SECRET-NOT-A-PEM' } });
    expect(JSON.stringify({ message: err.message, details: err.details })).not.toContain('SECRET-NOT-A-PEM');
  });

  test('an unknown platform is a 400', () => {
    expect(rejects('windows', { apns }).details).toEqual([{ path: 'platform', message: 'must be one of ios, android' }]);
  });
});

describe('a half-written body gets the errors of its own fields', () => {
  const paths = (platform: string, body: unknown) => {
    try {
      parsePushAppRequest(platform, body);
    } catch (err) {
      return ((err as ValidationError).details ?? []).map((d) => d.path).sort();
    }
    throw new Error('accepted');
  };
  it('ios credentials missing fields name those fields, not platformApplicationArn', () => {
    expect(paths('ios', { apns: { teamId: 'short' } })).toEqual(['apns.bundleId', 'apns.keyId', 'apns.signingKey', 'apns.teamId']);
  });
  it('android without a service account names fcm.serviceAccountJson', () => {
    expect(paths('android', { fcm: {} })).toEqual(['fcm.serviceAccountJson']);
  });
});

describe('PUT /v1/push-apps/android body', () => {
  test('a service account: project id and client email read from it', () => {
    expect(parsePushAppRequest('android', { fcm: { serviceAccountJson: serviceAccount } })).toMatchObject({
      platform: 'android',
      kind: 'credentials',
      snsPlatform: 'GCM',
      fcm: { projectId: 'acme-shop', clientEmail: 'push@acme-shop.iam.gserviceaccount.com', serviceAccountJson: serviceAccount },
    });
  });

  test('an application ARN must be on GCM', () => {
    expect(parsePushAppRequest('android', { platformApplicationArn: 'arn:aws:sns:us-east-1:123456789012:app/GCM/x' })).toMatchObject({
      kind: 'arn',
      snsPlatform: 'GCM',
    });
    expect(rejects('android', { platformApplicationArn: 'arn:aws:sns:us-east-1:123456789012:app/APNS/x' }).message).toMatch(/GCM/);
  });

  test.each([
    ['not json', /JSON text/],
    ['[1]', /JSON object/],
    [JSON.stringify({ project_id: 'p', client_email: 'a@b' }), /private_key/],
    [JSON.stringify({ project_id: 'p', private_key: rsaPem }), /client_email/],
    [JSON.stringify({ type: 'authorized_user', project_id: 'p', client_email: 'a@b', private_key: rsaPem }), /service_account/],
    [JSON.stringify({ project_id: 'p', client_email: 'a@b', private_key: 'xyz' }), /PEM/],
  ])('rejects a bad service account (case %#)', (text, message) => {
    expect(() => parseServiceAccount(text)).toThrow(message);
    expect(rejects('android', { fcm: { serviceAccountJson: text } }).details?.[0].path).toBe('fcm.serviceAccountJson');
  });

  test('both forms at once, or neither, are rejected', () => {
    rejects('android', {});
    rejects('android', {
      fcm: { serviceAccountJson: serviceAccount },
      platformApplicationArn: 'arn:aws:sns:us-east-1:123456789012:app/GCM/x',
    });
  });
});

describe('names', () => {
  test('tenant apps and secrets are named under the stage prefix', () => {
    expect(tenantPlatformAppName('segmented-push-dev-', 'acme', 'ios')).toBe('segmented-push-dev-acme-ios');
    expect(tenantPushSecretName('segmented-push/dev/push/', 'acme', 'android')).toBe('segmented-push/dev/push/acme/android');
  });

  test('a tenant id SNS would refuse (or an over-long one) becomes a stable hash', () => {
    const odd = 'Acme Corp/ü';
    expect(tenantNameSegment(odd)).toMatch(/^h[0-9a-f]{20}$/);
    expect(tenantNameSegment(odd)).toBe(tenantNameSegment(odd));
    expect(tenantNameSegment('x'.repeat(41))).toMatch(/^h[0-9a-f]{20}$/);
    expect(tenantPlatformAppName('segmented-push-dev-', odd, 'ios')).toMatch(/^[\w.-]{1,256}$/);
  });
});

describe('public view', () => {
  const app = {
    tenantId: 'acme',
    platform: 'ios' as const,
    platformApplicationArn: 'arn:aws:sns:us-east-1:123456789012:app/APNS/x',
    bundleId: 'com.acme.shop',
    sandbox: false,
    updatedAt: 't',
  };

  test('a tenant app, else the default (sandbox read from the default ARN)', () => {
    expect(iosView(app, null)).toEqual({
      configured: true,
      source: 'tenant',
      bundleId: 'com.acme.shop',
      sandbox: false,
      platformApplicationArn: app.platformApplicationArn,
    });
    expect(iosView(null, 'arn:aws:sns:us-east-1:123456789012:app/APNS_SANDBOX/d')).toEqual({
      configured: true,
      source: 'default',
      bundleId: null,
      sandbox: true,
      platformApplicationArn: 'arn:aws:sns:us-east-1:123456789012:app/APNS_SANDBOX/d',
    });
    expect(iosView(null, null)).toEqual({
      configured: false,
      source: 'default',
      bundleId: null,
      sandbox: null,
      platformApplicationArn: null,
    });
    expect(androidView(null, null)).toEqual({ configured: false, source: 'default', projectId: null, platformApplicationArn: null });
  });
});
