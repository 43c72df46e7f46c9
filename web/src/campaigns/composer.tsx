/** New / edit campaign: audience, message with preview, schedule; save draft, launch, cancel, delete. */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, errorText } from '../api/client';
import { currentTenant } from '../api/auth';
import { campaignsApi, segmentsApi, settingsApi } from '../api/endpoints';
import type { Campaign, CampaignStatus, Segment, Warning } from '../api/types';
import { TextField } from '../components/field';
import { ConfirmDialog } from '../components/modal';
import { Banner, NoticeBanner, PageData, PageHeader, StatusBadge, type Notice } from '../components/ui';
import { href, navigate } from '../lib/router';
import { toast } from '../lib/toast';
import { useAsync } from '../lib/use-async';
import { AudiencePicker } from './audience-picker';
import { draftFrom, emptyDraft, messageOf, toInput, type Draft } from './draft';
import { MessageFields } from './message-fields';
import { PhonePreview } from './phone-preview';
import { ScheduleFields } from './schedule-fields';
import { StatusCard } from './status-card';
import { isLive, useCampaignPoll } from './use-campaign-poll';

export function ComposerPage({ id }: { id: string | null }) {
  const loaded = useAsync(async () => {
    // No fallbacks: without the segments the audience picker would offer only "all devices", and without the
    // settings a schedule would silently use this browser's time zone. A failure shows with a retry instead.
    const [campaign, segments, zone] = await Promise.all([
      id ? campaignsApi.get(id) : Promise.resolve(null),
      segmentsApi.listAll(),
      settingsApi.get().then((s) => s.defaultTimezone),
    ]);
    return { campaign, segments, zone };
  }, [id]);
  return (
    <PageData load={loaded} title="Campaign" what="Campaign data" back={{ label: 'Back to campaigns', path: '/campaigns' }}>
      {(data) => <Composer key={id ?? 'new'} {...data} />}
    </PageData>
  );
}

const appName = () => {
  const t = currentTenant();
  return t.charAt(0).toUpperCase() + t.slice(1);
};

type Action = 'save' | 'launch' | 'cancel' | 'delete';

/** The actions that ask first: what the dialog says for each. */
const CONFIRMS = {
  cancel: {
    title: 'Cancel this campaign?',
    confirmLabel: 'Cancel campaign',
    text: (status: CampaignStatus) =>
      status === 'sending'
        ? 'Pushes that have not gone out yet will not be sent. Those already delivered stay delivered.'
        : 'Nothing will be sent.',
  },
  delete: {
    title: 'Delete this campaign?',
    confirmLabel: 'Delete campaign',
    text: () => 'This cannot be undone.',
  },
} as const;

