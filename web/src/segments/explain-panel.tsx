/** "Why is this device in?": GET /v1/segments/{id}/explain/{deviceId}, condition by condition. */
import { useState } from 'preact/hooks';
import { operatorLabel } from '../api/catalog';
import { errorText } from '../api/client';
import { segmentsApi } from '../api/endpoints';
import type { Catalog, CatalogFilter, Explanation } from '../api/types';
import { operatorType } from './model';
import { countryName } from '../lib/countries';
import { fmtDateTime } from '../lib/format';

function show(v: unknown, filter?: string): string {
  if (v === null || v === undefined) return 'none';
  if (Array.isArray(v))
    return v.length === 0 ? 'none' : v.map((x) => (filter === 'device_country' ? countryName(String(x)) : String(x))).join(', ');
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v)) return fmtDateTime(v);
  if (typeof v === 'string' && filter === 'device_country') return countryName(v);
  if (typeof v === 'number') return v.toLocaleString();
  return String(v);
}

interface Props {
  segmentId: string;
  catalog: Catalog;
  /** Device ids from the estimate's sample, offered as one-click examples. */
  sample?: string[];
  /** True when the editor holds unsaved edits (explain uses the saved definition). */
  dirty: boolean;
}

/** Whether the operator's value counts days ("in the last 7 days"). */
const isDays = (spec: CatalogFilter | undefined, op: string | null | undefined) => !!op && operatorType(spec, op) === 'days';

export function ExplainPanel({ segmentId, catalog, sample, dirty }: Props) {
  const [deviceId, setDeviceId] = useState('');
  const [result, setResult] = useState<Explanation | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (id = deviceId) => {
    if (!id.trim()) return;
    setDeviceId(id);
    setBusy(true);
    setError(null);
    try {
      setResult(await segmentsApi.explain(segmentId, id.trim()));
    } catch (err) {
      setResult(null);
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const label = (f: string) => catalog.filters.find((x) => x.filter === f)?.label ?? f;
  return (
    <section class="card explain" aria-labelledby="explain-title">
      <h2 id="explain-title">Why is this device in?</h2>
      <p class="muted small">Check one device against the saved conditions{dirty ? ' (save your edits first to check them)' : ''}.</p>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <label class="sr-only" for="explain-device">
          Device id
        </label>
        <input
          id="explain-device"
          class="input grow"
          type="text"
          placeholder="Device id"
          value={deviceId}
          onInput={(e) => setDeviceId((e.target as HTMLInputElement).value)}
        />
        <button class="btn" type="submit" disabled={busy || !deviceId.trim()}>
          Check
        </button>
      </form>
      {sample && sample.length > 0 && (
        <p class="small sample">
          Try:{' '}
          {sample.slice(0, 3).map((d) => (
            <button key={d} type="button" class="link-btn" onClick={() => void run(d)}>
              {d}
            </button>
          ))}
        </p>
      )}
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
      {result && (
        <div class="explain-result" data-testid="explain-result" aria-live="polite">
          <p class={`member ${result.member ? 'yes' : 'no'}`}>
            {result.member ? '✓ In the segment' : '✗ Not in the segment'}
            {result.optedIn === false && <span class="muted"> — this device is not opted in</span>}
          </p>
          <ul class="explain-list">
            {result.conditions.map((c, i) => {
              const spec = catalog.filters.find((x) => x.filter === c.filter);
              return (
                <li key={c.path ?? i} class={c.held ? 'held' : 'not-held'}>
                  <span class="mark" aria-label={c.held ? 'held' : 'did not hold'}>
                    {c.held ? '✓' : '✗'}
                  </span>
                  <span>
                    <strong>{label(c.filter)}</strong> {c.operator ? operatorLabel(spec, c.operator) : ''}{' '}
                    {c.value !== undefined && c.value !== null ? show(c.value, c.filter) : ''}
                    {c.value !== undefined && c.value !== null && isDays(spec, c.operator) ? ' days' : ''}
                    <span class="muted"> — actual: {show(c.actual, c.filter)}</span>
                  </span>
                </li>
              );
            })}
          </ul>
        </div>
      )}
    </section>
  );
}
