/**
 * Sizes of saved segments for the audience picker: estimated one at a time, only when the merchant opens the
 * picker, and cached for 10 minutes per tab — opening the composer costs no estimate, and 50 segments
 * cost at most 50 cached queries a merchant every 10 minutes (an estimate is an Athena query on AWS).
 */
import { useEffect, useState } from 'preact/hooks';
import { runEstimate } from '../segments/use-estimate';

const TTL_MS = 10 * 60_000;
const cache = new Map<string, { matched: number; at: number }>();
let queue: Promise<unknown> = Promise.resolve();

/** The cached size of a segment, or undefined. */
export const cachedSize = (segmentId: string): number | undefined => {
  const hit = cache.get(segmentId);
  return hit && Date.now() - hit.at < TTL_MS ? hit.matched : undefined;
};

/** Sizes for `ids` once `active` turns true (sequentially, cached); re-renders as each arrives. */
export function useSegmentSizes(ids: string[], active: boolean): Map<string, number> {
  const [, tick] = useState(0);
  const key = ids.join(',');
  useEffect(() => {
    if (!active) return;
    const ctrl = new AbortController();
    for (const id of ids) {
      if (cachedSize(id) !== undefined) continue;
      queue = queue.then(async () => {
        if (ctrl.signal.aborted || cachedSize(id) !== undefined) return;
        try {
          const est = await runEstimate({ segmentId: id }, ctrl.signal);
          if (est.status === 'succeeded') {
            cache.set(id, { matched: est.matched, at: Date.now() });
            tick((n) => n + 1);
          }
        } catch {
          // A size that cannot be counted is simply not shown.
        }
      });
    }
    return () => ctrl.abort();
  }, [key, active]);
  return new Map(ids.flatMap((id) => (cachedSize(id) === undefined ? [] : [[id, cachedSize(id)!] as [string, number]])));
}
