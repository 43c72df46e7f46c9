/** A labelled form field with its hint and the API's error for that field right under it. */
import type { ComponentChildren } from 'preact';

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
