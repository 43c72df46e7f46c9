/**
 * Campaigns: status filter, search and sort, audience, schedule, live progress (rows poll while
 * scheduled/sending) and, for sent campaigns, open rate and revenue (GET /v1/campaigns?status=sent carries them).
 */
import { useMemo, useState } from 'preact/hooks';
import { campaignsApi, segmentsApi } from '../api/endpoints';
import type { Campaign, CampaignListItem, CampaignStatus, Segment } from '../api/types';
import { ListBody } from '../components/list-body';
import {
  Empty,
  LinkButton,
  LoadError,
  NoticeBanner,
  PageHeader,
  ProgressBar,
  StatusBadge,
  type Column,
  type Notice,
  ListTools,
} from '../components/ui';
import { fmtInt, fmtMoney, fmtPct } from '../lib/format';
import { href, navigate } from '../lib/router';
import { toast } from '../lib/toast';
import { useAsync } from '../lib/use-async';
import { describeWhen, nothingSent, nothingSentWords } from './describe';
import { filterAndSort, LIST_SORTS, type Figures, type SortKey } from './list-order';
import { duplicateErrorText } from './merchant-errors';
import { useCampaignPoll } from './use-campaign-poll';
import { titleOf } from './variant-words';

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
  { label: 'Open rate' },
  { label: 'Revenue' },
  { label: 'Actions', srOnly: true },
];

function Delivered({ c }: { c: Campaign }) {
  const p = c.progress;
  if (c.status === 'draft' || c.status === 'scheduled' || (c.status === 'cancelled' && p.targeted === 0))
    return <span class="muted">—</span>;
  if (nothingSent(c)) return <span class="small">{nothingSentWords(c)}</span>;
  return (
    <>
      {c.status === 'sending' && (
        <ProgressBar
          value={p.sent + p.failed + p.suppressed + (p.heldOut ?? 0)}
          max={Math.max(1, p.targeted)}
          label={`${c.name} progress`}
        />
      )}
      <span class="small">
        {fmtInt(p.sent)} / {fmtInt(p.targeted)}
      </span>
      {(p.heldOut ?? 0) > 0 && (
        <div class="muted small" data-testid="list-held-out">
          {fmtInt(p.heldOut ?? 0)} held out
        </div>
      )}
    </>
  );
}

/** "Duplicate" (a row action and on the campaign page): a new draft, opened in the composer. */
async function duplicate(c: Campaign, onError: (text: string) => void, setBusy: (b: boolean) => void) {
  setBusy(true);
  try {
    const copy = await campaignsApi.duplicate(c.id);
    toast('Copy created');
    navigate(`/campaigns/${encodeURIComponent(copy.id)}`);
  } catch (err) {
    onError(`“${c.name}”: ${duplicateErrorText(err)}`);
    setBusy(false);
  }
}

function Row({
  initial,
  audience,
  figures,
  onError,
}: {
  initial: Campaign;
  audience: string;
  figures?: Figures | null;
  onError: (text: string) => void;
}) {
  const [c] = useCampaignPoll(initial);
  const [busy, setBusy] = useState(false);
  if (!c) return null;
  // Rates of a campaign that reached nobody are not 0 %: there is nothing to rate.
  const sent = c.status === 'sent' && !nothingSent(c);
  return (
    <tr data-campaign={c.id} data-status={c.status}>
      <td data-label="Campaign">
        <a class="strong" href={href(`/campaigns/${encodeURIComponent(c.id)}`)}>
          {c.name}
        </a>
        <div class="muted small ellipsis">
          {c.variants && (
            <span class="pill tone-ab" title={`A/B test of ${c.variants.length} variants`} data-testid="ab-badge">
              A/B
            </span>
          )}{' '}
          {titleOf(c)}
        </div>
      </td>
      <td data-label="Status">
        <StatusBadge status={c.status} nothingSent={nothingSent(c)} />
      </td>
      <td data-label="Audience">{audience}</td>
      <td data-label="When" class="small">
        {describeWhen(c)}
      </td>
      <td data-label="Delivered" class="progress-cell">
        <Delivered c={c} />
      </td>
      <td data-label="Open rate" data-testid="open-rate" class="num">
        {sent && figures ? fmtPct(figures.openRate) : sent && figures === null ? <span class="muted small">counting…</span> : '—'}
      </td>
      <td data-label="Revenue" data-testid="revenue" class="num">
        {sent && figures ? fmtMoney(figures.revenue) : '—'}
      </td>
      <td class="actions">
        {c.status !== 'draft' && c.status !== 'scheduled' && (
          <a class="btn btn-sm" href={href(`/campaigns/${encodeURIComponent(c.id)}/insights`)} aria-label={`Insights for ${c.name}`}>
            Insights
          </a>
        )}
        <button
          type="button"
          class="btn btn-sm"
          disabled={busy}
          aria-label={`Duplicate ${c.name}`}
          onClick={() => void duplicate(c, onError, setBusy)}
        >
          {busy ? 'Duplicating…' : 'Duplicate'}
        </button>
      </td>
    </tr>
  );
}

