/** When to send: now, at one moment in a chosen zone, or at a wall-clock time in each recipient's zone. */
import { useMemo } from 'preact/hooks';
import { described, Field } from '../components/field';
import { timeZones, wallClockIn } from '../lib/time-zones';
import type { Draft, ScheduleType } from './draft';

interface Props {
  draft: Draft;
  set: (patch: Partial<Draft>) => void;
  errors: Record<string, string>;
  disabled: boolean;
}

const OPTIONS: { type: ScheduleType; title: string; text: string }[] = [
  { type: 'now', title: 'Send now', text: 'Starts as soon as you launch.' },
  { type: 'at', title: 'At a date and time', text: 'One moment, in the time zone you choose.' },
  {
    type: 'local',
    title: "In each recipient's local time",
    text: 'e.g. 9:00 wherever each shopper is. Devices without a time zone use the fallback.',
  },
];

function ZoneSelect({ id, value, onChange, error }: { id: string; value: string; onChange: (z: string) => void; error?: string }) {
  const zones = useMemo(() => timeZones(), []);
  const list = zones.includes(value) ? zones : [value, ...zones];
  return (
    <select id={id} class="input" value={value} {...described(id, error)} onChange={(e) => onChange((e.target as HTMLSelectElement).value)}>
      {list.map((z) => (
        <option key={z} value={z}>
          {z.replace(/_/g, ' ')}
        </option>
      ))}
    </select>
  );
}

export function ScheduleFields({ draft, set, errors, disabled }: Props) {
  const zone = draft.scheduleType === 'at' ? draft.timezone : draft.fallbackTimezone;
  const atError = errors['schedule.at'] ?? errors.schedule;
  const rateError = errors['sendRate.perMinute'] ?? errors.sendRate;
  return (
    <fieldset class="card" disabled={disabled}>
      <legend class="card-legend">Schedule</legend>
      <div class="radio-cards" role="radiogroup" aria-label="When to send">
        {OPTIONS.map((o) => (
          <label key={o.type} class={`radio-card ${draft.scheduleType === o.type ? 'on' : ''}`}>
            <input
              type="radio"
              name="schedule-type"
              value={o.type}
              checked={draft.scheduleType === o.type}
              onChange={() => set({ scheduleType: o.type })}
            />
            <span>
              <strong>{o.title}</strong>
              <span class="muted small">{o.text}</span>
            </span>
          </label>
        ))}
      </div>
      {draft.scheduleType !== 'now' && (
        <div class="schedule-when">
          <Field
            id="sched-at"
            label={draft.scheduleType === 'local' ? "Local date and time (each recipient's clock)" : 'Date and time'}
            error={atError}
          >
            <input
              id="sched-at"
              class="input"
              type="datetime-local"
              value={draft.at.slice(0, 16)}
              min={wallClockIn(zone, 0)}
              {...described('sched-at', atError)}
              onInput={(e) => set({ at: (e.target as HTMLInputElement).value })}
            />
          </Field>
          {draft.scheduleType === 'at' ? (
            <Field id="sched-tz" label="Time zone" error={errors['schedule.timezone']}>
              <ZoneSelect
                id="sched-tz"
                value={draft.timezone}
                error={errors['schedule.timezone']}
                onChange={(timezone) => set({ timezone })}
              />
            </Field>
          ) : (
            <Field
              id="sched-fallback"
              label="Fallback time zone"
              error={errors['schedule.fallbackTimezone']}
              hint="For devices that report no time zone."
            >
              <ZoneSelect
                id="sched-fallback"
                value={draft.fallbackTimezone}
                error={errors['schedule.fallbackTimezone']}
                onChange={(fallbackTimezone) => set({ fallbackTimezone })}
              />
            </Field>
          )}
        </div>
      )}
      {draft.scheduleType === 'local' && (
        <p class="muted small">
          Shoppers in time zones where that moment has already passed when you launch receive it right away. Quiet hours still apply.
        </p>
      )}
      <Field
        id="send-rate"
        label="Send rate (pushes per minute, optional)"
        error={rateError}
        hint="Spreads the send out so app opens do not hit your backend all at once. 100 to 1,000,000; empty sends as fast as the service allows."
      >
        <input
          id="send-rate"
          class="input"
          type="number"
          inputMode="numeric"
          min={100}
          max={1_000_000}
          step={100}
          placeholder="No limit"
          value={draft.sendRate}
          {...described('send-rate', rateError)}
          onInput={(e) => set({ sendRate: (e.target as HTMLInputElement).value })}
        />
      </Field>
    </fieldset>
  );
}
