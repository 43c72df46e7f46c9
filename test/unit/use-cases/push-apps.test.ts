import { ValidationError } from '../../../lambdas/domain/errors';
import type { PushApp, PushAppRequest, PushPlatform } from '../../../lambdas/domain/push-apps';
import { fixedClock } from '../../../lambdas/ports/clock';
import type { PushAppProvisioner, PushAppStore } from '../../../lambdas/ports/push-apps';
import { getPushApps, putPushApp } from '../../../lambdas/use-cases/push-apps/push-apps';
import { apnsCredentials, serviceAccountJson } from '../../support/push-credentials';

const apns = apnsCredentials(true);
const DEFAULT_IOS = 'arn:aws:sns:us-east-1:123456789012:app/APNS/segmented-push-apns';
const DEFAULT_ANDROID = 'arn:aws:sns:us-east-1:123456789012:app/GCM/segmented-push-fcm';

class FakeStore implements PushAppStore {
  readonly items = new Map<string, PushApp>();
  async get(tenantId: string, platform: PushPlatform) {
    return this.items.get(`${tenantId}/${platform}`) ?? null;
  }
  async put(app: PushApp) {
    this.items.set(`${app.tenantId}/${app.platform}`, app);
  }
}

class FakeProvisioner implements PushAppProvisioner {
  readonly requests: { tenantId: string; request: PushAppRequest }[] = [];
  reject = false;
  async provision(tenantId: string, request: PushAppRequest) {
    if (this.reject)
      throw new ValidationError('apns: the push provider rejected these credentials (APNs)', [{ path: 'apns', message: 'rejected' }]);
    this.requests.push({ tenantId, request });
    if (request.kind === 'arn') return { platformApplicationArn: request.platformApplicationArn, bundleId: 'com.adopted.app' };
    return {
      platformApplicationArn: `arn:aws:sns:us-east-1:123456789012:app/${request.snsPlatform}/segmented-push-dev-${tenantId}-${request.platform}`,
    };
  }
  defaults() {
    return { ios: DEFAULT_IOS, android: DEFAULT_ANDROID };
  }
}

function deps() {
  return { pushApps: new FakeStore(), pushProvisioner: new FakeProvisioner(), clock: fixedClock('2026-11-29T08:00:00.000Z') };
}

describe('push apps use cases', () => {
  test('a tenant without apps sees the defaults', async () => {
    expect(await getPushApps(deps(), 'acme')).toEqual({
      ios: { configured: true, source: 'default', bundleId: null, sandbox: false, platformApplicationArn: DEFAULT_IOS },
      android: { configured: true, source: 'default', projectId: null, platformApplicationArn: DEFAULT_ANDROID },
    });
  });

  test('APNs credentials: provisioned on the sandbox platform, public view stored and returned, no secret kept in the store', async () => {
    const d = deps();
    const view = await putPushApp(d, 'acme', 'ios', { apns });
    expect(view).toEqual({
      configured: true,
      source: 'tenant',
      bundleId: 'com.acme.shop',
      sandbox: true,
      platformApplicationArn: 'arn:aws:sns:us-east-1:123456789012:app/APNS_SANDBOX/segmented-push-dev-acme-ios',
    });
    expect(d.pushProvisioner.requests[0]).toMatchObject({
      tenantId: 'acme',
      request: { kind: 'credentials', snsPlatform: 'APNS_SANDBOX' },
    });
    const stored = d.pushApps.items.get('acme/ios');
    expect(stored).toMatchObject({ tenantId: 'acme', platform: 'ios', sandbox: true, updatedAt: '2026-11-29T08:00:00.000Z' });
    expect(JSON.stringify(stored)).not.toContain('PRIVATE KEY');
    expect((await getPushApps(d, 'acme')).ios).toEqual(view);
    // The other tenant still uses the default.
    expect((await getPushApps(d, 'globex')).ios.source).toBe('default');
  });

  test('an FCM service account: the project id is shown, the JSON is not', async () => {
    const d = deps();
    const view = await putPushApp(d, 'acme', 'android', { fcm: { serviceAccountJson } });
    expect(view).toMatchObject({ configured: true, source: 'tenant', projectId: 'acme-shop' });
    expect(JSON.stringify(view)).not.toContain('private_key');
    expect(JSON.stringify(d.pushApps.items.get('acme/android'))).not.toContain('private_key');
  });

  test('an application ARN is adopted with what the provider read back; its platform decides sandbox', async () => {
    const d = deps();
    const arn = 'arn:aws:sns:us-east-1:123456789012:app/APNS/segmented-push-dev-acme-prod';
    expect(await putPushApp(d, 'acme', 'ios', { platformApplicationArn: arn })).toEqual({
      configured: true,
      source: 'tenant',
      bundleId: 'com.adopted.app',
      sandbox: false,
      platformApplicationArn: arn,
    });
  });

  test('invalid bodies and rejected credentials are 400s and store nothing', async () => {
    const d = deps();
    await expect(putPushApp(d, 'acme', 'ios', { apns: { ...apns, teamId: 'x' } })).rejects.toBeInstanceOf(ValidationError);
    expect(d.pushProvisioner.requests).toHaveLength(0);
    d.pushProvisioner.reject = true;
    await expect(putPushApp(d, 'acme', 'ios', { apns })).rejects.toBeInstanceOf(ValidationError);
    expect(d.pushApps.items.size).toBe(0);
  });
});
