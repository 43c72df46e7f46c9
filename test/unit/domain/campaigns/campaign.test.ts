import { parseCampaignInput, validateCampaignInput } from '../../../../lambdas/domain/campaigns/campaign';
import { apiExampleCampaign } from '../../../support/api-examples';
import { validationErrorOf } from '../../../support/errors';

const example = apiExampleCampaign;
const now = new Date('2026-11-28T17:00:00.000Z');

const caught = validationErrorOf;

describe('campaign body', () => {
  it('accepts the API.md example', () => {
    const { campaign, warnings } = validateCampaignInput(example, { now });
    expect(campaign.segmentId).toBe('seg_123');
    expect(warnings).toEqual([]);
  });

  it('defaults kind to campaign and segmentId to null; refuses unknown fields', () => {
    const { kind, segmentId, ...rest } = example;
    void kind;
    void segmentId;
    const c = parseCampaignInput(rest);
    expect(c.kind).toBe('campaign');
    expect(c.segmentId).toBeNull();
    const e = caught(() => parseCampaignInput({ ...rest, id: 'cmp_1', status: 'draft' }));
    expect(e.code).toBe('validation_error');
    expect(e.details?.map((d) => d.path).sort()).toEqual(['id', 'status']);
  });

  it('rejects a segment on an automated campaign with its own code, before other errors', () => {
    const e = caught(() => parseCampaignInput({ ...example, kind: 'automated', name: '' }));
    expect(e.code).toBe('segments_not_supported_on_automated');
    expect(e.details?.[0].path).toBe('segmentId');
    // Without a segment (and with a trigger instead of a schedule) it is a valid automated campaign.
    const { schedule: _schedule, ...unscheduled } = example;
    expect(parseCampaignInput({ ...unscheduled, kind: 'automated', segmentId: null, trigger: { type: 'first_open' } }).kind).toBe(
      'automated',
    );
  });

  it('reports nested paths', () => {
    const e = caught(() => parseCampaignInput({ ...example, name: '', message: { ...example.message, buttons: [{ label: '' }] } }));
    expect(e.code).toBe('validation_error');
    expect(e.details?.map((d) => d.path)).toEqual(['name', 'message.buttons[0].label']);
    expect(e.message).toBe('name: must not be empty');
  });

  it('returns title/body warnings', () => {
    const { warnings } = validateCampaignInput({ ...example, message: { ...example.message, title: 'x'.repeat(51) } }, { now });
    expect(warnings.map((w) => w.code)).toEqual(['title_long']);
  });

  it('rejects payloads over 4 KiB and past schedules', () => {
    expect(caught(() => validateCampaignInput({ ...example, message: { ...example.message, body: '€'.repeat(1500) } }, { now })).code).toBe(
      'payload_too_large',
    );
    const late = new Date('2026-12-01T14:00:01.000Z');
    expect(caught(() => validateCampaignInput(example, { now: late })).message).toBe('schedule.at: is in the past');
  });

  describe('sendRate', () => {
    it('is null when absent or null, and kept when within 100–1,000,000 a minute', () => {
      expect(parseCampaignInput(example).sendRate).toBeNull();
      expect(parseCampaignInput({ ...example, sendRate: null }).sendRate).toBeNull();
      expect(parseCampaignInput({ ...example, sendRate: { perMinute: 100 } }).sendRate).toEqual({ perMinute: 100 });
      expect(parseCampaignInput({ ...example, sendRate: { perMinute: 1_000_000 } }).sendRate).toEqual({ perMinute: 1_000_000 });
    });

    it.each([
      [{ perMinute: 99 }, 'sendRate.perMinute', 'must be at least 100'],
      [{ perMinute: 1_000_001 }, 'sendRate.perMinute', 'must be at most 1000000'],
      [{ perMinute: 150.5 }, 'sendRate.perMinute', 'must be an integer'],
      [{ perMinute: '500' }, 'sendRate.perMinute', 'must be a number'],
      [{}, 'sendRate.perMinute', 'is required'],
      [{ perMinute: 500, perSecond: 2 }, 'sendRate.perSecond', undefined],
      [500, 'sendRate', undefined],
    ])('refuses %j with the path %s', (sendRate, path, message) => {
      const e = caught(() => parseCampaignInput({ ...example, sendRate }));
      expect(e.code).toBe('validation_error');
      expect(e.details?.map((d) => d.path)).toEqual([path]);
      if (message) expect(e.details?.[0].message).toBe(message);
    });
  });
});
