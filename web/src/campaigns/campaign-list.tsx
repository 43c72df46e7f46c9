/** Campaigns: status filter, audience, schedule and live progress (rows poll while scheduled/sending). */
import { useState } from 'preact/hooks';
import { campaignsApi, segmentsApi } from '../api/endpoints';
import type { Campaign, CampaignStatus, Segment } from '../api/types';
import { Empty, LinkButton, Loading, LoadError, PageHeader, ProgressBar, StatusBadge, Table, type Column } from '../components/ui';
import { fmtInt } from '../lib/format';
import { href } from '../lib/router';
import { useAsync } from '../lib/use-async';
import { describeWhen } from './describe';
import { useCampaignPoll } from './use-campaign-poll';

const FILTERS: { value: CampaignStatus | ''; label: string }[] = [
  { value: '', label: 'All' },
  { value: 'draft', label: 'Drafts' },
  { value: 'scheduled', label: 'Scheduled' },
  { value: 'sending', label: 'Sending' },
  { value: 'sent', label: 'Sent' },
  { value: 'cancelled', label: 'Cancelled' },
];

const COLUMNS: Column[] = [
  { label: 'Campaign' },
  { label: 'Status' },
  { label: 'Audience' },
  { label: 'When' },
  { label: 'Sent' },
  { label: 'Actions', srOnly: true },
];

function Row({ initial, segments }: { initial: Campaign; segments: Map<string, Segment> }) {
  const [c] = useCampaignPoll(initial);
  if (!c) return null;
  const p = c.progress;
  const audience = c.segmentId ? (segments.get(c.segmentId)?.name ?? 'Segment') : 'All opted-in devices';
  return (
    <tr data-campaign={c.id} data-status={c.status}>
      <td data-label="Campaign">
        <a class="strong" href={href(`/campaigns/${encodeURIComponent(c.id)}`)}>
          {c.name}
        </a>
        <div class="muted small ellipsis">{c.message.title}</div>
      </td>
      <td data-label="Status">
        <StatusBadge status={c.status} />
      </td>
      <td data-label="Audience">{audience}</td>
      <td data-label="When" class="small">
        {describeWhen(c)}
      </td>
      <td data-label="Delivered" class="progress-cell">
        {c.status !== 'draft' ? (
          <>
            {c.status === 'sending' && (
              <ProgressBar value={p.sent + p.failed + p.suppressed} max={Math.max(1, p.targeted)} label={`${c.name} progress`} />
            )}
            <span class="small">
              {fmtInt(p.sent)} / {fmtInt(p.targeted)}
            </span>
          </>
        ) : (
          <span class="muted">—</span>
        )}
      </td>
      <td class="actions">
        {c.status !== 'draft' && (
          <a class="btn btn-sm" href={href(`/campaigns/${encodeURIComponent(c.id)}/insights`)} aria-label={`Insights for ${c.name}`}>
            Insights
          </a>
        )}
      </td>
    </tr>
  );
}

export function CampaignListPage() {
  const [status, setStatus] = useState<CampaignStatus | ''>('');
  const list = useAsync(async () => {
    // Segment names only label the Audience column: when they fail the campaigns still show, with a warning.
    const [page, segments] = await Promise.all([
      campaignsApi.list(status || undefined),
      segmentsApi.listAll().then(
        (items) => ({ items, error: undefined as unknown }),
        (error: unknown) => ({ items: [] as Segment[], error }),
      ),
    ]);
    const items = [...page.items].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    return { items, segments: new Map(segments.items.map((s) => [s.id, s])), segmentsError: segments.error };
  }, [status]);
  return (
    <div>
      <PageHeader
        title="Push campaigns"
        actions={
          <LinkButton primary path="/campaigns/new">
            + New campaign
          </LinkButton>
        }
      />
      <div class="tabs" role="tablist" aria-label="Filter by status">
        {FILTERS.map((f) => (
          <button
            key={f.value}
            type="button"
            role="tab"
            aria-selected={status === f.value}
            class={`tab ${status === f.value ? 'on' : ''}`}
            onClick={() => setStatus(f.value)}
          >
            {f.label}
          </button>
        ))}
      </div>
      {list.data?.segmentsError !== undefined && (
        <LoadError kind="warning" what="Segment names" error={list.data.segmentsError} retry={list.reload} />
      )}
      {list.error ? (
        <LoadError what="Campaigns" error={list.error} retry={list.reload} />
      ) : !list.data ? (
        <Loading />
      ) : list.data.items.length === 0 ? (
        <Empty title={status ? `No ${status} campaigns` : 'No campaigns yet'}>
          <p class="muted">Send a push to a segment of your shoppers, now or on a schedule.</p>
          <LinkButton primary path="/campaigns/new">
            Create a campaign
          </LinkButton>
        </Empty>
      ) : (
        <div class="card table-card">
          <Table columns={COLUMNS}>
            {list.data.items.map((c) => (
              <Row key={c.id} initial={c} segments={list.data!.segments} />
            ))}
          </Table>
        </div>
      )}
    </div>
  );
}
