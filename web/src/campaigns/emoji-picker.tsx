/** A small built-in emoji grid (no fetch, no font): inserts the chosen emoji at the cursor. */
import { useEffect, useRef, useState } from 'preact/hooks';

export const EMOJI = [
  '🎉',
  '🔥',
  '⚡',
  '✨',
  '💥',
  '🎁',
  '🛍️',
  '🛒',
  '💳',
  '💰',
  '🏷️',
  '💸',
  '⏰',
  '⌛',
  '🚀',
  '📦',
  '🚚',
  '❤️',
  '😍',
  '😊',
  '😉',
  '🤩',
  '👀',
  '👋',
  '👉',
  '👇',
  '✅',
  '⭐',
  '🌟',
  '🏆',
  '🎄',
  '🎃',
  '🌸',
  '☀️',
  '❄️',
  '🍂',
  '👗',
  '👟',
  '👜',
  '💄',
  '🕶️',
  '⌚',
  '📱',
  '🎧',
  '☕',
  '🍕',
  '🇺🇸',
  '🇬🇧',
];

export function EmojiPicker({ onPick, label = 'Insert emoji' }: { onPick: (emoji: string) => void; label?: string }) {
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => {
      if (box.current && !box.current.contains(e.target as Node)) setOpen(false);
    };
    // Escape closes it wherever the focus is (it usually stays in the title or message field).
    const escape = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    // On click, not mousedown: the grid sits in the flow, and closing it before the click lands would move
    // the clicked control away from under the pointer.
    document.addEventListener('click', close);
    document.addEventListener('keydown', escape);
    return () => {
      document.removeEventListener('click', close);
      document.removeEventListener('keydown', escape);
    };
  }, [open]);
  return (
    <div class="emoji" ref={box}>
      <button
        type="button"
        class="btn btn-sm"
        aria-expanded={open}
        aria-haspopup="true"
        // Keep the caret where it is in the text field.
        onMouseDown={(e) => e.preventDefault()}
        onClick={() => setOpen((o) => !o)}
      >
        😀 {label}
      </button>
      {open && (
        <div class="emoji-grid" role="group" aria-label="Emoji" data-testid="emoji-grid">
          {EMOJI.map((e) => (
            <button
              key={e}
              type="button"
              class="emoji-btn"
              aria-label={`Insert ${e}`}
              onMouseDown={(ev) => ev.preventDefault()}
              onClick={() => onPick(e)}
            >
              {e}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
