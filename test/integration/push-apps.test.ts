import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { TestWorld } from './harness';
import { apnsCredentials, p8, rsaPem, serviceAccountJson } from '../support/push-credentials';

const apns = apnsCredentials(true);
const KEY_BODY = p8.split('\n')[1];
const SA_KEY_BODY = rsaPem.split('\n')[1];

/** Every file under a directory, read as latin1 (dynalite's LevelDB files included). */
function allFileText(dir: string): string {
  let out = '';
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    out += statSync(p).isDirectory() ? allFileText(p) : readFileSync(p, 'latin1');
  }
  return out;
}

describe('push apps per tenant (local world)', () => {
  const t = new TestWorld();
  const [acme, globex] = t.tenants('acme', 'globex');

  t.forSuite();

  test('a tenant without its own apps sees the (absent) local defaults', async () => {
    const res = await t.request('GET', '/v1/push-apps', { token: acme.token });
    expect(res).toMatchObject({
      status: 200,
      body: {
        ios: { configured: false, source: 'default', bundleId: null, sandbox: null, platformApplicationArn: null },
        android: { configured: false, source: 'default', projectId: null, platformApplicationArn: null },
      },
    });
  });

  test('PUT ios with APNs credentials answers the public view, never the key', async () => {
    const res = await t.request('PUT', '/v1/push-apps/ios', { token: acme.token, body: { apns } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      configured: true,
      source: 'tenant',
      bundleId: 'com.acme.shop',
      sandbox: true,
      platformApplicationArn: null,
    });
    expect(JSON.stringify(res.body)).not.toContain(KEY_BODY);
  });

  test('PUT android with a service account answers the project id, never the JSON', async () => {
    const res = await t.request('PUT', '/v1/push-apps/android', { token: acme.token, body: { fcm: { serviceAccountJson } } });
    expect(res).toMatchObject({
      status: 200,
      body: { configured: true, source: 'tenant', projectId: 'acme-shop', platformApplicationArn: null },
    });
    expect(JSON.stringify(res.body)).not.toMatch(/private_key|client_email/);
  });

  test('GET shows both, without secrets; another tenant is untouched', async () => {
    const res = await t.request('GET', '/v1/push-apps', { token: acme.token });
    expect(res.body).toEqual({
      ios: { configured: true, source: 'tenant', bundleId: 'com.acme.shop', sandbox: true, platformApplicationArn: null },
      android: { configured: true, source: 'tenant', projectId: 'acme-shop', platformApplicationArn: null },
    });
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(KEY_BODY);
    expect(text).not.toContain(SA_KEY_BODY);
    expect((await t.request('GET', '/v1/push-apps', { token: globex.token })).body.ios.source).toBe('default');
  });

  test('an application ARN is kept as given; its platform decides sandbox', async () => {
    const arn = 'arn:aws:sns:us-east-1:123456789012:app/APNS/segmented-push-dev-globex-ios';
    const res = await t.request('PUT', '/v1/push-apps/ios', { token: globex.token, body: { platformApplicationArn: arn } });
    expect(res).toMatchObject({ status: 200, body: { configured: true, source: 'tenant', sandbox: false, platformApplicationArn: arn } });
  });

  test.each([
    ['/v1/push-apps/ios', 'apns.teamId', { apns: { ...apns, teamId: 'short' } }],
    ['/v1/push-apps/ios', 'apns.signingKey', { apns: { ...apns, signingKey: 'hunter2' } }],
    ['/v1/push-apps/ios', 'platformApplicationArn', { platformApplicationArn: 'arn:aws:sns:us-east-1:123456789012:app/GCM/x' }],
    ['/v1/push-apps/android', 'fcm.serviceAccountJson', { fcm: { serviceAccountJson: '{"project_id":"p"}' } }],
    ['/v1/push-apps/android', 'fcm.serviceAccountJson', { fcm: { serviceAccountJson: 'nope' } }],
    ['/v1/push-apps/android', 'platformApplicationArn', { platformApplicationArn: 'arn:aws:sns:us-east-1:123456789012:app/APNS/x' }],
  ])('PUT %s with a bad %s is a 400 validation_error', async (route, field, body) => {
    const res = await t.request('PUT', route, { token: acme.token, body });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_error');
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
  });

  test('a rejected PUT leaves the stored app as it was', async () => {
    const res = await t.request('GET', '/v1/push-apps', { token: acme.token });
    expect(res.body.ios).toMatchObject({ source: 'tenant', bundleId: 'com.acme.shop' });
  });

  test('no auth is a 401; an unknown platform has no route', async () => {
    expect((await t.request('GET', '/v1/push-apps')).status).toBe(401);
    expect((await t.request('PUT', '/v1/push-apps/windows', { token: acme.token, body: { apns } })).status).toBe(404);
  });

  test('devices still register and the recording gateway keeps working', async () => {
    const res = await t.request('PUT', '/v1/devices/d-1', {
      appKey: acme.appKey,
      body: { platform: 'ios', token: 'tok-1', optedIn: true },
    });
    expect(res.status).toBe(200);
  });

  test('locally the credentials are never written to disk', () => {
    const text = allFileText(t.dataDir);
    expect(text).not.toContain(KEY_BODY);
    expect(text).not.toContain(SA_KEY_BODY);
  });
});
