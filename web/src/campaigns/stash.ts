/**
 * The composer's half-written campaign, kept in this tab's sessionStorage while the merchant goes off to
 * create (or edit) a segment, and handed back when they return — with the new segment selected.
 *
 * Why the browser and not a saved `draft`: a half-written campaign is often not valid yet (no name, no
 * title), saving it would fail or plant a campaign the merchant never asked for in everyone's list; the
 * tab's storage survives a reload, is gone with the tab, and is never seen by other users.
 */
import type { Draft } from './draft';

const KEY = 'engage.composer-stash';
const MAX_AGE_MS = 24 * 3_600_000;

interface Stash {
  tenant: string;
  /** The campaign being edited, null for a new one. */
  campaignId: string | null;
  draft: Draft;
  /** When it was kept (ms): a draft left for over a day is dropped rather than sprung on the merchant. */
  at: number;
  /** Set by the segment editor when the merchant saved a segment to use. */
  segmentId?: string;
}

const read = (): Stash | null => {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Stash) : null;
  } catch {
    return null;
  }
};

export function stashDraft(tenant: string, campaignId: string | null, draft: Draft): void {
  sessionStorage.setItem(KEY, JSON.stringify({ tenant, campaignId, draft, at: Date.now() } satisfies Stash));
}

/** The segment editor saved `segmentId` for the waiting composer. */
export function chooseSegmentInStash(segmentId: string): void {
  const s = read();
  if (s) sessionStorage.setItem(KEY, JSON.stringify({ ...s, segmentId }));
}

/** Whether a composer is waiting for a segment (the editor then offers "back to the campaign"). */
export const hasStash = (): boolean => read() !== null;

/** The kept draft for this composer (removed from storage), with the chosen segment applied; null when none. */
export function takeStash(tenant: string, campaignId: string | null): { draft: Draft; segmentChosen: boolean } | null {
  const s = read();
  if (!s || s.tenant !== tenant || s.campaignId !== campaignId) return null;
  sessionStorage.removeItem(KEY);
  if (!(Date.now() - s.at < MAX_AGE_MS)) return null;
  return { draft: s.segmentId ? { ...s.draft, segmentId: s.segmentId } : s.draft, segmentChosen: !!s.segmentId };
}
