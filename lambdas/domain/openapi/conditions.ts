/**
 * The request `Condition` of the OpenAPI document as a `oneOf` keyed on `filter`: one component per
 * filter of the filter model (segments/filters.ts), each with that filter's operators, the value
 * each operator takes (segments/values.ts) and the extra fields the filter accepts, i.e. the rules
 * checkCondition (segments/criteria.ts) applies, so a generated client cannot build a condition
 * the server would reject for its operator, value type, withinDays or event.
 */
import type * as z from 'zod';
import {
  ABANDONED_CART_DEFAULT_DAYS,
  CUSTOM_EVENT_NAME,
  FILTERS,
  FILTER_NAMES,
  LIMITS,
  type FilterName,
  type ValueType,
} from '../segments/filters';
import { VALUE_SCHEMAS } from '../segments/values';
import { COUNTRY_CODE_PATTERN, ISO_DATE_OR_DATE_TIME_PATTERN } from './limits';

type JsonSchema = Record<string, unknown>;

/** What the refinements of VALUE_SCHEMAS check, as keywords (the conversion only keeps their messages). */
const VALUE_LIMITS: Partial<Record<ValueType, JsonSchema>> = {
  date: { pattern: ISO_DATE_OR_DATE_TIME_PATTERN },
  countries: { items: { type: 'string', pattern: COUNTRY_CODE_PATTERN, description: 'an ISO 3166-1 alpha-2 country code' } },
};

const SCHEMA_REF = '#/components/schemas/';

/** Component name of one filter's branch: `total_spend` → `TotalSpendCondition`. */
export const conditionComponentName = (filter: FilterName): string =>
  `${filter
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('')}Condition`;

/** The operators of a filter grouped by the value type they take, in the filter model's order. */
function operatorGroups(filter: FilterName): [ValueType, string[]][] {
  const groups = new Map<ValueType, string[]>();
  for (const [op, vt] of Object.entries(FILTERS[filter].operators)) groups.set(vt, [...(groups.get(vt) ?? []), op]);
  return [...groups];
}

function branch(filter: FilterName, valueSchema: (vt: Exclude<ValueType, 'none'>) => JsonSchema): JsonSchema {
  const spec = FILTERS[filter];
  const groups = operatorGroups(filter);
  const valued = groups.filter((g): g is [Exclude<ValueType, 'none'>, string[]] => g[0] !== 'none');
  const properties: Record<string, JsonSchema> = {
    filter: { type: 'string', const: filter },
    operator: { type: 'string', enum: Object.keys(spec.operators) },
  };
  if (valued.length === 1) properties.value = valueSchema(valued[0][0]);
  else if (valued.length > 1) properties.value = { anyOf: valued.map(([vt]) => valueSchema(vt)) };
  if (spec.withinDays) {
    properties.withinDays = {
      type: 'integer',
      minimum: 1,
      maximum: LIMITS.maxWithinDays,
      description:
        filter === 'abandoned_cart'
          ? `look-back in days (default ${ABANDONED_CART_DEFAULT_DAYS})`
          : 'only count the last N days (default: all time)',
    };
  }
  if (spec.requiresEvent) properties.event = { type: 'string', pattern: CUSTOM_EVENT_NAME.source, description: 'the custom event name' };
  const required = ['filter', 'operator'];
  if (groups.length === 1 && valued.length === 1) required.push('value');
  if (spec.requiresEvent) required.push('event');
  const out: JsonSchema = { type: 'object', description: spec.label, properties, required, additionalProperties: false };
  if (groups.length > 1) {
    // The value depends on the operator: one alternative per group of operators taking the same value.
    // `operator` is required in each alternative so they are mutually exclusive on their own; `value: false` = no value.
    out.oneOf = groups.map(([vt, ops]) =>
      vt === 'none'
        ? { properties: { operator: { enum: ops }, value: false }, required: ['operator'] }
        : { properties: { operator: { enum: ops }, value: valueSchema(vt) }, required: ['operator', 'value'] },
    );
  }
  return out;
}

/**
 * `Condition` (the discriminated `oneOf`) and one component per filter. `convert` turns a zod
 * value schema of VALUE_SCHEMAS into JSON Schema the way every other request body is converted.
 */
export function conditionComponents(convert: (schema: z.ZodType) => JsonSchema): Record<string, JsonSchema> {
  const valueSchema = (vt: Exclude<ValueType, 'none'>) => ({ ...convert(VALUE_SCHEMAS[vt]), ...VALUE_LIMITS[vt] });
  const refs = FILTER_NAMES.map((f) => [f, `${SCHEMA_REF}${conditionComponentName(f)}`] as const);
  return {
    Condition: {
      description: 'One filter applied with one of its operators (GET /v1/segment-filters lists the same catalog).',
      oneOf: refs.map(([, $ref]) => ({ $ref })),
      discriminator: { propertyName: 'filter', mapping: Object.fromEntries(refs) },
    },
    ...Object.fromEntries(FILTER_NAMES.map((f) => [conditionComponentName(f), branch(f, valueSchema)])),
  };
}
