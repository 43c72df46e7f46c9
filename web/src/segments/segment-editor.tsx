/** Create or edit a segment: name, ALL/ANY, conditions and groups, live size, save, delete, explain. */
import { useMemo, useState } from 'preact/hooks';
import { ApiError, errorText } from '../api/client';
import { loadCatalog } from '../api/catalog';
import { segmentsApi } from '../api/endpoints';
import type { Catalog, Segment } from '../api/types';
import { TextField } from '../components/field';
import { ConfirmDialog } from '../components/modal';
import { NoticeBanner, PageData, PageHeader, type Notice } from '../components/ui';
import { navigate, replacePath, useLeaveGuard } from '../lib/router';
import { fieldErrors } from '../campaigns/merchant-errors';
import { chooseSegmentInStash } from '../campaigns/stash';
import { toast } from '../lib/toast';
import { useAsync } from '../lib/use-async';
import { Builder } from './builder-context';
import { CriteriaGroup } from './criteria-group';
import { EstimatePanel } from './estimate-panel';
import { ExplainPanel } from './explain-panel';
import { countConditions, fromDefinition, newGroup, toDefinition, updateNode, type DraftGroup } from './model';
import { deleteFailure } from './referrers';
import { useEstimate } from './use-estimate';

/** `returnTo`: the composer that sent the merchant here ("+ Create a segment"); saving or leaving goes back to it. */
export function SegmentEditorPage({ id, returnTo }: { id: string | null; returnTo?: string }) {
  const loaded = useAsync(async () => {
    const [catalog, segments, segment] = await Promise.all([
      loadCatalog(),
      segmentsApi.listAll(),
      id ? segmentsApi.get(id) : Promise.resolve(null),
    ]);
    return { catalog, segments, segment };
  }, [id]);
  return (
    <PageData load={loaded} title="Segment" what="Segment data" back={{ label: 'Back to segments', path: '/segments' }}>
      {(data) => (
        <SegmentEditor
          key={data.segment?.id ?? 'new'}
          catalog={data.catalog}
          segments={data.segments}
          initial={data.segment}
          returnTo={returnTo}
        />
      )}
    </PageData>
  );
}

interface EditorProps {
  catalog: Catalog;
  segments: Segment[];
  initial: Segment | null;
  returnTo?: string;
}

