/**
 * An automation's insights (GET /v1/campaigns/{id}/insights): the campaign figures, accumulating while
 * it is active, and its timeline per day. Re-read when its sent count moves, and on Refresh.
 */
import { useMemo } from 'preact/hooks';
import { campaignsApi } from '../api/endpoints';
import type { DayPoint, Insights } from '../api/types';
import { LoadError, Loading } from '../components/ui';
import { fmtDateTime, fmtInt, fmtMoney, fmtPct } from '../lib/format';
import { useAsync } from '../lib/use-async';
import { CountingNote, isRunning, Stat, useRetryWhileCounting } from '../campaigns/insights-parts';
import { DayChart } from './day-chart';

/** The timeline's days, in order (an automation's timeline is per day; a campaign's hours are not shown here). */
export function dayPoints(timeline: Insights['timeline']): DayPoint[] {
  return (timeline as readonly Insights['timeline'][number][])
    .filter((p): p is DayPoint => 'day' in p)
    .sort((a, b) => a.day.localeCompare(b.day));
}

export function AutomationInsights({ id, sent }: { id: string; sent: number }) {
  const loaded = useAsync(() => campaignsApi.insights(id), [id, sent]);
  const counting = loaded.data !== undefined && isRunning(loaded.data);
  // Computed once per answer: a new array would redraw the chart on every render of the page.
  const days = useMemo(() => (loaded.data && !isRunning(loaded.data) ? dayPoints(loaded.data.timeline) : null), [loaded.data]);
  useRetryWhileCounting(counting, loaded.reload, loaded.data);
  const head = (
    <div class="card-head">
      <h2 id="aut-insights-title">Insights</h2>
      <button type="button" class="btn btn-sm" onClick={loaded.reload}>
        Refresh
      </button>
    </div>
  );
  let body;
  if (loaded.error) body = <LoadError what="Insights" error={loaded.error} retry={loaded.reload} />;
  else if (!loaded.data) body = <Loading />;
  else if (isRunning(loaded.data)) body = <CountingNote />;
  else {
    const i = loaded.data;
    body = (
      <>
        <p class="muted small" data-testid="insights-as-of">
          Since activation, as of {fmtDateTime(i.asOf)}. Sent counts pushes; opened and conversions count devices, with purchases within{' '}
          {i.attributionWindowHours} h of their first open.
        </p>
        <div class="stats">
          <Stat id="sent" label="Sent" value={fmtInt(i.sent)} sub={`${fmtInt(i.failed)} failed`} />
          <Stat id="opened" label="Opened" value={fmtInt(i.opened)} sub={`${fmtPct(i.openRate)} open rate`} />
          <Stat id="conversions" label="Conversions" value={fmtInt(i.conversions)} sub={`${fmtPct(i.conversionRate, 2)} of sent`} />
          <Stat id="revenue" label="Revenue" value={fmtMoney(i.revenue)} />
        </div>
        <h3 class="small muted">Per day (UTC)</h3>
        {days && days.length > 0 ? (
          <DayChart points={days} />
        ) : (
          <p class="muted" data-testid="no-timeline">
            Nothing sent yet: the chart fills in day by day.
          </p>
        )}
      </>
    );
  }
  return (
    <section class="card" aria-labelledby="aut-insights-title" data-testid="automation-insights">
      {head}
      {body}
    </section>
  );
}
