/** The 409 segment_in_use answer: who still refers to the segment, as links where we can. */
import { ApiError, errorText } from '../api/client';
import type { Notice } from '../components/ui';
import { href } from '../lib/router';

interface Ref {
  type?: string;
  kind?: string;
  id?: string;
  name?: string;
  status?: string;
}

/** Collects referrers from whatever arrays the error carries (referrers, campaigns, segments). */
export function referrersOf(err: ApiError): Ref[] {
  const out: Ref[] = [];
  for (const [key, v] of Object.entries(err.extra)) {
    if (!Array.isArray(v)) continue;
    const type = key === 'campaigns' ? 'campaign' : key === 'segments' ? 'segment' : undefined;
    for (const item of v) {
      if (typeof item === 'string') out.push({ type, id: item });
      else if (item && typeof item === 'object') out.push({ type, ...(item as Ref) });
    }
  }
  return out;
}

export function InUseMessage({ err }: { err: ApiError }) {
  const refs = referrersOf(err);
  return (
    <div data-testid="segment-in-use">
      <p>
        <strong>This segment is still in use and cannot be deleted.</strong> {err.message}
      </p>
      {refs.length > 0 && (
        <ul class="referrers">
          {refs.map((r, i) => {
            const type = r.type ?? r.kind ?? (r.id?.startsWith('seg') ? 'segment' : 'campaign');
            const link = r.id
              ? href(type === 'segment' ? `/segments/${encodeURIComponent(r.id)}` : `/campaigns/${encodeURIComponent(r.id)}`)
              : undefined;
            const text = r.name ?? r.id ?? 'unknown';
            return (
              <li key={r.id ?? i}>
                {type === 'segment' ? 'Segment' : 'Campaign'} {link ? <a href={link}>{text}</a> : text}
                {r.status ? <span class="muted"> ({r.status})</span> : null}
              </li>
            );
          })}
        </ul>
      )}
      <p class="small muted">Remove it from those first (or cancel / delete the campaigns), then try again.</p>
    </div>
  );
}

/** What to say when deleting a segment failed: who still uses it (409 segment_in_use), or else why. */
export function deleteFailure(err: unknown): Notice {
  return err instanceof ApiError && err.code === 'segment_in_use'
    ? { kind: 'warning', node: <InUseMessage err={err} /> }
    : { kind: 'error', node: errorText(err) };
}
