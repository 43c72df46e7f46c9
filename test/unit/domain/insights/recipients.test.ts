/**
 * The recipients SQL and its request parsing: bound values only, in WHERE clauses (Athena's rule),
 * dt bounds, the keyset cursor and the outcome filter; and the right rows on DuckDB and through the
 * Athena stand-in from the same lake.
 */
import { convertValue } from '../../../../lambdas/adapters/aws/athena-query-engine';
import { ValidationError } from '../../../../lambdas/domain/errors';
import {
  compileRecipients,
  decodeRecipientsCursor,
  encodeRecipientsCursor,
  parseRecipientsRequest,
  recipientDays,
  recipientsPage,
  type RecipientFilter,
  type RecipientsQueryInput,
} from '../../../../lambdas/domain/insights/recipients';
import { eventRow, type DeliveryRow, type EventRow } from '../../../../lambdas/domain/lake-schema';
import { athenaLiteral } from '../../../../lambdas/domain/segments/athena-literal';
import { duckdbDialect } from '../../../../lambdas/domain/segments/dialect-duckdb';
import { trinoDialect } from '../../../../lambdas/domain/segments/dialect-trino';
import type { Row, SqlQuery } from '../../../../lambdas/ports/query-engine';
import { checkAthenaSql, installTrinoCompat, runAthenaQuery } from '../../../aws/support/athena-sql';
import { TestLake } from '../segments/duckdb-harness';

const input: RecipientsQueryInput = {
  tenantId: 'acme',
  campaignId: 'cmp-1',
  fromDay: '2026-05-10',
  toDay: '2026-05-12',
  outcome: null,
  limit: 2,
  after: null,
};

describe.each([
  ['trino', trinoDialect],
  ['duckdb', duckdbDialect],
] as const)('%s recipients query', (_name, dialect) => {
  test('every value is a bound parameter in a WHERE clause; dt bounded on both tables', () => {
    const q = compileRecipients(input, dialect);
    expect(q.sql.split('?').length - 1).toBe(q.params.length);
    const scope = ['acme', '2026-05-10', '2026-05-12', 'cmp-1'];
    expect(q.params).toEqual([...scope, ...scope]);
    expect(q.sql).toContain('dt >= ? AND dt <= ?');
    for (const v of ['acme', 'cmp-1', '2026-05-1']) expect(q.sql).not.toContain(v);
    const literals = q.sql.match(/'(?:[^']|'')*'/g) ?? [];
    const allowed = ["'queued'", "'sent'", "'push_open'", "'%Y-%m-%dT%H:%M:%S.%gZ'", "'yyyy-MM-dd''T''HH:mm:ss.SSS''Z'''"];
    for (const l of literals) expect(allowed).toContain(l);
    expect(q.sql).toMatch(/LIMIT 3$/);
    expect(() => checkAthenaSql(q.sql, q.params.map(athenaLiteral))).not.toThrow();
  });

  test.each(['sent', 'failed', 'suppressed', 'queued', 'opened'] as const)(
    'the %s filter and a keyset cursor stay WHERE parameters',
    (outcome) => {
      const q = compileRecipients({ ...input, outcome, after: 'd-1:x' }, dialect);
      expect(q.sql).not.toContain('d-1:x');
      expect(q.params.filter((p) => p === 'd-1:x')).toHaveLength(2); // deliveries and events, both keyset-bounded
      if (outcome === 'opened') expect(q.sql).toContain('o.first_open IS NOT NULL');
      else expect(q.params).toContain(outcome);
      expect(() => checkAthenaSql(q.sql, q.params.map(athenaLiteral))).not.toThrow();
    },
  );

  test('rejects what it cannot splice or bind', () => {
    expect(() => compileRecipients({ ...input, limit: 0 }, dialect)).toThrow();
    expect(() => compileRecipients({ ...input, limit: 101 }, dialect)).toThrow();
    expect(() => compileRecipients({ ...input, limit: 1.5 }, dialect)).toThrow();
    expect(() => compileRecipients({ ...input, fromDay: '2026-05-13' }, dialect)).toThrow();
    expect(() => compileRecipients({ ...input, toDay: "2026-05-12' OR 1=1" }, dialect)).toThrow();
    expect(() => compileRecipients({ ...input, after: 'a b' }, dialect)).toThrow();
  });
});

