/** When to send: now, at one moment in a chosen zone, or at a wall-clock time in each recipient's zone. */
import type { IfPassed } from '../api/types';
import { Field, TextField } from '../components/field';
import { RadioCards, type RadioCard } from '../components/radio-cards';
import type { SectionProps } from '../lib/form-section';
import { ZoneSelect } from '../components/zone-select';
import { wallClockIn } from '../lib/time-zones';
import { useNow } from '../lib/use-now';
import type { Draft, ScheduleType } from './draft';
import { momentNote, scheduleInWords } from './schedule-words';

type Props = SectionProps<Draft>;

const OPTIONS: RadioCard<ScheduleType>[] = [
  { type: 'now', title: 'Send now', text: 'Starts as soon as you launch.' },
  { type: 'at', title: 'At a date and time', text: 'One moment, in the time zone you choose.' },
  {
    type: 'local',
    title: "In each recipient's local time",
    text: 'e.g. 9:00 wherever each shopper is. Devices without a time zone use the fallback.',
  },
];

/** A local schedule's `ifPassed`: what zones whose time has already passed at launch get. */
const IF_PASSED_OPTIONS: { value: IfPassed; label: string }[] = [
  { value: 'send_now', label: 'Send at once' },
  { value: 'next_day', label: 'Send the next day at that time' },
  { value: 'skip', label: 'Skip those zones' },
];

/** The zone an 'at' schedule is read in, or the one 'local' falls back to for devices without a zone. */
const ZONE_FIELDS = {
  at: { key: 'timezone', id: 'sched-tz', label: 'Time zone', hint: undefined },
  local: { key: 'fallbackTimezone', id: 'sched-fallback', label: 'Fallback time zone', hint: 'For devices that report no time zone.' },
} as const;

export function ScheduleFields({ draft, set, errors, disabled }: Props) {
  const zoneField = ZONE_FIELDS[draft.scheduleType === 'at' ? 'at' : 'local'];
  const zone = draft[zoneField.key];
  const zoneError = errors[`schedule.${zoneField.key}`];
  const atError = errors['schedule.at'] ?? errors.schedule;
  const rateError = errors['sendRate.perMinute'] ?? errors.sendRate;
  const now = useNow();
  const note =
    draft.scheduleType === 'at'
      ? momentNote(draft.at, draft.timezone, now)
      : draft.scheduleType === 'local' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(draft.at)
        ? { text: scheduleInWords({ type: 'local', at: draft.at, fallbackTimezone: draft.fallbackTimezone }, now), past: false }
        : null;
  return (
    <fieldset class="card" disabled={disabled}>
      <legend class="card-legend">Schedule</legend>
      <RadioCards
        name="schedule-type"
        label="When to send"
        options={OPTIONS}
        value={draft.scheduleType}
        onChange={(scheduleType) => set({ scheduleType })}
      />
      {draft.scheduleType !== 'now' && (
        <div class="schedule-when">
          <TextField
            id="sched-at"
            label={draft.scheduleType === 'local' ? "Local date and time (each recipient's clock)" : 'Date and time'}
            error={atError}
            type="datetime-local"
            value={draft.at.slice(0, 16)}
            min={wallClockIn(zone, 0)}
            onValue={(at) => set({ at })}
          />
          <Field id={zoneField.id} label={zoneField.label} error={zoneError} hint={zoneField.hint}>
            <ZoneSelect id={zoneField.id} value={zone} error={zoneError} onChange={(z) => set({ [zoneField.key]: z })} />
          </Field>
        </div>
      )}
      {note && (
        <p class={`small ${note.past ? 'field-error' : 'muted'}`} data-testid="schedule-note" aria-live="polite">
          {note.text}
        </p>
      )}
      {draft.scheduleType === 'local' && (
        <fieldset class="if-passed" data-testid="if-passed">
          <legend class="label">Where that time has already passed when you launch</legend>
          <div class="if-passed-options">
            {IF_PASSED_OPTIONS.map((o) => (
              <label key={o.value} class="check">
                <input
                  type="radio"
                  name="if-passed"
                  value={o.value}
                  checked={(draft.ifPassed ?? 'send_now') === o.value}
                  onChange={() => set({ ifPassed: o.value })}
                />{' '}
                {o.label}
              </label>
            ))}
          </div>
          <p class="muted small">Quiet hours still apply.</p>
        </fieldset>
      )}
      <TextField
        id="send-rate"
        label="Send rate (pushes per minute, optional)"
        error={rateError}
        hint="Spreads the send out so app opens do not hit your backend all at once. 100 to 1,000,000; empty sends as fast as the service allows."
        type="number"
        inputMode="numeric"
        min={100}
        max={1_000_000}
        step={100}
        placeholder="No limit"
        value={draft.sendRate}
        onValue={(sendRate) => set({ sendRate })}
      />
    </fieldset>
  );
}
