/**
 * One automation: its status and trigger sentence, Pause / Resume / Cancel / Edit / Duplicate / Test send,
 * its progress (sent, exited, suppressed, deferred) and its insights with a per-day chart.
 */
import { useEffect, useState } from 'preact/hooks';
import { errorText } from '../api/client';
import { campaignsApi, settingsApi } from '../api/endpoints';
import type { Automation, Settings } from '../api/types';
import { DateRow } from '../components/date-row';
import { ConfirmDialog } from '../components/modal';
import { LinkButton, Loading, NoticeBanner, PageData, PageHeader, StatusBadge, type Notice } from '../components/ui';
import { fmtInt } from '../lib/format';
import { href, navigate } from '../lib/router';
import { toast } from '../lib/toast';
import { useAsync } from '../lib/use-async';
import { duplicateErrorText } from '../campaigns/merchant-errors';
import { TestSendDialog } from '../campaigns/test-send';
import { AutomationInsights } from './automation-insights';
import { automationPath } from './automation-paths';
import { triggerInWords } from './trigger-words';

/** How often an active automation's figures are re-read (it sends as devices become due). */
export const ACTIVE_POLL_MS = 5000;

export function AutomationPage({ id }: { id: string }) {
  const loaded = useAsync(async () => {
    const [automation, settings] = await Promise.all([campaignsApi.get(id), settingsApi.get()]);
    return { automation, settings };
  }, [id]);
  return (
    <PageData load={loaded} title="Automation" what="The automation" back={{ label: 'Back to automations', path: '/automations' }}>
      {(data) =>
        data.automation.kind === 'automated' ? (
          <AutomationView initial={data.automation} settings={data.settings} />
        ) : (
          <ToCampaign id={data.automation.id} />
        )
      }
    </PageData>
  );
}

/** A campaign opened by an automation address goes to the composer. */
export function ToCampaign({ id }: { id: string }) {
  useEffect(() => location.replace(href(`/campaigns/${encodeURIComponent(id)}`)), [id]);
  return <Loading />;
}

type Action = 'pause' | 'resume' | 'cancel' | 'delete' | 'duplicate';

const CONFIRMS = {
  cancel: {
    title: 'Cancel this automation?',
    label: 'Cancel automation',
    text: 'It stops for good: devices that become due are no longer pushed. Its figures stay. To stop for a while, pause it instead.',
  },
  delete: { title: 'Delete this automation?', label: 'Delete automation', text: 'This cannot be undone.' },
} as const;

/** The automation as last read, re-read every few seconds while active (its progress moves). */
function useAutomationPoll(initial: Automation): [Automation, (a: Automation) => void, string | null] {
  const [a, setA] = useState(initial);
  const [pollError, setPollError] = useState<string | null>(null);
  const active = a.status === 'active';
  useEffect(() => {
    if (!active) return;
    let stopped = false;
    const t = setInterval(() => {
      campaignsApi.get(a.id).then(
        (next) => {
          if (stopped) return;
          setA(next);
          setPollError(null);
        },
        (err: unknown) => !stopped && setPollError(errorText(err)),
      );
    }, ACTIVE_POLL_MS);
    return () => {
      stopped = true;
      clearInterval(t);
    };
  }, [active, a.id]);
  return [a, setA, pollError];
}

function Progress({ a }: { a: Automation }) {
  const p = a.progress;
  const items = [
    { id: 'sent', label: 'Sent', value: p.sent, note: 'handed to Apple and Google' },
    {
      id: 'exited',
      label: 'Exited',
      value: p.exited ?? 0,
      note: 'not pushed: they did an exit event (such as a purchase) before they were due',
    },
    { id: 'suppressed', label: 'Suppressed', value: p.suppressed, note: 'opted out, over the frequency cap or unreachable' },
    { id: 'deferred', label: 'Deferred', value: p.deferred, note: 'held by quiet hours, sent when they end' },
  ];
  return (
    <dl class="kv" data-testid="automation-progress">
      {items.map((i) => (
        <div key={i.id} data-testid={`progress-${i.id}`}>
          <dt>{i.label}</dt>
          <dd>
            <strong>{fmtInt(i.value)}</strong> <span class="muted small">{i.note}</span>
          </dd>
        </div>
      ))}
    </dl>
  );
}

