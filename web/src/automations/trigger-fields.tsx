/** The trigger picker: an event (with delay, exit events and re-entry), inactivity, or the first app open; and its sentence. */
import { Field, TextField, described } from '../components/field';
import { RadioCards, type RadioCard } from '../components/radio-cards';
import type { SectionProps } from '../lib/form-section';
import { CUSTOM, eventKeyOf, sentenceOf, type AutomationDraft, type DelayUnit, type TriggerType } from './trigger-draft';
import { eventInWords, MAX_EXIT_EVENTS, TRIGGER_EVENT_TYPES } from './trigger-words';

type Props = SectionProps<AutomationDraft>;

const TYPES: RadioCard<TriggerType>[] = [
  { type: 'event', title: 'After an event', text: 'e.g. a cart reminder an hour after Add to cart.' },
  { type: 'inactivity', title: 'Inactivity', text: 'Win back shoppers who have not opened the app for a while.' },
  { type: 'first_open', title: 'First open', text: 'Welcome a device the first time it opens the app.' },
];

const UNITS: { value: DelayUnit; label: string }[] = [
  { value: 'minutes', label: 'minutes' },
  { value: 'hours', label: 'hours' },
  { value: 'days', label: 'days' },
];

/** A whole-number text field's attributes. */
const WHOLE_NUMBER = { type: 'number', inputMode: 'numeric', class: 'input num' } as const;

/** The first error the API gave for any of `paths` (or paths under them, such as trigger.exitOn[0]). */
export function errorUnder(errors: Record<string, string>, ...paths: string[]): string | undefined {
  for (const p of paths) {
    const hit = Object.keys(errors).find((k) => k === p || k.startsWith(`${p}[`) || k.startsWith(`${p}.`));
    if (hit) return errors[hit];
  }
  return undefined;
}

function EventFields({ draft, set, errors }: Omit<Props, 'disabled'>) {
  const own = eventKeyOf(draft);
  const eventError = draft.event === CUSTOM ? undefined : errors['trigger.event'];
  const customError = draft.event === CUSTOM ? errors['trigger.event'] : undefined;
  const delayError = errors['trigger.delayMinutes'];
  const exitError = errorUnder(errors, 'trigger.exitOn');
  // Exit events offered: every standard one but the trigger's own, and any custom ones the automation already has.
  const exitChoices = [...TRIGGER_EVENT_TYPES, ...draft.exitOn.filter((e) => e.startsWith('custom:'))].filter((e) => e !== own);
  const toggleExit = (key: string, on: boolean) =>
    set({ exitOn: on ? exitChoices.filter((e) => e === key || draft.exitOn.includes(e)) : draft.exitOn.filter((e) => e !== key) });
  return (
    <>
      <div class="row">
        <Field id="trg-event" label="When a shopper does" error={eventError} class="grow">
          <select
            id="trg-event"
            class="input"
            value={draft.event}
            {...described('trg-event', eventError)}
            onChange={(e) => {
              const event = (e.target as HTMLSelectElement).value;
              set({ event, exitOn: draft.exitOn.filter((x) => x !== event) });
            }}
          >
            {TRIGGER_EVENT_TYPES.map((t) => (
              <option key={t} value={t}>
                {eventInWords(t)}
              </option>
            ))}
            <option value={CUSTOM}>A custom event…</option>
          </select>
        </Field>
        {draft.event === CUSTOM && (
          <TextField
            id="trg-custom"
            label="Custom event name"
            fieldClass="grow"
            hint="As your app reports it, e.g. level_up"
            error={customError}
            placeholder="level_up"
            value={draft.customName}
            onValue={(customName) => set({ customName })}
          />
        )}
      </div>
      <div class="row">
        <Field id="trg-delay" label="Wait" error={delayError} class="delay-field">
          <div class="delay-inputs">
            <input
              id="trg-delay"
              class="input num"
              type="number"
              min={0}
              step={1}
              inputMode="numeric"
              value={draft.delay}
              {...described('trg-delay', delayError, true)}
              onInput={(e) => set({ delay: (e.target as HTMLInputElement).value })}
            />
            <select
              class="input"
              aria-label="Delay unit"
              value={draft.delayUnit}
              onChange={(e) => set({ delayUnit: (e.target as HTMLSelectElement).value as DelayUnit })}
            >
              {UNITS.map((u) => (
                <option key={u.value} value={u.value}>
                  {u.label}
                </option>
              ))}
            </select>
          </div>
          {!delayError && (
            <p class="hint" id="trg-delay-hint">
              After the event, up to 30 days. 0 sends right away.
            </p>
          )}
        </Field>
        <TextField
          id="trg-reentry"
          label="Send again to the same device after (days)"
          fieldClass="grow"
          {...WHOLE_NUMBER}
          min={0}
          hint="0: once for every triggering event."
          error={errors['trigger.reentryAfterDays']}
          value={draft.reentryDays}
          onValue={(reentryDays) => set({ reentryDays })}
        />
      </div>
      <fieldset class="field exit-events" aria-describedby="trg-exit-hint">
        <legend class="label">Don’t send if, before then, they…</legend>
        <div class={`checks wrap ${exitError ? 'has-error' : ''}`} id="trg-exit" aria-invalid={exitError ? 'true' : undefined}>
          {exitChoices.map((key) => (
            <label key={key} class="check">
              <input
                type="checkbox"
                checked={draft.exitOn.includes(key)}
                disabled={!draft.exitOn.includes(key) && draft.exitOn.length >= MAX_EXIT_EVENTS}
                onChange={(e) => toggleExit(key, (e.target as HTMLInputElement).checked)}
              />
              {eventInWords(key)}
            </label>
          ))}
        </div>
        {exitError ? (
          <p class="field-error" role="alert" id="trg-exit-error">
            {exitError}
          </p>
        ) : (
          <p class="hint" id="trg-exit-hint">
            Counted on any of a logged-in shopper’s devices.
          </p>
        )}
      </fieldset>
    </>
  );
}

export function TriggerFields({ draft, set, errors, disabled }: Props) {
  const sentence = sentenceOf(draft);
  const general = errors.trigger ?? errors['trigger.type'];
  return (
    <fieldset class="card" disabled={disabled} data-testid="trigger-fields">
      <legend class="card-legend">Trigger</legend>
      <RadioCards
        name="trigger-type"
        label="What starts this automation"
        options={TYPES}
        value={draft.triggerType}
        onChange={(triggerType) => set({ triggerType })}
      />
      {general && <p class="field-error">{general}</p>}
      {draft.triggerType === 'event' && <EventFields draft={draft} set={set} errors={errors} />}
      {draft.triggerType === 'inactivity' && (
        <TextField
          id="trg-days"
          label="Days without opening the app"
          {...WHOLE_NUMBER}
          min={1}
          hint="One push per spell of inactivity: a later app open starts a new spell."
          error={errors['trigger.days']}
          value={draft.inactivityDays}
          onValue={(inactivityDays) => set({ inactivityDays })}
        />
      )}
      {draft.triggerType === 'first_open' && (
        <p class="muted small">Sent once ever per device, when it opens the app for the first time.</p>
      )}
      <p class="trigger-sentence" data-testid="trigger-sentence" aria-live="polite">
        {sentence ?? <span class="muted">Enter whole numbers to see when this sends.</span>}
      </p>
    </fieldset>
  );
}
