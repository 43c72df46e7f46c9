/** "Add a customer segment": pick a saved segment (or everyone opted in), see its size, create or edit one. */
import { useState } from 'preact/hooks';
import type { Segment } from '../api/types';
import { described, Field } from '../components/field';
import { fmtInt, fmtPercentValue } from '../lib/format';
import { href } from '../lib/router';
import { adviceFor } from '../segments/advice';
import type { EstimateState } from '../segments/use-estimate';
import { useSegmentSizes } from './segment-sizes';

interface Props {
  segments: Segment[];
  value: string;
  /** The live size of the selected audience (the composer's estimate, also shown in the launch review). */
  size: EstimateState;
  onChange: (id: string) => void;
  /** Go to a segment page ("/segments/new" or "/segments/{id}") keeping the half-written campaign. */
  onSegmentPage: (path: string) => void;
  error?: string;
  disabled: boolean;
}

export function AudiencePicker({ segments, value, size, onChange, onSegmentPage, error, disabled }: Props) {
  const est = size.estimate;
  const advice = est ? adviceFor(est.recommendation, est.matched) : null;
  // Sizes of every segment appear in the list once the merchant reaches for it (focus or pointer), not before.
  const [wanted, setWanted] = useState(false);
  const sizes = useSegmentSizes(
    segments.map((s) => s.id),
    wanted,
  );
  const go = (path: string) => (e: Event) => {
    e.preventDefault();
    onSegmentPage(path);
  };
  return (
    <fieldset class="card" disabled={disabled}>
      <legend class="card-legend">Audience</legend>
      <Field id="cmp-segment" label="Customer segment" error={error}>
        <select
          id="cmp-segment"
          class="input"
          value={value}
          {...described('cmp-segment', error)}
          onFocus={() => setWanted(true)}
          onPointerEnter={() => setWanted(true)}
          onChange={(e) => onChange((e.target as HTMLSelectElement).value)}
        >
          <option value="">All opted-in devices</option>
          {segments.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
              {sizes.has(s.id) ? ` (≈ ${fmtInt(sizes.get(s.id))} devices)` : ''}
            </option>
          ))}
        </select>
      </Field>
      <div class="audience-foot">
        <span class="small" data-testid="audience-size" aria-live="polite">
          {est ? (
            <>
              ≈ <strong>{fmtInt(est.matched)}</strong> devices{disabled ? ' in it now' : ''} ({fmtPercentValue(est.percent)} of subscribers)
              {value && advice && advice.tone !== 'ok' && <span class={`pill tone-${advice.tone}`}>{advice.title}</span>}
            </>
          ) : size.pending ? (
            'Counting…'
          ) : size.errorText ? (
            <span class="muted">Size unavailable: {size.errorText}</span>
          ) : null}
        </span>
        {/* A campaign that can no longer change has no segment to create or edit from here (its audience at launch is on the status card). */}
        {!disabled && (
          <span class="links small">
            {value && (
              <a href={href(`/segments/${encodeURIComponent(value)}`)} onClick={go(`/segments/${encodeURIComponent(value)}`)}>
                Edit segment
              </a>
            )}
            <a href={href('/segments/new')} onClick={go('/segments/new')}>
              + Create a segment
            </a>
          </span>
        )}
      </div>
    </fieldset>
  );
}
