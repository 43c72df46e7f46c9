/** A modal confirmation on the native <dialog> (focus trap and Esc for free). */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

interface ConfirmProps {
  title: string;
  children?: ComponentChildren;
  confirmLabel: string;
  /** The button that closes without acting (default "Keep it"). */
  cancelLabel?: string;
  danger?: boolean;
  busy?: boolean;
  /** Extra class on the dialog (e.g. "modal-wide" for a review). */
  class?: string;
  onConfirm: () => void;
  onClose: () => void;
}

export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  cancelLabel = 'Keep it',
  danger,
  busy,
  class: extra,
  onConfirm,
  onClose,
}: ConfirmProps) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  return (
    <dialog ref={ref} class={`modal ${extra ?? ''}`} aria-labelledby="modal-title" onClose={onClose} onCancel={onClose}>
      <h2 id="modal-title">{title}</h2>
      <div class="modal-body">{children}</div>
      <div class="modal-actions">
        <button type="button" class="btn" onClick={onClose}>
          {cancelLabel}
        </button>
        <button type="button" class={`btn ${danger ? 'btn-danger' : 'btn-primary'}`} disabled={busy} onClick={onConfirm}>
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
