/** New / edit campaign: audience, message with preview, schedule; save draft, launch, cancel, delete. */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, errorText } from '../api/client';
import { currentTenant } from '../api/auth';
import { campaignsApi, segmentsApi, settingsApi } from '../api/endpoints';
import type { Campaign, CampaignStatus, Segment, Settings, Warning } from '../api/types';
import { TextField } from '../components/field';
import { ConfirmDialog } from '../components/modal';
import { Banner, Loading, NoticeBanner, PageData, PageHeader, StatusBadge, type Notice } from '../components/ui';
import { href, navigate, replacePath, useLeaveGuard } from '../lib/router';
import { automationPath } from '../automations/automation-paths';
import { toast } from '../lib/toast';
import { useAsync } from '../lib/use-async';
import { BODY_MAX_LENGTH, graphemeLength, TITLE_MAX_LENGTH } from '../../../lambdas/domain/campaigns/message-length';
import { useEstimate } from '../segments/use-estimate';
import { AudiencePicker } from './audience-picker';
import { draftFrom, emptyDraft, messageOf, toInput, type Draft } from './draft';
import { LaunchReview } from './launch-review';
import { duplicateErrorText, fieldErrors, labelled } from './merchant-errors';
import { stashDraft, takeStash } from './stash';
import { MessageFields } from './message-fields';
import { PhonePreview } from './phone-preview';
import { ScheduleFields } from './schedule-fields';
import { StatusCard } from './status-card';
import { TestSendDialog } from './test-send';
import { WaveTimeline } from './wave-timeline';
import { nothingSent } from './describe';
import { isLive, useCampaignPoll } from './use-campaign-poll';

export function ComposerPage({ id }: { id: string | null }) {
  const loaded = useAsync(async () => {
    // No fallbacks: without the segments the audience picker would offer only "all devices", and without the
    // settings a schedule would silently use this browser's time zone. A failure shows with a retry instead.
    const [campaign, segments, settings] = await Promise.all([
      id ? campaignsApi.get(id) : Promise.resolve(null),
      segmentsApi.listAll(),
      settingsApi.get(),
    ]);
    return { campaign, segments, settings };
  }, [id]);
  return (
    <PageData load={loaded} title="Campaign" what="Campaign data" back={{ label: 'Back to campaigns', path: '/campaigns' }}>
      {(data) => (data.campaign?.kind === 'automated' ? <ToAutomation id={data.campaign.id} /> : <Composer key={id ?? 'new'} {...data} />)}
    </PageData>
  );
}

/** An automation opened by a campaign address (an old link, a typed URL) goes to its own page. */
function ToAutomation({ id }: { id: string }) {
  useEffect(() => location.replace(href(automationPath(id))), [id]);
  return <Loading />;
}

const appName = () => {
  const t = currentTenant();
  return t.charAt(0).toUpperCase() + t.slice(1);
};

type Action = 'save' | 'review' | 'launch' | 'cancel' | 'delete' | 'test' | 'duplicate';

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

