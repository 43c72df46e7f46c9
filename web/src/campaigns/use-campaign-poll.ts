/** Live progress: re-reads GET /v1/campaigns/{id} every 2 s while it is scheduled or sending. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { errorText } from '../api/client';
import { campaignsApi } from '../api/endpoints';
import type { Campaign } from '../api/types';

export const POLL_MS = 2000;
export const isLive = (c: Campaign | null | undefined) => !!c && (c.status === 'sending' || c.status === 'scheduled');

/** The campaign as last read, its setter, and why the last poll failed (null once one succeeds again). */
export function useCampaignPoll(
  initial: Campaign | null,
  onUpdate?: (c: Campaign) => void,
): [Campaign | null, (c: Campaign | null) => void, string | null] {
  const [campaign, setCampaign] = useState<Campaign | null>(initial);
  const [pollError, setPollError] = useState<string | null>(null);
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
        setPollError(null);
        cb.current?.(next);
      } catch (err) {
        // Retried on the next tick; meanwhile the page says its numbers are not live (not frozen in silence).
        if (!stopped) setPollError(errorText(err));
      }
      if (!stopped) timer = setTimeout(tick, POLL_MS);
    };
    timer = setTimeout(tick, POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
      setPollError(null);
    };
  }, [live, id]);
  return [campaign, setCampaign, pollError];
}
