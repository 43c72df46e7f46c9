/** "Add a customer segment": pick a saved segment (or everyone opted in), see its size, create or edit one. */
import type { Segment } from '../api/types';
import { described, Field } from '../components/field';
import { fmtInt, fmtPercentValue } from '../lib/format';
import { href } from '../lib/router';
import { adviceFor } from '../segments/advice';
import { useEstimate } from '../segments/use-estimate';

interface Props {
  segments: Segment[];
  value: string;
  onChange: (id: string) => void;
  error?: string;
  disabled: boolean;
}

export function AudiencePicker({ segments, value, onChange, error, disabled }: Props) {
  const size = useEstimate(value ? { segmentId: value } : { match: 'all', criteria: [] }, 0);
  const est = size.estimate;
  const advice = est ? adviceFor(est.recommendation, est.matched) : null;
  return (
    <fieldset class="card" disabled={disabled}>
      <legend class="card-legend">Audience</legend>
      <Field id="cmp-segment" label="Customer segment" error={error}>
        <select
          id="cmp-segment"
          class="input"
          value={value}
          {...described('cmp-segment', error)}
          onChange={(e) => onChange((e.target as HTMLSelectElement).value)}
        >
          <option value="">All opted-in devices</option>
          {segments.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </Field>
      <div class="audience-foot">
        <span class="small" data-testid="audience-size" aria-live="polite">
          {est ? (
            <>
              ≈ <strong>{fmtInt(est.matched)}</strong> devices ({fmtPercentValue(est.percent)} of subscribers)
              {value && advice && advice.tone !== 'ok' && <span class={`pill tone-${advice.tone}`}>{advice.title}</span>}
            </>
          ) : size.pending ? (
            'Counting…'
          ) : size.errorText ? (
            <span class="muted">Size unavailable: {size.errorText}</span>
          ) : null}
        </span>
        <span class="links small">
          {value && <a href={href(`/segments/${encodeURIComponent(value)}`)}>Edit segment</a>}
          <a href={href('/segments/new')}>+ Create a segment</a>
        </span>
      </div>
    </fieldset>
  );
}
