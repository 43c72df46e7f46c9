/**
 * The "Recipients" card of the insights page: the devices the campaign reached or held back, one row
 * each (GET /v1/campaigns/{id}/recipients), filtered by outcome, a page at a time ("Load more" follows
 * the cursor). Shows only what the API answers: no totals of its own (the figures above count them).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { campaignsApi } from '../api/endpoints';
import type { Recipient, RecipientFilter } from '../api/types';
import { Table, type Column } from '../components/ui';
import { fmtDateTime } from '../lib/format';

const PAGE_SIZE = 50;

const FILTERS: { value: RecipientFilter | null; label: string }[] = [
  { value: null, label: 'All' },
  { value: 'sent', label: 'Sent' },
  { value: 'opened', label: 'Opened' },
  { value: 'suppressed', label: 'Held back' },
  { value: 'failed', label: 'Failed' },
  { value: 'queued', label: 'Waiting' },
  { value: 'heldOut', label: 'Control group' },
];

const COLUMNS: Column[] = [{ label: 'Device' }, { label: 'Platform' }, { label: 'Wave' }, { label: 'Outcome' }, { label: 'Opened' }];
/** With variants or a control group: which arm each device is in. */
const ARM_COLUMNS: Column[] = [...COLUMNS.slice(0, 3), { label: 'Variant' }, ...COLUMNS.slice(3)];

const HELD_BACK_WORDS: Record<string, string> = {
  optedOut: 'push notifications turned off',
  frequencyCap: 'already had enough pushes (frequency cap)',
  invalidToken: 'app uninstalled or push token expired',
};

/** The outcome in the merchant's words. */
export function recipientOutcomeWords(r: Pick<Recipient, 'outcome' | 'reason'>): { label: string; detail: string | null } {
  switch (r.outcome) {
    case 'sent':
      return { label: 'Sent', detail: null };
    case 'suppressed':
      return { label: 'Not sent', detail: r.reason ? (HELD_BACK_WORDS[r.reason] ?? r.reason) : null };
    case 'failed':
      return { label: 'Failed', detail: r.reason ? `the push service refused it (${r.reason})` : 'the push service refused it' };
    case 'queued':
      return { label: 'Waiting to send', detail: 'queued (quiet hours or still sending)' };
    case 'heldOut':
      return { label: 'Held out', detail: 'control group: never pushed, purchases measured' };
  }
}

const PLATFORM_WORDS: Record<string, string> = { ios: 'iOS', android: 'Android' };

interface State {
  items: Recipient[];
  nextCursor: string | null;
  loading: boolean;
  error: string | null;
}

/**
 * `refreshKey`: the insights' `asOf`; when the figures are counted again the list is read again (from its first page).
 * `arms`: the campaign has variants or a control group (a Variant column and a Control group filter then show).
 */
export function RecipientsCard({ campaignId, refreshKey, arms = false }: { campaignId: string; refreshKey: string; arms?: boolean }) {
  const [filter, setFilter] = useState<RecipientFilter | null>(null);
  const [state, setState] = useState<State>({ items: [], nextCursor: null, loading: true, error: null });
  // Answers of an older filter (or page) that arrive late are ignored.
  const request = useRef(0);

  const load = async (cursor: string | null) => {
    const mine = ++request.current;
    setState((s) => ({ ...s, items: cursor ? s.items : [], loading: true, error: null }));
    try {
      const page = await campaignsApi.recipients(campaignId, filter, cursor, PAGE_SIZE);
      if (mine !== request.current) return;
      setState((s) => ({
        items: cursor ? [...s.items, ...page.items] : page.items,
        nextCursor: page.nextCursor,
        loading: false,
        error: null,
      }));
    } catch (err) {
      if (mine !== request.current) return;
      setState((s) => ({ ...s, loading: false, error: err instanceof Error ? err.message : String(err) }));
    }
  };

  useEffect(() => {
    void load(null);
  }, [campaignId, filter, refreshKey]);

  const { items, nextCursor, loading, error } = state;
  return (
    <section class="card table-card" aria-labelledby="recipient-list-title" data-testid="recipients">
      <h2 id="recipient-list-title">Recipients</h2>
      <div class="tabs" role="group" aria-label="Filter recipients by outcome">
        {FILTERS.filter((f) => arms || f.value !== 'heldOut').map((f) => (
          <button
            key={f.label}
            type="button"
            aria-pressed={filter === f.value}
            class={`tab ${filter === f.value ? 'on' : ''}`}
            data-testid={`recipients-filter-${f.value ?? 'all'}`}
            onClick={() => setFilter(f.value)}
          >
            {f.label}
          </button>
        ))}
      </div>
      {items.length > 0 && (
        <Table columns={arms ? ARM_COLUMNS : COLUMNS} compact>
          {items.map((r) => {
            const words = recipientOutcomeWords(r);
            return (
              <tr key={r.deviceId} data-testid="recipient-row" data-device={r.deviceId} data-outcome={r.outcome}>
                <th scope="row">{r.deviceId}</th>
                <td data-label="Platform">{r.platform ? (PLATFORM_WORDS[r.platform] ?? r.platform) : '—'}</td>
                <td data-label="Wave" class="small">
                  {r.waveId ?? '—'}
                </td>
                {arms && (
                  <td data-label="Variant" data-testid="recipient-variant">
                    {r.variant ?? (r.outcome === 'heldOut' ? 'Control' : '—')}
                  </td>
                )}
                <td data-label="Outcome">
                  {words.label}
                  {words.detail && <div class="muted small">{words.detail}</div>}
                </td>
                <td data-label="Opened" data-testid="recipient-opened">
                  {r.openedAt ? fmtDateTime(r.openedAt) : '—'}
                </td>
              </tr>
            );
          })}
        </Table>
      )}
      {!loading && !error && items.length === 0 && (
        <p class="muted" data-testid="recipients-empty">
          {filter === null ? 'No device has been reached or held back yet.' : 'No recipient with this outcome.'}
        </p>
      )}
      {error && (
        <p class="field-error" role="alert" data-testid="recipients-error">
          Could not load recipients ({error}).{' '}
          <button type="button" class="btn btn-sm" onClick={() => void load(items.length > 0 ? nextCursor : null)}>
            Try again
          </button>
        </p>
      )}
      {loading && <p class="muted small">Loading recipients…</p>}
      {!loading && !error && nextCursor && (
        <button type="button" class="btn" data-testid="recipients-more" onClick={() => void load(nextCursor)}>
          Load more
        </button>
      )}
      <p class="muted small table-note">
        One row per device, by device id; opens count pushes that were sent. Devices whose data was erased are not listed.
      </p>
    </section>
  );
}
