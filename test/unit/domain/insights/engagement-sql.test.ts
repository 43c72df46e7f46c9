/**
 * The insights SQL: bound values only, in WHERE clauses (Athena's rule), Trino syntax for Athena,
 * and the right rows on DuckDB and through the Athena stand-in from the same lake.
 */
import { convertValue } from '../../../../lambdas/adapters/aws/athena-query-engine';
import { compileEngagement, INSIGHTS_ROW_COLUMNS, type EngagementQueryInput } from '../../../../lambdas/domain/insights/engagement-sql';
import { campaignInsights, engagementByCampaign } from '../../../../lambdas/domain/insights/figures';
import { DELIVERY_COLUMNS, eventRow, type DeliveryRow, type EventRow } from '../../../../lambdas/domain/lake-schema';
import { athenaLiteral } from '../../../../lambdas/domain/segments/athena-literal';
import { duckdbDialect } from '../../../../lambdas/domain/segments/dialect-duckdb';
import { trinoDialect } from '../../../../lambdas/domain/segments/dialect-trino';
import type { Row, SqlQuery } from '../../../../lambdas/ports/query-engine';
import { checkAthenaSql, installTrinoCompat, runAthenaQuery } from '../../../aws/support/athena-sql';
import { TestLake } from '../segments/duckdb-harness';

const input: EngagementQueryInput = {
  tenantId: 'acme',
  campaignIds: ['cmp-1', 'cmp-2'],
  since: new Date('2026-05-01T12:00:00Z'),
  attributionWindowHours: 24,
};

describe.each([
  ['trino', trinoDialect],
  ['duckdb', duckdbDialect],
] as const)('%s insights query', (_name, dialect) => {
  const q = compileEngagement(input, dialect);

  test('every value is a bound parameter, in a WHERE clause', () => {
    expect(q.sql.split('?').length - 1).toBe(q.params.length);
    const scope = ['acme', '2026-05-01', 'cmp-1', 'cmp-2'];
    expect(q.params).toEqual([...scope, ...scope, 'acme', '2026-05-01', 24]);
    for (const v of ['acme', 'cmp-1', 'cmp-2', '2026-05-01']) expect(q.sql).not.toContain(v);
    const literals = q.sql.match(/'(?:[^']|'')*'/g) ?? [];
    const allowed = [
      "'push_open'",
      "'purchase'",
      "'sent'",
      "'delivery'",
      "'open'",
      "'order'",
      "'hour'",
      "'auto'", // the wave of automated campaigns' batches (each push its own delivery row)
      "'queued'", // the trigger's row counts only when a device has no outcome yet
      "'%Y-%m-%dT%H:%M:%S.%gZ'",
      "'yyyy-MM-dd''T''HH:mm:ss.SSS''Z'''",
    ];
    for (const l of literals) expect(allowed).toContain(l);
    // Athena takes parameters only in WHERE clauses (the AWS world's rule checker).
    expect(() => checkAthenaSql(q.sql, q.params.map(athenaLiteral))).not.toThrow();
  });

  test('with arms (variants or a control group): the arm CTEs keep every value bound, in WHERE clauses', () => {
    const withArms = compileEngagement({ ...input, armCampaignIds: ['cmp-2'], windowHoursOf: { 'cmp-2': 48 } }, dialect);
    expect(withArms.sql).toContain('arm_buys');
    expect(withArms.sql.split('?').length - 1).toBe(withArms.params.length);
    expect(withArms.params).toEqual(expect.arrayContaining(['cmp-2', 'invalidToken', 48]));
    for (const v of ['acme', 'cmp-2', 'invalidToken']) expect(withArms.sql).not.toContain(v);
    expect(() => checkAthenaSql(withArms.sql, withArms.params.map(athenaLiteral))).not.toThrow();
    // Without arms the query is as before: no second look at the purchases.
    expect(q.sql).not.toContain('arm_buys');
  });

  test('rejects inputs it cannot bind', () => {
    expect(() => compileEngagement({ ...input, campaignIds: [] }, dialect)).toThrow();
    expect(() => compileEngagement({ ...input, campaignIds: Array.from({ length: 101 }, (_, i) => `c${i}`) }, dialect)).toThrow();
    expect(() => compileEngagement({ ...input, attributionWindowHours: 1.5 }, dialect)).toThrow();
    expect(() => compileEngagement({ ...input, since: new Date('nope') }, dialect)).toThrow();
  });
});

