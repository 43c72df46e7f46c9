/** A group of criteria: its own ALL/ANY, NOT (negate) for nested groups, add condition / add group. */
import type { Match } from '../api/types';
import { useBuilder } from './builder-context';
import { ConditionRow } from './condition-row';
import { FilterOptions } from './filter-options';
import { newCondition, newGroup, type DraftGroup } from './model';

interface Props {
  node: DraftGroup;
  /** API path prefix of this group's criteria ('' for the root, 'criteria[2].' for a nested one). */
  base: string;
  depth: number;
  label: string;
}

export function MatchToggle({ value, onChange, name, label }: { value: Match; onChange: (m: Match) => void; name: string; label: string }) {
  return (
    <div class="seg-toggle" role="radiogroup" aria-label={label}>
      {(['all', 'any'] as Match[]).map((m) => (
        <label key={m} class={value === m ? 'on' : ''}>
          <input type="radio" name={name} value={m} checked={value === m} onChange={() => onChange(m)} />
          {m === 'all' ? 'ALL' : 'ANY'}
        </label>
      ))}
    </div>
  );
}

export function CriteriaGroup({ node, base, depth, label }: Props) {
  const { catalog, update, errors, maxDepth } = useBuilder();
  const isRoot = depth === 1;
  const set = (patch: Partial<DraftGroup>) => update(node.key, (n) => ({ ...(n as DraftGroup), ...patch }));
  const addCondition = (filter: string) => {
    const f = catalog.filters.find((x) => x.filter === filter);
    if (f) set({ children: [...node.children, newCondition(f)] });
  };
  const groupPath = base.replace(/\.$/, '');
  const groupError = !isRoot ? errors[groupPath] : undefined;
  return (
    <div
      class={`group depth-${depth} ${node.negate ? 'negated' : ''}`}
      role="group"
      aria-label={label}
      data-path={isRoot ? 'root' : groupPath}
    >
      <div class="group-head">
        {!isRoot && node.negate && <span class="not-pill">NOT</span>}
        <span class="group-lead">{isRoot ? 'Devices that match' : 'Match'}</span>
        <MatchToggle
          value={node.match}
          name={`match-${node.key}`}
          label={`${label}: match all or any`}
          onChange={(match) => set({ match })}
        />
        <span class="group-lead">{isRoot ? 'of these conditions' : 'of'}</span>
        {!isRoot && (
          <>
            <label class="check not-toggle">
              <input
                type="checkbox"
                checked={node.negate}
                onChange={(e) => set({ negate: (e.target as HTMLInputElement).checked })}
                aria-label={`${label}: NOT (exclude devices that match this group)`}
              />
              NOT
            </label>
            <button type="button" class="btn btn-ghost btn-sm" aria-label={`Remove ${label}`} onClick={() => update(node.key, () => null)}>
              Remove group
            </button>
          </>
        )}
      </div>
      {isRoot && (
        <p class="muted small match-help">
          {node.match === 'all'
            ? 'ALL: a device must meet every condition below.'
            : 'ANY: a device needs to meet at least one condition below.'}
        </p>
      )}
      <div class="group-body">
        {node.children.length === 0 && (
          <p class="muted small">{isRoot ? 'No conditions: every opted-in device is in this segment.' : 'This group is empty.'}</p>
        )}
        {node.children.map((c, i) => (
          <div class="criterion" key={c.key}>
            {i > 0 && <span class="joiner">{node.match === 'all' ? 'AND' : 'OR'}</span>}
            {c.kind === 'group' ? (
              <CriteriaGroup
                node={c}
                base={`${base}criteria[${i}].`}
                depth={depth + 1}
                label={isRoot ? `Group ${i + 1}` : `${label}.${i + 1}`}
              />
            ) : (
              <ConditionRow node={c} path={`${base}criteria[${i}]`} index={i} />
            )}
          </div>
        ))}
        {groupError && <p class="field-error">{groupError}</p>}
      </div>
      <div class="group-foot">
        <select
          class="input add-select"
          aria-label={isRoot ? 'Add condition' : `${label}: add condition`}
          value=""
          onChange={(e) => {
            const el = e.target as HTMLSelectElement;
            addCondition(el.value);
            el.value = '';
          }}
        >
          <option value="">+ Add condition</option>
          <FilterOptions filters={catalog.filters} />
        </select>
        {depth < maxDepth && (
          <button
            type="button"
            class="btn btn-ghost btn-sm"
            aria-label={isRoot ? 'Add group' : `${label}: add group`}
            onClick={() =>
              set({
                children: [
                  ...node.children,
                  newGroup(node.match === 'all' ? 'any' : 'all', catalog.filters[0] ? [newCondition(catalog.filters[0])] : []),
                ],
              })
            }
          >
            + Add group
          </button>
        )}
      </div>
    </div>
  );
}
