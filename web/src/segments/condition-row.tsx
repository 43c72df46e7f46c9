/** One condition: filter, operator, value (by type), "within N days" and the event name where they apply. */
import { operatorLabel } from '../api/catalog';
import { uid } from '../components/field';
import { useMemo } from 'preact/hooks';
import { useBuilder } from './builder-context';
import { defaultValue, newCondition, operatorType, type DraftCondition } from './model';
import { FilterOptions } from './filter-options';
import { ValueInput } from './value-input';

interface Props {
  node: DraftCondition;
  path: string;
  index: number;
}

export function ConditionRow({ node, path, index }: Props) {
  const { catalog, errors, update } = useBuilder();
  const ids = useMemo(() => ({ filter: uid('flt'), op: uid('op'), value: uid('val'), within: uid('wd'), event: uid('ev') }), []);
  const spec = catalog.filters.find((f) => f.filter === node.filter);
  const type = operatorType(spec, node.operator);
  const set = (patch: Partial<DraftCondition>) => update(node.key, (n) => ({ ...(n as DraftCondition), ...patch }));
  const rowError = errors[path];
  const valueError = errors[`${path}.value`];
  const opError = errors[`${path}.operator`];
  const withinError = errors[`${path}.withinDays`];
  const eventError = errors[`${path}.event`];
  const n = index + 1;
  return (
    <div
      class="condition"
      data-path={path}
      data-filter={node.filter}
      role="group"
      aria-label={`Condition ${n}: ${spec?.label ?? node.filter}`}
    >
      <div class="condition-line">
        <div class="condition-main">
          <select
            id={ids.filter}
            class="input filter-select"
            aria-label={`Condition ${n} filter`}
            value={node.filter}
            onChange={(e) => {
              const f = catalog.filters.find((x) => x.filter === (e.target as HTMLSelectElement).value);
              if (f) update(node.key, () => ({ ...newCondition(f), key: node.key }));
            }}
          >
            <FilterOptions filters={catalog.filters} />
          </select>
          {spec?.requiresEvent && (
            <input
              id={ids.event}
              class="input ev"
              type="text"
              placeholder="event name, e.g. wishlist_share"
              aria-label={`Condition ${n} event name`}
              aria-invalid={eventError ? 'true' : undefined}
              aria-describedby={eventError ? `${ids.event}-error` : undefined}
              value={node.event}
              onInput={(e) => set({ event: (e.target as HTMLInputElement).value })}
            />
          )}
          <select
            id={ids.op}
            class="input op-select"
            aria-label={`Condition ${n} operator`}
            aria-invalid={opError ? 'true' : undefined}
            value={node.operator}
            onChange={(e) => {
              const op = (e.target as HTMLSelectElement).value;
              const nextType = operatorType(spec, op);
              set({ operator: op, value: nextType === type ? node.value : defaultValue(nextType) });
            }}
          >
            {spec?.operators.map((o) => (
              <option key={o.operator} value={o.operator}>
                {operatorLabel(spec, o.operator)}
              </option>
            ))}
          </select>
          <ValueInput
            id={ids.value}
            type={type}
            value={node.value}
            operator={node.operator}
            label={`Condition ${n} value`}
            error={valueError}
            onChange={(value) => set({ value })}
          />
          {spec?.withinDays && (
            <span class="inline-input within">
              <label for={ids.within} class="unit">
                {node.filter === 'abandoned_cart' ? 'within the last' : 'in the last'}
              </label>
              <input
                id={ids.within}
                class="input num small"
                type="number"
                min={1}
                step={1}
                placeholder={node.filter === 'abandoned_cart' ? '7' : 'all'}
                aria-invalid={withinError ? 'true' : undefined}
                aria-describedby={withinError ? `${ids.within}-error` : undefined}
                value={node.withinDays}
                onInput={(e) => set({ withinDays: (e.target as HTMLInputElement).value })}
              />
              <span class="unit">days</span>
            </span>
          )}
        </div>
        <button
          type="button"
          class="icon-btn remove"
          aria-label={`Remove condition ${n}`}
          title="Remove condition"
          onClick={() => update(node.key, () => null)}
        >
          <svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true">
            <path d="M5 5l10 10M15 5L5 15" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
          </svg>
        </button>
      </div>
      {[
        [rowError, `${ids.filter}-error`],
        [opError, `${ids.op}-error`],
        [valueError, `${ids.value}-error`],
        [withinError, `${ids.within}-error`],
        [eventError, `${ids.event}-error`],
      ]
        .filter(([m]) => m)
        .map(([m, id]) => (
          <p key={id} id={id} class="field-error">
            {m}
          </p>
        ))}
    </div>
  );
}