function SegmentEditor({ catalog, segments, initial, returnTo }: EditorProps) {
  const [saved, setSaved] = useState<Segment | null>(initial);
  const [name, setName] = useState(initial?.name ?? '');
  const [description, setDescription] = useState(initial?.description ?? '');
  const [root, setRoot] = useState<DraftGroup>(() => (initial ? fromDefinition(initial) : newGroup('all')));
  const [dirty, setDirty] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [banner, setBanner] = useState<Notice | null>(null);
  const [showIssues, setShowIssues] = useState(false);
  const [saving, setSaving] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);

  const { definition, issues } = useMemo(() => toDefinition(root, catalog.filters), [root, catalog]);
  const estimate = useEstimate(issues.length === 0 ? definition : null, 400, 5);

  // Validation errors of the live estimate (e.g. a cycle through in_segment) belong next to their field too.
  const estimateErrors = useMemo(
    () => Object.fromEntries((estimate.error?.details ?? []).map((d) => [d.path, d.message])),
    [estimate.error],
  );
  const localErrors = useMemo(() => (showIssues ? Object.fromEntries(issues.map((i) => [i.path, i.message])) : {}), [issues, showIssues]);
  const errors = { ...localErrors, ...estimateErrors, ...serverErrors };

  const edit = () => {
    setDirty(true);
    setServerErrors({});
  };
  const update = (key: number, fn: Parameters<typeof updateNode>[2]) => {
    setRoot((r) => updateNode(r, key, fn));
    edit();
  };

  useLeaveGuard(dirty ? 'Your changes to this segment are not saved. Leave and lose them?' : null);

  const save = async () => {
    setShowIssues(true);
    setBanner(null);
    if (!name.trim()) {
      setServerErrors({ name: 'Give the segment a name' });
      return;
    }
    if (issues.length > 0) {
      setBanner({ kind: 'error', node: 'Some conditions are incomplete: see the notes under them.' });
      return;
    }
    setSaving(true);
    const input = { name: name.trim(), description: description.trim() || null, ...definition };
    try {
      const next = saved ? await segmentsApi.update(saved.id, input, saved.version) : await segmentsApi.create(input);
      setSaved(next);
      setDirty(false);
      setServerErrors({});
      toast(saved ? 'Segment saved' : 'Segment created');
      if (returnTo) {
        // Back to the waiting campaign, with this segment selected in it.
        chooseSegmentInStash(next.id);
        navigate(returnTo);
      } else if (!saved) replacePath(`/segments/${encodeURIComponent(next.id)}`);
    } catch (err) {
      if (err instanceof ApiError) {
        setServerErrors(fieldErrors(err.details));
        if (err.code === 'version_mismatch') {
          setBanner({
            kind: 'error',
            node: (
              <span data-testid="version-mismatch">
                <strong>Someone else changed this segment while you were editing.</strong> Your version ({saved?.version}) is out of date.
                Reload it to see their changes (your edits here will be lost), then make yours again.{' '}
                <button type="button" class="btn btn-sm" onClick={() => location.reload()}>
                  Reload segment
                </button>
              </span>
            ),
          });
        } else if (err.code === 'conflict') {
          setServerErrors((e) => ({ ...e, name: 'Another segment already has this name. Choose a different one.' }));
        } else {
          const unplaced = err.details.length === 0 || err.details.some((d) => d.path === '' || d.path === '(body)');
          setBanner({ kind: 'error', node: unplaced ? err.message : 'Please fix the fields marked below.' });
        }
      } else setBanner({ kind: 'error', node: errorText(err) });
    } finally {
      setSaving(false);
    }
  };

  const remove = async () => {
    if (!saved) return;
    try {
      await segmentsApi.remove(saved.id);
      toast('Segment deleted');
      setDirty(false);
      navigate('/segments');
    } catch (err) {
      setConfirmDelete(false);
      setBanner(deleteFailure(err));
    }
  };

  const others = segments.filter((s) => s.id !== saved?.id);
  const conditions = countConditions(root);
  return (
    <div class="segment-editor">
      <PageHeader
        trail={[{ label: 'Segments', path: '/segments' }]}
        title={saved ? `Edit segment` : 'New segment'}
        actions={
          <>
            {returnTo && (
              // A plain hash change: with unsaved edits the leave guard asks first.
              <a class="btn btn-ghost" href={`#${returnTo}`} data-testid="back-to-campaign">
                Back to the campaign
              </a>
            )}
            {saved && (
              <button type="button" class="btn btn-danger-ghost" onClick={() => setConfirmDelete(true)}>
                Delete segment
              </button>
            )}
            <button type="button" class="btn btn-primary" disabled={saving} onClick={() => void save()}>
              {saving ? 'Saving…' : returnTo ? 'Save and use in campaign' : saved ? 'Save changes' : 'Save segment'}
            </button>
          </>
        }
      />
      <NoticeBanner notice={banner} onClose={() => setBanner(null)} />
      <div class="two-col">
        <div class="col-main">
          <section class="card">
            <TextField
              id="seg-name"
              label="Segment name"
              error={errors.name}
              maxLength={100}
              placeholder="e.g. VIP shoppers in North America"
              value={name}
              onValue={(v) => {
                setName(v);
                edit();
              }}
            />
            <TextField
              id="seg-desc"
              label="Description (optional)"
              error={errors.description}
              rows={2}
              maxLength={1000}
              value={description}
              onValue={(v) => {
                setDescription(v);
                edit();
              }}
            />
          </section>
          <section class="card" aria-labelledby="criteria-title">
            <div class="card-head">
              <h2 id="criteria-title">Conditions</h2>
              <span class="muted small">
                {conditions} of {catalog.limits.maxConditions} conditions · groups nest up to {catalog.limits.maxDepth} deep
              </span>
            </div>
            <Builder.Provider value={{ catalog, segments: others, errors, update, maxDepth: catalog.limits.maxDepth }}>
              <CriteriaGroup node={root} base="" depth={1} label="Segment conditions" />
            </Builder.Provider>
            {errors.criteria && <p class="field-error">{errors.criteria}</p>}
          </section>
        </div>
        <aside class="col-side sticky">
          <EstimatePanel state={estimate} missing={issues.map((i) => i.message)} />
          {saved && <ExplainPanel segmentId={saved.id} catalog={catalog} sample={estimate.estimate?.sample} dirty={dirty} />}
          <section class="card tips">
            <h2>Good to know</h2>
            <ul class="small muted">
              <li>Only devices that opted in to push are counted.</li>
              <li>Spend and orders cover all of a shopper's devices only when they are logged in.</li>
              <li>A saved segment is evaluated when a campaign is sent, so edits apply to every later campaign.</li>
            </ul>
          </section>
        </aside>
      </div>
      {confirmDelete && saved && (
        <ConfirmDialog
          title={`Delete “${saved.name}”?`}
          confirmLabel="Delete segment"
          danger
          onConfirm={() => void remove()}
          onClose={() => setConfirmDelete(false)}
        >
          <p>Campaigns that were already sent keep their results. This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
