/** Small shared pieces: page header, banners, status badges, spinner, toasts, empty states. */
import type { ComponentChildren } from 'preact';
import { errorText } from '../api/client';
import type { CampaignStatus } from '../api/types';
import { useToasts } from '../lib/toast';

export function PageHeader({
  title,
  crumbs,
  actions,
}: {
  title: ComponentChildren;
  crumbs?: ComponentChildren;
  actions?: ComponentChildren;
}) {
  return (
    <header class="page-header">
      <div>
        <p class="crumbs">{crumbs ?? 'Engage › Push Notifications'}</p>
        <h1>{title}</h1>
      </div>
      {actions && <div class="page-actions">{actions}</div>}
    </header>
  );
}

export function Banner({
  kind = 'error',
  children,
  action,
  onClose,
}: {
  kind?: 'error' | 'warning' | 'info' | 'ok';
  children: ComponentChildren;
  action?: ComponentChildren;
  onClose?: () => void;
}) {
  return (
    <div class={`banner banner-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      <div class="banner-body">{children}</div>
      {action}
      {onClose && (
        <button type="button" class="icon-btn" aria-label="Dismiss" onClick={onClose}>
          ×
        </button>
      )}
    </div>
  );
}

/**
 * A load that failed: says what could not be loaded and why, with a retry, so a failure never looks
 * like an empty list. `warning` when the page still shows what did load.
 */
export function LoadError({
  what,
  error,
  retry,
  kind = 'error',
}: {
  what: string;
  error: unknown;
  retry: () => void;
  kind?: 'error' | 'warning';
}) {
  return (
    <Banner
      kind={kind}
      action={
        <button type="button" class="btn btn-sm" onClick={retry}>
          Try again
        </button>
      }
    >
      <span data-testid="load-error">
        {what} could not be loaded: {errorText(error)}
      </span>
    </Banner>
  );
}

const STATUS_LABEL: Record<CampaignStatus, string> = {
  draft: 'Draft',
  scheduled: 'Scheduled',
  sending: 'Sending',
  sent: 'Sent',
  cancelled: 'Cancelled',
  failed: 'Failed',
};

export function StatusBadge({ status }: { status: CampaignStatus }) {
  return (
    <span class={`badge badge-${status}`} data-status={status}>
      {STATUS_LABEL[status] ?? status}
    </span>
  );
}

export function Spinner({ label = 'Loading' }: { label?: string }) {
  return <span class="spinner" role="status" aria-label={label} />;
}

export function Loading({ text = 'Loading…' }: { text?: string }) {
  return (
    <div class="loading">
      <Spinner /> {text}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="empty">
      <p class="empty-title">{title}</p>
      {children}
    </div>
  );
}

export function Toasts() {
  const list = useToasts();
  return (
    <div class="toasts" aria-live="polite">
      {list.map((t) => (
        <div key={t.id} class={`toast toast-${t.kind}`}>
          {t.text}
        </div>
      ))}
    </div>
  );
}

export function ProgressBar({ value, max, label }: { value: number; max: number; label: string }) {
  const pct = max > 0 ? Math.min(100, (value / max) * 100) : 0;
  return (
    <div class="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={max} aria-valuenow={value}>
      <div class="progress-fill" style={{ width: `${pct}%` }} />
    </div>
  );
}
