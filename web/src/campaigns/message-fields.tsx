/** Title and body with live grapheme counters, emoji at the cursor, image, deep link and buttons. */
import { useRef } from 'preact/hooks';
import type { Warning } from '../api/types';
import { described, Field } from '../components/field';
// The server's own counting and limits (a zod-free module of the domain): the counters agree with its warnings.
import {
  BODY_MAX_LENGTH,
  BODY_WARN_LENGTH as BODY_ADVICE,
  BUTTON_LABEL_MAX_LENGTH,
  graphemeLength,
  MAX_BUTTONS,
  TITLE_MAX_LENGTH,
  TITLE_WARN_LENGTH as TITLE_ADVICE,
} from '../../../lambdas/domain/campaigns/message-length';
import type { Draft } from './draft';
import { EmojiPicker } from './emoji-picker';

function Counter({ id, n, advice, max }: { id: string; n: number; advice: number; max: number }) {
  const over = n > advice;
  return (
    <span id={id} class={`counter ${over ? 'over' : ''}`} data-testid={id} aria-live="polite">
      {n} / {advice}
      <span class="sr-only">
        {' '}
        characters{over ? `, over the recommended ${advice}` : ''} (maximum {max})
      </span>
    </span>
  );
}

interface Props {
  draft: Draft;
  set: (patch: Partial<Draft>) => void;
  errors: Record<string, string>;
  warnings: Warning[];
  disabled: boolean;
}

