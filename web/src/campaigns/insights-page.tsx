/** Insights of one campaign: delivery, suppression by reason, opens, conversions, revenue, per platform, over time. */
import { campaignsApi, settingsApi } from '../api/endpoints';
import type { Campaign, Insights, PlatformInsights } from '../api/types';
import { Banner, Loading, PageHeader, PageLoadError, StatusBadge, Table, type Column } from '../components/ui';
import { fmtDateTime, fmtInt, fmtMoney, fmtPct, relativeFromNow } from '../lib/format';
import { useAsync } from '../lib/use-async';
import { SnapshotAudience } from './audience-history';
import { nothingSent } from './describe';
import { InsightsChart } from './insights-chart';
import { CountingNote, isRunning, Stat, useRetryWhileCounting } from './insights-parts';
import { RecipientsCard } from './recipients-card';
import { isLive, useCampaignPoll } from './use-campaign-poll';
import { WAVE_STATUS_WORDS, waveRows } from './waves';
import { VariantsCard } from './variant-insights';
import { useEffect } from 'preact/hooks';

const PLATFORM_COLUMNS: Column[] = [
  { label: 'Platform' },
  { label: 'Sent' },
  { label: 'Opened' },
  { label: 'Open rate' },
  { label: 'Conv.' },
  { label: 'Revenue' },
];

function PlatformRow({ name, p }: { name: string; p: PlatformInsights }) {
  return (
    <tr>
      <th scope="row">{name}</th>
      <td data-label="Sent">{fmtInt(p.sent)}</td>
      <td data-label="Opened">{fmtInt(p.opened)}</td>
      <td data-label="Open rate">{fmtPct(p.openRate)}</td>
      <td data-label="Conversions">{fmtInt(p.conversions)}</td>
      <td data-label="Revenue">{fmtMoney(p.revenue)}</td>
    </tr>
  );
}

