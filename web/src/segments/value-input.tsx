/** The right input for each value type of the filter catalog. */
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

export function ValueInput({ id, type, value, onChange, label, error, operator }: Props) {
  const { catalog, segments } = useBuilder();
  const aria = { 'aria-invalid': error ? ('true' as const) : undefined, 'aria-describedby': error ? `${id}-error` : undefined };
  switch (type) {
    case 'none':
      return null;
    case 'days':
      return (
        <span class="inline-input">
          <input
            id={id}
            class="input num"
            type="number"
            min={0}
            step={1}
            inputMode="numeric"
            aria-label={label}
            {...aria}
            value={str(value)}
            onInput={(e) => onChange((e.target as HTMLInputElement).value)}
          />
          <span class="unit">{operator === 'more_than_days_ago' ? 'days ago' : 'days'}</span>
        </span>
      );
    case 'number':
      return (
        <input
          id={id}
          class="input num"
          type="number"
          step="any"
          inputMode="decimal"
          aria-label={label}
          {...aria}
          value={str(value)}
          onInput={(e) => onChange((e.target as HTMLInputElement).value)}
        />
      );
    case 'number_range': {
      const [lo, hi] = (Array.isArray(value) ? value : ['', '']) as [string, string];
      return (
        <span class="inline-input">
          <input
            id={id}
            class="input num"
            type="number"
            step="any"
            aria-label={`${label}: minimum`}
            {...aria}
            value={lo}
            onInput={(e) => onChange([(e.target as HTMLInputElement).value, hi])}
          />
          <span class="unit">and</span>
          <input
            class="input num"
            type="number"
            step="any"
            aria-label={`${label}: maximum`}
            {...aria}
            value={hi}
            onInput={(e) => onChange([lo, (e.target as HTMLInputElement).value])}
          />
        </span>
      );
    }
    case 'date': {
      const v = str(value);
      const dateOnly = v === '' || /^\d{4}-\d{2}-\d{2}$/.test(v);
      const onInput = (e: Event) => onChange((e.target as HTMLInputElement).value);
      return dateOnly ? (
        <input id={id} class="input" type="date" aria-label={label} {...aria} value={v} onInput={onInput} />
      ) : (
        <input id={id} class="input" type="text" aria-label={label} {...aria} value={v} onInput={onInput} />
      );
    }
    case 'boolean':
      return (
        <select
          id={id}
          class="input"
          aria-label={label}
          {...aria}
          value={value === false ? 'false' : 'true'}
          onChange={(e) => onChange((e.target as HTMLSelectElement).value === 'true')}
        >
          <option value="true">yes</option>
          <option value="false">no</option>
        </select>
      );
    case 'product_ids':
      return (
        <ProductPicker
          id={id}
          label={label}
          values={Array.isArray(value) ? (value as string[]) : []}
          onChange={onChange}
          describedBy={aria['aria-describedby']}
          invalid={!!error}
        />
      );
    case 'countries': {
      const codes = catalog.countries.length > 0 ? catalog.countries : FALLBACK_COUNTRIES;
      const known = new Set(codes.map((c) => c.toUpperCase()));
      const byName = new Map(codes.map((c) => [countryName(c).toLowerCase(), c.toUpperCase()]));
      return (
        <ChipInput
          id={id}
          label={label}
          values={Array.isArray(value) ? (value as string[]) : []}
          onChange={onChange}
          placeholder="Type a country or code"
          suggestions={codes.map((c) => ({ value: c.toUpperCase(), label: countryName(c) }))}
          chipLabel={(c) => `${countryName(c)} (${c})`}
          normalise={(raw) => {
            const t = raw.trim();
            if (!t) return null;
            if (known.has(t.toUpperCase())) return t.toUpperCase();
            return byName.get(t.toLowerCase()) ?? null;
          }}
          describedBy={aria['aria-describedby']}
          invalid={!!error}
        />
      );
    }
    case 'platforms': {
      const list = Array.isArray(value) ? (value as string[]) : [];
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
      return (
        <input
          id={id}
          class="input ver"
          type="text"
          inputMode="decimal"
          placeholder="5.2.0"
          aria-label={label}
          {...aria}
          value={str(value)}
          onInput={(e) => onChange((e.target as HTMLInputElement).value)}
        />
      );
    case 'segment':
      return (
        <select
          id={id}
          class="input"
          aria-label={label}
          {...aria}
          value={str(value)}
          onChange={(e) => onChange((e.target as HTMLSelectElement).value)}
        >
          <option value="">Choose a segment…</option>
          {segments.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      );
    default:
      return (
        <input
          id={id}
          class="input"
          type="text"
          aria-label={label}
          {...aria}
          value={str(value)}
          onInput={(e) => onChange((e.target as HTMLInputElement).value)}
        />
      );
  }
}
