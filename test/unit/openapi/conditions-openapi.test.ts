/**
 * The documented request `Condition`: a `oneOf` keyed on `filter` with one branch per filter of the
 * catalog the server validates with, and the same verdict as the server's conditionSchema on
 * sample conditions (checked with a small validator of the JSON Schema keywords the branches use;
 * the project has no JSON Schema validator dependency).
 */
import { portableTuples } from '../../../lambdas/domain/openapi/components';
import { filterCatalog } from '../../../lambdas/domain/segments/catalog';
import { conditionSchema } from '../../../lambdas/domain/segments/criteria';
import { FILTERS, type FilterName, type ValueType } from '../../../lambdas/domain/segments/filters';
import { doc, type Json } from './doc';

const schemas = doc.components.schemas as Record<string, Json>;
const REF = '#/components/schemas/';

/** Validates `value` against the subset of JSON Schema 2020-12 the document's condition schemas use. */
function valid(schema: Json, value: unknown): boolean {
  if (schema === true || schema === undefined) return true;
  if (schema === false) return false;
  const unknownKeys = Object.keys(schema).filter(
    (k) =>
      ![
        '$ref',
        'oneOf',
        'anyOf',
        'not',
        'type',
        'const',
        'enum',
        'properties',
        'required',
        'additionalProperties',
        'items',
        'minItems',
        'maxItems',
        'minimum',
        'maximum',
        'minLength',
        'maxLength',
        'pattern',
        'description',
        'discriminator',
      ].includes(k),
  );
  if (unknownKeys.length > 0) throw new Error(`test validator does not know ${unknownKeys.join(', ')}`);
  if (schema.$ref !== undefined && !valid(schemas[String(schema.$ref).slice(REF.length)], value)) return false;
  if (schema.oneOf && schema.oneOf.filter((s: Json) => valid(s, value)).length !== 1) return false;
  if (schema.anyOf && !schema.anyOf.some((s: Json) => valid(s, value))) return false;
  if (schema.not !== undefined && valid(schema.not, value)) return false;
  if (schema.const !== undefined && value !== schema.const) return false;
  if (schema.enum && !schema.enum.includes(value)) return false;
  const isObject = value !== null && typeof value === 'object' && !Array.isArray(value);
  switch (schema.type) {
    case undefined:
      break;
    case 'object':
      if (!isObject) return false;
      break;
    case 'array':
      if (!Array.isArray(value)) return false;
      break;
    case 'integer':
      if (!Number.isInteger(value)) return false;
      break;
    case 'number':
    case 'string':
    case 'boolean':
      if (typeof value !== schema.type) return false;
      break;
    default:
      throw new Error(`test validator does not know type ${schema.type}`);
  }
  if (isObject) {
    const o = value as Record<string, unknown>;
    if ((schema.required ?? []).some((k: string) => !(k in o))) return false;
    for (const [k, v] of Object.entries(o)) {
      const prop = schema.properties?.[k];
      if (prop !== undefined ? !valid(prop, v) : schema.additionalProperties === false) return false;
    }
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) return false;
    if (schema.maxItems !== undefined && value.length > schema.maxItems) return false;
    if (schema.items !== undefined && !value.every((v) => valid(schema.items, v))) return false;
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) return false;
    if (schema.maximum !== undefined && value > schema.maximum) return false;
  }
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) return false;
    if (schema.maxLength !== undefined && value.length > schema.maxLength) return false;
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) return false;
  }
  return true;
}

const condition = schemas.Condition;
const documented = (c: unknown) => valid(condition, c);
const serverAccepts = (c: unknown) => conditionSchema.safeParse(c).success;

/** A value the server accepts for each value type. */
const SAMPLE: Record<Exclude<ValueType, 'none'>, unknown> = {
  days: 30,
  date: '2026-11-01',
  number: 5,
  number_range: [1, 10],
  boolean: true,
  product_ids: ['sku-1'],
  countries: ['DE'],
  platforms: ['ios'],
  version: '5.1',
  segment: 'seg_1',
};

const catalog = filterCatalog();
const ALL_OPERATORS = [...new Set(catalog.filters.flatMap((f) => f.operators.map((o) => o.operator)))];

/** A condition of `filter` with `operator` and the sample value that operator takes (a number if the filter lacks it). */
function sample(filter: FilterName, operator: string): Record<string, unknown> {
  const vt = (FILTERS[filter].operators as Record<string, ValueType | undefined>)[operator];
  const c: Record<string, unknown> = { filter, operator };
  if (vt !== 'none') c.value = vt === undefined ? 5 : SAMPLE[vt];
  if (FILTERS[filter].requiresEvent) c.event = 'wishlist_add';
  return c;
}

