/** The campaign's state while it lives: status, schedule, live progress and the allowed actions. */
import type { Campaign } from '../api/types';
import { ProgressBar, StatusBadge } from '../components/ui';
import { fmtDateTime, fmtInt } from '../lib/format';
import { href } from '../lib/router';
import { describeSchedule } from './describe';

/** `pollError`: why the live refresh is failing (it keeps retrying), shown so stale numbers do not pass for live ones. */
export function StatusCard({ campaign, pollError }: { campaign: Campaign; pollError?: string | null }) {
  const p = campaign.progress;
  const done = p.sent + p.failed + p.suppressed;
  return (
    <section class="card status-card" aria-labelledby="status-title" data-testid="status-card" data-status={campaign.status}>
      <div class="card-head">
        <h2 id="status-title">Status</h2>
        <StatusBadge status={campaign.status} />
      </div>
      <dl class="kv">
        <dt>Schedule</dt>
        <dd>{describeSchedule(campaign.schedule)}</dd>
        {campaign.launchedAt && (
          <>
            <dt>Launched</dt>
            <dd>{fmtDateTime(campaign.launchedAt)}</dd>
          </>
        )}
        {campaign.completedAt && (
          <>
            <dt>Completed</dt>
            <dd>{fmtDateTime(campaign.completedAt)}</dd>
          </>
        )}
      </dl>
      {campaign.status !== 'draft' && (campaign.status !== 'scheduled' || p.targeted > 0) && (
        <div class="progress-block" aria-live="polite">
          <ProgressBar value={done} max={Math.max(p.targeted, done)} label="Delivery progress" />
          <p class="small">
            <strong data-testid="progress-sent">{fmtInt(p.sent)}</strong> sent of {fmtInt(p.targeted)} targeted
            {p.failed > 0 && <> · {fmtInt(p.failed)} failed</>}
            {p.suppressed > 0 && <> · {fmtInt(p.suppressed)} suppressed</>}
          </p>
        </div>
      )}
      {campaign.error && <p class="field-error">{campaign.error}</p>}
      {pollError && (
        <p class="small field-error" role="status" data-testid="poll-error">
          Live updates paused ({pollError}); retrying…
        </p>
      )}
      {campaign.status !== 'draft' && (
        <a class="btn btn-sm" href={href(`/campaigns/${encodeURIComponent(campaign.id)}/insights`)}>
          View insights
        </a>
      )}
    </section>
  );
}
