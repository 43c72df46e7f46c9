/** The campaign's state while it lives: status, schedule, live progress and the allowed actions. */
import type { Campaign } from '../api/types';
import { DateRow } from '../components/date-row';
import { ProgressBar, StatusBadge } from '../components/ui';
import { fmtInt } from '../lib/format';
import { href } from '../lib/router';
import { useNow } from '../lib/use-now';
import { SnapshotAudience } from './audience-history';
import { describeSchedule, nothingSent, nothingSentWords } from './describe';
import { armsInWords } from './variant-words';
import { progressWords } from './waves';

/**
 * `pollError`: why the live refresh is failing (it keeps retrying), shown so stale numbers do not pass for live ones.
 * `merchantZone`: the tenant's default zone (a `now` wave's "next at" is read in it).
 */
export function StatusCard({ campaign, pollError, merchantZone }: { campaign: Campaign; pollError?: string | null; merchantZone: string }) {
  const now = useNow();
  const p = campaign.progress;
  const done = p.sent + p.failed + p.suppressed + (p.heldOut ?? 0);
  const words = progressWords(campaign, now, merchantZone, fmtInt);
  // The bar measures what is known: devices of waves still pending are not "targeted" yet, so they count towards the whole.
  const waiting = campaign.waves.filter((w) => w.status === 'pending').reduce((n, w) => n + (w.devices ?? 0), 0);
  return (
    <section class="card status-card" aria-labelledby="status-title" data-testid="status-card" data-status={campaign.status}>
      <div class="card-head">
        <h2 id="status-title">Status</h2>
        <StatusBadge status={campaign.status} nothingSent={nothingSent(campaign)} />
      </div>
      <dl class="kv">
        {campaign.launchedAt && (
          <>
            <dt>Audience</dt>
            <dd>
              <SnapshotAudience campaign={campaign} />
            </dd>
          </>
        )}
        <dt>Schedule</dt>
        <dd>{describeSchedule(campaign.schedule)}</dd>
        {(campaign.variants || campaign.holdoutPercent > 0) && (
          <>
            <dt>{campaign.variants ? 'A/B test' : 'Control group'}</dt>
            <dd data-testid="status-arms">{armsInWords(campaign)}</dd>
          </>
        )}
        <DateRow label={campaign.status === 'scheduled' ? 'Scheduled on' : 'Launched'} at={campaign.launchedAt} />
        <DateRow label="Completed" at={campaign.completedAt} />
      </dl>
      {nothingSent(campaign) ? (
        <p class="small" data-testid="nothing-sent">
          <strong>{nothingSentWords(campaign)}</strong>
        </p>
      ) : campaign.status === 'scheduled' && p.targeted === 0 && campaign.waves.length === 0 ? (
        <p class="small muted" data-testid="scheduled-note">
          Nothing has gone out yet: the audience is counted when each wave is sent.
        </p>
      ) : (
        campaign.status !== 'draft' && (
          <div class="progress-block" aria-live="polite">
            <ProgressBar value={done} max={Math.max(p.targeted + waiting, done)} label="Delivery progress" />
            <p class="small" data-testid="progress-line">
              <strong data-testid="progress-sent">{fmtInt(p.sent)}</strong>
              {words.line.slice(fmtInt(p.sent).length)}
            </p>
            {words.deferred && (
              <p class="small muted" data-testid="progress-deferred">
                {words.deferred}
              </p>
            )}
            {words.timePassed && (
              <p class="small muted" data-testid="progress-time-passed">
                {words.timePassed}
              </p>
            )}
          </div>
        )
      )}
      {campaign.error && <p class="field-error">{campaign.error}</p>}
      {pollError && (
        <p class="small field-error" role="status" data-testid="poll-error">
          Live updates paused ({pollError}); retrying…
        </p>
      )}
      {campaign.status !== 'draft' && campaign.status !== 'scheduled' && (
        <a class="btn btn-sm" href={href(`/campaigns/${encodeURIComponent(campaign.id)}/insights`)}>
          View insights
        </a>
      )}
    </section>
  );
}
