/** Segment CRUD: unique names, optimistic concurrency, reference checks, and the in-use guard on delete. */
import { backoffDelay, SEGMENT_WRITE_RACE } from '../../domain/backoff';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors';
import { newId, RESOURCE_ID_PATTERN } from '../../domain/ids';
import { referencedSegmentIds } from '../../domain/segments/criteria';
import { parseSegmentInput, publicSegment, type Segment } from '../../domain/segments/segment';
import type { CampaignStore } from '../../ports/campaign-store';
import type { Clock } from '../../ports/clock';
import { InvalidCursorError, type SegmentStore } from '../../ports/segment-store';
import { assertReferencesValid } from './definitions';

export interface SegmentDeps {
  segments: SegmentStore;
  campaigns: CampaignStore;
  clock: Clock;
}

/** POST /v1/segments */
export async function createSegment(deps: SegmentDeps, tenantId: string, body: unknown) {
  const input = parseSegmentInput(body);
  const now = deps.clock.now();
  const id = newId('seg', now);
  await assertReferencesValid(deps.segments, tenantId, id, input.definition);
  const segment: Segment = {
    id,
    tenantId,
    name: input.name,
    description: input.description,
    ...input.definition,
    version: 1,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  if ((await deps.segments.create(segment)) === 'name_taken') throw nameTaken(input.name);
  return publicSegment(segment);
}

/** GET /v1/segments/{id} */
export async function getSegment(deps: Pick<SegmentDeps, 'segments'>, tenantId: string, id: string): Promise<Segment> {
  // An id we could never have issued is not looked up (a key over DynamoDB's size limit would fail the read).
  const segment = RESOURCE_ID_PATTERN.test(id) ? await deps.segments.get(tenantId, id) : undefined;
  if (!segment) throw new NotFoundError('segment');
  return segment;
}

/** GET /v1/segments?limit&cursor */
export async function listSegments(deps: Pick<SegmentDeps, 'segments'>, tenantId: string, page: { limit: number; cursor?: string }) {
  try {
    const found = await deps.segments.list(tenantId, { limit: page.limit, cursor: page.cursor });
    return { items: found.items.map(publicSegment), nextCursor: found.nextCursor };
  } catch (err) {
    if (err instanceof InvalidCursorError)
      throw new ValidationError('cursor: is not a cursor this API returned', [
        { path: 'cursor', message: 'is not a cursor this API returned' },
      ]);
    throw err;
  }
}

/** PUT /v1/segments/{id}; `expected` is the version the caller edited (If-Match), undefined for the latest. */
export async function updateSegment(deps: SegmentDeps, tenantId: string, id: string, body: unknown, expected: number | undefined) {
  const input = parseSegmentInput(body);
  // Without If-Match the latest write wins: losing the internal compare-and-set to a concurrent
  // write is retried on the new version instead of answering 409 (found by the load test).
  for (let attempt = 1; ; attempt++) {
    const current = await getSegment(deps, tenantId, id);
    if (expected !== undefined && expected !== current.version) throw versionMismatch(current.version);
    await assertReferencesValid(deps.segments, tenantId, id, input.definition);
    if (expected === undefined && input.name === current.name) {
      // Same name, no If-Match: one atomic update, so concurrent writers never collide.
      const replaced = await deps.segments.replaceDefinition(tenantId, id, current.name, {
        description: input.description,
        match: input.definition.match,
        criteria: input.definition.criteria,
        updatedAt: deps.clock.now().toISOString(),
      });
      if (replaced) return publicSegment(replaced);
      continue; // renamed or deleted meanwhile: decide again on what is stored now
    }
    const next: Segment = {
      ...current,
      name: input.name,
      description: input.description,
      match: input.definition.match,
      criteria: input.definition.criteria,
      version: current.version + 1,
      updatedAt: deps.clock.now().toISOString(),
    };
    const result = await deps.segments.update(next, current.version);
    if (result === 'name_taken') throw nameTaken(input.name);
    if (result === 'not_found') throw new NotFoundError('segment');
    if (result === 'version_mismatch') {
      if (expected === undefined && attempt < 20) {
        // Jittered backoff, so writers racing on one segment spread out instead of colliding again.
        await new Promise((r) => setTimeout(r, backoffDelay(attempt - 1, SEGMENT_WRITE_RACE)));
        continue;
      }
      throw versionMismatch((await deps.segments.get(tenantId, id))?.version ?? current.version);
    }
    return publicSegment(next);
  }
}

/** DELETE /v1/segments/{id}: refused while another segment or a live campaign refers to it; `expected` as for updates. */
export async function deleteSegment(deps: SegmentDeps, tenantId: string, id: string, expected: number | undefined) {
  const current = await getSegment(deps, tenantId, id);
  if (expected !== undefined && expected !== current.version) throw versionMismatch(current.version);
  const [segments, campaigns] = await Promise.all([deps.segments.listAll(tenantId), deps.campaigns.listAll(tenantId)]);
  const referrers = [
    ...segments
      .filter((s) => s.id !== id && referencedSegmentIds(s).includes(id))
      .map((s) => ({ type: 'segment', id: s.id, name: s.name })),
    ...campaigns
      .filter((c) => c.segmentId === id && ['draft', 'scheduled', 'sending'].includes(c.status))
      .map((c) => ({ type: 'campaign', id: c.id, name: c.name, status: c.status })),
  ];
  if (referrers.length > 0) {
    const names = referrers.map((r) => `${r.type} "${r.name}"`).join(', ');
    throw new ConflictError('segment_in_use', `segment is in use by ${names}`, { referrers });
  }
  const result = await deps.segments.delete(tenantId, id, current.version);
  if (result === 'version_mismatch') throw versionMismatch(current.version + 1);
}

function nameTaken(name: string) {
  return new ConflictError('conflict', `a segment named "${name}" already exists`);
}

function versionMismatch(current: number) {
  return new ConflictError('version_mismatch', `the segment was changed meanwhile (current version ${current})`, {
    currentVersion: current,
  });
}
