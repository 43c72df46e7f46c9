/**
 * Product ids as removable chips plus a searchable box (an ARIA combobox): typing lists the
 * tenant's products whose id starts with the text, most viewed first, with their view counts.
 * Arrow keys move through the list, Enter picks (or adds the typed text as it is), Escape closes
 * the list; any id may still be typed, for products not seen lately. Comma or a paste of
 * "a, b, c" adds several; Backspace on an empty box removes the last chip.
 */
import { useState } from 'preact/hooks';
import { Chips, withTypedValues } from '../components/chip-input';
import { fmtInt } from '../lib/format';
import './product-picker.css';
import { useProductSearch } from './use-product-search';

interface Props {
  id: string;
  label: string;
  values: string[];
  onChange: (values: string[]) => void;
  describedBy?: string;
  invalid?: boolean;
}

export function ProductPicker({ id, label, values, onChange, describedBy, invalid }: Props) {
  const [text, setText] = useState('');
  const [focused, setFocused] = useState(false);
  const [open, setOpen] = useState(false);
  const [chosen, setActive] = useState(-1);
  const search = useProductSearch(text, focused);
  // An answer to earlier text stays useful while the new one loads, narrowed to what the box now says.
  const prefix = text.trim();
  const options = search.products.filter((p) => p.productId.startsWith(prefix) && !values.includes(p.productId));
  const shown = open && focused && options.length > 0;
  // A newer answer may list fewer products than the highlighted position.
  const active = chosen < options.length ? chosen : -1;
  const listId = `${id}-products`;
  const optionId = (i: number) => `${id}-product-${i}`;

  const add = (raw: string) => {
    const next = withTypedValues(values, raw);
    if (next) onChange(next);
    return next !== null;
  };
  const pick = (productId: string) => {
    if (!values.includes(productId)) onChange([...values, productId]);
    setText('');
    setActive(-1);
    setOpen(false);
  };
  const onInput = (value: string) => {
    if (/[,\n]/.test(value)) {
      add(value);
      setText('');
    } else setText(value);
    setActive(-1);
    setOpen(true);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (options.length === 0) return;
      e.preventDefault();
      if (!shown) {
        setOpen(true);
        setActive(e.key === 'ArrowDown' ? 0 : options.length - 1);
      } else if (e.key === 'ArrowDown') setActive((active + 1) % options.length);
      else setActive(active <= 0 ? options.length - 1 : active - 1);
    } else if (e.key === 'Enter') {
      if (shown && active >= 0) {
        e.preventDefault();
        pick(options[active].productId);
      } else if (text.trim() && add(text)) {
        e.preventDefault();
        setText('');
        setOpen(false);
      }
    } else if (e.key === 'Escape') {
      if (shown) {
        // Closes the list only, not a dialog around it.
        e.preventDefault();
        e.stopPropagation();
        setOpen(false);
        setActive(-1);
      }
    } else if (e.key === 'Backspace' && text === '' && values.length > 0) {
      onChange(values.slice(0, -1));
    }
  };

  const status =
    !focused || search.loading
      ? ''
      : search.error
        ? `Products could not be loaded (${search.error}); type to try again, or press Enter to add the id as typed`
        : shown
          ? `${options.length} product${options.length === 1 ? '' : 's'} found; use the arrow keys to choose`
          : search.answered === prefix && prefix !== '' && options.length === 0
            ? 'No product seen lately starts with this; press Enter to add it as typed'
            : '';

  return (
    <div class={`chips product-picker ${invalid ? 'invalid' : ''}`}>
      <Chips values={values} onChange={onChange} />
      <input
        id={id}
        type="text"
        class="chip-text"
        role="combobox"
        aria-label={label}
        aria-autocomplete="list"
        aria-expanded={shown ? 'true' : 'false'}
        aria-controls={listId}
        aria-activedescendant={shown && active >= 0 ? optionId(active) : undefined}
        aria-describedby={describedBy}
        aria-invalid={invalid ? 'true' : undefined}
        autoComplete="off"
        spellcheck={false}
        value={text}
        placeholder={values.length === 0 ? 'Search products or type an id' : ''}
        onInput={(e) => onInput((e.target as HTMLInputElement).value)}
        onKeyDown={onKeyDown}
        onFocus={() => {
          setFocused(true);
          setOpen(true);
        }}
        onBlur={() => {
          setFocused(false);
          setOpen(false);
          setActive(-1);
          if (text.trim() && add(text)) setText('');
        }}
      />
      <ul id={listId} role="listbox" aria-label={`${label}: products`} class="product-options" hidden={!shown}>
        {shown &&
          options.map((p, i) => (
            <li
              key={p.productId}
              id={optionId(i)}
              role="option"
              aria-selected={i === active ? 'true' : 'false'}
              class={`product-option ${i === active ? 'active' : ''}`}
              title={`${fmtInt(p.views)} views, ${fmtInt(p.favorites)} favourites, ${fmtInt(p.carts)} add-to-carts in the last 90 days`}
              // Keep the focus in the box: a click picks without blurring it (which would add the typed text).
              onMouseDown={(e) => e.preventDefault()}
              onMouseMove={() => setActive(i)}
              onClick={() => pick(p.productId)}
            >
              <span class="product-id">{p.productId}</span>
              <span class="product-views">
                {fmtInt(p.views)} {p.views === 1 ? 'view' : 'views'}
              </span>
            </li>
          ))}
      </ul>
      {focused && !search.loading && search.error && (
        // Seen, not only heard: an empty list must not pass for "no such product". The status below announces it.
        <div class="product-options product-search-error" aria-hidden="true" data-testid="product-search-error">
          {status}
        </div>
      )}
      <span class="sr-only" role="status" aria-live="polite">
        {status}
      </span>
    </div>
  );
}
