/** POST /v1/campaigns/{id}/duplicate: a fresh draft with the composed fields, a copy name within the limit, a past schedule as now. */
import type { Campaign } from '../../../../lambdas/domain/campaigns/campaign-record';
import { copyName, copySchedule } from '../../../../lambdas/domain/campaigns/duplicate';
import { graphemeLength } from '../../../../lambdas/domain/campaigns/message';
import { ConflictError, NotFoundError } from '../../../../lambdas/domain/errors';
import type { CampaignStore } from '../../../../lambdas/ports/campaign-store';
import { fixedClock } from '../../../../lambdas/ports/clock';
import type { SegmentStore } from '../../../../lambdas/ports/segment-store';
import type { CampaignDeps } from '../../../../lambdas/use-cases/campaigns/deps';
import { duplicateCampaign } from '../../../../lambdas/use-cases/campaigns/duplicate-campaign';
import { campaign, wave } from '../delivery/wave-fakes';

const NOW = '2026-11-28T10:00:00.000Z';

function setup(source: Campaign, segments: string[] = ['seg_1']) {
  const created: Campaign[] = [];
  const deps = {
    campaigns: {
      get: async (_t: string, id: string) => (id === source.id ? structuredClone(source) : undefined),
      create: async (c: Campaign) => void created.push(c),
    } as unknown as CampaignStore,
    segments: { get: async (_t: string, id: string) => (segments.includes(id) ? { id } : undefined) } as unknown as SegmentStore,
    clock: fixedClock(NOW),
  } as unknown as CampaignDeps;
  return { deps, created };
}

const sent = () =>
  campaign({
    id: 'cmp_src',
    name: 'Black Friday',
    segmentId: 'seg_1',
    message: { title: 'Sale 🎉', body: 'Now', data: { promo: 'BF' }, ttlSeconds: 3600 },
    schedule: { type: 'at', at: '2026-11-27T09:00:00', timezone: 'Europe/Berlin' },
    sendRate: { perMinute: 500 },
    status: 'sent',
    version: 7,
    targeted: 100,
    sent: 98,
    failed: 1,
    supOptedOut: 1,
    batchesEnqueued: 1,
    batchesDone: 1,
    wavesPending: 0,
    launchedAt: '2026-11-27T08:00:00.000Z',
    completedAt: '2026-11-27T08:01:00.000Z',
    timezone: 'Europe/Berlin',
    waves: { now: wave({ status: 'enqueued', targeted: 100 }) },
  });

describe('duplicate a campaign', () => {
  test('a sent campaign becomes a fresh draft: same composition, copy name, past schedule → now, zero counters, no waves', async () => {
    const { deps, created } = setup(sent());
    const copy = await duplicateCampaign(deps, 't1', 'cmp_src');
    expect(copy).toMatchObject({
      name: 'Black Friday (copy)',
      kind: 'campaign',
      segmentId: 'seg_1',
      message: { title: 'Sale 🎉', body: 'Now', data: { promo: 'BF' }, ttlSeconds: 3600 },
      schedule: { type: 'now' },
      sendRate: { perMinute: 500 },
      status: 'draft',
      version: 1,
      createdAt: NOW,
      launchedAt: null,
      completedAt: null,
      cancelledAt: null,
      progress: { targeted: 0, sent: 0, failed: 0, suppressed: 0 },
      waves: [],
      error: null,
    });
    expect(copy.id).not.toBe('cmp_src');
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ tenantId: 't1', timezone: null, waves: {}, batchesEnqueued: 0, wavesPending: 0 });
  });

  test('a schedule still ahead is kept', async () => {
    const future = { type: 'local' as const, at: '2027-01-05T09:00', fallbackTimezone: 'UTC' };
    const { deps } = setup({ ...sent(), status: 'cancelled', schedule: future });
    expect((await duplicateCampaign(deps, 't1', 'cmp_src')).schedule).toEqual(future);
  });

  test.each(['draft', 'scheduled', 'sending', 'cancelled', 'failed'] as const)('a %s campaign may be duplicated', async (status) => {
    const { deps } = setup({ ...sent(), status });
    expect((await duplicateCampaign(deps, 't1', 'cmp_src')).status).toBe('draft');
  });

  test('unknown id: 404; a deleted segment: 409 conflict, nothing created', async () => {
    const { deps } = setup(sent());
    await expect(duplicateCampaign(deps, 't1', 'cmp_other')).rejects.toBeInstanceOf(NotFoundError);
    const gone = setup(sent(), []);
    const err = await duplicateCampaign(gone.deps, 't1', 'cmp_src').catch((e) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect(err.message).toMatch(/seg_1 .*deleted/);
    expect(gone.created).toEqual([]);
  });
});

describe('copy rules', () => {
  test('the name is cut so that it stays within 200 characters with the suffix, never inside an emoji', () => {
    expect(copyName('Sale')).toBe('Sale (copy)');
    const long = '👩‍👩‍👧'.repeat(200);
    const copy = copyName(long);
    expect(graphemeLength(copy)).toBe(200);
    expect(copy).toBe('👩‍👩‍👧'.repeat(193) + ' (copy)');
    expect(copyName('a'.repeat(192) + '  b' + 'c'.repeat(10))).toBe('a'.repeat(192) + ' (copy)');
    expect(copyName('x'.repeat(193))).toBe('x'.repeat(193) + ' (copy)');
  });

  test('a past moment becomes now; now and future moments are kept', () => {
    const now = new Date(NOW);
    expect(copySchedule({ type: 'at', at: '2026-11-28T09:59', timezone: 'UTC' }, now)).toEqual({ type: 'now' });
    expect(copySchedule({ type: 'at', at: '2026-11-28T10:01', timezone: 'UTC' }, now)).toEqual({
      type: 'at',
      at: '2026-11-28T10:01',
      timezone: 'UTC',
    });
    expect(copySchedule({ type: 'now' }, now)).toEqual({ type: 'now' });
    expect(copySchedule({ type: 'local', at: '2026-11-26T09:00', fallbackTimezone: 'UTC' }, now)).toEqual({ type: 'now' });
  });
});
