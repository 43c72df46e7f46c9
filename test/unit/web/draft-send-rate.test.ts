/** The composer keeps a campaign's sendRate: a PUT replaces the whole body, so an edit must send it back. */
import type { Campaign } from '../../../web/src/api/types';
import { draftFrom, emptyDraft, toInput } from '../../../web/src/campaigns/draft';

const campaign = (sendRate: Campaign['sendRate']): Campaign => ({
  id: 'cmp_1',
  name: 'BF',
  kind: 'campaign',
  segmentId: null,
  message: { title: 'Hi', body: 'Sale', ttlSeconds: 86_400 },
  variants: null,
  holdoutPercent: 0,
  schedule: { type: 'now' },
  trigger: null,
  sendRate,
  status: 'draft',
  warnings: [],
  version: 1,
  createdAt: '2026-11-29T07:00:00.000Z',
  updatedAt: '2026-11-29T07:00:00.000Z',
  launchedAt: null,
  completedAt: null,
  cancelledAt: null,
  audience: null,
  attributionWindowHours: null,
  progress: {
    targeted: 0,
    sent: 0,
    heldOut: 0,
    failed: 0,
    suppressed: 0,
    suppressedBy: { optedOut: 0, frequencyCap: 0, invalidToken: 0, timePassed: 0 },
    deferred: 0,
  },
  waves: [],
  error: null,
});

describe('composer draft: sendRate', () => {
  it('is no limit in a new draft', () => {
    expect(toInput({ ...emptyDraft('UTC'), name: 'x', title: 't', body: 'b' }).sendRate).toBeNull();
  });

  it('round-trips an edited campaign’s rate, and an emptied field means no limit', () => {
    const d = draftFrom(campaign({ perMinute: 500 }), 'UTC');
    expect(d.sendRate).toBe('500');
    expect(toInput(d).sendRate).toEqual({ perMinute: 500 });
    expect(toInput({ ...d, sendRate: ' ' }).sendRate).toBeNull();
    expect(draftFrom(campaign(null), 'UTC').sendRate).toBe('');
  });
});