function Composer({ campaign: initial, segments, zone }: { campaign: Campaign | null; segments: Segment[]; zone: string }) {
  const [campaign, setCampaign, pollError] = useCampaignPoll(initial);
  const [draft, setDraft] = useState<Draft>(() => (initial ? draftFrom(initial, zone) : emptyDraft(zone)));
  const [dirty, setDirty] = useState(!initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [warnings, setWarnings] = useState<Warning[]>(initial?.warnings ?? []);
  const [banner, setBanner] = useState<Notice | null>(null);
  const [busy, setBusy] = useState<Action | null>(null);
  const [confirm, setConfirm] = useState<keyof typeof CONFIRMS | null>(null);

  const status = campaign?.status ?? 'draft';
  const editable = status === 'draft' || status === 'scheduled';
  const set = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setDirty(true);
    setErrors({});
  };
  const message = useMemo(() => messageOf(draft), [draft]);

  useEffect(() => {
    if (!dirty || !editable) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty, editable]);

  const fail = (err: unknown) => {
    if (!(err instanceof ApiError)) return setBanner({ kind: 'error', node: errorText(err) });
    const byPath = Object.fromEntries(err.details.map((d) => [d.path, d.message]));
    setErrors(byPath);
    if (err.code === 'payload_too_large') {
      setBanner({
        kind: 'error',
        node: (
          <span data-testid="payload-too-large">
            <strong>This notification is too large to send.</strong> Apple and Google accept at most 4 KB per push. Shorten the title or
            message, use shorter links, or remove a button. <span class="muted">({err.message})</span>
          </span>
        ),
      });
    } else if (err.code === 'invalid_state') {
      setBanner({ kind: 'error', node: `This campaign can no longer be changed: ${err.message}` });
    } else {
      const placed =
        err.details.length > 0 &&
        err.details.every((d) => document.getElementById(fieldIdFor(d.path)) || d.path.startsWith('message.buttons'));
      setBanner({ kind: 'error', node: placed ? 'Please fix the fields marked below.' : err.message });
    }
  };

  /** Save (create or update) and return the stored campaign, or null when it failed. */
  const save = async (quiet = false): Promise<Campaign | null> => {
    setBanner(null);
    setErrors({});
    const input = toInput(draft, campaign?.message);
    const local: Record<string, string> = {};
    if (!input.name) local.name = 'Give the campaign a name (only you see it)';
    if (!input.message.title.trim()) local['message.title'] = 'Write a title';
    if (!input.message.body.trim()) local['message.body'] = 'Write a message';
    if (Object.keys(local).length > 0) {
      setErrors(local);
      setBanner({ kind: 'error', node: 'Please fix the fields marked below.' });
      return null;
    }
    try {
      const saved = campaign ? await campaignsApi.update(campaign.id, input) : await campaignsApi.create(input);
      setCampaign(saved);
      setWarnings(saved.warnings);
      setDirty(false);
      if (!campaign) history.replaceState(null, '', href(`/campaigns/${encodeURIComponent(saved.id)}`));
      if (!quiet) toast(campaign ? 'Campaign saved' : 'Draft saved');
      return saved;
    } catch (err) {
      fail(err);
      return null;
    }
  };

  const run = async (action: Action) => {
    setBusy(action);
    try {
      if (action === 'save') await save();
      else if (action === 'launch') {
        const saved = dirty || !campaign ? await save(true) : campaign;
        if (!saved) return;
        const launched = await campaignsApi.launch(saved.id);
        setCampaign(launched);
        toast(launched.status === 'scheduled' ? 'Campaign scheduled' : 'Sending started');
      } else if (action === 'cancel' && campaign) {
        setCampaign(await campaignsApi.cancel(campaign.id));
        toast('Campaign cancelled');
      } else if (action === 'delete' && campaign) {
        await campaignsApi.remove(campaign.id);
        setDirty(false);
        toast('Campaign deleted');
        navigate('/campaigns');
      }
    } catch (err) {
      fail(err);
    } finally {
      setBusy(null);
      setConfirm(null);
    }
  };

  const canDelete = !campaign || ['draft', 'cancelled', 'sent', 'failed'].includes(status);
  const canCancel = status === 'scheduled' || status === 'sending';
  const launchLabel = draft.scheduleType === 'now' ? 'Send now' : 'Schedule';

  return (
    <div class="composer">
      <PageHeader
        trail={[{ label: 'Campaigns', path: '/campaigns' }]}
        title={
          <>
            {campaign ? campaign.name : 'New push campaign'} {campaign && <StatusBadge status={status} />}
          </>
        }
        actions={
          <>
            {campaign && canDelete && (
              <button type="button" class="btn btn-danger-ghost" disabled={!!busy} onClick={() => setConfirm('delete')}>
                Delete
              </button>
            )}
            {canCancel && (
              <button type="button" class="btn btn-danger-ghost" disabled={!!busy} onClick={() => setConfirm('cancel')}>
                Cancel campaign
              </button>
            )}
            {editable && (
              <button type="button" class="btn" disabled={!!busy} onClick={() => void run('save')}>
                {busy === 'save' ? 'Saving…' : status === 'scheduled' ? 'Save changes' : 'Save draft'}
              </button>
            )}
            {status === 'draft' && (
              <button type="button" class="btn btn-primary" disabled={!!busy} onClick={() => void run('launch')}>
                {busy === 'launch' ? 'Launching…' : launchLabel}
              </button>
            )}
          </>
        }
      />
      <NoticeBanner notice={banner} onClose={() => setBanner(null)} />
      {warnings.length > 0 && (
        <Banner kind="warning">
          <ul class="plain" data-testid="warnings">
            {warnings.map((w) => (
              <li key={w.code}>{w.message}</li>
            ))}
          </ul>
        </Banner>
      )}
      {!editable && <Banner kind="info">This campaign is {status}; its content can no longer be edited.</Banner>}
      <div class="two-col">
        <div class="col-main">
          {campaign && (isLive(campaign) || status !== 'draft') && <StatusCard campaign={campaign} pollError={pollError} />}
          <fieldset class="card" disabled={!editable}>
            <legend class="card-legend">Campaign</legend>
            <TextField
              id="cmp-name"
              label="Campaign name"
              hint="Only you see this."
              error={errors.name}
              placeholder="Black Friday VIP"
              value={draft.name}
              onValue={(name) => set({ name })}
            />
          </fieldset>
          <AudiencePicker
            segments={segments}
            value={draft.segmentId}
            onChange={(segmentId) => set({ segmentId })}
            error={errors.segmentId}
            disabled={!editable}
          />
          <MessageFields draft={draft} set={set} errors={errors} warnings={dirty ? [] : warnings} disabled={!editable} />
          <ScheduleFields draft={draft} set={set} errors={errors} disabled={!editable} />
        </div>
        <aside class="col-side sticky">
          <PhonePreview message={message} appName={appName()} />
        </aside>
      </div>
      {confirm && (
        <ConfirmDialog
          key={confirm}
          title={CONFIRMS[confirm].title}
          confirmLabel={CONFIRMS[confirm].confirmLabel}
          danger
          busy={busy === confirm}
          onConfirm={() => void run(confirm)}
          onClose={() => setConfirm(null)}
        >
          <p>{CONFIRMS[confirm].text(status)}</p>
        </ConfirmDialog>
      )}
    </div>
  );
}

/** The input id that shows an API path's error (to tell whether every error has a visible home). */
function fieldIdFor(path: string): string {
  const map: Record<string, string> = {
    name: 'cmp-name',
    segmentId: 'cmp-segment',
    'message.title': 'msg-title',
    'message.body': 'msg-body',
    'message.imageUrl': 'msg-image',
    'message.deepLink': 'msg-link',
    'schedule.at': 'sched-at',
    schedule: 'sched-at',
    'schedule.timezone': 'sched-tz',
    'schedule.fallbackTimezone': 'sched-fallback',
  };
  return map[path] ?? '__none__';
}
