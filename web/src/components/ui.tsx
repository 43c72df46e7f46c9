/** Small shared pieces: page header, banners, status badges, spinner, toasts, empty states, tables. */
import { Fragment, type ComponentChildren } from 'preact';
import { errorText } from '../api/client';
import type { CampaignStatus } from '../api/types';
import { href } from '../lib/router';
import { useToasts } from '../lib/toast';
import type { AsyncState } from '../lib/use-async';

/** A page one step of the breadcrumb trail links to. */
export interface Crumb {
  label: ComponentChildren;
  path: string;
}

export function PageHeader({ title, trail = [], actions }: { title: ComponentChildren; trail?: Crumb[]; actions?: ComponentChildren }) {
  return (
    <header class="page-header">
      <div>
        <p class="crumbs">
          Engage › Push Notifications
          {trail.map((c) => (
            <Fragment key={c.path}>
              {' › '}
              <a href={href(c.path)}>{c.label}</a>
            </Fragment>
          ))}
        </p>
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

/** A page whose data could not be loaded: its header, the failure with a retry, and a way back. */
export function PageLoadError({
  title,
  what,
  error,
  retry,
  back,
}: {
  title: string;
  what: string;
  error: unknown;
  retry: () => void;
  back?: Crumb;
}) {
  return (
    <>
      <PageHeader title={title} />
      <LoadError what={what} error={error} retry={retry} />
      {back && <LinkButton path={back.path}>{back.label}</LinkButton>}
    </>
  );
}

/** A page that needs its data first: the page once `load` has it, a spinner before, PageLoadError if it failed. */
export function PageData<T>({
  load,
  children,
  ...failure
}: {
  load: AsyncState<T>;
  children: (data: T) => ComponentChildren;
  title: string;
  what: string;
  back?: Crumb;
}) {
  if (load.error) return <PageLoadError {...failure} error={load.error} retry={load.reload} />;
  if (!load.data) return <Loading />;
  return <>{children(load.data)}</>;
}

/** A link to another page of the app that looks like a button. */
export function LinkButton({ path, primary, children }: { path: string; primary?: boolean; children: ComponentChildren }) {
  return (
    <a class={primary ? 'btn btn-primary' : 'btn'} href={href(path)}>
      {children}
    </a>
  );
}

/** What a page has to say after an action, until the user dismisses it. */
export interface Notice {
  kind: 'error' | 'warning' | 'ok';
  node: ComponentChildren;
}

export function NoticeBanner({ notice, onClose }: { notice: Notice | null; onClose: () => void }) {
  if (!notice) return null;
  return (
    <Banner kind={notice.kind} onClose={onClose}>
      {notice.node}
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
  active: 'Active',
  paused: 'Paused',
};

/** `nothingSent`: a `sent` campaign that reached no device (all held by the cap, say) is not badged "Sent". */
export function StatusBadge({ status, nothingSent }: { status: CampaignStatus; nothingSent?: boolean }) {
  const empty = status === 'sent' && nothingSent;
  return (
    <span class={`badge badge-${empty ? 'failed' : status}`} data-status={status}>
      {empty ? 'Nothing sent' : (STATUS_LABEL[status] ?? status)}
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

/** A column heading; `srOnly` for a column whose heading only screen readers need (actions). */
export interface Column {
  label: string;
  class?: string;
  srOnly?: boolean;
}

export function Table({ columns, compact, children }: { columns: Column[]; compact?: boolean; children: ComponentChildren }) {
  return (
    <table class={compact ? 'table compact' : 'table'}>
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.label} scope="col" class={c.class}>
              {c.srOnly ? <span class="sr-only">{c.label}</span> : c.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

/** A list's search box and sort order, above its table. `noun` names the list for screen readers ("campaigns"). */
export function ListTools<K extends string>(props: {
  noun: string;
  placeholder: string;
  query: string;
  onQuery: (q: string) => void;
  sort: K;
  onSort: (k: K) => void;
  sorts: readonly { value: K; label: string }[];
}) {
  return (
    <div class="list-tools">
      <input
        type="search"
        class="input"
        aria-label={`Search ${props.noun}`}
        placeholder={props.placeholder}
        value={props.query}
        onInput={(e) => props.onQuery((e.target as HTMLInputElement).value)}
      />
      <select
        class="input"
        aria-label={`Sort ${props.noun}`}
        value={props.sort}
        onChange={(e) => props.onSort((e.target as HTMLSelectElement).value as K)}
      >
        {props.sorts.map((s) => (
          <option key={s.value} value={s.value}>
            {s.label}
          </option>
        ))}
      </select>
    </div>
  );
}
