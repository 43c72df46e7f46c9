import { androidView, iosView, parsePushAppRequest, type PushApp, type PushAppsView } from '../../domain/push-apps';
import type { Clock } from '../../ports/clock';
import type { PushAppProvisioner, PushAppStore } from '../../ports/push-apps';

export interface PushAppsDeps {
  pushApps: PushAppStore;
  pushProvisioner: PushAppProvisioner;
  clock: Clock;
}

/** GET /v1/push-apps: each platform's app, the tenant's own or the deploy-time default. Never a secret. */
export async function getPushApps(deps: PushAppsDeps, tenantId: string): Promise<PushAppsView> {
  const [ios, android] = await Promise.all([deps.pushApps.get(tenantId, 'ios'), deps.pushApps.get(tenantId, 'android')]);
  const defaults = deps.pushProvisioner.defaults();
  return { ios: iosView(ios, defaults.ios), android: androidView(android, defaults.android) };
}

/**
 * PUT /v1/push-apps/{platform}: validate, create or update the tenant's platform application (the
 * provider checks the credentials and keeps the secret), then store the public view. Devices move to
 * the new application on their next registration.
 */
export async function putPushApp(deps: PushAppsDeps, tenantId: string, platform: string, body: unknown) {
  const request = parsePushAppRequest(platform, body);
  const provisioned = await deps.pushProvisioner.provision(tenantId, request);
  const base = {
    tenantId,
    platform: request.platform,
    platformApplicationArn: provisioned.platformApplicationArn,
    updatedAt: deps.clock.now().toISOString(),
  };
  let app: PushApp;
  if (request.platform === 'ios') {
    const sandbox = request.snsPlatform === 'APNS_SANDBOX';
    app = { ...base, sandbox, bundleId: request.kind === 'credentials' ? request.apns.bundleId : (provisioned.bundleId ?? null) };
  } else {
    app = { ...base, projectId: request.kind === 'credentials' ? request.fcm.projectId : null };
  }
  await deps.pushApps.put(app);
  return request.platform === 'ios' ? iosView(app, null) : androidView(app, null);
}
