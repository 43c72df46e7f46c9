/** Tenant settings: quiet hours, frequency cap, attribution window, default time zone, test devices (GET/PUT /v1/settings). */
import { useState } from 'preact/hooks';
import { ApiError, errorText } from '../api/client';
import { fieldErrors } from '../campaigns/merchant-errors';
import { ChipInput } from '../components/chip-input';
import { settingsApi } from '../api/endpoints';
import type { Settings } from '../api/types';
import { Field, TextField } from '../components/field';
import { Banner, PageData, PageHeader } from '../components/ui';
import { ZoneSelect } from '../components/zone-select';
import { toast } from '../lib/toast';
import { useAsync } from '../lib/use-async';
import { DEVICE_ID_PATTERN, MAX_TEST_DEVICES } from './test-devices';

/** A typed device id, or null when it cannot be one (the chip is not added; the hint says what fits). */
const deviceIdOf = (raw: string): string | null => {
  const id = raw.trim();
  return DEVICE_ID_PATTERN.test(id) ? id : null;
};

const QUIET_FIELDS = [
  { key: 'start', label: 'From' },
  { key: 'end', label: 'Until' },
] as const;

const CAP_FIELDS = [
  { key: 'maxPerDevice', id: 'cap-max', label: 'At most (pushes)', max: 100 },
  { key: 'windowHours', id: 'cap-window', label: 'Per (hours)', max: 720 },
] as const;

export function SettingsPage() {
  const loaded = useAsync(() => settingsApi.get(), []);
  return (
    <PageData load={loaded} title="Push settings" what="Settings">
      {(settings) => <SettingsForm initial={settings} />}
    </PageData>
  );
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
  const [testDevices, setTestDevices] = useState<string[]>(initial.testDevices ?? []);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [banner, setBanner] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

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
      testDevices,
    };
    try {
      await settingsApi.put(body);
      toast('Settings saved');
    } catch (err) {
      if (err instanceof ApiError && err.details.length > 0) {
        setErrors(fieldErrors(err.details));
        setBanner('Please fix the fields marked below.');
      } else setBanner(errorText(err));
    } finally {
      setSaving(false);
    }
  };
  const err = (p: string) => errors[p];
  // The server names a refused id by its index (testDevices[3]): shown inside that chip.
  const chipProblems = Object.fromEntries(
    testDevices.flatMap((id, i) => (errors[`testDevices[${i}]`] ? [[id, errors[`testDevices[${i}]`]]] : [])),
  );
  const testDevicesError =
    errors.testDevices ?? (Object.keys(chipProblems).length > 0 ? 'Remove or correct the marked device ids.' : undefined);
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
              {QUIET_FIELDS.map(({ key, label }) => (
                <TextField
                  key={key}
                  id={`quiet-${key}`}
                  label={label}
                  error={err(`quietHours.${key}`)}
                  type="time"
                  value={quiet[key]}
                  onValue={(v) => setQuiet({ ...quiet, [key]: v })}
                />
              ))}
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
              {CAP_FIELDS.map(({ key, id, label, max }) => (
                <TextField
                  key={key}
                  id={id}
                  label={label}
                  error={err(`frequencyCap.${key}`)}
                  class="input num"
                  type="number"
                  min={1}
                  max={max}
                  value={cap[key]}
                  onValue={(v) => setCap({ ...cap, [key]: v })}
                />
              ))}
            </div>
          )}
        </section>
        <section class="card" aria-labelledby="attr-title">
          <h2 id="attr-title">Attribution</h2>
          <TextField
            id="attr-hours"
            label="Attribution window (hours)"
            hint="A purchase counts as a conversion when it happens within this many hours after the shopper opened the push."
            error={err('attributionWindowHours')}
            class="input num"
            type="number"
            min={1}
            max={720}
            value={attribution}
            onValue={setAttribution}
          />
        </section>
        <section class="card" aria-labelledby="tz-title">
          <h2 id="tz-title">Default time zone</h2>
          <Field
            id="default-tz"
            label="Time zone"
            hint="Used for scheduling and for quiet hours of devices that report no time zone."
            error={err('defaultTimezone')}
          >
            <ZoneSelect id="default-tz" value={zone} error={err('defaultTimezone')} hint onChange={setZone} />
          </Field>
        </section>
        <section class="card" aria-labelledby="test-title" data-testid="test-devices-card">
          <h2 id="test-title">Test devices</h2>
          <Field
            id="test-devices"
            label={`Device ids (at most ${MAX_TEST_DEVICES})`}
            hint="Your own phones: “Send a test” on a campaign pushes to them. Find a phone’s device id in your app’s debug screen; press Enter after each."
            error={testDevicesError}
          >
            <ChipInput
              id="test-devices"
              label="Test device ids"
              values={testDevices}
              onChange={(v) => {
                setTestDevices(v.slice(0, MAX_TEST_DEVICES));
                setErrors(({ testDevices: _gone, ...rest }) =>
                  Object.fromEntries(Object.entries(rest).filter(([k]) => !k.startsWith('testDevices['))),
                );
              }}
              normalise={deviceIdOf}
              placeholder={testDevices.length >= MAX_TEST_DEVICES ? '' : 'd-0000123'}
              problems={chipProblems}
              invalid={!!testDevicesError}
              describedBy={testDevicesError ? 'test-devices-error' : 'test-devices-hint'}
            />
          </Field>
          {testDevices.length >= MAX_TEST_DEVICES && (
            <p class="small muted" data-testid="test-devices-full">
              {MAX_TEST_DEVICES} test devices is the most you can keep: remove one to add another.
            </p>
          )}
        </section>
      </div>
    </form>
  );
}
