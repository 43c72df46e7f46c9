/** A labelled form field with its hint and the API's error for that field right under it. */
import type { ComponentChildren, Ref } from 'preact';

let nextId = 0;
/** Stable unique ids for label/aria wiring. */
export function uid(prefix = 'f'): string {
  return `${prefix}-${++nextId}`;
}

interface FieldProps {
  id: string;
  label: ComponentChildren;
  hint?: ComponentChildren;
  error?: string;
  counter?: ComponentChildren;
  children: ComponentChildren;
  class?: string;
}

export function Field({ id, label, hint, error, counter, children, class: cls }: FieldProps) {
  return (
    <div class={`field ${error ? 'has-error' : ''} ${cls ?? ''}`}>
      <div class="field-head">
        <label for={id}>{label}</label>
        {counter}
      </div>
      {children}
      {hint && !error && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** aria-describedby/aria-invalid for an input inside <Field>. */
export function described(id: string, error?: string, hint?: unknown) {
  return {
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': error ? `${id}-error` : hint ? `${id}-hint` : undefined,
  };
}

/** What the fields of this UI set on their text controls, besides value and wiring. */
interface ControlAttrs {
  class?: string;
  type?: 'text' | 'url' | 'number' | 'time' | 'datetime-local';
  placeholder?: string;
  maxLength?: number;
  min?: number | string;
  max?: number;
  step?: number;
  inputMode?: 'numeric' | 'decimal' | 'url';
  onFocus?: () => void;
}

interface TextFieldProps extends Omit<FieldProps, 'children' | 'class'>, ControlAttrs {
  value: string;
  /** Called with the text on every keystroke. */
  onValue: (value: string) => void;
  /** A textarea of this many rows instead of a one-line input. */
  rows?: number;
  /** Class of the field around the control (`class` is the control's own, `input` by default). */
  fieldClass?: string;
  /** The control points at `${id}-hint` even though the hint is drawn outside the field. */
  hintOutside?: boolean;
  inputRef?: Ref<HTMLInputElement | HTMLTextAreaElement>;
}

/** A <Field> holding one text-like input (or a textarea), wired to its label, hint and error. */
export function TextField({
  id,
  label,
  hint,
  error,
  counter,
  fieldClass,
  hintOutside,
  value,
  onValue,
  rows,
  inputRef,
  class: cls = 'input',
  type = 'text',
  ...attrs
}: TextFieldProps) {
  const control = {
    id,
    class: cls,
    ...attrs,
    value,
    ...described(id, error, hint || hintOutside),
    onInput: (e: Event) => onValue((e.target as HTMLInputElement).value),
  };
  return (
    <Field id={id} label={label} hint={hint} error={error} counter={counter} class={fieldClass}>
      {rows === undefined ? (
        // Preact types an input's attributes by one literal `type`; ControlAttrs keeps them to what fits each.
        <input ref={inputRef as Ref<HTMLInputElement>} type={type as 'text'} {...control} />
      ) : (
        <textarea ref={inputRef as Ref<HTMLTextAreaElement>} rows={rows} {...control} />
      )}
    </Field>
  );
}
