/** The engagement SQL: bound values only, Trino syntax for Athena, and the right rows on DuckDB. */
import { compileEngagement, type EngagementQueryInput } from '../../../../lambdas/domain/insights/engagement-sql';
import { campaignInsights, engagementByCampaign } from '../../../../lambdas/domain/insights/figures';
import { eventRow, type EventRow } from '../../../../lambdas/domain/lake-schema';
import { duckdbDialect } from '../../../../lambdas/domain/segments/dialect-duckdb';
import { trinoDialect } from '../../../../lambdas/domain/segments/dialect-trino';
import { TestLake } from '../segments/duckdb-harness';

const input: EngagementQueryInput = { tenantId: 'acme', campaignIds: ['cmp-1', 'cmp-2'], since: new Date('2026-05-01T12:00:00Z'), attributionWindowHours: 24 };

describe.each([
  ['trino', trinoDialect],
  ['duckdb', duckdbDialect],
] as const)('%s engagement query', (_name, dialect) => {
  const q = compileEngagement(input, dialect);

  test('every value is a bound parameter, in a WHERE clause', () => {
    expect(q.sql.split('?').length - 1).toBe(q.params.length);
    expect(q.params).toEqual(['acme', '2026-05-01', 'cmp-1', 'cmp-2', 'acme', '2026-05-01', 24]);
    for (const v of ['acme', 'cmp-1', 'cmp-2', '2026-05-01']) expect(q.sql).not.toContain(v);
    const literals = q.sql.match(/'(?:[^']|'')*'/g) ?? [];
    for (const l of literals) expect(["'push_open'", "'purchase'", "'open'", "'order'", "'hour'", "'%Y-%m-%dT%H:%M:%S.%gZ'", "'yyyy-MM-dd''T''HH:mm:ss.SSS''Z'''"]).toContain(l);
    // Athena takes parameters in WHERE clauses: outside each `WHERE ... GROUP BY` there is no `?`.
    for (const chunk of q.sql.split(/\bWHERE\b[^]*?(?=\bGROUP BY\b)/)) expect(chunk).not.toContain('?');
  });

  test('rejects inputs it cannot bind', () => {
    expect(() => compileEngagement({ ...input, campaignIds: [] }, dialect)).toThrow();
    expect(() => compileEngagement({ ...input, campaignIds: Array.from({ length: 101 }, (_, i) => `c${i}`) }, dialect)).toThrow();
    expect(() => compileEngagement({ ...input, attributionWindowHours: 1.5 }, dialect)).toThrow();
  });
});

test('the Trino form uses Trino functions only', () => {
  const { sql } = compileEngagement(input, trinoDialect);
  expect(sql).toContain("date_add('hour', ?, o.first_open)");
  expect(sql).toContain('format_datetime(');
  for (const banned of [/\bINTERVAL\b/i, /to_hours/, /strftime/, /::/, /"/, /now\(\)/i]) expect(sql).not.toMatch(banned);
});

describe('on DuckDB', () => {
  let lake: TestLake;
  const ev = (over: Partial<EventRow> & Pick<EventRow, 'event_id' | 'device_id' | 'type' | 'ts'>): EventRow =>
    eventRow({ received_at: '2026-05-12T00:00:00.000Z', ...over }, over);
  const h = (hours: number) => new Date(Date.parse('2026-05-10T10:00:00.000Z') + hours * 3_600_000).toISOString();

  beforeAll(async () => {
    lake = await TestLake.create();
    await lake.addEvents('acme', [
      ev({ event_id: 'e1', device_id: 'd1', type: 'push_open', ts: h(0), campaign_id: 'cmp-1' }),
      ev({ event_id: 'e1', device_id: 'd1', type: 'push_open', ts: h(0), campaign_id: 'cmp-1' }), // duplicated event
      ev({ event_id: 'e2', device_id: 'd1', type: 'push_open', ts: h(2), campaign_id: 'cmp-1' }), // second open
      ev({ event_id: 'e3', device_id: 'd1', type: 'purchase', ts: h(-1), order_id: 'o0', amount: 7 }), // before the open
      ev({ event_id: 'e4', device_id: 'd1', type: 'purchase', ts: h(1), order_id: 'o1', amount: 20 }),
      ev({ event_id: 'e5', device_id: 'd1', type: 'purchase', ts: h(1.5), order_id: 'o1', amount: 20 }), // same order again
      ev({ event_id: 'e6', device_id: 'd1', type: 'purchase', ts: h(24), order_id: 'o2', amount: 5 }), // window edge: in
      ev({ event_id: 'e7', device_id: 'd1', type: 'purchase', ts: h(24.01), order_id: 'o3', amount: 9 }), // out
      ev({ event_id: 'e8', device_id: 'd2', type: 'push_open', ts: h(3), campaign_id: 'cmp-2' }),
      ev({ event_id: 'e9', device_id: 'd2', type: 'purchase', ts: h(4), order_id: 'o4', amount: 11.5 }),
      ev({ event_id: 'e10', device_id: 'd3', type: 'push_open', ts: h(1), campaign_id: 'cmp-9' }), // another campaign
      ev({ event_id: 'e11', device_id: 'd3', type: 'purchase', ts: h(2), order_id: 'o5', amount: 3 }),
    ]);
    await lake.addEvents('other', [ev({ event_id: 'x1', device_id: 'd1', type: 'push_open', ts: h(0), campaign_id: 'cmp-1' })]);
  });
  afterAll(() => lake.close());

  test('returns first opens and the attributed orders per campaign', async () => {
    const rows = await lake.run(compileEngagement(input, duckdbDialect));
    expect(rows).toEqual([
      { campaign_id: 'cmp-1', kind: 'open', device_id: 'd1', ts: h(0), order_id: null, amount: null },
      { campaign_id: 'cmp-1', kind: 'order', device_id: 'd1', ts: h(1), order_id: 'o1', amount: 20 },
      { campaign_id: 'cmp-1', kind: 'order', device_id: 'd1', ts: h(24), order_id: 'o2', amount: 5 },
      { campaign_id: 'cmp-2', kind: 'open', device_id: 'd2', ts: h(3), order_id: null, amount: null },
      { campaign_id: 'cmp-2', kind: 'order', device_id: 'd2', ts: h(4), order_id: 'o4', amount: 11.5 },
    ]);
    const figures = campaignInsights({
      campaignId: 'cmp-1', targeted: 1, entries: [{ deviceId: 'd1', state: 'sent', reason: null, platform: 'ios' }],
      rows: engagementByCampaign(rows).get('cmp-1') ?? [], attributionWindowHours: 24, startedAt: h(0), asOf: h(30),
    });
    expect(figures).toMatchObject({ opened: 1, conversions: 1, revenue: 25, openRate: 1, conversionRate: 1 });
  });

  test('a shorter window and a later `since` narrow the scan', async () => {
    const rows = await lake.run(compileEngagement({ ...input, attributionWindowHours: 1 }, duckdbDialect));
    expect(rows.filter((r) => r.kind === 'order').map((r) => r.order_id)).toEqual(['o1', 'o4']);
    expect(await lake.run(compileEngagement({ ...input, since: new Date('2026-05-11T00:00:00Z') }, duckdbDialect))).toEqual([]);
  });
});
