/**
 * New / edit automation: name, trigger (with its sentence), message with the phone preview. Save draft, or
 * save and activate after a confirm that states the trigger. Editable in draft and paused (a paused one is
 * saved, then resumed from its page). No audience and no schedule: it sends to each device its trigger picks.
 */
import { useMemo, useState } from 'preact/hooks';
import { ApiError, errorText } from '../api/client';
import { campaignsApi } from '../api/endpoints';
import type { Automation, Warning } from '../api/types';
import { ConfirmDialog } from '../components/modal';
import { Banner, NoticeBanner, PageData, PageHeader, StatusBadge, type Notice } from '../components/ui';
import { navigate, useLeaveGuard } from '../lib/router';
import { toast } from '../lib/toast';
import { useAsync } from '../lib/use-async';
import { messageOf } from '../campaigns/draft';
import { appName, errorSummary, messageErrors, NameCard, storeCampaign, WarningsBanner } from '../campaigns/editor-parts';
import { fieldErrors } from '../campaigns/merchant-errors';
import { MessageFields } from '../campaigns/message-fields';
import { PhonePreview } from '../campaigns/phone-preview';
import { automationPath } from './automation-paths';
import { ToCampaign } from './automation-page';
import { TriggerFields } from './trigger-fields';
import { automationDraftFrom, emptyAutomationDraft, sentenceOf, toAutomationInput, type AutomationDraft } from './trigger-draft';

export function AutomationEditorPage({ id }: { id: string | null }) {
  const loaded = useAsync(async () => ({ automation: id ? await campaignsApi.get(id) : null }), [id]);
  return (
    <PageData load={loaded} title="Automation" what="The automation" back={{ label: 'Back to automations', path: '/automations' }}>
      {(data) =>
        data.automation && data.automation.kind !== 'automated' ? (
          <ToCampaign id={data.automation.id} />
        ) : (
          <Editor key={id ?? 'new'} initial={data.automation} />
        )
      }
    </PageData>
  );
}

/** Where each API path's error shows; a path without one goes to the banner. */
const FIELD_IDS: Record<string, string> = {
  name: 'aut-name',
  'message.title': 'msg-title',
  'message.body': 'msg-body',
  'message.imageUrl': 'msg-image',
  'message.deepLink': 'msg-link',
  trigger: 'trigger-fields',
  'trigger.type': 'trigger-fields',
  'trigger.event': 'trigger-fields',
  'trigger.delayMinutes': 'trg-delay',
  'trigger.reentryAfterDays': 'trg-reentry',
  'trigger.days': 'trg-days',
};
const placed = (path: string) =>
  (FIELD_IDS[path] !== undefined && document.getElementById(FIELD_IDS[path]) !== null) ||
  path.startsWith('trigger.exitOn') ||
  path.startsWith('message.buttons');

type Action = 'save' | 'activate';