export function CampaignListPage() {
  const [status, setStatus] = useState<CampaignStatus | ''>('');
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<SortKey>('newest');
  const [notice, setNotice] = useState<Notice | null>(null);
  const list = useAsync(async () => {
    // Segment names only label the Audience column: when they fail the campaigns still show, with a warning.
    // The sent list carries each campaign's headline figures; the other tabs borrow them from it.
    // Broadcasts only: automations have their own section (and are left out here even where the service ignores `kind`).
    const [all, sent, segments] = await Promise.all([
      campaignsApi.listAll(status || undefined, 'campaign'),
      status === '' ? campaignsApi.listAll('sent', 'campaign') : Promise.resolve([] as CampaignListItem[]),
      segmentsApi.listAll().then(
        (items) => ({ items, error: undefined as unknown }),
        (error: unknown) => ({ items: [] as Segment[], error }),
      ),
    ]);
    const items = all.filter((c) => c.kind !== 'automated');
    const figures = new Map([...sent, ...items].filter((c) => c.insights !== undefined).map((c) => [c.id, c.insights ?? null]));
    return { items, figures, segments: new Map(segments.items.map((s) => [s.id, s])), segmentsError: segments.error };
  }, [status]);
  const audienceOf = (c: CampaignListItem) => {
    const snap = (c as { audience?: { segmentName?: string | null } | null }).audience;
    if (!c.segmentId) return 'All opted-in devices';
    return list.data?.segments.get(c.segmentId)?.name ?? snap?.segmentName ?? 'Deleted segment';
  };
  const shown = useMemo(
    () =>
      list.data
        ? filterAndSort(list.data.items, query, sort, (c) => ({ audience: audienceOf(c), figures: list.data!.figures.get(c.id) }))
        : [],
    [list.data, query, sort],
  );
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
      <NoticeBanner notice={notice} onClose={() => setNotice(null)} />
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
      <ListTools
        noun="campaigns"
        placeholder="Search by name, title or audience"
        query={query}
        onQuery={setQuery}
        sort={sort}
        onSort={setSort}
        sorts={LIST_SORTS}
      />
      {list.data?.segmentsError !== undefined && (
        <LoadError kind="warning" what="Segment names" error={list.data.segmentsError} retry={list.reload} />
      )}
      <ListBody
        load={list}
        what="Campaigns"
        isEmpty={(d) => d.items.length === 0}
        empty={
          <Empty title={status ? `No ${status} campaigns` : 'No campaigns yet'}>
            <p class="muted">Send a push to a segment of your shoppers, now or on a schedule.</p>
            <LinkButton primary path="/campaigns/new">
              Create a campaign
            </LinkButton>
          </Empty>
        }
        shown={shown.length}
        noMatch={`No campaign matches “${query.trim()}”`}
        columns={COLUMNS}
      >
        {shown.map((c) => (
          <Row
            key={c.id}
            initial={c}
            audience={audienceOf(c)}
            figures={list.data!.figures.get(c.id)}
            onError={(text) => setNotice({ kind: 'error', node: <span data-testid="duplicate-error">{text}</span> })}
          />
        ))}
      </ListBody>
    </div>
  );
}