export function MessageFields({ draft, set, errors, warnings, disabled }: Props) {
  const titleRef = useRef<HTMLInputElement>(null);
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const lastFocus = useRef<'title' | 'body'>('body');
  const titleLen = graphemeLength(draft.title);
  const bodyLen = graphemeLength(draft.body);
  const warnFor = (code: string) => warnings.find((w) => w.code === code)?.message;

  const insert = (emoji: string) => {
    const which = lastFocus.current;
    const el = which === 'title' ? titleRef.current : bodyRef.current;
    const value = which === 'title' ? draft.title : draft.body;
    const start = el?.selectionStart ?? value.length;
    const end = el?.selectionEnd ?? value.length;
    const next = value.slice(0, start) + emoji + value.slice(end);
    set(which === 'title' ? { title: next } : { body: next });
    requestAnimationFrame(() => {
      if (!el) return;
      el.focus();
      const caret = start + emoji.length;
      el.setSelectionRange(caret, caret);
    });
  };

  const titleHint =
    titleLen > TITLE_ADVICE
      ? `Over ${TITLE_ADVICE} characters: some lock screens will cut the title off.`
      : `Keep it under ${TITLE_ADVICE} characters so it shows in full.`;
  const bodyHint =
    bodyLen > BODY_ADVICE
      ? `Over ${BODY_ADVICE} characters: the message may be truncated on the lock screen.`
      : `Ideally under ${BODY_ADVICE} characters.`;
  const setButton = (i: number, patch: Partial<Draft['buttons'][number]>) =>
    set({ buttons: draft.buttons.map((b, j) => (j === i ? { ...b, ...patch } : b)) });

  return (
    <fieldset class="card" disabled={disabled}>
      <legend class="card-legend">Message</legend>
      <div class="emoji-bar">
        <span class="muted small">Emoji go where your cursor is (title or message).</span>
        <EmojiPicker onPick={insert} />
      </div>
      <Field
        id="msg-title"
        label="Title"
        error={errors['message.title']}
        counter={<Counter id="title-counter" n={titleLen} advice={TITLE_ADVICE} max={TITLE_MAX_LENGTH} />}
      >
        <input
          id="msg-title"
          ref={titleRef}
          class={`input ${titleLen > TITLE_ADVICE ? 'warn' : ''}`}
          type="text"
          placeholder="24h only: 30% off 🎉"
          value={draft.title}
          {...described('msg-title', errors['message.title'], true)}
          onFocus={() => (lastFocus.current = 'title')}
          onInput={(e) => set({ title: (e.target as HTMLInputElement).value })}
        />
      </Field>
      <p class={`hint ${titleLen > TITLE_ADVICE ? 'hint-warn' : ''}`} id="msg-title-hint">
        {warnFor('title_long') ?? titleHint}
      </p>
      <Field
        id="msg-body"
        label="Message"
        error={errors['message.body']}
        counter={<Counter id="body-counter" n={bodyLen} advice={BODY_ADVICE} max={BODY_MAX_LENGTH} />}
      >
        <textarea
          id="msg-body"
          ref={bodyRef}
          class={`input ${bodyLen > BODY_ADVICE ? 'warn' : ''}`}
          rows={3}
          placeholder="Your favourites are on sale. Tap to shop."
          value={draft.body}
          {...described('msg-body', errors['message.body'], true)}
          onFocus={() => (lastFocus.current = 'body')}
          onInput={(e) => set({ body: (e.target as HTMLTextAreaElement).value })}
        />
      </Field>
      <p class={`hint ${bodyLen > BODY_ADVICE ? 'hint-warn' : ''}`} id="msg-body-hint">
        {warnFor('body_long') ?? bodyHint}
      </p>
      <div class="image-row">
        <Field id="msg-image" label="Image URL (optional, https)" error={errors['message.imageUrl']} class="grow">
          <input
            id="msg-image"
            class="input"
            type="url"
            inputMode="url"
            placeholder="https://cdn.example.com/banner.jpg"
            value={draft.imageUrl}
            {...described('msg-image', errors['message.imageUrl'])}
            onInput={(e) => set({ imageUrl: (e.target as HTMLInputElement).value })}
          />
        </Field>
        {/^https:\/\/\S+/.test(draft.imageUrl) && <img class="thumb" src={draft.imageUrl} alt="Image preview" data-testid="image-thumb" />}
      </div>
      <Field
        id="msg-link"
        label="Deep link (where a tap opens)"
        error={errors['message.deepLink']}
        hint="Any link your app handles, e.g. myshop://sale/bf or https://shop.example/p/1"
      >
        <input
          id="msg-link"
          class="input"
          type="text"
          placeholder="myshop://sale/bf"
          value={draft.deepLink}
          {...described('msg-link', errors['message.deepLink'], true)}
          onInput={(e) => set({ deepLink: (e.target as HTMLInputElement).value })}
        />
      </Field>
      <div class="buttons-editor">
        <div class="field-head">
          <span class="label">Buttons (up to {MAX_BUTTONS})</span>
          {draft.buttons.length < MAX_BUTTONS && (
            <button
              type="button"
              class="btn btn-sm btn-ghost"
              onClick={() =>
                set({ buttons: [...draft.buttons, { label: draft.buttons.length === 0 ? 'Shop Now' : '', deepLink: draft.deepLink }] })
              }
            >
              + Add button
            </button>
          )}
        </div>
        {draft.buttons.map((b, i) => (
          <div class="button-row" key={i}>
            <div class="grow">
              <input
                class="input"
                type="text"
                aria-label={`Button ${i + 1} label`}
                placeholder="Shop Now"
                maxLength={BUTTON_LABEL_MAX_LENGTH}
                value={b.label}
                aria-invalid={errors[`message.buttons[${i}].label`] ? 'true' : undefined}
                onInput={(e) => setButton(i, { label: (e.target as HTMLInputElement).value })}
              />
              {errors[`message.buttons[${i}].label`] && <p class="field-error">{errors[`message.buttons[${i}].label`]}</p>}
            </div>
            <div class="grow">
              <input
                class="input"
                type="text"
                aria-label={`Button ${i + 1} deep link`}
                placeholder="myshop://…"
                value={b.deepLink}
                aria-invalid={errors[`message.buttons[${i}].deepLink`] ? 'true' : undefined}
                onInput={(e) => setButton(i, { deepLink: (e.target as HTMLInputElement).value })}
              />
              {errors[`message.buttons[${i}].deepLink`] && <p class="field-error">{errors[`message.buttons[${i}].deepLink`]}</p>}
            </div>
            <button
              type="button"
              class="icon-btn"
              aria-label={`Remove button ${i + 1}`}
              onClick={() => set({ buttons: draft.buttons.filter((_, j) => j !== i) })}
            >
              ×
            </button>
          </div>
        ))}
        {errors['message.buttons'] && <p class="field-error">{errors['message.buttons']}</p>}
      </div>
    </fieldset>
  );
}
