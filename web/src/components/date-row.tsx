/** One dated line of a `<dl class="kv">`. */
import { fmtDateTime } from '../lib/format';

/** "Launched 28 Nov, 10:00" as a `<dt>`/`<dd>` pair; nothing when there is no date yet. */
export function DateRow({ label, at }: { label: string; at: string | null }) {
  if (!at) return null;
  return (
    <>
      <dt>{label}</dt>
      <dd>{fmtDateTime(at)}</dd>
    </>
  );
}
