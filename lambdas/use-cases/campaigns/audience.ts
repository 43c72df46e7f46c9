/** The definition a campaign targets: its segment's current criteria (edits apply), or every opted-in device. */
import type { SegmentDefinition } from '../../domain/segments/criteria';
import { NotFoundError } from '../../domain/errors';
import type { SegmentStore } from '../../ports/segment-store';
import { audienceSnapshot, type AudienceSnapshot } from '../../domain/campaigns/campaign-record';
import { loadReferenced } from '../segments/definitions';

export const ALL_DEVICES: SegmentDefinition = { match: 'all', criteria: [] };

export async function audienceDefinition(
  deps: { segments: SegmentStore },
  tenantId: string,
  segmentId: string | null,
): Promise<SegmentDefinition> {
  if (!segmentId) return ALL_DEVICES;
  const seg = await deps.segments.get(tenantId, segmentId);
  if (!seg) throw new NotFoundError('segment');
  return { match: seg.match, criteria: seg.criteria };
}

/** A campaign's audience as planning reads it, once: what the query compiles, and the launch snapshot of the same reads. */
export interface LoadedAudience {
  def: SegmentDefinition;
  /** The segments `def` reaches through in_segment, by id (what the compiler resolves them with). */
  segments: Map<string, SegmentDefinition>;
  /**
   * The launch snapshot (API.md v1.1): the segment as launched and every segment it references
   * (recursively), so a sent campaign's recorded audience keeps its meaning after those are edited
   * or deleted. Later waves still evaluate the segments when they fire; the snapshot is the history.
   */
  snapshot: AudienceSnapshot;
}

/** Read the campaign's segment and the segments it references; NotFoundError (404) for an unknown segment. */
export async function loadAudience(deps: { segments: SegmentStore }, tenantId: string, segmentId: string | null): Promise<LoadedAudience> {
  const segment = segmentId ? await deps.segments.get(tenantId, segmentId) : null;
  if (segmentId && !segment) throw new NotFoundError('segment');
  const def = segment ? { match: segment.match, criteria: segment.criteria } : ALL_DEVICES;
  const referenced = await loadReferenced(deps.segments, tenantId, def);
  return { def, segments: referenced, snapshot: audienceSnapshot(segment ?? null, referenced) };
}
