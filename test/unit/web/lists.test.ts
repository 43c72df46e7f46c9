/** The lists' pure parts: campaign search and sort, a segment's "used by", and why a sent campaign reached nobody. */
import type { CampaignListItem, Segment } from '../../../web/src/api/types';
import { nothingSent, nothingSentWords } from '../../../web/src/campaigns/describe';
import { filterAndSort } from '../../../web/src/campaigns/list-order';
import { usage } from '../../../web/src/segments/usage';

type Progress = CampaignListItem['progress'];
const progress = (p: Partial<Progress> & { by?: Partial<Progress['suppressedBy']> }): Progress =>
  ({
    targeted: 0,
    sent: 0,
    failed: 0,
    suppressed: 0,
    deferred: 0,
    ...p,
    suppressedBy: { optedOut: 0, frequencyCap: 0, invalidToken: 0, timePassed: 0, ...p.by },
  }) as Progress;

const item = (id: string, name: string, createdAt: string, extra: Partial<CampaignListItem> = {}) =>
  ({ id, name, createdAt, message: { title: `${name} title` }, segmentId: null, status: 'sent', ...extra }) as CampaignListItem;

describe('campaign list search and sort', () => {
  const items = [
    item('a', 'Black Friday', '2026-11-27T10:00:00Z'),
    item('b', 'Cart reminder', '2026-11-28T10:00:00Z'),
    item('c', 'Advent', '2026-11-29T10:00:00Z'),
  ];
  const figures: Record<string, { openRate: number; revenue: number } | undefined> = {
    a: { openRate: 0.1, revenue: 900 },
    b: { openRate: 0.3, revenue: 100 },
  };
  const extra = (c: CampaignListItem) => ({
    audience: c.id === 'b' ? 'Abandoned cart' : 'All opted-in devices',
    figures: figures[c.id] ? { sent: 1, opened: 1, conversions: 1, ...figures[c.id]! } : undefined,
  });
  const ids = (q: string, sort: Parameters<typeof filterAndSort>[2]) => filterAndSort(items, q, sort, extra).map((c) => c.id);

  it('sorts newest, oldest, by name, and by figures (campaigns without figures last)', () => {
    expect(ids('', 'newest')).toEqual(['c', 'b', 'a']);
    expect(ids('', 'oldest')).toEqual(['a', 'b', 'c']);
    expect(ids('', 'name')).toEqual(['c', 'a', 'b']);
    expect(ids('', 'openRate')).toEqual(['b', 'a', 'c']);
    expect(ids('', 'revenue')).toEqual(['a', 'b', 'c']);
  });

  it('searches name, title and audience, every word', () => {
    expect(ids('friday', 'newest')).toEqual(['a']);
    expect(ids('abandoned', 'newest')).toEqual(['b']);
    expect(ids('cart title', 'newest')).toEqual(['b']);
    expect(ids('nothing like this', 'newest')).toEqual([]);
  });
});

describe('segment "used by"', () => {
  const seg = (id: string, criteria: unknown[] = []) => ({ id, criteria }) as unknown as Segment;
  it('counts campaigns (not cancelled ones) and segments that refer to it', () => {
    const segments = [
      seg('s1'),
      seg('s2', [{ filter: 'in_segment', operator: 'is_member', value: 's1' }]),
      seg('s3', [{ match: 'any', criteria: [{ filter: 'in_segment', operator: 'is_not_member', value: 's1' }] }]),
    ];
    const campaigns = [
      item('a', 'A', '2026-11-01T00:00:00Z', { segmentId: 's1', status: 'sent' }),
      item('b', 'B', '2026-11-01T00:00:00Z', { segmentId: 's1', status: 'scheduled' }),
      item('c', 'C', '2026-11-01T00:00:00Z', { segmentId: 's1', status: 'cancelled' }),
      item('d', 'D', '2026-11-01T00:00:00Z', { segmentId: 's2', status: 'draft' }),
    ];
    const u = usage(segments, campaigns);
    expect(u.get('s1')).toEqual({ campaigns: 2, live: 1, segments: 2 });
    expect(u.get('s2')).toEqual({ campaigns: 1, live: 1, segments: 0 });
    expect(u.get('s3')).toEqual({ campaigns: 0, live: 0, segments: 0 });
  });
});

describe('a sent campaign that reached nobody', () => {
  it('is not badged "Sent" and says why', () => {
    const capped = { status: 'sent' as const, progress: progress({ targeted: 583, suppressed: 583, by: { frequencyCap: 583 } }) };
    expect(nothingSent(capped)).toBe(true);
    expect(nothingSentWords(capped)).toBe('Nothing sent: all 583 held by the frequency cap');
    const empty = { status: 'sent' as const, progress: progress({}) };
    expect(nothingSentWords(empty)).toBe('Nothing sent: no device matched the audience at send time');
    expect(nothingSent({ status: 'sent', progress: progress({ targeted: 5, sent: 1 }) })).toBe(false);
    expect(nothingSent({ status: 'scheduled', progress: progress({}) })).toBe(false);
  });
});
