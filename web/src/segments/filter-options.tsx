/** The filters as <option>s under one <optgroup> per category, for the pickers of a condition's filter. */
import type { CatalogFilter } from '../api/types';
import { groupFilters } from './filter-groups';

export function FilterOptions({ filters }: { filters: CatalogFilter[] }) {
  return (
    <>
      {groupFilters(filters).map((g) => (
        <optgroup key={g.category} label={g.category}>
          {g.filters.map((f) => (
            <option key={f.filter} value={f.filter}>
              {f.label}
            </option>
          ))}
        </optgroup>
      ))}
    </>
  );
}