function AutomationView({ initial, settings }: { initial: Automation; settings: Settings }) {
  const [a, setA, pollError] = useAutomationPoll(initial);
  const [busy, setBusy] = useState<Action | null>(null);
  const [confirm, setConfirm] = useState<keyof typeof CONFIRMS | null>(null);
  const [testing, setTesting] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  const s = a.status;

  const run = async (action: Action) => {
    setBusy(action);
    setNotice(null);
    try {
      if (action === 'pause') {
        setA(await campaignsApi.pause(a.id));
        toast('Automation paused');
      } else if (action === 'resume') {
        setA(await campaignsApi.resume(a.id));
        toast('Automation active again');
      } else if (action === 'cancel') {
        setA(await campaignsApi.cancel(a.id));
        toast('Automation cancelled');
      } else if (action === 'delete') {
        await campaignsApi.remove(a.id);
        toast('Automation deleted');
        navigate('/automations');
      } else {
        try {
          const copy = await campaignsApi.duplicate(a.id);
          toast('Copy created');
          navigate(automationPath(copy.id, 'edit'));
        } catch (err) {
          setNotice({ kind: 'error', node: <span data-testid="duplicate-error">{duplicateErrorText(err)}</span> });
        }
      }
    } catch (err) {
      setNotice({ kind: 'error', node: <span data-testid="action-error">{errorText(err)}</span> });
    } finally {
      setBusy(null);
      setConfirm(null);
    }
  };

  const btn = (action: Action, label: string, busyLabel: string, cls = 'btn') => (
    <button type="button" class={cls} disabled={!!busy} onClick={() => void run(action)}>
      {busy === action ? busyLabel : label}
    </button>
  );

  return (
    <div class="automation-page">
      <PageHeader
        trail={[{ label: 'Automations', path: '/automations' }]}
        title={
          <>
            {a.name} <StatusBadge status={s} />
          </>
        }
        actions={
          <>
            {(s === 'draft' || s === 'cancelled') && (
              <button type="button" class="btn btn-danger-ghost" disabled={!!busy} onClick={() => setConfirm('delete')}>
                Delete
              </button>
            )}
            {btn('duplicate', 'Duplicate', 'Duplicating…')}
            {s !== 'cancelled' && (
              <button type="button" class="btn" disabled={!!busy} onClick={() => setTesting(true)}>
                Send a test
              </button>
            )}
            {(s === 'active' || s === 'paused') && (
              <button type="button" class="btn btn-danger-ghost" disabled={!!busy} onClick={() => setConfirm('cancel')}>
                Cancel automation
              </button>
            )}
            {(s === 'draft' || s === 'paused') && (
              <LinkButton path={automationPath(a.id, 'edit')} primary={s === 'draft'}>
                Edit
              </LinkButton>
            )}
            {s === 'active' && btn('pause', 'Pause', 'Pausing…')}
            {s === 'paused' && btn('resume', 'Resume', 'Resuming…', 'btn btn-primary')}
          </>
        }
      />
      <NoticeBanner notice={notice} onClose={() => setNotice(null)} />
      <section class="card status-card" aria-labelledby="aut-status-title" data-testid="automation-status" data-status={s}>
        <div class="card-head">
          <h2 id="aut-status-title">Status</h2>
          <StatusBadge status={s} />
        </div>
        <p class="trigger-sentence" data-testid="trigger-sentence">
          {a.trigger ? triggerInWords(a.trigger) : 'No trigger'}
        </p>
        <p class="small" data-testid="status-words">
          {s === 'active'
            ? 'Active: every device that meets the trigger is pushed once, as it becomes due.'
            : s === 'paused'
              ? 'Paused: nothing is sent while it is paused. Edit it if you like, then resume it.'
              : s === 'draft'
                ? 'Draft: nothing is sent until you activate it (Edit → Save and activate).'
                : 'Cancelled: it no longer sends. Duplicate it to start again.'}
        </p>
        <dl class="kv">
          <dt>Message</dt>
          <dd>
            <strong>{a.message?.title}</strong> <span class="muted">{a.message?.body}</span>
          </dd>
          <DateRow label="Activated" at={a.launchedAt} />
          <DateRow label="Cancelled" at={a.cancelledAt} />
        </dl>
        {s !== 'draft' && <Progress a={a} />}
        {pollError && (
          <p class="small field-error" role="status" data-testid="poll-error">
            Live updates paused ({pollError}); retrying…
          </p>
        )}
      </section>
      {s !== 'draft' && <AutomationInsights id={a.id} sent={a.progress.sent} />}
      {testing && <TestSendDialog campaignId={a.id} testDevices={settings.testDevices} onClose={() => setTesting(false)} />}
      {confirm && (
        <ConfirmDialog
          key={confirm}
          title={CONFIRMS[confirm].title}
          confirmLabel={CONFIRMS[confirm].label}
          danger
          busy={busy === confirm}
          onConfirm={() => void run(confirm)}
          onClose={() => setConfirm(null)}
        >
          <p>{CONFIRMS[confirm].text}</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
