/** Validation of segment definitions: the filter table, tree limits and error detail paths. */
import { ValidationError } from '../../../../lambdas/domain/errors';
import { filterCatalog, SEGMENT_FILTER_CATALOG } from '../../../../lambdas/domain/segments/catalog';
import { COUNTRY_CODES } from '../../../../lambdas/domain/countries';
import {
  findSegmentCycle,
  parseSegmentDefinition,
  referencedSegmentIds,
  type SegmentDefinition,
} from '../../../../lambdas/domain/segments/criteria';

function detailsOf(input: unknown): { path: string; message: string }[] {
  try {
    parseSegmentDefinition(input);
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).details ?? [];
  }
  throw new Error('expected a ValidationError');
}

const one = (c: unknown) => ({ match: 'all', criteria: [c] });
/** A condition wrapped in `depth` groups (built iteratively: depth may be huge). */
const nest = (depth: number): unknown => {
  let node: unknown = { filter: 'platform', operator: 'in', value: ['ios'] };
  for (let i = 0; i < depth; i++) node = { match: 'any', criteria: [node] };
  return node;
};

describe('parseSegmentDefinition', () => {
  test('accepts the example of API.md and every filter', () => {
    const def = parseSegmentDefinition({
      match: 'all',
      criteria: [
        { filter: 'total_spend', operator: 'gte', value: 500 },
        { filter: 'device_country', operator: 'in', value: ['us', 'CA', 'US'] },
        {
          match: 'any',
          negate: true,
          criteria: [
            { filter: 'last_app_open', operator: 'within_last_days', value: 7 },
            { filter: 'product_viewed', operator: 'any_of', value: ['sku-1'], withinDays: 30 },
          ],
        },
        { filter: 'last_purchase_date', operator: 'before', value: '2026-01-31' },
        { filter: 'last_push_open', operator: 'after', value: '2026-01-31T10:00:00+02:00' },
        { filter: 'last_app_open', operator: 'not_exists' },
        { filter: 'app_opens', operator: 'between', value: [1, 1] },
        { filter: 'total_orders', operator: 'eq', value: 0, withinDays: 730 },
        { filter: 'custom_event', operator: 'gt', value: 2, event: 'level_up' },
        { filter: 'abandoned_cart', operator: 'is', value: false },
        { filter: 'product_favorited', operator: 'none_of', value: ['a', 'b'] },
        { filter: 'platform', operator: 'not_in', value: ['ios', 'android'] },
        { filter: 'app_version', operator: 'gte', value: '5.10' },
        { filter: 'in_segment', operator: 'is_not_member', value: 'seg-1' },
      ],
    });
    expect(def.criteria[1]).toEqual({ filter: 'device_country', operator: 'in', value: ['US', 'CA'] });
    expect(referencedSegmentIds(def)).toEqual(['seg-1']);
  });

  test('empty root criteria are allowed, an empty group is not', () => {
    expect(parseSegmentDefinition({ match: 'any', criteria: [] })).toEqual({ match: 'any', criteria: [] });
    expect(detailsOf(one({ match: 'all', criteria: [] }))).toEqual([{ path: 'criteria[0].criteria', message: 'must not be empty' }]);
  });

  test.each([
    [
      one({ filter: 'total_spend', operator: 'within', value: 1 }),
      'criteria[0].operator',
      'must be one of gt, gte, lt, lte, eq, neq, between',
    ],
    [one({ filter: 'nope', operator: 'gt', value: 1 }), 'criteria[0].filter', 'must be one of last_app_open'],
    [one({ filter: 'total_spend', operator: 'gt' }), 'criteria[0].value', 'is required'],
    [one({ filter: 'total_spend', operator: 'gt', value: '5' }), 'criteria[0].value', 'must be a number'],
    [one({ filter: 'total_spend', operator: 'between', value: [5, 1] }), 'criteria[0].value', 'min must not be greater than max'],
    [one({ filter: 'total_spend', operator: 'between', value: [5] }), 'criteria[0].value', ''],
    [one({ filter: 'last_app_open', operator: 'within_last_days', value: 3651 }), 'criteria[0].value', 'must be at most 3650'],
    [one({ filter: 'last_app_open', operator: 'within_last_days', value: 1.5 }), 'criteria[0].value', 'must be an integer'],
    [one({ filter: 'last_app_open', operator: 'before', value: '2026-02-30' }), 'criteria[0].value', 'must be an ISO date'],
    [one({ filter: 'last_app_open', operator: 'exists', value: 1 }), 'criteria[0].value', 'is not allowed with operator exists'],
    [
      one({ filter: 'last_app_open', operator: 'within_last_days', value: 1, withinDays: 3 }),
      'criteria[0].withinDays',
      'is not allowed for filter last_app_open',
    ],
    [one({ filter: 'app_opens', operator: 'gt', value: 1, withinDays: 731 }), 'criteria[0].withinDays', 'must be at most 730'],
    [one({ filter: 'app_opens', operator: 'gt', value: 1, withinDays: 0 }), 'criteria[0].withinDays', 'must be at least 1'],
    [one({ filter: 'custom_event', operator: 'gt', value: 1 }), 'criteria[0].event', 'is required'],
    [one({ filter: 'custom_event', operator: 'gt', value: 1, event: 'Bad-Name' }), 'criteria[0].event', 'must match'],
    [one({ filter: 'app_opens', operator: 'gt', value: 1, event: 'x' }), 'criteria[0].event', 'is not allowed for filter app_opens'],
    [one({ filter: 'abandoned_cart', operator: 'is', value: 'yes' }), 'criteria[0].value', 'must be a boolean'],
    [one({ filter: 'product_viewed', operator: 'any_of', value: [] }), 'criteria[0].value', 'must not be empty'],
    [one({ filter: 'product_viewed', operator: 'any_of', value: [''] }), 'criteria[0].value[0]', 'must not be empty'],
    [one({ filter: 'product_viewed', operator: 'any_of', value: ['x'.repeat(201)] }), 'criteria[0].value[0]', 'at most 200'],
    [
      one({ filter: 'product_viewed', operator: 'any_of', value: Array.from({ length: 101 }, (_, i) => `p${i}`) }),
      'criteria[0].value',
      'at most 100 items',
    ],
    [one({ filter: 'device_country', operator: 'in', value: ['US', 'XX'] }), 'criteria[0].value[1]', 'ISO 3166-1 alpha-2'],
    [one({ filter: 'device_country', operator: 'in', value: ['USA'] }), 'criteria[0].value[0]', 'ISO 3166-1 alpha-2'],
    [one({ filter: 'platform', operator: 'in', value: ['web'] }), 'criteria[0].value[0]', 'must be one of ios, android'],
    [one({ filter: 'app_version', operator: 'gt', value: '5.x' }), 'criteria[0].value', 'must be a version'],
    [one({ filter: 'app_version', operator: 'gt', value: '1.2.3.4' }), 'criteria[0].value', 'must be a version'],
    [one({ filter: 'app_version', operator: 'between', value: '1' }), 'criteria[0].operator', 'must be one of eq, neq, gt, gte, lt, lte'],
    [one({ filter: 'in_segment', operator: 'is_member', value: '' }), 'criteria[0].value', 'must not be empty'],
    [one({ filter: 'platform', operator: 'in', value: ['ios'], extra: 1 }), 'criteria[0].extra', 'is not allowed'],
    [{ match: 'some', criteria: [] }, 'match', 'must be one of all, any'],
    [{ match: 'all', criteria: [], name: 'x' }, 'name', 'is not allowed'],
    [{ match: 'all' }, 'criteria', 'is required'],
  ])('rejects %j at %s', (input, path, message) => {
    const details = detailsOf(input);
    expect(details.map((d) => d.path)).toContain(path);
    expect(details.find((d) => d.path === path)!.message).toContain(message);
  });

  test('nested paths and the error message use the API style', () => {
    const input = {
      match: 'all',
      criteria: [nest(0), nest(0), { match: 'any', criteria: [nest(0), { filter: 'total_spend', operator: 'gt', value: 'x' }] }],
    };
    try {
      parseSegmentDefinition(input);
      throw new Error('expected failure');
    } catch (e) {
      expect((e as ValidationError).message).toBe('criteria[2].criteria[1].value: must be a number');
      expect((e as ValidationError).details).toEqual([{ path: 'criteria[2].criteria[1].value', message: 'must be a number' }]);
    }
  });

  test('groups nest at most 4 deep (root criteria are depth 1)', () => {
    expect(() => parseSegmentDefinition(one(nest(3)))).not.toThrow();
    expect(detailsOf(one(nest(4)))).toEqual([
      { path: 'criteria[0].criteria[0].criteria[0].criteria[0].criteria', message: 'groups nest at most 4 levels deep' },
    ]);
    // A hostile 100 000-deep body is rejected without recursing through it.
    expect(detailsOf(one(nest(100_000)))[0].message).toContain('4 levels');
  });

  test('at most 50 conditions in all', () => {
    const cond = { filter: 'platform', operator: 'in', value: ['ios'] };
    const fifty = { match: 'all', criteria: [...Array(40).fill(cond), { match: 'any', criteria: Array(10).fill(cond) }] };
    expect(() => parseSegmentDefinition(fifty)).not.toThrow();
    const fiftyOne = { ...fifty, criteria: [...fifty.criteria, cond] };
    expect(detailsOf(fiftyOne)).toEqual([{ path: 'criteria', message: 'must have at most 50 conditions in all (has 51)' }]);
  });

  test('country codes: a real list, case-insensitive, normalised to upper case', () => {
    expect(COUNTRY_CODES).toHaveLength(249);
    expect(COUNTRY_CODES).toEqual(expect.arrayContaining(['US', 'DE', 'SS', 'AX', 'CW']));
    const def = parseSegmentDefinition(one({ filter: 'device_country', operator: 'not_in', value: ['gb', 'Fr'] }));
    expect(def.criteria[0]).toMatchObject({ value: ['GB', 'FR'] });
    for (const bad of ['UK', 'EU', 'XK', 'ZZ', 'u', ''])
      expect(detailsOf(one({ filter: 'device_country', operator: 'in', value: [bad] }))[0].path).toBe('criteria[0].value[0]');
  });

  test('non-object inputs', () => {
    expect(detailsOf(null)[0]).toEqual({ path: '', message: 'must be an object' });
    expect(detailsOf({ match: 'all', criteria: [42] })[0].path).toBe('criteria[0]');
  });
});

