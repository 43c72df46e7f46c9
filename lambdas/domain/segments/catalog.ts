/** The filter catalog served by GET /v1/segment-filters, generated from the filter model. */
import { COUNTRY_CODES } from '../countries';
import { FILTERS, FILTER_NAMES, LIMITS, PLATFORMS, type FilterName, type ValueType } from './filters';

export interface CatalogOperator {
  operator: string;
  valueType: ValueType;
}

export interface CatalogFilter {
  filter: FilterName;
  label: string;
  valueType: ValueType;
  operators: CatalogOperator[];
  withinDays: boolean;
  requiresEvent: boolean;
}

/** The catalog body: every filter plus the value lists and limits a UI needs. */
export interface FilterCatalog {
  filters: CatalogFilter[];
  countries: string[];
  platforms: string[];
  limits: typeof LIMITS;
}

/** Builds the catalog (pure; the handler may cache it). */
export function filterCatalog(): FilterCatalog {
  return {
    filters: FILTER_NAMES.map((name) => {
      const spec = FILTERS[name];
      return {
        filter: name,
        label: spec.label,
        valueType: spec.valueType,
        operators: Object.entries(spec.operators).map(([operator, valueType]) => ({ operator, valueType })),
        withinDays: spec.withinDays,
        requiresEvent: spec.requiresEvent,
      };
    }),
    countries: [...COUNTRY_CODES],
    platforms: [...PLATFORMS],
    limits: LIMITS,
  };
}

/** The catalog, built once at module load (it never changes at run time). */
export const SEGMENT_FILTER_CATALOG: FilterCatalog = filterCatalog();
