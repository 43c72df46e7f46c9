/** "Used by" of the segment list: which campaigns and segments refer to each segment (pure). */
import type { CampaignListItem, Criterion, Segment } from '../api/types';

/** Ids of the segments a definition refers to (in_segment conditions, at any depth). */
function referencedSegments(criteria: Criterion[]): string[] {
  return criteria.flatMap((c) =>
    'criteria' in c ? referencedSegments(c.criteria) : c.filter === 'in_segment' && typeof c.value === 'string' ? [c.value] : [],
  );
}

/** Per segment id: the campaigns (not cancelled) and segments that use it. */
export function usage(
  segments: Segment[],
  campaigns: CampaignListItem[],
): Map<string, { campaigns: number; live: number; segments: number }> {
  const out = new Map(segments.map((s) => [s.id, { campaigns: 0, live: 0, segments: 0 }]));
  for (const c of campaigns) {
    const u = c.segmentId ? out.get(c.segmentId) : undefined;
    if (!u || c.status === 'cancelled') continue;
    u.campaigns++;
    if (c.status === 'draft' || c.status === 'scheduled' || c.status === 'sending') u.live++;
  }
  for (const s of segments) for (const id of new Set(referencedSegments(s.criteria))) if (out.has(id)) out.get(id)!.segments++;
  return out;
}