describe('segment references', () => {
  const ref = (id: string): SegmentDefinition => ({ match: 'all', criteria: [{ filter: 'in_segment', operator: 'is_member', value: id }] });
  test('finds cycles through saved segments, ignores unknown ids', () => {
    const saved = new Map<string, SegmentDefinition>([
      ['a', ref('b')],
      ['b', { match: 'any', criteria: [{ match: 'all', criteria: [{ filter: 'in_segment', operator: 'is_not_member', value: 'c' }] }] }],
      ['c', ref('a')],
      ['d', ref('unknown')],
    ]);
    expect(findSegmentCycle('a', ref('b'), (id) => saved.get(id))).toEqual(['a', 'b', 'c', 'a']);
    expect(findSegmentCycle('x', ref('x'), (id) => saved.get(id))).toEqual(['x', 'x']);
    expect(findSegmentCycle('x', ref('d'), (id) => saved.get(id))).toBeNull();
    expect(findSegmentCycle(undefined, ref('a'), (id) => saved.get(id))).toEqual(['a', 'b', 'c', 'a']);
  });
});

describe('filter catalog', () => {
  test('is generated from the model with per-operator value types', () => {
    const catalog = filterCatalog();
    expect(SEGMENT_FILTER_CATALOG).toEqual(catalog);
    expect(catalog.filters.map((f) => f.filter)).toHaveLength(14);
    const lastOpen = catalog.filters.find((f) => f.filter === 'last_app_open')!;
    expect(lastOpen.operators).toEqual(
      expect.arrayContaining([
        { operator: 'within_last_days', valueType: 'days' },
        { operator: 'before', valueType: 'date' },
        { operator: 'exists', valueType: 'none' },
      ]),
    );
    expect(lastOpen.withinDays).toBe(false);
    expect(catalog.filters.find((f) => f.filter === 'custom_event')).toMatchObject({ requiresEvent: true, withinDays: true });
    expect(catalog.filters.find((f) => f.filter === 'total_spend')!.operators).toContainEqual({
      operator: 'between',
      valueType: 'number_range',
    });
    expect(catalog.countries).toContain('US');
  });
});