test('the Trino form uses Trino functions only', () => {
  const { sql } = compileEngagement(input, trinoDialect);
  expect(sql).toContain("date_add('hour', ?, o.first_open)");
  expect(sql).toContain('format_datetime(');
  for (const banned of [/\bINTERVAL\b/i, /to_hours/, /strftime/, /::/, /"/, /now\(\)/i, /\bQUALIFY\b/i, /arg_max/])
    expect(sql).not.toMatch(banned);
});

describe('on a lake (DuckDB, and Trino through the Athena stand-in)', () => {
  let lake: TestLake;
  const ev = (over: Partial<EventRow> & Pick<EventRow, 'event_id' | 'device_id' | 'type' | 'ts'>): EventRow =>
    eventRow({ received_at: '2026-05-12T00:00:00.000Z', ...over }, over);
  const h = (hours: number) => new Date(Date.parse('2026-05-10T10:00:00.000Z') + hours * 3_600_000).toISOString();
  const dl = (
    campaign_id: string,
    device_id: string,
    outcome: DeliveryRow['outcome'],
    reason: string | null,
    platform: string | null,
    ts = h(-0.5),
    batch_id = 'b1',
  ): DeliveryRow => ({
    campaign_id,
    device_id,
    wave_id: 'w1',
    batch_id,
    outcome,
    reason,
    platform,
    ts,
  });

  /** Rows of the deliveries table (created here unless the shared harness already has it). */
  async function addDeliveries(tenantId: string, rows: DeliveryRow[]): Promise<void> {
    const names = [...DELIVERY_COLUMNS.map((c) => c.name), 'tenant_id', 'dt'];
    for (const r of rows) {
      const values = DELIVERY_COLUMNS.map((c) =>
        c.type === 'timestamp' ? r.ts.replace('T', ' ').replace('Z', '') : (r[c.name as keyof DeliveryRow] ?? null),
      );
      await lake.connection.run(`INSERT INTO deliveries (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`, [
        ...values,
        tenantId,
        r.ts.slice(0, 10),
      ]);
    }
  }

  /** A Trino-dialect query as the Athena adapter sends it, its rows read as the adapter reads them. */
  async function athena(query: SqlQuery): Promise<Row[]> {
    const { columns, rows } = await runAthenaQuery(lake.connection, query.sql, query.params.map(athenaLiteral));
    return rows.map((cells) => Object.fromEntries(columns.map((c, i) => [c.name, convertValue(cells[i] ?? undefined, c.type)])));
  }

  /** The rows of both engines, which must agree. */
  async function both(q: EngagementQueryInput): Promise<Row[]> {
    const duck = await lake.run(compileEngagement(q, duckdbDialect));
    expect(await athena(compileEngagement(q, trinoDialect))).toEqual(duck);
    return duck;
  }

  beforeAll(async () => {
    lake = await TestLake.create();
    await installTrinoCompat(lake.connection);
    await lake.connection.run(
      `CREATE TABLE IF NOT EXISTS deliveries (${DELIVERY_COLUMNS.map((c) => `${c.name} ${c.type === 'timestamp' ? 'TIMESTAMP' : 'VARCHAR'}`).join(', ')}, tenant_id VARCHAR, dt VARCHAR)`,
    );
    await addDeliveries('acme', [
      dl('cmp-1', 'd1', 'sent', null, 'ios'),
      dl('cmp-1', 'd1', 'sent', null, 'ios', h(-0.4), 'b1'), // the chunk retried: its rows appended again
      dl('cmp-1', 'd1', 'sent', null, 'ios', h(-0.5), 'b1'), // and again, identical
      dl('cmp-1', 'd7', 'sent', null, 'android'), // sent, never opened
      dl('cmp-1', 'd4', 'failed', 'boom', 'android'),
      dl('cmp-1', 'd4', 'failed', 'boom', 'android', h(-0.3), 'b2'),
      dl('cmp-1', 'd5', 'suppressed', 'frequencyCap', 'android'),
      dl('cmp-1', 'd6', 'suppressed', 'optedOut', null),
      dl('cmp-1', 'd8', 'suppressed', 'invalidToken', 'ios'), // not sent, yet reports an open
      dl('cmp-2', 'd2', 'sent', null, 'android'),
      dl('cmp-9', 'd3', 'sent', null, 'ios'), // another campaign
    ]);
    await addDeliveries('other', [dl('cmp-1', 'd9', 'sent', null, 'ios'), dl('cmp-1', 'd1', 'sent', null, 'android')]);
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
      ev({ event_id: 'e12', device_id: 'd8', type: 'push_open', ts: h(1), campaign_id: 'cmp-1' }), // suppressed device
      ev({ event_id: 'e13', device_id: 'd8', type: 'purchase', ts: h(1.2), order_id: 'o8', amount: 80 }),
      ev({ event_id: 'e14', device_id: 'd9', type: 'push_open', ts: h(1), campaign_id: 'cmp-1' }), // never sent by this tenant
      ev({ event_id: 'e15', device_id: 'd9', type: 'purchase', ts: h(1.2), order_id: 'o9', amount: 90 }),
    ]);
    await lake.addEvents('other', [ev({ event_id: 'x1', device_id: 'd9', type: 'push_open', ts: h(0), campaign_id: 'cmp-1' })]);
  });
  afterAll(() => lake.close());

  const none = Object.fromEntries(INSIGHTS_ROW_COLUMNS.map((c) => [c, null]));
  const delivery = (campaign_id: string, platform: string | null, outcome: string, reason: string | null, devices: number) => ({
    ...none,
    campaign_id,
    kind: 'delivery',
    platform,
    outcome,
    reason,
    devices,
  });
  const open = (campaign_id: string, device_id: string, platform: string, ts: string) => ({
    ...none,
    campaign_id,
    kind: 'open',
    device_id,
    platform,
    ts,
  });
  const order = (campaign_id: string, device_id: string, platform: string, ts: string, order_id: string, amount: number) => ({
    ...none,
    campaign_id,
    kind: 'order',
    device_id,
    platform,
    ts,
    order_id,
    amount,
  });

  /** A campaign's figures from the lake's rows (24 h attribution, started at h(0), as of h(30)). */
  const figuresOf = (rows: Row[], campaignId: string, targeted: number) =>
    campaignInsights({
      campaignId,
      targeted,
      rows: engagementByCampaign(rows).get(campaignId) ?? [],
      attributionWindowHours: 24,
      startedAt: h(0),
      asOf: h(30),
    });

  test('returns delivery facts per platform/outcome/reason, and first opens and attributed orders of sent devices only', async () => {
    const rows = await both(input);
    expect(rows).toEqual([
      delivery('cmp-1', 'android', 'failed', 'boom', 1),
      delivery('cmp-1', 'android', 'sent', null, 1),
      delivery('cmp-1', 'android', 'suppressed', 'frequencyCap', 1),
      delivery('cmp-1', 'ios', 'sent', null, 1),
      delivery('cmp-1', 'ios', 'suppressed', 'invalidToken', 1),
      delivery('cmp-1', null, 'suppressed', 'optedOut', 1),
      open('cmp-1', 'd1', 'ios', h(0)),
      order('cmp-1', 'd1', 'ios', h(1), 'o1', 20),
      order('cmp-1', 'd1', 'ios', h(24), 'o2', 5),
      delivery('cmp-2', 'android', 'sent', null, 1),
      open('cmp-2', 'd2', 'android', h(3)),
      order('cmp-2', 'd2', 'android', h(4), 'o4', 11.5),
    ]);
    expect(Object.keys(rows[0])).toEqual([...INSIGHTS_ROW_COLUMNS]);
    const figures = figuresOf(rows, 'cmp-1', 6);
    expect(figures).toMatchObject({
      sent: 2,
      failed: 1,
      suppressed: { optedOut: 1, frequencyCap: 1, invalidToken: 1 },
      opened: 1,
      conversions: 1,
      revenue: 25,
      openRate: 0.5,
      conversionRate: 0.5,
    });
    expect(figures.byPlatform.ios).toMatchObject({ sent: 1, opened: 1, openRate: 1, conversions: 1, revenue: 25 });
    expect(figures.byPlatform.android).toMatchObject({ sent: 1, failed: 1, opened: 0, revenue: 0 });
  });

  test('a deliveries row appended twice inflates neither sent nor opens', async () => {
    const before = await both({ ...input, campaignIds: ['cmp-2'] });
    await addDeliveries('acme', [dl('cmp-2', 'd2', 'sent', null, 'android'), dl('cmp-2', 'd2', 'sent', null, 'android', h(-0.2), 'b1')]);
    const after = await both({ ...input, campaignIds: ['cmp-2'] });
    expect(after).toEqual(before);
    const figures = figuresOf(after, 'cmp-2', 1);
    expect(figures).toMatchObject({ sent: 1, opened: 1, openRate: 1, conversions: 1, revenue: 11.5 });
  });

  test("a trigger's queued row stamped after the sender's outcome does not hide the outcome", async () => {
    const before = await both({ ...input, campaignIds: ['cmp-2'] });
    // The trigger stamps its queued rows when the enqueue returns: a fast sender may have recorded the outcome before.
    await addDeliveries('acme', [dl('cmp-2', 'd2', 'queued', null, 'android', h(-0.1), 'w1:0:0')]);
    expect(await both({ ...input, campaignIds: ['cmp-2'] })).toEqual(before);
  });

  test('arms: each variant and the control counted from the moment of its outcome, dead tokens in their arm', async () => {
    await addDeliveries('acme', [
      { ...dl('cmp-ab', 'd1', 'sent', null, 'ios', h(-0.5)), variant: 'A' },
      { ...dl('cmp-ab', 'd2', 'suppressed', 'invalidToken', 'ios', h(-0.5)), variant: 'A' },
      { ...dl('cmp-ab', 'd3', 'held_out', null, 'android', h(-0.5)), variant: null },
      { ...dl('cmp-ab', 'd4', 'suppressed', 'frequencyCap', 'ios', h(-0.5)), variant: 'A' },
      { ...dl('cmp-ab', 'd9', 'held_out', null, 'ios', h(-0.5)), variant: null },
    ]);
    const rows = await both({ ...input, campaignIds: ['cmp-ab'], armCampaignIds: ['cmp-ab'] });
    const arms = rows.filter((r) => r.kind === 'arm').map((r) => [r.variant, Number(r.devices), Number(r.converted)]);
    // d1 bought o1 (in the window after h(-0.5)); d3's and d9's purchases, if any, count only within theirs; d4 (capped) is in neither.
    expect(arms.map(([v, n]) => [v, n])).toEqual([
      ['A', 2],
      [null, 2],
    ]);
  });

  test('a shorter window and a later `since` narrow the scan', async () => {
    const rows = await both({ ...input, attributionWindowHours: 1 });
    expect(rows.filter((r) => r.kind === 'order').map((r) => r.order_id)).toEqual(['o1', 'o4']);
    expect(await both({ ...input, since: new Date('2026-05-11T00:00:00Z') })).toEqual([]);
  });

  test('one query counts each campaign with its own window (a page launched under several)', async () => {
    const rows = await both({ ...input, attributionWindowHours: 1, windowHoursOf: { 'cmp-1': 24, 'cmp-2': 1 } });
    // cmp-1 keeps o2 (23 h after its open) under its 24 h window; cmp-2 counts with 1 h.
    expect(rows.filter((r) => r.kind === 'order').map((r) => `${r.campaign_id}:${r.order_id}`)).toEqual([
      'cmp-1:o1',
      'cmp-1:o2',
      'cmp-2:o4',
    ]);
    const q = compileEngagement({ ...input, windowHoursOf: { 'cmp-1': 48 } }, trinoDialect);
    expect(q.sql.split('?').length - 1).toBe(q.params.length);
    expect(() => compileEngagement({ ...input, windowHoursOf: { 'cmp-1': -1 } }, trinoDialect)).toThrow();
  });
});
