/**
 * POST /v1/campaigns/{id}/test: push the campaign's message now to a few devices (the tenant's test
 * devices by default), through the same rendering (4 KiB check) and push gateway as real sends.
 *
 * A test send is not part of the campaign: it ignores segment, schedule, frequency cap and quiet
 * hours, and it writes nothing but the provider call. Its ports have no ledger, no cap store, no
 * lake and no counters, so it cannot change the campaign's status, version, progress or insights;
 * its pushes are flagged `test` so the gateway never mistakes one for a delivery.
 */
import { messagesOf } from '../../domain/campaigns/campaign';
import type { Campaign } from '../../domain/campaigns/campaign-record';
import type { Message } from '../../domain/campaigns/message';
import { assertPayloadFits, pushAttributes, renderSnsMessage } from '../../domain/campaigns/payloads';
import type { Device } from '../../domain/devices/device';
import { parseTestSendRequest, testMessage, type TestSendResult, type TestSkipReason } from '../../domain/campaigns/test-send';
import { ConflictError, ValidationError } from '../../domain/errors';
import { uniqueIds } from '../../domain/settings';
import type { CampaignStore } from '../../ports/campaign-store';
import type { DeviceStore } from '../../ports/device-store';
import { TransientPushError, type PushGateway } from '../../ports/push-gateway';
import type { SettingsStore } from '../../ports/settings-store';
import { getCampaign } from './manage-campaigns';

/** The ports a test send needs (and, on purpose, nothing that records deliveries). */
export interface TestSendDeps {
  campaigns: CampaignStore;
  settings: Pick<SettingsStore, 'get'>;
  devices: Pick<DeviceStore, 'getMany' | 'markTokenInvalid'>;
  gateway: Pick<PushGateway, 'send'>;
  apnsSandbox?: boolean;
}

/** Push a campaign's message to test devices now; `sent` and the devices skipped with why. */
export async function testSendCampaign(deps: TestSendDeps, tenantId: string, id: string, body: unknown): Promise<TestSendResult> {
  const request = parseTestSendRequest(body);
  const campaign = await getCampaign(deps, tenantId, id);
  if (campaign.status === 'cancelled') {
    throw new ConflictError('invalid_state', 'cannot test a campaign in status cancelled (duplicate it to test its message)', {
      status: campaign.status,
      action: 'test',
    });
  }
  const deviceIds = uniqueIds(request.deviceIds ?? (await deps.settings.get(tenantId)).testDevices);
  if (deviceIds.length === 0) {
    throw new ValidationError('deviceIds: no devices to test on: give deviceIds, or save testDevices in PUT /v1/settings', [
      { path: 'deviceIds', message: 'no devices to test on: give deviceIds, or save testDevices in PUT /v1/settings' },
    ]);
  }
  const pushes = testPushes(campaign, request.variantId);
  // The marker adds a few bytes: a message at the edge of 4 KiB must fail here as it would on a phone.
  // Sized with the push's collapse id in place of the campaign id (the longer of the two, so never under).
  for (const p of pushes) assertPayloadFits(p.message, p.collapseId, p.path);
  const devices = await deps.devices.getMany(tenantId, deviceIds);
  const outcomes = await Promise.all(
    deviceIds.map(async (deviceId): Promise<TestSkipReason | 'sent'> => {
      const device = devices.get(deviceId);
      if (!device) return 'notFound';
      if (!device.optedIn) return 'optedOut';
      if (device.tokenState === 'invalid') return 'invalidToken';
      // Each variant in turn: a device is sent when every one of its pushes went out.
      for (const p of pushes) {
        const outcome = await pushOne(deps, tenantId, campaign.id, deviceId, device, p);
        if (outcome !== 'sent') return outcome;
      }
      return 'sent';
    }),
  );
  const skipped = deviceIds.flatMap((deviceId, i) => {
    const outcome = outcomes[i];
    return outcome === 'sent' ? [] : [{ deviceId, reason: outcome }];
  });
  const variants = pushes.flatMap((p) => (p.variantId ? [p.variantId] : []));
  return { sent: outcomes.filter((o) => o === 'sent').length, skipped, ...(variants.length > 0 ? { variants } : {}) };
}

/** One test push of a campaign's message (or one variant's). */
interface TestPush {
  message: Message;
  path: string;
  variantId: string | null;
  /** The campaign's id, or `<campaign id>.<variant id>` so each variant replaces only its own earlier test on the phone. */
  collapseId: string;
}

/** The pushes of a test send: the message, or every variant (or the one asked for) with its own collapse id. */
function testPushes(campaign: Campaign, variantId: string | undefined): TestPush[] {
  const all = messagesOf(campaign).map((m) => ({
    message: testMessage(m.message),
    path: m.path,
    variantId: m.variantId,
    // The collapse id is the campaign's: repeated tests (and the real push later) replace, not pile up, on the phone.
    collapseId: m.variantId ? `${campaign.id}.${m.variantId}` : campaign.id,
  }));
  if (variantId === undefined) return all;
  const chosen = all.filter((p) => p.variantId === variantId);
  if (chosen.length === 0) {
    const message = campaign.variants ? `no variant ${variantId} in this campaign` : 'this campaign has no variants';
    throw new ValidationError(`variantId: ${message}`, [{ path: 'variantId', message }]);
  }
  return chosen;
}

async function pushOne(
  deps: TestSendDeps,
  tenantId: string,
  campaignId: string,
  deviceId: string,
  device: Device,
  p: TestPush,
): Promise<TestSkipReason | 'sent'> {
  try {
    const result = await deps.gateway.send({
      tenantId,
      campaignId,
      deviceId,
      platform: device.platform,
      token: device.token,
      endpointArn: device.endpointArn,
      message: renderSnsMessage(p.message, {
        campaignId,
        platform: device.platform,
        apnsSandbox: deps.apnsSandbox,
        collapseId: p.collapseId,
      }),
      attributes: pushAttributes(p.message, device.platform, p.collapseId, { apnsSandbox: deps.apnsSandbox }),
      test: true,
    });
    if (result.outcome === 'sent') return 'sent';
    if (result.outcome === 'invalid_token') {
      // The same fact a real send would learn: later sends skip the dead token too.
      await deps.devices.markTokenInvalid(tenantId, deviceId, device.token);
      return 'invalidToken';
    }
    return 'failed';
  } catch (err) {
    // A provider that stays unavailable fails this device only; the merchant may simply click again.
    if (err instanceof TransientPushError) return 'failed';
    throw err;
  }
}