export function InsightsPage({ id }: { id: string }) {
  const loaded = useAsync(async () => {
    const [campaign, insights, zone] = await Promise.all([
      campaignsApi.get(id),
      campaignsApi.insights(id),
      settingsApi.get().then((s) => s.defaultTimezone),
    ]);
    return { campaign, insights, zone };
  }, [id]);
  const [campaign, , pollError] = useCampaignPoll(loaded.data?.campaign ?? null);
  // While it is still sending, refresh the numbers with each progress update.
  useEffect(() => {
    if (campaign && loaded.data && campaign.updatedAt !== loaded.data.campaign.updatedAt && isLive(loaded.data.campaign)) loaded.reload();
  }, [campaign?.updatedAt]);
  useRetryWhileCounting(loaded.data !== undefined && isRunning(loaded.data.insights), loaded.reload, loaded.data);
  if (loaded.error) return <PageLoadError title="Campaign insights" what="Campaign insights" error={loaded.error} retry={loaded.reload} />;
  if (!loaded.data || !campaign) return <Loading />;
  const answer = loaded.data.insights;
  const header = (
    <>
      <PageHeader
        trail={[
          { label: 'Campaigns', path: '/campaigns' },
          { label: campaign.name, path: `/campaigns/${encodeURIComponent(id)}` },
        ]}
        title={
          <>
            Insights <StatusBadge status={campaign.status} nothingSent={nothingSent(campaign)} />
          </>
        }
        actions={
          <button type="button" class="btn" onClick={loaded.reload}>
            Refresh
          </button>
        }
      />
      {pollError && (
        <Banner kind="warning">
          <span data-testid="poll-error">Live updates paused ({pollError}); retrying…</span>
        </Banner>
      )}
    </>
  );
  if (isRunning(answer))
    return (
      <div class="insights">
        {header}
        <CountingNote />
      </div>
    );
  const i: Insights = answer;
  const sup = i.suppressed;
  const supTotal = sup.optedOut + sup.frequencyCap + sup.invalidToken + sup.timePassed;
  // The launch snapshot's window: changing the setting later never relabels (or recounts) a sent campaign.
  const windowHours = campaign.attributionWindowHours ?? i.attributionWindowHours;
  return (
    <div class="insights">
      {header}
      <p class="small" data-testid="insights-audience">
        Sent to <SnapshotAudience campaign={campaign} />
      </p>
      <p class="muted small" data-testid="insights-as-of">
        Figures as of {fmtDateTime(i.asOf)} ({relativeFromNow(i.asOf)}). Opens and purchases reported since then appear on refresh.
      </p>
      <div class="stats">
        <Stat id="sent" label="Sent" value={fmtInt(i.sent)} sub={`of ${fmtInt(i.targeted)} targeted`} />
        <Stat id="opened" label="Opened" value={fmtInt(i.opened)} sub={`${fmtPct(i.openRate)} open rate`} />
        <Stat id="conversions" label="Conversions" value={fmtInt(i.conversions)} sub={`${fmtPct(i.conversionRate, 2)} of sent`} />
        <Stat id="revenue" label="Revenue" value={fmtMoney(i.revenue)} sub={`within ${windowHours} h of opening`} />
      </div>
      <VariantsCard insights={i} windowHours={windowHours} />
      <div class="two-col even">
        <section class="card" aria-labelledby="delivery-title">
          <h2 id="delivery-title">Delivery</h2>
          <dl class="kv">
            <dt>Targeted</dt>
            <dd>{fmtInt(i.targeted)}</dd>
            <dt>Sent</dt>
            <dd>{fmtInt(i.sent)}</dd>
            {(i.heldOut ?? 0) > 0 && (
              <>
                <dt>Held out (control group)</dt>
                <dd data-testid="insights-held-out">{fmtInt(i.heldOut)}</dd>
              </>
            )}
            <dt>Failed</dt>
            <dd>{fmtInt(i.failed)}</dd>
            <dt>Suppressed</dt>
            <dd>{fmtInt(supTotal)}</dd>
            <dt class="indent">opted out</dt>
            <dd>{fmtInt(sup.optedOut)}</dd>
            <dt class="indent">frequency cap</dt>
            <dd>{fmtInt(sup.frequencyCap)}</dd>
            <dt class="indent">invalid token</dt>
            <dd>{fmtInt(sup.invalidToken)}</dd>
            {sup.timePassed > 0 && (
              <>
                <dt class="indent">time had passed in their zone</dt>
                <dd data-testid="insights-time-passed">{fmtInt(sup.timePassed)}</dd>
              </>
            )}
          </dl>
          <p class="muted small">
            Conversions count shoppers who opened the push and purchased within the {windowHours}-hour attribution window after their first
            open{campaign.attributionWindowHours !== null ? ' (the window in force when the campaign was launched)' : ''}.
          </p>
        </section>
        <section class="card table-card" aria-labelledby="platform-title">
          <h2 id="platform-title">By platform</h2>
          <Table columns={PLATFORM_COLUMNS} compact>
            <PlatformRow name="iOS" p={i.byPlatform.ios} />
            <PlatformRow name="Android" p={i.byPlatform.android} />
          </Table>
        </section>
      </div>
      <RecipientsByWave campaign={campaign} zone={loaded.data.zone} />
      <RecipientsCard campaignId={campaign.id} refreshKey={i.asOf} arms={!!campaign.variants || campaign.holdoutPercent > 0} />
      <section class="card" aria-labelledby="chart-title">
        <h2 id="chart-title">Opens and conversions over time</h2>
        {i.timeline.length > 0 ? (
          <InsightsChart timeline={i.timeline} until={i.asOf} />
        ) : (
          <p class="muted" data-testid="no-timeline">
            No data yet.
          </p>
        )}
      </section>
    </div>
  );
}

const WAVE_COLUMNS: Column[] = [{ label: 'Zones' }, { label: 'Goes out' }, { label: 'Status' }, { label: 'Devices' }];

/**
 * Recipients by wave: each wave's zones, time, status and the devices it reached (its targeted once
 * fired; the plan's count before). The per-device list is the Recipients card (recipients-card.tsx).
 */
function RecipientsByWave({ campaign, zone }: { campaign: Campaign; zone: string }) {
  const rows = waveRows(campaign.waves, zone, new Date());
  if (rows.length === 0) return null;
  const reached = new Map(campaign.waves.map((w) => [w.id, w.status === 'pending' ? null : w.targeted]));
  return (
    <section class="card table-card" aria-labelledby="recipients-title" data-testid="recipients-by-wave">
      <h2 id="recipients-title">Recipients by wave</h2>
      <Table columns={WAVE_COLUMNS} compact>
        {rows.map((r) => (
          <tr key={r.id} data-testid="recipients-wave">
            <th scope="row" title={r.allZones}>
              {r.zones}
            </th>
            <td data-label="Goes out">
              {r.merchantTime}
              {r.utcTime && <div class="muted small">{r.utcTime}</div>}
            </td>
            <td data-label="Status">{WAVE_STATUS_WORDS[r.status]}</td>
            <td data-label="Devices" class="num">
              {reached.get(r.id) !== null && reached.get(r.id) !== undefined
                ? fmtInt(reached.get(r.id))
                : r.devices !== null
                  ? `${fmtInt(r.devices)} planned`
                  : '—'}
            </td>
          </tr>
        ))}
      </Table>
      <p class="muted small table-note">
        Devices each wave went to (opted-out, capped and unreachable ones included); each device is listed under Recipients.
      </p>
    </section>
  );
}
