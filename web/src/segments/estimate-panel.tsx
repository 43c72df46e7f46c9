/** The live size of the segment being edited: matched / total, percent and the 5–50 % advice. */
import { fmtInt, fmtPercentValue } from '../lib/format';
import { Spinner } from '../components/ui';
import { adviceFor } from './advice';
import type { EstimateState } from './use-estimate';

interface Props {
  state: EstimateState;
  /** What the conditions still lack ("Enter a number of days"): no size is shown until they are complete. */
  missing: string[];
}

export function EstimatePanel({ state, missing }: Props) {
  const { estimate, pending, errorText } = state;
  const advice = estimate ? adviceFor(estimate.recommendation, estimate.matched) : null;
  const pct = estimate?.percent ?? 0;
  return (
    <section class="card estimate" aria-labelledby="estimate-title" aria-busy={pending}>
      <div class="estimate-head">
        <h2 id="estimate-title">Segment size</h2>
        {pending && <Spinner label="Updating estimate" />}
      </div>
      {missing.length > 0 ? (
        <div data-testid="estimate-incomplete">
          <p class="muted">Complete the conditions to see how many devices match:</p>
          <ul class="small">
            {Array.from(new Set(missing)).map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        </div>
      ) : estimate && estimate.status === 'succeeded' ? (
        <div class={`estimate-body ${pending ? 'stale' : ''}`} data-testid="estimate" aria-live="polite">
          <p class="estimate-number">
            <strong data-testid="estimate-matched">{fmtInt(estimate.matched)}</strong>
            <span> of {fmtInt(estimate.total)} opted-in devices</span>
          </p>
          <div class="meter" aria-hidden="true">
            <div class="meter-band" title="recommended 5–50 %" />
            <div class={`meter-fill tone-${advice?.tone ?? 'ok'}`} style={{ width: `${Math.min(100, pct)}%` }} />
          </div>
          <p class="estimate-pct" data-testid="estimate-percent">
            {fmtPercentValue(estimate.percent)} of subscribers
          </p>
          {advice && (
            <div class={`advice tone-${advice.tone}`} data-testid="estimate-advice" data-recommendation={estimate.recommendation}>
              <strong>{advice.title}.</strong> {advice.text}
            </div>
          )}
          {estimate.asOf && <p class="muted small">As of {new Date(estimate.asOf).toLocaleTimeString()}</p>}
        </div>
      ) : errorText ? (
        <p class="field-error" role="alert">
          {errorText}
        </p>
      ) : (
        <p class="muted">{pending ? 'Counting matching devices…' : 'Add conditions to narrow your audience.'}</p>
      )}
      <p class="muted small">We recommend segments of at least 5 % and at most 50 % of your subscribers.</p>
    </section>
  );
}
