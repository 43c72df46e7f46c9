/**
 * The audience a launched campaign went to, from its launch snapshot (issue 16 item 4): the segment's name as
 * it was at launch, a link to the segment while it exists, "(segment since deleted)" once GET /v1/segments/{id}
 * answers 404. Deleting or renaming a segment never rewrites what a sent campaign shows.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { segmentsApi } from '../api/endpoints';
import type { Campaign } from '../api/types';
import { href } from '../lib/router';

type Existence = 'checking' | 'exists' | 'deleted' | 'unknown';

function useSegmentExistence(segmentId: string | null): Existence {
  const [state, setState] = useState<Existence>('checking');
  useEffect(() => {
    if (!segmentId) return;
    let stopped = false;
    setState('checking');
    segmentsApi.get(segmentId).then(
      () => !stopped && setState('exists'),
      // Only a 404 says "deleted"; any other failure leaves the name as it was at launch, without a link.
      (err: unknown) => !stopped && setState(err instanceof ApiError && err.status === 404 ? 'deleted' : 'unknown'),
    );
    return () => {
      stopped = true;
    };
  }, [segmentId]);
  return state;
}

/** The audience's name (snapshot first; before launch or on records without one, the campaign's segment). */
export function SnapshotAudience({ campaign, liveName }: { campaign: Pick<Campaign, 'audience' | 'segmentId'>; liveName?: string }) {
  const snap = campaign.audience;
  const segmentId = snap ? snap.segmentId : campaign.segmentId;
  const existence = useSegmentExistence(segmentId);
  if (!segmentId) return <span data-testid="snapshot-audience">All opted-in devices</span>;
  const name = snap?.segmentName ?? liveName ?? 'Segment';
  return (
    <span data-testid="snapshot-audience" data-segment-state={existence}>
      {existence === 'exists' ? <a href={href(`/segments/${encodeURIComponent(segmentId)}`)}>{name}</a> : <strong>{name}</strong>}
      {existence === 'deleted' && <span class="muted"> (segment since deleted)</span>}
      {snap && snap.criteria.length > 0 && (
        <span class="muted small">
          {' '}
          · at launch: {snap.criteria.length}{' '}
          {snap.criteria.length === 1 ? 'condition' : `conditions, ${snap.match === 'all' ? 'all' : 'any one'} required`}
        </span>
      )}
    </span>
  );
}