function Editor({ initial }: { initial: Automation | null }) {
  const [automation, setAutomation] = useState<Automation | null>(initial);
  const [draft, setDraft] = useState<AutomationDraft>(() => (initial ? automationDraftFrom(initial) : emptyAutomationDraft()));
  const [dirty, setDirty] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [warnings, setWarnings] = useState<Warning[]>(initial?.warnings ?? []);
  const [banner, setBanner] = useState<Notice | null>(null);
  const [busy, setBusy] = useState<Action | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);

  const status = automation?.status ?? 'draft';
  const editable = status === 'draft' || status === 'paused';
  const set = (patch: Partial<AutomationDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setDirty(true);
    setErrors({});
  };
  const message = useMemo(() => messageOf(draft), [draft]);
  useLeaveGuard(dirty && editable ? 'Your changes to this automation are not saved. Leave and lose them?' : null);

  const fail = (err: unknown) => {
    if (!(err instanceof ApiError)) return setBanner({ kind: 'error', node: errorText(err) });
    setErrors(fieldErrors(err.details));
    if (err.code === 'invalid_state') return setBanner({ kind: 'error', node: `This automation can no longer be changed: ${err.message}` });
    setBanner({ kind: 'error', node: <span data-testid="save-error">{errorSummary(err, placed)}</span> });
  };

  /** Save (create or update); the stored automation, or null when it failed (errors shown). */
  const save = async (quiet = false): Promise<Automation | null> => {
    setBanner(null);
    setErrors({});
    const input = toAutomationInput(draft, automation?.message ?? undefined);
    const local = messageErrors(input.message, (max) => `Too long to send: at most ${max} characters.`);
    if (!input.name) local.name = 'Give the automation a name (only you see it)';
    if (Object.keys(local).length > 0) {
      setErrors(local);
      setBanner({ kind: 'error', node: <span data-testid="save-error">Please fix the fields marked below.</span> });
      return null;
    }
    return storeCampaign(automation, input, {
      keep: (saved) => {
        setAutomation(saved);
        setWarnings(saved.warnings);
        setDirty(false);
      },
      path: (savedId) => automationPath(savedId, 'edit'),
      toast: quiet ? null : automation ? 'Automation saved' : 'Draft saved',
      fail,
    });
  };

  const run = async (action: Action) => {
    setBusy(action);
    try {
      if (action === 'save') {
        const saved = await save();
        // A paused automation goes back to its page, where the merchant resumes it.
        if (saved && saved.status === 'paused') navigate(automationPath(saved.id));
      } else {
        const saved = dirty || !automation ? await save(true) : automation;
        if (saved) setConfirming(saved.trigger ? sentenceOf(automationDraftFrom(saved)) : null);
      }
    } finally {
      setBusy(null);
    }
  };

  const activate = async () => {
    if (!automation) return;
    setBusy('activate');
    try {
      await campaignsApi.launch(automation.id);
      setDirty(false);
      toast('Automation active');
      navigate(automationPath(automation.id));
    } catch (err) {
      setConfirming(null);
      fail(err);
    } finally {
      setBusy(null);
    }
  };

  return (
    <div class="composer automation-editor">
      <PageHeader
        trail={[
          { label: 'Automations', path: '/automations' },
          ...(automation ? [{ label: automation.name, path: automationPath(automation.id) }] : []),
        ]}
        title={
          <>
            {automation ? `Edit ${automation.name}` : 'New automation'} {automation && <StatusBadge status={status} />}
          </>
        }
        actions={
          editable && (
            <>
              <button type="button" class="btn" disabled={!!busy} onClick={() => void run('save')}>
                {busy === 'save' ? 'Saving…' : status === 'paused' ? 'Save' : 'Save draft'}
              </button>
              {status === 'draft' && (
                <button type="button" class="btn btn-primary" disabled={!!busy} onClick={() => void run('activate')}>
                  {busy === 'activate' ? 'Saving…' : 'Save and activate'}
                </button>
              )}
            </>
          )
        }
      />
      <NoticeBanner notice={banner} onClose={() => setBanner(null)} />
      {warnings.length > 0 && !dirty && <WarningsBanner warnings={warnings} />}
      {status === 'paused' && <Banner kind="info">This automation is paused: save your changes, then resume it from its page.</Banner>}
      {!editable && <Banner kind="info">This automation is {status}; pause it to change it.</Banner>}
      <div class="two-col">
        <div class="col-main">
          <NameCard
            legend="Automation"
            id="aut-name"
            label="Automation name"
            placeholder="Cart reminder"
            value={draft.name}
            error={errors.name}
            disabled={!editable}
            onValue={(name) => set({ name })}
          />
          <TriggerFields draft={draft} set={set} errors={errors} disabled={!editable} />
          <MessageFields draft={draft} set={set} errors={errors} warnings={dirty ? [] : warnings} disabled={!editable} />
        </div>
        <aside class="col-side sticky">
          <PhonePreview message={message} appName={appName()} />
        </aside>
      </div>
      {confirming !== null && automation && (
        <ConfirmDialog
          title="Activate this automation?"
          confirmLabel={busy === 'activate' ? 'Activating…' : 'Activate'}
          cancelLabel="Back"
          busy={busy === 'activate'}
          onConfirm={() => void activate()}
          onClose={() => setConfirming(null)}
        >
          <p data-testid="activate-sentence">
            <strong>{confirming || 'As its trigger says'}</strong>
          </p>
          <p class="small">
            From now on, every device that meets this trigger gets “{automation.message?.title ?? ''}”, once, within seconds of being due.
            Opt-outs, the frequency cap and quiet hours apply. You can pause it at any time.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
