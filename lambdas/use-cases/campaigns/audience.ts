/** The definition a campaign targets: its segment's current criteria (edits apply), or every opted-in device. */
import type { SegmentDefinition } from '../../domain/segments/criteria';
import { NotFoundError } from '../../domain/errors';
import type { SegmentStore } from '../../ports/segment-store';

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
