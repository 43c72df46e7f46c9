/** The event scan is limited to the window the facts need, and only when every fact is windowed. */
import { compileEstimate, dialectFor } from '../../../../lambdas/domain/segments/compiler';
import type { SegmentDefinition } from '../../../../lambdas/domain/segments/criteria';

const ctx = { tenantId: 'demo', now: new Date('2026-11-28T12:00:00Z'), segments: new Map() };
const evCte = (def: SegmentDefinition, dialect: 'duckdb' | 'trino' = 'duckdb') => {
  const q = compileEstimate(def, ctx, dialectFor(dialect));
  return { cte: /^ev AS \((.*)\),?$/m.exec(q.sql)?.[1] ?? '', params: q.params };
};

describe('event window pruning', () => {
  test('within_last_days and withinDays facts: scan from the earliest window, by ts and by dt partition', () => {
    const { cte, params } = evCte({
      match: 'all',
      criteria: [
        { filter: 'last_app_open', operator: 'within_last_days', value: 7 },
        { filter: 'app_opens', operator: 'gte', value: 2, withinDays: 30 },
      ],
    });
    expect(cte).toMatch(/AND ts >= CAST\(\? AS TIMESTAMP\) AND dt >= \?/);
    expect(params).toContain('2026-10-29');
    expect(params).toContain('2026-10-29 12:00:00.000');
  });

  test('a fact over the whole history turns pruning off', () => {
    for (const extra of [
      { filter: 'last_app_open', operator: 'exists' },
      { filter: 'last_push_open', operator: 'more_than_days_ago', value: 30 },
      { filter: 'custom_event', event: 'wishlist_shared', operator: 'gte', value: 1 },
    ] as const) {
      const { cte } = evCte({
        match: 'all',
        criteria: [{ filter: 'last_app_open', operator: 'within_last_days', value: 7 }, extra as never],
      });
      expect(cte).not.toContain('dt >=');
    }
  });

  test('owner facts (spend, orders) keep their own full scan; the Trino dialect prunes alike', () => {
    const { cte } = evCte(
      {
        match: 'all',
        criteria: [
          { filter: 'total_spend', operator: 'gte', value: 500 },
          { filter: 'last_app_open', operator: 'within_last_days', value: 7 },
        ],
      },
      'trino',
    );
    expect(cte).toMatch(/dt >= \?/);
  });
});
