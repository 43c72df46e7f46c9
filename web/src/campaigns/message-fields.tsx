/** Title and body with live grapheme counters, emoji at the cursor, image, deep link and buttons. */
import { Fragment } from 'preact';
import { useRef } from 'preact/hooks';
import type { Warning } from '../api/types';
import { TextField } from '../components/field';
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
import type { MessageDraft as Draft } from './draft';
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
  /** The card's title: "Message", or "Message of variant B" in an A/B test. */
  legend?: string;
}

/** Title and body: the same counted text field, each with its own limits and advice. */
const TEXTS = {
  title: {
    id: 'msg-title',
    label: 'Title',
    counterId: 'title-counter',
    advice: TITLE_ADVICE,
    max: TITLE_MAX_LENGTH,
    rows: undefined,
    placeholder: '24h only: 30% off 🎉',
    warning: 'title_long',
    hint: (over: boolean) =>
      over
        ? `Over ${TITLE_ADVICE} characters: some lock screens will cut the title off.`
        : `Keep it under ${TITLE_ADVICE} characters so it shows in full.`,
  },
  body: {
    id: 'msg-body',
    label: 'Message',
    counterId: 'body-counter',
    advice: BODY_ADVICE,
    max: BODY_MAX_LENGTH,
    rows: 3,
    placeholder: 'Your favourites are on sale. Tap to shop.',
    warning: 'body_long',
    hint: (over: boolean) =>
      over
        ? `Over ${BODY_ADVICE} characters: the message may be truncated on the lock screen.`
        : `Ideally under ${BODY_ADVICE} characters.`,
  },
} as const;

export function MessageFields({ draft, set, errors, warnings, disabled, legend = 'Message' }: Props) {
  const refs = { title: useRef<HTMLInputElement | HTMLTextAreaElement>(null), body: useRef<HTMLInputElement | HTMLTextAreaElement>(null) };
  const lastFocus = useRef<'title' | 'body'>('body');
  const warnFor = (code: string) => warnings.find((w) => w.code === code)?.message;

  const insert = (emoji: string) => {
    const which = lastFocus.current;
    const el = refs[which].current;
    const value = draft[which];
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

  const setButton = (i: number, patch: Partial<Draft['buttons'][number]>) =>
    set({ buttons: draft.buttons.map((b, j) => (j === i ? { ...b, ...patch } : b)) });

  return (
    <fieldset class="card" disabled={disabled} data-testid="message-fields">
      <legend class="card-legend">{legend}</legend>
      <div class="emoji-bar">
        <span class="muted small">Emoji go where your cursor is (title or message).</span>
        <EmojiPicker onPick={insert} />
      </div>
      {(['title', 'body'] as const).map((which) => {
        const t = TEXTS[which];
        const n = graphemeLength(draft[which]);
        const over = n > t.advice;
        return (
          <Fragment key={which}>
            <TextField
              id={t.id}
              label={t.label}
              error={
                errors[`message.${which}`] ?? (n > t.max ? `Too long to send: at most ${t.max} characters (this has ${n}).` : undefined)
              }
              counter={<Counter id={t.counterId} n={n} advice={t.advice} max={t.max} />}
              hintOutside
              inputRef={refs[which]}
              class={`input ${over ? 'warn' : ''}`}
              rows={t.rows}
              placeholder={t.placeholder}
              value={draft[which]}
              onFocus={() => (lastFocus.current = which)}
              onValue={(v) => set({ [which]: v })}
            />
            <p class={`hint ${over ? 'hint-warn' : ''}`} id={`${t.id}-hint`}>
              {warnFor(t.warning) ?? t.hint(over)}
            </p>
          </Fragment>
        );
      })}
      <div class="image-row">
        <TextField
          id="msg-image"
          label="Image URL (optional, https)"
          error={errors['message.imageUrl']}
          fieldClass="grow"
          type="url"
          inputMode="url"
          placeholder="https://cdn.example.com/banner.jpg"
          value={draft.imageUrl}
          onValue={(imageUrl) => set({ imageUrl })}
        />
        {/^https:\/\/\S+/.test(draft.imageUrl) && <img class="thumb" src={draft.imageUrl} alt="Image preview" data-testid="image-thumb" />}
      </div>
      <TextField
        id="msg-link"
        label="Deep link (where a tap opens)"
        error={errors['message.deepLink']}
        hint="Any link your app handles, e.g. myshop://sale/bf or https://shop.example/p/1"
        placeholder="myshop://sale/bf"
        value={draft.deepLink}
        onValue={(deepLink) => set({ deepLink })}
      />
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