function Composer({ campaign: initial, segments, settings }: { campaign: Campaign | null; segments: Segment[]; settings: Settings }) {
  const zone = settings.defaultTimezone;
  const [campaign, setCampaign, pollError] = useCampaignPoll(initial);
  // Back from creating a segment: the kept draft, with the new segment selected.
  const [returned] = useState(() => takeStash(currentTenant(), initial?.id ?? null));
  const [draft, setDraft] = useState<Draft>(() => returned?.draft ?? (initial ? draftFrom(initial, zone) : emptyDraft(zone)));
  const [dirty, setDirty] = useState(!!returned);
  const [reviewing, setReviewing] = useState(false);
  const [testing, setTesting] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [warnings, setWarnings] = useState<Warning[]>(initial?.warnings ?? []);
  const [banner, setBanner] = useState<Notice | null>(() =>
    returned
      ? {
          kind: 'ok',
          node: returned.segmentChosen
            ? `Your campaign is as you left it, with the new segment “${segments.find((x) => x.id === returned.draft.segmentId)?.name ?? 'segment'}” selected. It is not saved yet.`
            : 'Your campaign is as you left it. It is not saved yet.',
        }
      : null,
  );
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
  const size = useEstimate(draft.segmentId ? { segmentId: draft.segmentId } : { match: 'all', criteria: [] }, 0);
  useLeaveGuard(dirty && editable ? 'Your changes to this campaign are not saved. Leave and lose them?' : null);

  /** "+ Create a segment" / "Edit segment": keep the draft in this tab and come back to it. */
  const toSegment = (segmentPath: string) => {
    stashDraft(currentTenant(), campaign?.id ?? null, draft);
    const back = campaign ? `/campaigns/${encodeURIComponent(campaign.id)}` : '/campaigns/new';
    navigate(`${segmentPath}?returnTo=${encodeURIComponent(back)}`);
  };

  const fail = (err: unknown) => {
    if (!(err instanceof ApiError)) return setBanner({ kind: 'error', node: errorText(err) });
    setErrors(fieldErrors(err.details));
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
      const unplaced = err.details.filter((d) => !document.getElementById(fieldIdFor(d.path)) && !d.path.startsWith('message.buttons'));
      setBanner({
        kind: 'error',
        node:
          err.details.length === 0
            ? err.message
            : unplaced.length === 0
              ? 'Please fix the fields marked below.'
              : unplaced.map(labelled).join(' · '),
      });
    }
  };

  /** Save (create or update) and return the stored campaign, or null when it failed. */
  const save = async (quiet = false): Promise<Campaign | null> => {
    setBanner(null);
    setErrors({});
    const input = toInput(draft, campaign?.message);
    const local: Record<string, string> = {};
    if (!input.name) local.name = 'Give the campaign a name (only you see it)';
    const titleLength = graphemeLength(input.message.title);
    const bodyLength = graphemeLength(input.message.body);
    if (!input.message.title.trim()) local['message.title'] = 'Write a title';
    else if (titleLength > TITLE_MAX_LENGTH)
      local['message.title'] = `Too long to send: at most ${TITLE_MAX_LENGTH} characters (this has ${titleLength}). Shorten it to save.`;
    if (!input.message.body.trim()) local['message.body'] = 'Write a message';
    else if (bodyLength > BODY_MAX_LENGTH)
      local['message.body'] = `Too long to send: at most ${BODY_MAX_LENGTH} characters (this has ${bodyLength}). Shorten it to save.`;
    input.message.buttons?.forEach((b, i) => {
      if (!b.label.trim()) local[`message.buttons[${i}].label`] = 'Write the button text, or remove the button';
    });
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
      if (!campaign) replacePath(`/campaigns/${encodeURIComponent(saved.id)}`);
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
      else if (action === 'review') {
        // Saved first (a draft, nothing sent) so the review shows what the service will launch, with its warnings.
        const saved = dirty || !campaign ? await save(true) : campaign;
        if (saved) setReviewing(true);
      } else if (action === 'launch' && campaign) {
        const launched = await campaignsApi.launch(campaign.id);
        setCampaign(launched);
        setReviewing(false);
        toast(launched.status === 'scheduled' ? 'Campaign scheduled' : 'Sending started');
      } else if (action === 'test') {
        // The test pushes what is saved: unsaved edits of an editable campaign are saved (quietly) first.
        const saved = editable && (dirty || !campaign) ? await save(true) : campaign;
        if (saved) setTesting(true);
      } else if (action === 'duplicate' && campaign) {
        const saved = editable && dirty ? await save(true) : campaign;
        if (!saved) return;
        try {
          const copy = await campaignsApi.duplicate(saved.id);
          setDirty(false);
          toast('Copy created');
          navigate(`/campaigns/${encodeURIComponent(copy.id)}`);
        } catch (err) {
          setBanner({ kind: 'error', node: <span data-testid="duplicate-error">{duplicateErrorText(err)}</span> });
        }
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
      // A refused launch closes the review so its reason (in the banner, at the fields) is visible.
      setReviewing(false);
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
            {campaign ? campaign.name : 'New push campaign'}{' '}
            {campaign && <StatusBadge status={status} nothingSent={nothingSent(campaign)} />}
          </>
        }
        actions={
          <>
            {campaign && canDelete && (
              <button type="button" class="btn btn-danger-ghost" disabled={!!busy} onClick={() => setConfirm('delete')}>
                Delete
              </button>
            )}
            {campaign && (
              <button type="button" class="btn" disabled={!!busy} onClick={() => void run('duplicate')}>
                {busy === 'duplicate' ? 'Duplicating…' : 'Duplicate'}
              </button>
            )}
            {status !== 'cancelled' && (
              <button type="button" class="btn" disabled={!!busy} onClick={() => void run('test')}>
                {busy === 'test' ? 'Saving…' : 'Send a test'}
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
              <button type="button" class="btn btn-primary" disabled={!!busy} onClick={() => void run('review')}>
                {busy === 'review' ? 'Checking…' : launchLabel}
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
          {campaign && (isLive(campaign) || status !== 'draft') && (
            <StatusCard campaign={campaign} pollError={pollError} merchantZone={zone} />
          )}
          {campaign && status !== 'draft' && <WaveTimeline campaign={campaign} merchantZone={zone} />}
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
            size={size}
            onChange={(segmentId) => set({ segmentId })}
            onSegmentPage={toSegment}
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
      {reviewing && campaign?.schedule && (
        <LaunchReview
          audienceName={draft.segmentId ? (segments.find((x) => x.id === draft.segmentId)?.name ?? 'Segment') : 'All opted-in devices'}
          segmentId={campaign.segmentId}
          size={size}
          message={campaign.message}
          schedule={campaign.schedule}
          warnings={warnings}
          busy={busy === 'launch'}
          onConfirm={() => void run('launch')}
          onBack={() => setReviewing(false)}
        />
      )}
      {testing && campaign && (
        <TestSendDialog campaignId={campaign.id} testDevices={settings.testDevices} onClose={() => setTesting(false)} />
      )}
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
