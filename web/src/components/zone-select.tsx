/** A time-zone picker over the browser's IANA zones; a saved zone the browser does not list stays selectable. */
import { useMemo } from 'preact/hooks';
import { timeZones } from '../lib/time-zones';
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
  const zones = useMemo(() => timeZones(), []);
  const list = zones.includes(value) ? zones : [value, ...zones];
  return (
    <select
      id={id}
      class="input"
      value={value}
      {...described(id, error, hint)}
      onChange={(e) => onChange((e.target as HTMLSelectElement).value)}
    >
      {list.map((z) => (
        <option key={z} value={z}>
          {z.replace(/_/g, ' ')}
        </option>
      ))}
    </select>
  );
}
