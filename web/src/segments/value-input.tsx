/** The right input for each value type of the filter catalog. */
import type { ComponentChildren } from 'preact';
import type { ValueType } from '../api/types';
import { ChipInput } from '../components/chip-input';
import { countryName, FALLBACK_COUNTRIES } from '../lib/countries';
import { useBuilder } from './builder-context';
import { ProductPicker } from './product-picker';
import type { DraftValue } from './model';

interface Props {
  id: string;
  type: ValueType;
  value: DraftValue;
  onChange: (v: DraftValue) => void;
  label: string;
  error?: string;
  operator: string;
}

const str = (v: DraftValue) => (typeof v === 'string' ? v : '');

/** What sets one text-like input apart from another; `label` overrides the row's aria-label. */
interface InputAttrs {
  id?: string;
  class: string;
  type: 'text' | 'number' | 'date';
  min?: number;
  step?: number | 'any';
  inputMode?: 'numeric' | 'decimal';
  placeholder?: string;
  label?: string;
}

export function ValueInput({ id, type, value, onChange, label, error, operator }: Props) {
  const { catalog, segments } = useBuilder();
  const aria = { 'aria-invalid': error ? ('true' as const) : undefined, 'aria-describedby': error ? `${id}-error` : undefined };
  // The text-like inputs differ only in these attributes; all are labelled and wired to the row's error alike.
  const input = (
    { label: ariaLabel = label, type: inputType, ...attrs }: InputAttrs,
    v = str(value),
    onText: (text: string) => void = onChange,
  ) => (
    <input
      {...attrs}
      // Preact types an input's attributes by one literal `type`; InputAttrs keeps them to what fits each.
      type={inputType as 'text'}
      aria-label={ariaLabel}
      {...aria}
      value={v}
      onInput={(e) => onText((e.target as HTMLInputElement).value)}
    />
  );
  const select = (v: string, onPick: (picked: string) => void, options: ComponentChildren) => (
    <select id={id} class="input" aria-label={label} {...aria} value={v} onChange={(e) => onPick((e.target as HTMLSelectElement).value)}>
      {options}
    </select>
  );
  const list = Array.isArray(value) ? (value as string[]) : [];
  // What the pickers of several values (products, countries) are given alike.
  const listProps = { id, label, values: list, onChange, describedBy: aria['aria-describedby'], invalid: !!error };
  switch (type) {
    case 'none':
      return null;
    case 'days':
      return (
        <span class="inline-input">
          {input({ id, class: 'input num', type: 'number', min: 0, step: 1, inputMode: 'numeric' })}
          <span class="unit">{operator === 'more_than_days_ago' ? 'days ago' : 'days'}</span>
        </span>
      );
    case 'number':
      return input({ id, class: 'input num', type: 'number', step: 'any', inputMode: 'decimal' });
    case 'number_range': {
      const [lo, hi] = (Array.isArray(value) ? value : ['', '']) as [string, string];
      return (
        <span class="inline-input">
          {input({ id, class: 'input num', type: 'number', step: 'any', label: `${label}: minimum` }, lo, (t) => onChange([t, hi]))}
          <span class="unit">and</span>
          {input({ class: 'input num', type: 'number', step: 'any', label: `${label}: maximum` }, hi, (t) => onChange([lo, t]))}
        </span>
      );
    }
    case 'date': {
      const v = str(value);
      const dateOnly = v === '' || /^\d{4}-\d{2}-\d{2}$/.test(v);
      return input({ id, class: 'input', type: dateOnly ? 'date' : 'text' });
    }
    case 'boolean':
      return select(
        value === false ? 'false' : 'true',
        (v) => onChange(v === 'true'),
        <>
          <option value="true">yes</option>
          <option value="false">no</option>
        </>,
      );
    case 'product_ids':
      return <ProductPicker {...listProps} />;
    case 'countries': {
      const codes = catalog.countries.length > 0 ? catalog.countries : FALLBACK_COUNTRIES;
      const known = new Set(codes.map((c) => c.toUpperCase()));
      const byName = new Map(codes.map((c) => [countryName(c).toLowerCase(), c.toUpperCase()]));
      return (
        <ChipInput
          {...listProps}
          placeholder="Type a country or code"
          suggestions={codes.map((c) => ({ value: c.toUpperCase(), label: countryName(c) }))}
          chipLabel={(c) => `${countryName(c)} (${c})`}
          normalise={(raw) => {
            const t = raw.trim();
            if (!t) return null;
            if (known.has(t.toUpperCase())) return t.toUpperCase();
            return byName.get(t.toLowerCase()) ?? null;
          }}
        />
      );
    }
    case 'platforms': {
      const toggle = (p: string, on: boolean) => onChange(on ? [...list.filter((x) => x !== p), p] : list.filter((x) => x !== p));
      return (
        <fieldset class="checks" id={id} {...aria}>
          <legend class="sr-only">{label}</legend>
          {[
            ['ios', 'iOS'],
            ['android', 'Android'],
          ].map(([p, text]) => (
            <label key={p} class="check">
              <input type="checkbox" checked={list.includes(p)} onChange={(e) => toggle(p, (e.target as HTMLInputElement).checked)} />{' '}
              {text}
            </label>
          ))}
        </fieldset>
      );
    }
    case 'version':
      return input({ id, class: 'input ver', type: 'text', inputMode: 'decimal', placeholder: '5.2.0' });
    case 'segment':
      return select(
        str(value),
        onChange,
        <>
          <option value="">Choose a segment…</option>
          {segments.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </>,
      );
    default:
      return input({ id, class: 'input', type: 'text' });
  }
}