test('parseRecipientsRequest: defaults, limits, filters and cursors', () => {
  expect(parseRecipientsRequest({})).toEqual({ outcome: null, limit: 50, after: null });
  const cursor = encodeRecipientsCursor('dev-7');
  expect(parseRecipientsRequest({ outcome: 'opened', limit: '100', cursor })).toEqual({ outcome: 'opened', limit: 100, after: 'dev-7' });
  const fails = (q: Record<string, string>, path: string) => {
    try {
      parseRecipientsRequest(q);
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).details).toEqual([expect.objectContaining({ path })]);
      return;
    }
    throw new Error(`accepted ${JSON.stringify(q)}`);
  };
  fails({ outcome: 'bounced' }, 'outcome');
  fails({ outcome: '' }, 'outcome');
  for (const limit of ['0', '101', '1e1', '0x10', ' 5', '-1', '']) fails({ limit }, 'limit');
  for (const bad of ['x', 'eyJpZCI6InNlZ18wbXdvdDVqNDBlNTViMTc2ZDk5NDkifQ', encodeRecipientsCursor('a b').slice(0, -1) + '!'])
    fails({ cursor: bad }, 'cursor');
  expect(decodeRecipientsCursor(Buffer.from("r1:d' OR 1=1").toString('base64url'))).toBeNull();
  expect(decodeRecipientsCursor(encodeRecipientsCursor('d.1:x_y-z'))).toBe('d.1:x_y-z');
});

test('recipientDays: launch day to the end of sending plus the attribution window', () => {
  const now = new Date('2026-05-20T12:00:00Z');
  const sent = { launchedAt: '2026-05-10T23:30:00Z', completedAt: '2026-05-11T01:00:00Z', cancelledAt: null };
  expect(recipientDays(sent, 24, now)).toEqual({ fromDay: '2026-05-10', toDay: '2026-05-12' });
  expect(recipientDays(sent, 22, now)).toEqual({ fromDay: '2026-05-10', toDay: '2026-05-11' });
  expect(recipientDays({ ...sent, completedAt: null }, 24, now)).toEqual({ fromDay: '2026-05-10', toDay: '2026-05-21' }); // still sending
  expect(recipientDays({ ...sent, completedAt: null, cancelledAt: '2026-05-10T23:40:00Z' }, 1, now)).toEqual({
    fromDay: '2026-05-10',
    toDay: '2026-05-11',
  });
});

