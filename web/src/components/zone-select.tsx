/**
 * A time-zone picker: a search box over today's IANA names (outdated aliases such as Asia/Calcutta folded into
 * Asia/Kolkata, where they also match a search), each shown with its UTC offset ("UTC+05:30 Kolkata"), west to
 * east. A saved zone the list does not offer stays selectable. Enter in the search picks the first match.
 */
import { useMemo, useState } from 'preact/hooks';
import { searchZones, zoneOption, zoneOptions } from '../lib/time-zones';
import { described } from './field';

interface Props {
  id: string;
  value: string;
  onChange: (zone: string) => void;
  error?: string;
  /** Whether the <Field> around it shows a hint to point at. */
  hint?: boolean;
}

export function ZoneSelect({ id, value, onChange, error, hint }: Props) {
  const all = useMemo(() => zoneOptions(), []);
  const [query, setQuery] = useState('');
  const found = useMemo(() => searchZones(all, query), [all, query]);
  const current = all.find((o) => o.zone === value) ?? zoneOptionSafe(value);
  const list = found.some((o) => o.zone === value) ? found : [current, ...found];
  return (
    <div class="zone-select">
      <input
        id={`${id}-search`}
        class="input zone-search"
        type="search"
        placeholder="Search: a city or an offset, e.g. Kolkata, +05:30"
        aria-label="Search time zones"
        aria-controls={id}
        autocomplete="off"
        value={query}
        onInput={(e) => {
          const q = (e.target as HTMLInputElement).value;
          setQuery(q);
          const hits = searchZones(all, q);
          if (q.trim() && hits.length > 0 && !hits.some((o) => o.zone === value)) onChange(hits[0].zone);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') e.preventDefault();
        }}
      />
      <select
        id={id}
        class="input"
        value={value}
        {...described(id, error, hint)}
        data-testid={`${id}-select`}
        onChange={(e) => onChange((e.target as HTMLSelectElement).value)}
      >
        {list.map((o) => (
          <option key={o.zone} value={o.zone}>
            {o.label}
            {o.region ? ` · ${o.region}` : ''}
          </option>
        ))}
      </select>
      {query.trim() && found.length === 0 && <p class="small muted">No time zone matches “{query.trim()}”.</p>}
    </div>
  );
}

/** A saved zone this browser does not know still gets an entry (its name, no offset). */
function zoneOptionSafe(zone: string) {
  try {
    return zoneOption(zone);
  } catch {
    return { zone, offset: 0, label: zone, region: '', search: zone.toLowerCase() };
  }
}