describe('Condition: one branch per filter of the catalog', () => {
  test('a oneOf of component references with a discriminator on filter', () => {
    expect(condition.discriminator.propertyName).toBe('filter');
    expect(condition.oneOf.length).toBe(catalog.filters.length);
    for (const b of condition.oneOf) expect(b).toEqual({ $ref: expect.stringMatching(/^#\/components\/schemas\/\w+Condition$/) });
    for (const [filter, ref] of Object.entries(condition.discriminator.mapping as Record<string, string>)) {
      expect(schemas[ref.slice(REF.length)].properties.filter.const).toBe(filter);
    }
  });

  test.each(catalog.filters.map((f) => [f.filter, f] as const))('%s has exactly one branch, with the catalog operators', (filter, f) => {
    const branches = condition.oneOf
      .map((b: Json) => schemas[b.$ref.slice(REF.length)])
      .filter((b: Json) => b.properties.filter.const === filter);
    expect(branches).toHaveLength(1);
    const [b] = branches;
    expect(b.required).toEqual(expect.arrayContaining(['filter', 'operator']));
    expect(b.properties.operator.enum).toEqual(f.operators.map((o) => o.operator));
    expect('withinDays' in b.properties).toBe(f.withinDays);
    expect('event' in b.properties).toBe(f.requiresEvent);
    expect(condition.discriminator.mapping[filter]).toBeDefined();
  });
});

describe('Condition: the same verdict as the server', () => {
  const cases = catalog.filters.flatMap((f) => ALL_OPERATORS.map((op) => [f.filter, op] as const));

  test.each(cases)('%s with operator %s', (filter, operator) => {
    const c = sample(filter, operator);
    const own = f(filter).operators.some((o) => o.operator === operator);
    expect(serverAccepts(c)).toBe(own);
    expect(documented(c)).toBe(own);
  });

  function f(name: FilterName) {
    return catalog.filters.find((x) => x.filter === name)!;
  }

  const other: [string, unknown][] = [
    ['between takes [min, max], not a number', { filter: 'total_spend', operator: 'between', value: 5 }],
    ['between takes exactly two numbers', { filter: 'total_spend', operator: 'between', value: [1, 2, 3] }],
    ['between takes numbers', { filter: 'app_opens', operator: 'between', value: ['1', '2'] }],
    ['gt takes a number, not a range', { filter: 'total_orders', operator: 'gt', value: [1, 2] }],
    ['exists takes no value', { filter: 'last_app_open', operator: 'exists', value: 3 }],
    ['within_last_days needs a value', { filter: 'last_app_open', operator: 'within_last_days' }],
    ['within_last_days takes whole days', { filter: 'last_push_open', operator: 'within_last_days', value: 1.5 }],
    ['custom_event needs event', { filter: 'custom_event', operator: 'gt', value: 1 }],
    ['event must be a valid name', { filter: 'custom_event', operator: 'gt', value: 1, event: 'Bad Name' }],
    ['event only on custom_event', { filter: 'total_orders', operator: 'gt', value: 1, event: 'x' }],
    ['withinDays only where the filter takes it', { filter: 'device_country', operator: 'in', value: ['DE'], withinDays: 7 }],
    ['withinDays at most 730', { filter: 'total_orders', operator: 'gt', value: 1, withinDays: 731 }],
    ['abandoned_cart takes a boolean', { filter: 'abandoned_cart', operator: 'is', value: 'yes' }],
    ['platforms are ios or android', { filter: 'platform', operator: 'in', value: ['web'] }],
    ['product list is never empty', { filter: 'product_viewed', operator: 'any_of', value: [] }],
    ['unknown keys are rejected', { filter: 'total_orders', operator: 'gt', value: 1, extra: true }],
    ['unknown filter', { filter: 'nope', operator: 'gt', value: 1 }],
  ];
  test.each(other)('rejected by both: %s', (_why, c) => {
    expect(serverAccepts(c)).toBe(false);
    expect(documented(c)).toBe(false);
  });

  const accepted: [string, unknown][] = [
    ['exists without value', { filter: 'last_purchase_date', operator: 'exists' }],
    ['between with withinDays', { filter: 'total_spend', operator: 'between', value: [10, 20], withinDays: 30 }],
    ['custom_event with event and withinDays', { filter: 'custom_event', operator: 'gte', value: 2, event: 'wishlist_add', withinDays: 7 }],
    ['abandoned_cart with withinDays', { filter: 'abandoned_cart', operator: 'is', value: false, withinDays: 3 }],
    ['date-time', { filter: 'last_app_open', operator: 'before', value: '2026-11-28T17:00:00Z' }],
  ];
  test.each(accepted)('accepted by both: %s', (_why, c) => {
    expect(serverAccepts(c)).toBe(true);
    expect(documented(c)).toBe(true);
  });
});

describe('portable tuples', () => {
  test('no prefixItems anywhere in the document (draft-07 tools misread them)', () => {
    expect(JSON.stringify(doc)).not.toContain('prefixItems');
  });

  test('the between range is an array of exactly two numbers', () => {
    const between = schemas.TotalSpendCondition.oneOf.find((b: Json) => b.properties.operator.enum.includes('between'));
    expect(between.properties.value).toMatchObject({ type: 'array', minItems: 2, maxItems: 2, items: { type: 'number' } });
    expect(schemas.StoredCondition.properties.value.anyOf).toContainEqual(
      expect.objectContaining({ type: 'array', minItems: 2, maxItems: 2, items: { type: 'number' } }),
    );
  });

  test('a tuple of mixed item types is kept as it is', () => {
    const mixed = { type: 'array', prefixItems: [{ type: 'number' }, { type: 'string' }], items: false, minItems: 2, maxItems: 2 };
    expect(portableTuples(mixed)).toEqual(mixed);
  });
});

describe('POST /v1/segment-estimates', () => {
  test('documents the 404 of an unknown segmentId', () => {
    const res = doc.paths['/v1/segment-estimates'].post.responses['404'];
    expect(res.description).toMatch(/segmentId/);
    expect(res.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ErrorBody' });
  });
});
