/** POST /v1/campaigns/{id}/test: whom it pushes, what the push carries, and that nothing of the campaign changes. */
import type { Campaign } from '../../../../lambdas/domain/campaigns/campaign-record';
import type { Message } from '../../../../lambdas/domain/campaigns/message';
import { MAX_PAYLOAD_BYTES, payloadSizes } from '../../../../lambdas/domain/campaigns/payloads';
import type { Device } from '../../../../lambdas/domain/devices/device';
import { ConflictError, NotFoundError, ValidationError } from '../../../../lambdas/domain/errors';
import { defaultSettings } from '../../../../lambdas/domain/settings';
import type { CampaignStore } from '../../../../lambdas/ports/campaign-store';
import { TransientPushError, type Push, type PushResult } from '../../../../lambdas/ports/push-gateway';
import { testSendCampaign, type TestSendDeps } from '../../../../lambdas/use-cases/campaigns/test-send';
import { deviceRecord } from '../../../support/devices';
import { campaign } from '../delivery/wave-fakes';

const CAMPAIGN_ID = 'cmp_0mwot7c9d8e7f6a5b4c3d2e';

function setup(opts: { c?: Partial<Campaign>; testDevices?: string[]; devices?: Device[]; answer?: (p: Push) => PushResult } = {}) {
  const stored = campaign({ id: CAMPAIGN_ID, message: { title: 'Sale', body: 'Now', data: { promo: 'BF' }, ttlSeconds: 3600 }, ...opts.c });
  const before = structuredClone(stored);
  const pushes: Push[] = [];
  const marked: string[] = [];
  const devices = new Map(
    (opts.devices ?? [deviceRecord('d-1'), deviceRecord('d-2', { platform: 'android' })]).map((d) => [d.deviceId, d]),
  );
  // Only reads: any write to the campaign store would throw (the fake has none).
  const campaigns = {
    get: async (_t: string, id: string) => (id === stored.id ? structuredClone(stored) : undefined),
  } as unknown as CampaignStore;
  const deps: TestSendDeps = {
    campaigns,
    settings: { get: async () => ({ ...defaultSettings(), testDevices: opts.testDevices ?? ['d-1', 'd-2'] }) },
    devices: {
      getMany: async (_t, ids) => new Map(ids.filter((id) => devices.has(id)).map((id) => [id, devices.get(id)!])),
      markTokenInvalid: async (_t, id) => void marked.push(id),
    },
    gateway: {
      send: async (p) => {
        pushes.push(p);
        return opts.answer ? opts.answer(p) : { outcome: 'sent' };
      },
    },
  };
  return { deps, pushes, marked, stored, before };
}

const payloadOf = (p: Push) => JSON.parse(Object.values(p.message)[0]!);