describe('on a lake (DuckDB, and Trino through the Athena stand-in)', () => {
  let lake: TestLake;
  const h = (hours: number) => new Date(Date.parse('2026-05-10T10:00:00.000Z') + hours * 3_600_000).toISOString();
  const dl = (
    device_id: string,
    outcome: DeliveryRow['outcome'],
    reason: string | null,
    platform: string | null,
    ts: string,
    over: Partial<DeliveryRow> = {},
  ): DeliveryRow => ({
    campaign_id: 'cmp-1',
    device_id,
    wave_id: 'w1',
    batch_id: 'b1',
    outcome,
    reason,
    platform,
    ts,
    ...over,
  });
  const ev = (over: Partial<EventRow> & Pick<EventRow, 'event_id' | 'device_id' | 'type' | 'ts'>): EventRow =>
    eventRow({ received_at: over.ts, ...over }, over);

  async function athena(query: SqlQuery): Promise<Row[]> {
    const { columns, rows } = await runAthenaQuery(lake.connection, query.sql, query.params.map(athenaLiteral));
    return rows.map((cells) => Object.fromEntries(columns.map((c, i) => [c.name, convertValue(cells[i] ?? undefined, c.type)])));
  }
  async function both(q: RecipientsQueryInput): Promise<Row[]> {
    const duck = await lake.run(compileRecipients(q, duckdbDialect));
    expect(await athena(compileRecipients(q, trinoDialect))).toEqual(duck);
    return duck;
  }

  beforeAll(async () => {
    lake = await TestLake.create();
    await installTrinoCompat(lake.connection);
    await lake.addDeliveries('acme', [
      dl('d1', 'queued', null, 'ios', h(0)),
      dl('d1', 'sent', null, 'ios', h(0.1), { batch_id: 'b1' }),
      dl('d1', 'sent', null, 'ios', h(0.2), { batch_id: 'b1' }), // a retried chunk appended its rows again
      dl('d2', 'queued', null, 'android', h(0)),
      dl('d2', 'suppressed', 'frequencyCap', 'android', h(0.1)),
      dl('d3', 'queued', null, 'ios', h(0)), // quiet hours: its sent row comes the next day
      dl('d3', 'sent', null, 'ios', h(22), { batch_id: 'b1~q', wave_id: 'w1' }),
      dl('d3', 'queued', null, 'ios', h(22.5), { batch_id: 'b1~q' }), // a late queued row never hides an outcome
      dl('d4', 'queued', null, 'android', h(0.1)), // still waiting
      dl('d5', 'failed', 'InvalidParameter: bad payload', 'android', h(0.1)),
      dl('d6', 'suppressed', 'optedOut', null, h(0.1)),
      dl('d7', 'suppressed', 'invalidToken', 'ios', h(0.1)),
      dl('d8', 'sent', null, 'ios', h(100)), // outside the dt range: never scanned
      dl('d9', 'sent', null, 'ios', h(0.1), { campaign_id: 'cmp-2' }), // another campaign
    ]);
    await lake.addDeliveries('other', [dl('d0', 'sent', null, 'ios', h(0.1))]); // another tenant, same campaign id
    await lake.addEvents('acme', [
      ev({ event_id: 'e1', device_id: 'd1', type: 'push_open', ts: h(1), campaign_id: 'cmp-1' }),
      ev({ event_id: 'e2', device_id: 'd1', type: 'push_open', ts: h(0.5), campaign_id: 'cmp-1' }), // the first open
      ev({ event_id: 'e2', device_id: 'd1', type: 'push_open', ts: h(0.5), campaign_id: 'cmp-1' }), // duplicated event
      ev({ event_id: 'e3', device_id: 'd3', type: 'push_open', ts: h(23), campaign_id: 'cmp-1' }),
      ev({ event_id: 'e4', device_id: 'd7', type: 'push_open', ts: h(1), campaign_id: 'cmp-1' }), // not sent: not an open of it
      ev({ event_id: 'e5', device_id: 'd2', type: 'push_open', ts: h(1), campaign_id: 'cmp-2' }), // another campaign's open
      ev({ event_id: 'e6', device_id: 'd2', type: 'app_open', ts: h(1) }),
    ]);
    await lake.addEvents('other', [ev({ event_id: 'x', device_id: 'd0', type: 'push_open', ts: h(1), campaign_id: 'cmp-1' })]);
  });
  afterAll(() => lake.close());

  const all = { ...input, limit: 100 };

  test('one row per device, its final outcome, first open of sent devices only, ordered by device id', async () => {
    const page = recipientsPage(await both(all), 100);
    expect(page.nextCursor).toBeNull();
    expect(page.items).toEqual([
      { deviceId: 'd1', platform: 'ios', waveId: 'w1', variant: null, outcome: 'sent', reason: null, at: h(0.2), openedAt: h(0.5) },
      {
        deviceId: 'd2',
        platform: 'android',
        waveId: 'w1',
        variant: null,
        outcome: 'suppressed',
        reason: 'frequencyCap',
        at: h(0.1),
        openedAt: null,
      },
      { deviceId: 'd3', platform: 'ios', waveId: 'w1', variant: null, outcome: 'sent', reason: null, at: h(22), openedAt: h(23) },
      { deviceId: 'd4', platform: 'android', waveId: 'w1', variant: null, outcome: 'queued', reason: null, at: h(0.1), openedAt: null },
      {
        deviceId: 'd5',
        platform: 'android',
        waveId: 'w1',
        variant: null,
        outcome: 'failed',
        reason: 'InvalidParameter: bad payload',
        at: h(0.1),
        openedAt: null,
      },
      {
        deviceId: 'd6',
        platform: null,
        waveId: 'w1',
        variant: null,
        outcome: 'suppressed',
        reason: 'optedOut',
        at: h(0.1),
        openedAt: null,
      },
      {
        deviceId: 'd7',
        platform: 'ios',
        waveId: 'w1',
        variant: null,
        outcome: 'suppressed',
        reason: 'invalidToken',
        at: h(0.1),
        openedAt: null,
      },
    ]);
  });

  test.each([
    ['sent', ['d1', 'd3']],
    ['opened', ['d1', 'd3']],
    ['suppressed', ['d2', 'd6', 'd7']],
    ['failed', ['d5']],
    ['queued', ['d4']],
  ] as [RecipientFilter, string[]][])('outcome=%s', async (outcome, ids) => {
    expect(recipientsPage(await both({ ...all, outcome }), 100).items.map((r) => r.deviceId)).toEqual(ids);
  });

  test('paging by 2 walks every device once, the cursor a keyset on device id', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const page = recipientsPage(await both({ ...input, limit: 2, after }), 2);
      seen.push(...page.items.map((r) => r.deviceId));
      if (page.nextCursor === null) break;
      after = decodeRecipientsCursor(page.nextCursor);
    }
    expect(seen).toEqual(['d1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7']);
    // The opened filter pages the same way.
    const first = recipientsPage(await both({ ...input, outcome: 'opened', limit: 1 }), 1);
    expect(first.items.map((r) => r.deviceId)).toEqual(['d1']);
    const second = recipientsPage(
      await both({ ...input, outcome: 'opened', limit: 1, after: decodeRecipientsCursor(first.nextCursor!) }),
      1,
    );
    expect(second).toEqual({ items: [expect.objectContaining({ deviceId: 'd3' })], nextCursor: null });
  });

  test('the dt bounds prune: rows of days outside them are not read', async () => {
    expect((await both({ ...all, toDay: '2026-05-10' })).map((r) => [r.device_id, r.outcome, r.opened_at])).toEqual([
      ['d1', 'sent', h(0.5)],
      ['d2', 'suppressed', null],
      ['d3', 'queued', null], // its sent row is on the 11th
      ['d4', 'queued', null],
      ['d5', 'failed', null],
      ['d6', 'suppressed', null],
      ['d7', 'suppressed', null],
    ]);
    expect(await both({ ...all, fromDay: '2026-05-14', toDay: '2026-05-20' })).toEqual([expect.objectContaining({ device_id: 'd8' })]);
  });
});
