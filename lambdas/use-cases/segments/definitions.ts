/** Loading the segments an in_segment condition refers to, and checking references before a save. */
import { ValidationError } from '../../domain/errors';
import { findSegmentCycle, forEachCondition, referencedSegmentIds, type SegmentDefinition } from '../../domain/segments/criteria';
import type { SegmentStore } from '../../ports/segment-store';

/** Every definition reachable through in_segment from `def`, by id, with its name (missing ones are simply absent). */
export async function loadReferenced(
  store: SegmentStore,
  tenantId: string,
  def: SegmentDefinition,
): Promise<Map<string, SegmentDefinition & { name: string }>> {
  const found = new Map<string, SegmentDefinition & { name: string }>();
  let frontier = referencedSegmentIds(def);
  while (frontier.length > 0) {
    const loaded = await Promise.all(frontier.map((id) => store.get(tenantId, id)));
    const next: string[] = [];
    for (const seg of loaded) {
      if (!seg || found.has(seg.id)) continue;
      found.set(seg.id, { name: seg.name, match: seg.match, criteria: seg.criteria });
      next.push(...referencedSegmentIds(seg).filter((id) => !found.has(id)));
    }
    frontier = [...new Set(next)];
  }
  return found;
}

/** in_segment must name an existing segment of this tenant, and no chain of references may loop back. */
export async function assertReferencesValid(
  store: SegmentStore,
  tenantId: string,
  selfId: string | undefined,
  def: SegmentDefinition,
): Promise<Map<string, SegmentDefinition>> {
  const refs = await loadReferenced(store, tenantId, def);
  const details: { path: string; message: string }[] = [];
  forEachCondition(def, (c, path) => {
    if (c.filter !== 'in_segment') return;
    const id = String(c.value);
    if (id === selfId) details.push({ path: `${path}.value`, message: 'a segment cannot refer to itself' });
    else if (!refs.has(id)) details.push({ path: `${path}.value`, message: `no segment ${id}` });
  });
  if (details.length > 0) throw new ValidationError(`${details[0].path}: ${details[0].message}`, details);
  const lookup = (id: string) => (id === selfId ? def : refs.get(id));
  const cycle = findSegmentCycle(selfId, def, lookup);
  if (cycle) {
    const message = `in_segment references form a cycle: ${cycle.map((id) => (id.startsWith('\u0000') ? '(this segment)' : id)).join(' → ')}`;
    throw new ValidationError(`criteria: ${message}`, [{ path: 'criteria', message }]);
  }
  return refs;
}
