/** Test sends and duplicates in the merchant's words, and the settings' test-device rules kept equal to the server's. */
import { ApiError } from '../../../web/src/api/client';
import { duplicateErrorText, fieldErrors } from '../../../web/src/campaigns/merchant-errors';
import { testSendSummary } from '../../../web/src/campaigns/test-send-words';
import { DEVICE_ID_PATTERN as UI_PATTERN, MAX_TEST_DEVICES as UI_MAX } from '../../../web/src/settings/test-devices';
import { DEVICE_ID_PATTERN } from '../../../lambdas/domain/devices/device';
import { MAX_TEST_DEVICES } from '../../../lambdas/domain/settings';
import { toInput, draftFrom, emptyDraft } from '../../../web/src/campaigns/draft';
import type { Campaign } from '../../../web/src/api/types';

describe('testSendSummary', () => {
  it('says whom it reached and whom it skipped, and why', () => {
    expect(testSendSummary({ sent: 2, skipped: [{ deviceId: 'd-9', reason: 'optedOut' }] })).toBe(
      'Sent to 2 devices; skipped d-9 (opted out)',
    );
    expect(testSendSummary({ sent: 1, skipped: [] })).toBe('Sent to 1 device');
    expect(
      testSendSummary({
        sent: 0,
        skipped: [
          { deviceId: 'd-1', reason: 'notFound' },
          { deviceId: 'd-2', reason: 'invalidToken' },
          { deviceId: 'd-3', reason: 'failed' },
        ],
      }),
    ).toBe('Nothing sent; skipped d-1 (no longer registered), d-2 (no longer reachable), d-3 (the push service refused it)');
  });
});

describe('duplicateErrorText', () => {
  it('explains the 409 of a deleted segment in merchant words', () => {
    const err = new ApiError(409, 'conflict', 'the segment seg_1 of this campaign was deleted; …', [], { segmentId: 'seg_1' });
    expect(duplicateErrorText(err)).toBe(
      'This campaign’s segment has been deleted, so a copy would have no audience. Create a new campaign and choose a segment.',
    );
  });

  it('passes on any other failure as it came', () => {
    expect(duplicateErrorText(new ApiError(409, 'conflict', 'the campaign kept changing; try again'))).toBe(
      'Could not duplicate: the campaign kept changing; try again',
    );
  });
});

describe('test devices in settings', () => {
  it('puts the server’s refusal of an unknown id at that chip, in merchant words', () => {
    expect(fieldErrors([{ path: 'testDevices[1]', message: 'no device d-404 is registered for this tenant' }])).toEqual({
      'testDevices[1]': 'No phone with this id is registered with your app: open the app on it once, then copy its device id again',
    });
    expect(fieldErrors([{ path: 'testDevices', message: 'must hold at most 20 device ids' }])).toEqual({
      testDevices: 'At most 20 test devices',
    });
  });

  it('keeps the UI’s limits equal to the server’s', () => {
    expect(UI_MAX).toBe(MAX_TEST_DEVICES);
    expect(UI_PATTERN.source).toBe(DEVICE_ID_PATTERN.source);
  });
});

describe('the ifPassed choice of a local schedule', () => {
  it('reaches the campaign body when it is not the default, and comes back from a saved campaign', () => {
    const d = { ...emptyDraft('Europe/Berlin'), scheduleType: 'local' as const, at: '2026-12-02T09:00', ifPassed: 'skip' as const };
    expect(toInput(d).schedule).toEqual({ type: 'local', at: '2026-12-02T09:00:00', fallbackTimezone: 'Europe/Berlin', ifPassed: 'skip' });
    expect(toInput({ ...d, ifPassed: 'send_now' }).schedule).toEqual({
      type: 'local',
      at: '2026-12-02T09:00:00',
      fallbackTimezone: 'Europe/Berlin',
    });
    // A draft kept before the choice existed (no ifPassed) sends the default.
    expect(toInput({ ...d, ifPassed: undefined }).schedule).not.toHaveProperty('ifPassed');
    const saved = {
      schedule: toInput(d).schedule,
      message: { title: 't', body: 'b' },
      name: 'n',
      segmentId: null,
      sendRate: null,
    } as unknown as Campaign;
    expect(draftFrom(saved, 'UTC').ifPassed).toBe('skip');
    expect(toInput({ ...d, scheduleType: 'at' }).schedule).not.toHaveProperty('ifPassed');
  });
});
