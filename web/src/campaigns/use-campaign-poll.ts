/** Live progress: re-reads GET /v1/campaigns/{id} every 2 s while it is scheduled or sending. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { campaignsApi } from '../api/endpoints';
import type { Campaign } from '../api/types';

export const POLL_MS = 2000;
export const isLive = (c: Campaign | null | undefined) => !!c && (c.status === 'sending' || c.status === 'scheduled');

export function useCampaignPoll(initial: Campaign | null, onUpdate?: (c: Campaign) => void): [Campaign | null, (c: Campaign | null) => void] {
  const [campaign, setCampaign] = useState<Campaign | null>(initial);
  const cb = useRef(onUpdate);
  cb.current = onUpdate;
  useEffect(() => setCampaign(initial), [initial]);
  const live = isLive(campaign);
  const id = campaign?.id;
  useEffect(() => {
    if (!live || !id) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const tick = async () => {
      try {
        const next = await campaignsApi.get(id);
        if (stopped) return;
        setCampaign(next);
        cb.current?.(next);
      } catch {
        // A missed poll is retried on the next tick.
      }
      if (!stopped) timer = setTimeout(tick, POLL_MS);
    };
    timer = setTimeout(tick, POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [live, id]);
  return [campaign, setCampaign];
}
