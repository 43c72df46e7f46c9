/** New / edit campaign: audience, message with preview, schedule; save draft, launch, cancel, delete. */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, errorText } from '../api/client';
import { currentTenant } from '../api/auth';
import { campaignsApi, segmentsApi, settingsApi } from '../api/endpoints';
import type { Campaign, CampaignStatus, Segment, Settings, Warning } from '../api/types';
import { ConfirmDialog } from '../components/modal';
import { Banner, Loading, NoticeBanner, PageData, PageHeader, StatusBadge, type Notice } from '../components/ui';
import { href, navigate, useLeaveGuard } from '../lib/router';
import { automationPath } from '../automations/automation-paths';
import { toast } from '../lib/toast';
import { useAsync } from '../lib/use-async';
import { useEstimate } from '../segments/use-estimate';
import { AudiencePicker } from './audience-picker';
import { draftFrom, emptyDraft, isAbTest, messageOf, toInput, type Draft, type MessageDraft } from './draft';
import { appName, errorSummary, messageErrors, NameCard, storeCampaign, WarningsBanner } from './editor-parts';
import { LaunchReview } from './launch-review';
import { duplicateErrorText, fieldErrors, fieldIdFor } from './merchant-errors';
import { stashDraft, takeStash } from './stash';
import { MessageFields } from './message-fields';
import { PhonePreview } from './phone-preview';
import { ScheduleFields } from './schedule-fields';
import { StatusCard } from './status-card';
import { TestSendDialog } from './test-send';
import { WaveTimeline } from './wave-timeline';
import { nothingSent } from './describe';
import { isLive, useCampaignPoll } from './use-campaign-poll';
import { AbTestCard, VariantPicker } from './variant-fields';
import { errorsOfVariant, variantErrors, variantPrefix, variantsWithErrors, warningsOfVariant } from './variants';

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
  const update = (patch: (d: Draft) => Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch(d) }));
    setDirty(true);
    setErrors({});
  };
  const set = (patch: Partial<Draft>) => update(() => patch);
  // A/B test: the message fields and the preview show one variant at a time.
  const [variantIx, setVariantIx] = useState(0);
  const ab = isAbTest(draft);
  const variantIds = (draft.variants ?? []).map((v) => v.id);
  const vi = ab ? Math.min(variantIx, draft.variants.length - 1) : 0;
  const shown: MessageDraft = ab ? draft.variants[vi] : draft;
  const setShown = (patch: Partial<MessageDraft>) =>
    update((d) => (isAbTest(d) ? { variants: d.variants.map((v, j) => (j === vi ? { ...v, ...patch } : v)) } : patch));
  /** Errors at the fields, and the first variant that has any on screen. */
  const showErrors = (e: Record<string, string>) => {
    setErrors(e);
    const bad = [...variantsWithErrors(e)].sort((a, b) => a - b)[0];
    if (bad !== undefined && !variantsWithErrors(e).has(vi)) setVariantIx(bad);
  };
  const message = useMemo(() => messageOf(shown), [shown]);
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
    showErrors(fieldErrors(err.details));
    if (err.code === 'payload_too_large') {
      setBanner({
        kind: 'error',
        node: (
          <span data-testid="payload-too-large">
            <strong>{variantPrefix(err.details[0]?.path ?? '', variantIds)}This notification is too large to send.</strong> Apple and Google
            accept at most 4 KB per push. Shorten the title or message, use shorter links, or remove a button.{' '}
            <span class="muted">({err.message})</span>
          </span>
        ),
      });
    } else if (err.code === 'invalid_state') {
      setBanner({ kind: 'error', node: `This campaign can no longer be changed: ${err.message}` });
    } else {
      // A variant's fields show its errors when its tab is picked (the tab is marked); the shares' sum shows under them.
      const placed = (path: string) =>
        !!document.getElementById(fieldIdFor(path)) || path.startsWith('message.buttons') || (ab && path.startsWith('variants'));
      setBanner({ kind: 'error', node: errorSummary(err, placed) });
    }
  };

  /** Save (create or update) and return the stored campaign, or null when it failed. */
  const save = async (quiet = false): Promise<Campaign | null> => {
    setBanner(null);
    setErrors({});
    const input = toInput(draft, campaign);
    const tooLong = (max: number, length: number) =>
      `Too long to send: at most ${max} characters (this has ${length}). Shorten it to save.`;
    const local = { ...(input.message ? messageErrors(input.message, tooLong) : {}), ...variantErrors(draft, tooLong) };
    if (!input.name) local.name = 'Give the campaign a name (only you see it)';
    input.message?.buttons?.forEach((b, i) => {
      if (!b.label.trim()) local[`message.buttons[${i}].label`] = 'Write the button text, or remove the button';
    });
    if (Object.keys(local).length > 0) {
      showErrors(local);
      setBanner({ kind: 'error', node: 'Please fix the fields marked below.' });
      return null;
    }
    return storeCampaign(campaign, input, {
      keep: (saved) => {
        setCampaign(saved);
        setWarnings(saved.warnings);
        setDirty(false);
      },
      path: (savedId) => `/campaigns/${encodeURIComponent(savedId)}`,
      toast: quiet ? null : campaign ? 'Campaign saved' : 'Draft saved',
      fail,
    });
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
      {warnings.length > 0 && <WarningsBanner warnings={warnings} variantIds={campaign?.variants?.map((v) => v.id) ?? variantIds} />}
      {!editable && <Banner kind="info">This campaign is {status}; its content can no longer be edited.</Banner>}
      <div class="two-col">
        <div class="col-main">
          {campaign && (isLive(campaign) || status !== 'draft') && (
            <StatusCard campaign={campaign} pollError={pollError} merchantZone={zone} />
          )}
          {campaign && status !== 'draft' && <WaveTimeline campaign={campaign} merchantZone={zone} />}
          <NameCard
            legend="Campaign"
            id="cmp-name"
            label="Campaign name"
            placeholder="Black Friday VIP"
            value={draft.name}
            error={errors.name}
            disabled={!editable}
            onValue={(name) => set({ name })}
          />
          <AudiencePicker
            segments={segments}
            value={draft.segmentId}
            size={size}
            onChange={(segmentId) => set({ segmentId })}
            onSegmentPage={toSegment}
            error={errors.segmentId}
            disabled={!editable}
          />
          <AbTestCard
            draft={draft}
            update={update}
            errors={errors}
            disabled={!editable}
            selected={vi}
            onSelect={setVariantIx}
            audience={size.estimate?.matched ?? null}
          />
          {ab && (
            <VariantPicker
              ids={variantIds}
              selected={vi}
              onSelect={setVariantIx}
              errors={errors}
              label="Variant to edit"
              testId="variant-tabs"
            />
          )}
          <MessageFields
            draft={shown}
            set={setShown}
            errors={ab ? errorsOfVariant(errors, vi) : errors}
            warnings={dirty ? [] : ab ? warningsOfVariant(warnings, vi) : warnings}
            disabled={!editable}
            legend={ab ? `Message of variant ${variantIds[vi] || vi + 1}` : 'Message'}
          />
          <ScheduleFields draft={draft} set={set} errors={errors} disabled={!editable} />
        </div>
        <aside class="col-side sticky">
          <PhonePreview
            message={message}
            appName={appName()}
            variants={ab ? { ids: variantIds, selected: vi, onSelect: setVariantIx } : undefined}
          />
        </aside>
      </div>
      {reviewing && campaign?.schedule && (
        <LaunchReview
          audienceName={draft.segmentId ? (segments.find((x) => x.id === draft.segmentId)?.name ?? 'Segment') : 'All opted-in devices'}
          segmentId={campaign.segmentId}
          size={size}
          message={campaign.message}
          variants={campaign.variants}
          holdoutPercent={campaign.holdoutPercent}
          schedule={campaign.schedule}
          warnings={warnings}
          busy={busy === 'launch'}
          onConfirm={() => void run('launch')}
          onBack={() => setReviewing(false)}
        />
      )}
      {testing && campaign && (
        <TestSendDialog
          campaignId={campaign.id}
          testDevices={settings.testDevices}
          variantIds={campaign.variants?.map((v) => v.id) ?? null}
          onClose={() => setTesting(false)}
        />
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
