/** Automations: name, trigger in words, status, sent, open rate and conversions; search and sort; "+ New automation". */
import { useMemo, useState } from 'preact/hooks';
import { campaignsApi } from '../api/endpoints';
import type { CampaignListItem } from '../api/types';
import { ListBody } from '../components/list-body';
import { Empty, LinkButton, ListTools, PageHeader, StatusBadge, type Column } from '../components/ui';
import { fmtInt, fmtPct } from '../lib/format';
import { href } from '../lib/router';
import { useAsync } from '../lib/use-async';
import { filterAndSort, LIST_SORTS, type SortKey } from '../campaigns/list-order';
import { automationPath } from './automation-paths';
import { triggerInWords } from './trigger-words';

const COLUMNS: Column[] = [
  { label: 'Automation' },
  { label: 'Trigger' },
  { label: 'Status' },
  { label: 'Sent' },
  { label: 'Open rate' },
  { label: 'Conversions' },
];

/** Statuses an automation lists first: what is running, then what waits, then what is over. */
const ORDER = ['active', 'paused', 'draft', 'cancelled'];

export function AutomationListPage() {
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<SortKey>('newest');
  const list = useAsync(async () => {
    // With kind=automated each item carries its headline `insights` (null while the engine still counts: "—").
    const items = (await campaignsApi.listAll(undefined, 'automated')).filter((c) => c.kind === 'automated');
    return { items };
  }, []);
  const sentence = (c: CampaignListItem) => {
    const t = c.trigger;
    return t ? triggerInWords(t) : '—';
  };
  const shown = useMemo(() => {
    if (!list.data) return [];
    const found = filterAndSort(list.data.items, query, sort, (c) => ({
      audience: sentence(c),
      figures: c.insights,
    }));
    // Within the chosen order, running automations come first.
    return sort === 'newest' ? [...found].sort((a, b) => ORDER.indexOf(a.status) - ORDER.indexOf(b.status)) : found;
  }, [list.data, query, sort]);
  return (
    <div>
      <PageHeader
        title="Automations"
        actions={
          <LinkButton primary path="/automations/new">
            + New automation
          </LinkButton>
        }
      />
      <p class="muted small page-intro">
        Automated campaigns send one push to each device that meets their trigger — a cart reminder, a welcome, a win-back — for as long as
        they are active.
      </p>
      <ListTools
        noun="automations"
        placeholder="Search by name, title or trigger"
        query={query}
        onQuery={setQuery}
        sort={sort}
        onSort={setSort}
        sorts={LIST_SORTS}
      />
      <ListBody
        load={list}
        what="Automations"
        isEmpty={(d) => d.items.length === 0}
        empty={
          <Empty title="No automations yet">
            <p class="muted">Remind shoppers of their cart, welcome new ones, win back the quiet ones.</p>
            <LinkButton primary path="/automations/new">
              Create an automation
            </LinkButton>
          </Empty>
        }
        shown={shown.length}
        noMatch={`No automation matches “${query.trim()}”`}
        columns={COLUMNS}
      >
        {shown.map((c) => {
          const f = c.insights;
          const started = c.status !== 'draft';
          return (
            <tr key={c.id} data-automation={c.id} data-status={c.status}>
              <td data-label="Name">
                <a class="strong" href={href(automationPath(c.id))}>
                  {c.name}
                </a>
                <div class="muted small ellipsis">{c.message?.title}</div>
              </td>
              <td data-label="Trigger" class="small" data-testid="row-trigger">
                {sentence(c)}
              </td>
              <td data-label="Status">
                <StatusBadge status={c.status} />
              </td>
              <td data-label="Sent" class="num" data-testid="row-sent">
                {started ? fmtInt(c.progress.sent) : '—'}
              </td>
              <td data-label="Open rate" class="num" data-testid="open-rate">
                {started && f ? fmtPct(f.openRate) : '—'}
              </td>
              <td data-label="Conversions" class="num" data-testid="conversions">
                {started && f ? fmtInt(f.conversions) : '—'}
              </td>
            </tr>
          );
        })}
      </ListBody>
    </div>
  );
}
