/**
 * "Send a test" (issue 16 item 11): the campaign's message pushed now to the merchant's own phones — the test
 * devices of the settings, all checked; none saved yet → a link to Settings. POST /v1/campaigns/{id}/test never
 * changes the campaign's status, progress or insights, so this dialog works in any status but cancelled.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, errorText } from '../api/client';
import { campaignsApi } from '../api/endpoints';
import { fmtInt } from '../lib/format';
import { href } from '../lib/router';
import { toast } from '../lib/toast';
import { merchantMessage } from './merchant-errors';
import { testSendSummary } from './test-send-words';

interface Props {
  campaignId: string;
  testDevices: string[];
  /** A campaign with variants: their ids (every variant is pushed to each device, or the one picked). */
  variantIds?: string[] | null;
  onClose: () => void;
}

function failureWords(err: unknown): string {
  if (!(err instanceof ApiError)) return errorText(err);
  if (err.status === 409) return 'This campaign is cancelled: duplicate it to test its message.';
  if (err.details.length > 0) return err.details.map((d) => merchantMessage(d.path, d.message)).join(' · ');
  return err.message;
}

export function TestSendDialog({ campaignId, testDevices, variantIds, onClose }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const [checked, setChecked] = useState<string[]>(testDevices);
  /** '' = every variant. */
  const [variant, setVariant] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  const toggle = (id: string, on: boolean) => {
    setChecked((c) => (on ? testDevices.filter((x) => x === id || c.includes(x)) : c.filter((x) => x !== id)));
    setResult(null);
  };
  const send = async () => {
    setBusy(true);
    setResult(null);
    try {
      const r = await campaignsApi.testSend(campaignId, { deviceIds: checked, ...(variant ? { variantId: variant } : {}) });
      const text = testSendSummary(r, fmtInt);
      setResult({ ok: r.sent > 0, text });
      toast(r.sent > 0 ? 'Test sent' : 'Test not delivered', r.sent > 0 ? 'ok' : 'error');
    } catch (err) {
      setResult({ ok: false, text: failureWords(err) });
    } finally {
      setBusy(false);
    }
  };
  const none = testDevices.length === 0;
  return (
    <dialog ref={ref} class="modal" aria-labelledby="test-title" onClose={onClose} onCancel={onClose} data-testid="test-send-dialog">
      <h2 id="test-title">Send a test</h2>
      <div class="modal-body">
        {none ? (
          <p data-testid="no-test-devices">
            You have no test devices yet. Add your own phones’ device ids under <a href={href('/settings')}>Settings → Test devices</a>,
            then come back here.
          </p>
        ) : (
          <>
            <p class="muted small">
              The message goes out now to the phones you tick, marked as a test. It ignores the audience, the schedule, quiet hours and the
              frequency cap, and it does not count in this campaign’s figures.
            </p>
            <fieldset class="test-devices">
              <legend class="label">Test devices</legend>
              {testDevices.map((id) => (
                <label key={id} class="check">
                  <input
                    type="checkbox"
                    checked={checked.includes(id)}
                    onChange={(e) => toggle(id, (e.target as HTMLInputElement).checked)}
                  />{' '}
                  <code>{id}</code>
                </label>
              ))}
            </fieldset>
            <p class="small muted">
              <a href={href('/settings')}>Change test devices in Settings</a>
            </p>
            {variantIds && variantIds.length > 0 && (
              <div class="field" data-testid="test-send-variants">
                <div class="field-head">
                  <label for="test-variant">Variants to send</label>
                </div>
                <select
                  id="test-variant"
                  class="input"
                  value={variant}
                  aria-describedby="test-variant-hint"
                  onChange={(e) => {
                    setVariant((e.target as HTMLSelectElement).value);
                    setResult(null);
                  }}
                >
                  <option value="">Every variant ({variantIds.join(', ')}): one push each</option>
                  {variantIds.map((id) => (
                    <option key={id} value={id}>
                      Only variant {id}
                    </option>
                  ))}
                </select>
                <p class="hint" id="test-variant-hint">
                  {variant
                    ? `Each ticked phone gets variant ${variant}.`
                    : `Each ticked phone gets ${variantIds.length} notifications, one per variant, so you can see them all.`}
                </p>
              </div>
            )}
          </>
        )}
        {result && (
          <p class={`small ${result.ok ? '' : 'field-error'}`} role="status" data-testid="test-send-result">
            {result.text}
          </p>
        )}
      </div>
      <div class="modal-actions">
        <button type="button" class="btn" onClick={onClose}>
          {result ? 'Done' : 'Close'}
        </button>
        {!none && (
          <button type="button" class="btn btn-primary" disabled={busy || checked.length === 0} onClick={() => void send()}>
            {busy ? 'Sending…' : checked.length === 1 ? 'Send to 1 device' : `Send to ${fmtInt(checked.length)} devices`}
          </button>
        )}
      </div>
    </dialog>
  );
}
