/**
 * The composer's A/B test card (API.md v1.1 "Variants and a control group"): the switch, each variant's name
 * and share of the audience, "split evenly", and the control group, which works with or without variants.
 * The variant being edited is picked with {@link VariantPicker} (above the message fields and the preview).
 */
import { TextField } from '../components/field';
import { fmtInt } from '../lib/format';
import { isAbTest, type Draft } from './draft';
import {
  addVariant,
  evenWeights,
  MAX_HOLDOUT_PERCENT,
  MAX_VARIANTS,
  MIN_VARIANTS,
  removeVariant,
  startAbTest,
  stopAbTest,
  variantsWithErrors,
  weightSum,
} from './variants';

interface Props {
  draft: Draft;
  /** Changes the draft from its latest state (several keystrokes may land before a render). */
  update: (patch: (d: Draft) => Partial<Draft>) => void;
  errors: Record<string, string>;
  disabled: boolean;
  /** The variant on screen (its position). */
  selected: number;
  onSelect: (i: number) => void;
  /** Devices in the audience right now (the estimate), for "≈ 120 devices"; null while unknown. */
  audience: number | null;
}

export function AbTestCard({ draft, update, errors, disabled, selected, onSelect, audience }: Props) {
  const ab = isAbTest(draft);
  const variants = draft.variants ?? [];
  const sum = weightSum(variants);
  const holdout = Number((draft.holdoutPercent ?? '').trim() || 0);
  const holdoutOk = Number.isInteger(holdout) && holdout >= 0 && holdout <= MAX_HOLDOUT_PERCENT;
  const setVariant = (i: number, patch: { id?: string; weight?: string }) =>
    update((d) => ({ variants: (d.variants ?? []).map((v, j) => (j === i ? { ...v, ...patch } : v)) }));
  return (
    <fieldset class="card ab-card" disabled={disabled} data-testid="ab-test">
      <legend class="card-legend">A/B test and control group</legend>
      <label class="check ab-switch">
        <input
          type="checkbox"
          role="switch"
          checked={ab}
          data-testid="ab-switch"
          onChange={(e) => {
            const on = (e.target as HTMLInputElement).checked;
            update((d) => (on ? startAbTest(d) : stopAbTest(d, selected)));
            onSelect(0);
          }}
        />{' '}
        <span>
          <strong>A/B test</strong>: send {MIN_VARIANTS}–{MAX_VARIANTS} versions of the message and see which one sells more
        </span>
      </label>
      {ab && (
        <div class="variant-setup" data-testid="variant-setup">
          {variants.map((v, i) => (
            <div class="variant-row" key={i} data-testid="variant-row">
              <TextField
                id={`variant-${i}-id`}
                label={`Variant ${i + 1} name`}
                fieldClass="variant-name"
                maxLength={16}
                value={v.id}
                error={errors[`variants[${i}].id`]}
                onValue={(id) => setVariant(i, { id })}
              />
              <TextField
                id={`variant-${i}-weight`}
                label={`Variant ${i + 1} share (%)`}
                fieldClass="variant-weight"
                type="number"
                inputMode="numeric"
                min={1}
                max={99}
                step={1}
                value={v.weight}
                error={errors[`variants[${i}].weight`]}
                onValue={(weight) => setVariant(i, { weight })}
              />
              {!disabled && (
                <button
                  type="button"
                  class="icon-btn variant-remove"
                  aria-label={`Remove variant ${v.id || i + 1}`}
                  disabled={variants.length <= MIN_VARIANTS}
                  onClick={() => {
                    update((d) => ({ variants: removeVariant(d.variants ?? [], i) }));
                    onSelect(Math.max(0, Math.min(selected, variants.length - 2)));
                  }}
                >
                  ×
                </button>
              )}
            </div>
          ))}
          <div class="variant-actions">
            {!disabled && variants.length < MAX_VARIANTS && (
              <button
                type="button"
                class="btn btn-sm btn-ghost"
                onClick={() => {
                  update((d) => ({ variants: addVariant(d.variants ?? [], selected) }));
                  onSelect(variants.length);
                }}
              >
                + Add variant
              </button>
            )}
            {!disabled && (
              <button
                type="button"
                class="btn btn-sm btn-ghost"
                onClick={() =>
                  update((d) => ({ variants: (d.variants ?? []).map((v, i, all) => ({ ...v, weight: evenWeights(all.length)[i] })) }))
                }
              >
                Split evenly
              </button>
            )}
            <span class={`small ${sum === 100 ? 'muted' : 'field-error'}`} data-testid="variant-sum" aria-live="polite">
              Shares add up to {sum} %{sum === 100 ? '' : ': they must add up to 100 %'}
            </span>
          </div>
          {errors.variants && <p class="field-error">{errors.variants}</p>}
          <p class="hint">
            Each device gets one variant, at random in these shares, and keeps it if the campaign is sent again. Adding or removing a
            variant splits the shares evenly.
          </p>
        </div>
      )}
      <TextField
        id="holdout-percent"
        label="Control group (% of the audience)"
        fieldClass="holdout-field"
        type="number"
        inputMode="numeric"
        min={0}
        max={MAX_HOLDOUT_PERCENT}
        step={1}
        value={draft.holdoutPercent ?? '0'}
        error={errors.holdoutPercent}
        onValue={(holdoutPercent) => update(() => ({ holdoutPercent }))}
      />
      <p class="hint" data-testid="holdout-sentence">
        {holdoutOk && holdout > 0 ? (
          <>
            {holdout} % of the audience gets no push; their purchases show whether the push made a difference.
            {audience !== null && audience > 0 && <> That is about {fmtInt(Math.round((audience * holdout) / 100))} devices right now.</>}
          </>
        ) : (
          <>
            A control group gets no push; their purchases show whether the push made a difference (10 % is usual; up to{' '}
            {MAX_HOLDOUT_PERCENT} %). 0: everyone gets the push.
          </>
        )}
      </p>
    </fieldset>
  );
}

/** The variant on screen: the message fields and the phone preview show it (a marker flags one with errors). */
export function VariantPicker({
  ids,
  selected,
  onSelect,
  errors = {},
  label,
  testId,
}: {
  ids: readonly string[];
  selected: number;
  onSelect: (i: number) => void;
  errors?: Record<string, string>;
  label: string;
  testId: string;
}) {
  const bad = variantsWithErrors(errors);
  return (
    <div class="tabs variant-tabs" role="group" aria-label={label} data-testid={testId}>
      {ids.map((id, i) => (
        <button
          key={i}
          type="button"
          class={`tab ${i === selected ? 'on' : ''}`}
          aria-pressed={i === selected}
          data-variant={id}
          onClick={() => onSelect(i)}
        >
          Variant {id || i + 1}
          {bad.has(i) && (
            <span class="tab-error" title="This variant has errors">
              {' '}
              ⚠<span class="sr-only"> (has errors)</span>
            </span>
          )}
        </button>
      ))}
    </div>
  );
}
