/** Tenant settings: quiet hours, frequency cap, attribution window, default time zone (GET/PUT /v1/settings). */
import { useMemo, useState } from 'preact/hooks';
import { ApiError, errorText } from '../api/client';
import { settingsApi } from '../api/endpoints';
import type { Settings } from '../api/types';
import { described, Field } from '../components/field';
import { Banner, Loading, LoadError, PageHeader } from '../components/ui';
import { timeZones } from '../lib/time-zones';
import { toast } from '../lib/toast';
import { useAsync } from '../lib/use-async';

export function SettingsPage() {
  const loaded = useAsync(() => settingsApi.get(), []);
  if (loaded.error)
    return (
      <>
        <PageHeader title="Push settings" />
        <LoadError what="Settings" error={loaded.error} retry={loaded.reload} />
      </>
    );
  if (!loaded.data) return <Loading />;
  return <SettingsForm initial={loaded.data} />;
}

function SettingsForm({ initial }: { initial: Settings }) {
  const [quietOn, setQuietOn] = useState(initial.quietHours !== null);
  const [quiet, setQuiet] = useState(initial.quietHours ?? { start: '21:00', end: '08:00' });
  const [capOn, setCapOn] = useState(initial.frequencyCap !== null);
  const [cap, setCap] = useState({
    maxPerDevice: String(initial.frequencyCap?.maxPerDevice ?? 3),
    windowHours: String(initial.frequencyCap?.windowHours ?? 24),
  });
  const [attribution, setAttribution] = useState(String(initial.attributionWindowHours));
  const [zone, setZone] = useState(initial.defaultTimezone);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [banner, setBanner] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const zones = useMemo(() => timeZones(), []);

  const save = async (e: Event) => {
    e.preventDefault();
    setSaving(true);
    setErrors({});
    setBanner(null);
    const body: Settings = {
      quietHours: quietOn ? quiet : null,
      frequencyCap: capOn ? { maxPerDevice: Number(cap.maxPerDevice), windowHours: Number(cap.windowHours) } : null,
      attributionWindowHours: Number(attribution),
      defaultTimezone: zone,
    };
    try {
      await settingsApi.put(body);
      toast('Settings saved');
    } catch (err) {
      if (err instanceof ApiError && err.details.length > 0) {
        setErrors(Object.fromEntries(err.details.map((d) => [d.path, d.message])));
        setBanner('Please fix the fields marked below.');
      } else setBanner(errorText(err));
    } finally {
      setSaving(false);
    }
  };
  const err = (p: string) => errors[p];
  return (
    <form onSubmit={save} class="settings" noValidate>
      <PageHeader
        title="Push settings"
        actions={
          <button class="btn btn-primary" type="submit" disabled={saving}>
            {saving ? 'Saving…' : 'Save settings'}
          </button>
        }
      />
      {banner && <Banner onClose={() => setBanner(null)}>{banner}</Banner>}
      <div class="settings-grid">
        <section class="card" aria-labelledby="quiet-title">
          <h2 id="quiet-title">Quiet hours</h2>
          <p class="muted small">
            Pushes that would arrive during quiet hours wait until they end, in each shopper's own time zone. Nothing is dropped.
          </p>
          <label class="check switch">
            <input type="checkbox" checked={quietOn} onChange={(e) => setQuietOn((e.target as HTMLInputElement).checked)} /> Hold pushes
            during quiet hours
          </label>
          {quietOn && (
            <div class="row">
              <Field id="quiet-start" label="From" error={err('quietHours.start')}>
                <input
                  id="quiet-start"
                  class="input"
                  type="time"
                  value={quiet.start}
                  {...described('quiet-start', err('quietHours.start'))}
                  onInput={(e) => setQuiet({ ...quiet, start: (e.target as HTMLInputElement).value })}
                />
              </Field>
              <Field id="quiet-end" label="Until" error={err('quietHours.end')}>
                <input
                  id="quiet-end"
                  class="input"
                  type="time"
                  value={quiet.end}
                  {...described('quiet-end', err('quietHours.end'))}
                  onInput={(e) => setQuiet({ ...quiet, end: (e.target as HTMLInputElement).value })}
                />
              </Field>
            </div>
          )}
          {err('quietHours') && <p class="field-error">{err('quietHours')}</p>}
        </section>
        <section class="card" aria-labelledby="cap-title">
          <h2 id="cap-title">Frequency cap</h2>
          <p class="muted small">Too many pushes lead to opt-outs. Devices over the cap are skipped and counted as suppressed.</p>
          <label class="check switch">
            <input type="checkbox" checked={capOn} onChange={(e) => setCapOn((e.target as HTMLInputElement).checked)} /> Limit pushes per
            device
          </label>
          {capOn && (
            <div class="row">
              <Field id="cap-max" label="At most (pushes)" error={err('frequencyCap.maxPerDevice')}>
                <input
                  id="cap-max"
                  class="input num"
                  type="number"
                  min={1}
                  max={100}
                  value={cap.maxPerDevice}
                  {...described('cap-max', err('frequencyCap.maxPerDevice'))}
                  onInput={(e) => setCap({ ...cap, maxPerDevice: (e.target as HTMLInputElement).value })}
                />
              </Field>
              <Field id="cap-window" label="Per (hours)" error={err('frequencyCap.windowHours')}>
                <input
                  id="cap-window"
                  class="input num"
                  type="number"
                  min={1}
                  max={720}
                  value={cap.windowHours}
                  {...described('cap-window', err('frequencyCap.windowHours'))}
                  onInput={(e) => setCap({ ...cap, windowHours: (e.target as HTMLInputElement).value })}
                />
              </Field>
            </div>
          )}
        </section>
        <section class="card" aria-labelledby="attr-title">
          <h2 id="attr-title">Attribution</h2>
          <Field
            id="attr-hours"
            label="Attribution window (hours)"
            hint="A purchase counts as a conversion when it happens within this many hours after the shopper opened the push."
            error={err('attributionWindowHours')}
          >
            <input
              id="attr-hours"
              class="input num"
              type="number"
              min={1}
              max={720}
              value={attribution}
              {...described('attr-hours', err('attributionWindowHours'), true)}
              onInput={(e) => setAttribution((e.target as HTMLInputElement).value)}
            />
          </Field>
        </section>
        <section class="card" aria-labelledby="tz-title">
          <h2 id="tz-title">Default time zone</h2>
          <Field
            id="default-tz"
            label="Time zone"
            hint="Used for scheduling and for quiet hours of devices that report no time zone."
            error={err('defaultTimezone')}
          >
            <select
              id="default-tz"
              class="input"
              value={zone}
              {...described('default-tz', err('defaultTimezone'), true)}
              onChange={(e) => setZone((e.target as HTMLSelectElement).value)}
            >
              {(zones.includes(zone) ? zones : [zone, ...zones]).map((z) => (
                <option key={z} value={z}>
                  {z.replace(/_/g, ' ')}
                </option>
              ))}
            </select>
          </Field>
        </section>
      </div>
    </form>
  );
}
