/**
 * A list of short values as removable chips plus a text box: Enter or comma adds, a pasted
 * "a, b, c" adds all, Backspace on an empty box removes the last one. Optional suggestions
 * (a datalist) for picking from a known set, e.g. countries.
 */
import { useState } from 'preact/hooks';

/**
 * The values after adding what was typed or pasted ("a, b" or one per line), each normalised,
 * unacceptable ones and duplicates left out; null when the text held nothing to add.
 */
export function withTypedValues(
  values: readonly string[],
  raw: string,
  normalise: (raw: string) => string | null = (s) => s.trim() || null,
): string[] | null {
  const parts = raw
    .split(/[,\n]/)
    .map((p) => normalise(p))
    .filter((p): p is string => !!p);
  if (parts.length === 0) return null;
  const next = [...values];
  for (const p of parts) if (!next.includes(p)) next.push(p);
  return next;
}

/** The values as chips, each with its remove button. */
export function Chips({
  values,
  onChange,
  chipLabel = (v) => v,
  problems,
}: {
  values: string[];
  onChange: (values: string[]) => void;
  chipLabel?: (v: string) => string;
  /** What is wrong with a value, by value: that chip is marked and says why right inside it. */
  problems?: Record<string, string>;
}) {
  return (
    <>
      {values.map((v) => (
        <span class={`chip ${problems?.[v] ? 'chip-invalid' : ''}`} key={v} data-value={v}>
          {chipLabel(v)}
          {problems?.[v] && <span class="chip-problem">{problems[v]}</span>}
          <button
            type="button"
            class="chip-x"
            aria-label={`Remove ${chipLabel(v)}`}
            onClick={() => onChange(values.filter((x) => x !== v))}
          >
            ×
          </button>
        </span>
      ))}
    </>
  );
}

interface ChipInputProps {
  id: string;
  label: string;
  values: string[];
  onChange: (values: string[]) => void;
  placeholder?: string;
  /** Turns typed text into a value, or null when it is not acceptable. */
  normalise?: (raw: string) => string | null;
  suggestions?: { value: string; label: string }[];
  chipLabel?: (v: string) => string;
  describedBy?: string;
  invalid?: boolean;
  problems?: Record<string, string>;
}

export function ChipInput({
  id,
  label,
  values,
  onChange,
  placeholder,
  normalise = (s) => s.trim() || null,
  suggestions,
  chipLabel = (v) => v,
  describedBy,
  invalid,
  problems,
}: ChipInputProps) {
  const [text, setText] = useState('');
  const add = (raw: string) => {
    const next = withTypedValues(values, raw, normalise);
    if (next) onChange(next);
    return next !== null;
  };
  const onInput = (value: string) => {
    // A pick from the datalist arrives as a whole value: take it at once.
    if (suggestions && suggestions.some((s) => s.value === value || s.label === value)) {
      const hit = suggestions.find((s) => s.value === value || s.label === value)!;
      add(hit.value);
      setText('');
      return;
    }
    if (/[,\n]/.test(value)) {
      add(value);
      setText('');
      return;
    }
    setText(value);
  };
  const listId = suggestions ? `${id}-list` : undefined;
  return (
    <div class={`chips ${invalid ? 'invalid' : ''}`}>
      <Chips values={values} onChange={onChange} chipLabel={chipLabel} problems={problems} />
      <input
        id={id}
        type="text"
        class="chip-text"
        aria-label={label}
        aria-describedby={describedBy}
        aria-invalid={invalid ? 'true' : undefined}
        list={listId}
        value={text}
        placeholder={values.length === 0 ? placeholder : ''}
        onInput={(e) => onInput((e.target as HTMLInputElement).value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' || e.key === 'Tab') {
            if (text.trim() && add(text)) {
              e.preventDefault();
              setText('');
            }
          } else if (e.key === 'Backspace' && text === '' && values.length > 0) {
            onChange(values.slice(0, -1));
          }
        }}
        onBlur={() => {
          if (text.trim() && add(text)) setText('');
        }}
      />
      {suggestions && (
        <datalist id={listId}>
          {suggestions
            .filter((s) => !values.includes(s.value))
            .map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
        </datalist>
      )}
    </div>
  );
}
