/** Segments: search and sort, size, what uses each one, edit, delete (409 segment_in_use shows who refers to it). */
import { useMemo, useState } from 'preact/hooks';
import { campaignsApi, segmentsApi } from '../api/endpoints';
import type { Segment } from '../api/types';
import { ConfirmDialog } from '../components/modal';
import { ListBody } from '../components/list-body';
import { Empty, LinkButton, ListTools, NoticeBanner, PageHeader, type Column, type Notice } from '../components/ui';
import { fmtDateTime, fmtInt, fmtPercentValue } from '../lib/format';
import { href } from '../lib/router';
import { toast } from '../lib/toast';
import { useAsync } from '../lib/use-async';
import { adviceFor } from './advice';
import { deleteFailure } from './referrers';
import { usage } from './usage';
import { useEstimate } from './use-estimate';

function countConditions(criteria: Segment['criteria']): number {
  return criteria.reduce((n, c) => n + ('criteria' in c ? countConditions(c.criteria) : 1), 0);
}

type SortKey = 'name' | 'updated' | 'used';
const SORTS: { value: SortKey; label: string }[] = [
  { value: 'name', label: 'Name A–Z' },
  { value: 'updated', label: 'Recently updated' },
  { value: 'used', label: 'Most used' },
];

const COLUMNS: Column[] = [
  { label: 'Name' },
  { label: 'Conditions' },
  { label: 'Size now' },
  { label: 'Used by' },
  { label: 'Updated', class: 'hide-sm' },
  { label: 'Actions', srOnly: true },
];

function SizeCell({ id }: { id: string }) {
  const { estimate, pending, errorText: err } = useEstimate({ segmentId: id }, 0);
  // Visible, with the reason on hover: a dash alone would pass for "no size".
  if (err)
    return (
      <span class="muted" title={err} data-testid="size-error">
        Size unavailable
      </span>
    );
  if (!estimate) return <span class="muted">{pending ? 'counting…' : '—'}</span>;
  const advice = adviceFor(estimate.recommendation, estimate.matched);
  return (
    <span class="size-cell">
      {fmtInt(estimate.matched)} <span class="muted">({fmtPercentValue(estimate.percent)})</span>
      {advice && advice.tone !== 'ok' && <span class={`pill tone-${advice.tone}`}>{advice.title}</span>}
    </span>
  );
}

function UsedBy({ use }: { use: { campaigns: number; live: number; segments: number } | undefined }) {
  if (!use) return <span class="muted">—</span>;
  const parts = [
    use.campaigns > 0
      ? `${use.campaigns} campaign${use.campaigns === 1 ? '' : 's'}${use.live > 0 ? ` (${use.live} not sent yet)` : ''}`
      : '',
    use.segments > 0 ? `${use.segments} segment${use.segments === 1 ? '' : 's'}` : '',
  ].filter(Boolean);
  return parts.length === 0 ? <span class="muted small">Not used</span> : <span class="small">{parts.join(' · ')}</span>;
}

export function SegmentListPage() {
  const list = useAsync(async () => {
    // "Used by" needs the campaigns; without them the segments still show, with the column empty.
    const [segments, campaigns] = await Promise.all([segmentsApi.listAll(), campaignsApi.listAll().catch(() => null)]);
    return { segments, uses: campaigns ? usage(segments, campaigns) : null };
  }, []);
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<SortKey>('name');
  const shown = useMemo(() => {
    if (!list.data) return [];
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    const found = list.data.segments.filter((s) => words.every((w) => `${s.name} ${s.description ?? ''}`.toLowerCase().includes(w)));
    const used = (s: Segment) => list.data!.uses?.get(s.id)?.campaigns ?? 0;
    const by: Record<SortKey, (a: Segment, b: Segment) => number> = {
      name: (a, b) => a.name.localeCompare(b.name),
      updated: (a, b) => b.updatedAt.localeCompare(a.updatedAt),
      used: (a, b) => used(b) - used(a) || a.name.localeCompare(b.name),
    };
    return [...found].sort(by[sort]);
  }, [list.data, query, sort]);
  const [deleting, setDeleting] = useState<Segment | null>(null);
  const [banner, setBanner] = useState<Notice | null>(null);
  const remove = async (s: Segment) => {
    setDeleting(null);
    try {
      await segmentsApi.remove(s.id);
      toast(`Segment “${s.name}” deleted`);
      list.reload();
    } catch (err) {
      setBanner(deleteFailure(err));
    }
  };
  return (
    <div>
      <PageHeader
        title="Customer segments"
        actions={
          <LinkButton primary path="/segments/new">
            + New segment
          </LinkButton>
        }
      />
      <NoticeBanner notice={banner} onClose={() => setBanner(null)} />
      <ListBody
        load={list}
        what="Segments"
        isEmpty={(d) => d.segments.length === 0}
        empty={
          <Empty title="No segments yet">
            <p class="muted">Target shoppers by app activity, purchases, product interest or country.</p>
            <LinkButton primary path="/segments/new">
              Create your first segment
            </LinkButton>
          </Empty>
        }
        tools={
          <ListTools
            noun="segments"
            placeholder="Search by name or description"
            query={query}
            onQuery={setQuery}
            sort={sort}
            onSort={setSort}
            sorts={SORTS}
          />
        }
        shown={shown.length}
        noMatch={`No segment matches “${query.trim()}”`}
        columns={COLUMNS}
      >
        {shown.map((s, i) => (
          <tr key={s.id}>
            <td data-label="Name">
              <a href={href(`/segments/${encodeURIComponent(s.id)}`)} class="strong">
                {s.name}
              </a>
              {s.description && <div class="muted small">{s.description}</div>}
            </td>
            <td data-label="Conditions">
              {countConditions(s.criteria)} · match {s.match.toUpperCase()}
            </td>
            <td data-label="Size">{i < 25 ? <SizeCell id={s.id} /> : <span class="muted">open to see</span>}</td>
            <td data-label="Used by" data-testid="used-by">
              <UsedBy use={list.data!.uses?.get(s.id)} />
            </td>
            <td data-label="Updated" class="hide-sm">
              {fmtDateTime(s.updatedAt)}
            </td>
            <td class="actions">
              <a class="btn btn-sm" href={href(`/segments/${encodeURIComponent(s.id)}`)} aria-label={`Edit ${s.name}`}>
                Edit
              </a>
              <button type="button" class="btn btn-sm btn-danger-ghost" aria-label={`Delete ${s.name}`} onClick={() => setDeleting(s)}>
                Delete
              </button>
            </td>
          </tr>
        ))}
      </ListBody>
      {deleting && (
        <ConfirmDialog
          title={`Delete “${deleting.name}”?`}
          confirmLabel="Delete segment"
          danger
          onConfirm={() => void remove(deleting)}
          onClose={() => setDeleting(null)}
        >
          <p>This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