describe('test send', () => {
  test('pushes the test devices of the settings, marked data.test = "true" on both platforms, flagged as tests', async () => {
    const { deps, pushes, stored, before } = setup();
    expect(await testSendCampaign(deps, 't1', CAMPAIGN_ID, undefined)).toEqual({ sent: 2, skipped: [] });
    expect(pushes.map((p) => [p.deviceId, p.platform, p.test, p.campaignId])).toEqual([
      ['d-1', 'ios', true, CAMPAIGN_ID],
      ['d-2', 'android', true, CAMPAIGN_ID],
    ]);
    const ios = payloadOf(pushes[0]);
    expect(ios.data).toEqual({ promo: 'BF', test: 'true' });
    expect(ios.aps.alert).toEqual({ title: 'Sale', body: 'Now' });
    const android = payloadOf(pushes[1]).fcmV1Message.message;
    expect(android.data).toMatchObject({ promo: 'BF', test: 'true', campaignId: CAMPAIGN_ID });
    // Same attributes as a real send: TTL and the campaign's collapse id.
    expect(pushes[0].attributes).toEqual({ 'AWS.SNS.MOBILE.APNS.TTL': '3600', 'AWS.SNS.MOBILE.APNS.COLLAPSE_ID': CAMPAIGN_ID });
    expect(stored).toEqual(before);
  });

  test('deviceIds in the body win over the settings; repeats are pushed once', async () => {
    const { deps, pushes } = setup();
    expect(await testSendCampaign(deps, 't1', CAMPAIGN_ID, { deviceIds: ['d-2', 'd-2'] })).toEqual({ sent: 1, skipped: [] });
    expect(pushes.map((p) => p.deviceId)).toEqual(['d-2']);
  });

  test('opted-out, dead-token and unknown devices are skipped with why; a rejection now marks the token', async () => {
    const devices = [
      deviceRecord('ok'),
      deviceRecord('out', { optedIn: false }),
      deviceRecord('dead', { tokenState: 'invalid' }),
      deviceRecord('gone-now'),
      deviceRecord('refused'),
      deviceRecord('flaky'),
    ];
    const { deps, pushes, marked } = setup({
      devices,
      answer: (p) => {
        if (p.deviceId === 'gone-now') return { outcome: 'invalid_token', reason: 'Unregistered' };
        if (p.deviceId === 'refused') return { outcome: 'failed', reason: 'InvalidParameter' };
        if (p.deviceId === 'flaky') throw new TransientPushError('throttled');
        return { outcome: 'sent' };
      },
    });
    const ids = ['ok', 'out', 'dead', 'missing', 'gone-now', 'refused', 'flaky'];
    expect(await testSendCampaign(deps, 't1', CAMPAIGN_ID, { deviceIds: ids })).toEqual({
      sent: 1,
      skipped: [
        { deviceId: 'out', reason: 'optedOut' },
        { deviceId: 'dead', reason: 'invalidToken' },
        { deviceId: 'missing', reason: 'notFound' },
        { deviceId: 'gone-now', reason: 'invalidToken' },
        { deviceId: 'refused', reason: 'failed' },
        { deviceId: 'flaky', reason: 'failed' },
      ],
    });
    expect(pushes.map((p) => p.deviceId).sort()).toEqual(['flaky', 'gone-now', 'ok', 'refused']);
    expect(marked).toEqual(['gone-now']);
  });

  test('works in every status but cancelled (409 invalid_state)', async () => {
    for (const status of ['draft', 'scheduled', 'sending', 'sent', 'failed'] as const) {
      const { deps } = setup({ c: { status } });
      expect((await testSendCampaign(deps, 't1', CAMPAIGN_ID, {})).sent).toBe(2);
    }
    const { deps, pushes } = setup({ c: { status: 'cancelled' } });
    const err = await testSendCampaign(deps, 't1', CAMPAIGN_ID, {}).catch((e) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect(err.code).toBe('invalid_state');
    expect(pushes).toEqual([]);
  });

  test('no devices given and none configured: 400 naming deviceIds', async () => {
    const { deps } = setup({ testDevices: [] });
    const err = await testSendCampaign(deps, 't1', CAMPAIGN_ID, undefined).catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.details).toEqual([{ path: 'deviceIds', message: expect.stringMatching(/testDevices/) }]);
  });

  test.each([
    [{ deviceIds: [] }, 'deviceIds'],
    [{ deviceIds: Array.from({ length: 21 }, (_, i) => `d-${i}`) }, 'deviceIds'],
    [{ deviceIds: ['d 1'] }, 'deviceIds[0]'],
    [{ deviceIds: 'd-1' }, 'deviceIds'],
    [{ devices: ['d-1'] }, 'devices'],
    [[], ''],
  ])('bad body %j: 400 at %s, nothing pushed', async (body, path) => {
    const { deps, pushes } = setup();
    const err = await testSendCampaign(deps, 't1', CAMPAIGN_ID, body).catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.details.map((d: { path: string }) => d.path)).toContain(path);
    expect(pushes).toEqual([]);
  });

  test('unknown campaign: 404', async () => {
    const { deps } = setup();
    await expect(testSendCampaign(deps, 't1', 'cmp_nope', {})).rejects.toBeInstanceOf(NotFoundError);
  });

  test('a message that fits only without the test marker is payload_too_large, nothing pushed', async () => {
    const fits = (m: Message) => Math.max(...Object.values(payloadSizes(m, CAMPAIGN_ID))) <= MAX_PAYLOAD_BYTES;
    const withFiller = (n: number): Message => ({ title: 'T', body: 'B', ttlSeconds: 60, data: { f: 'x'.repeat(n) } });
    let n = 3000;
    while (fits(withFiller(n + 1))) n++;
    expect(fits(withFiller(n))).toBe(true); // the campaign itself fits, as it was saved
    const { deps, pushes } = setup({ c: { message: withFiller(n) } });
    const err = await testSendCampaign(deps, 't1', CAMPAIGN_ID, {}).catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.code).toBe('payload_too_large');
    expect(pushes).toEqual([]);
  });
});
