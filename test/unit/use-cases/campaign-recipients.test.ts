/**
 * The recipients use case: 404 before any query, a campaign never launched answers an empty page
 * without a query, the campaign's days (launch to completion + its launch-snapshot window) bound the
 * scan, and a query past the HTTP budget is a 503 query_timeout.
 */
import type { Campaign } from '../../../lambdas/domain/campaigns/campaign-record';
import { NotFoundError, QueryTimeoutError } from '../../../lambdas/domain/errors';
import { parseRecipientsRequest } from '../../../lambdas/domain/insights/recipients';
import { errorResponse } from '../../../lambdas/handlers/http/error-body';
import type { CampaignStore } from '../../../lambdas/ports/campaign-store';
import { fixedClock } from '../../../lambdas/ports/clock';
import type { Row, SqlQuery } from '../../../lambdas/ports/query-engine';
import type { SettingsStore } from '../../../lambdas/ports/settings-store';
import { listCampaignRecipients } from '../../../lambdas/use-cases/insights/campaign-recipients';
import { UnusedQueryEngine } from '../../support/query-engine';

const ID = 'cmp_0mwot7c9d8e7f6a5b4c3d2e';

class FakeEngine extends UnusedQueryEngine {
  queries: SqlQuery[] = [];
  next: () => Promise<Row[]> = async () => [];
  override run(query: SqlQuery): Promise<Row[]> {
    this.queries.push(query);
    return this.next();
  }
}

function setup(campaign: Partial<Campaign> | undefined, settingsWindow = 48) {
  const engine = new FakeEngine('trino');
  const slept: number[] = [];
  const stored =
    campaign && ({ id: ID, tenantId: 'acme', launchedAt: null, completedAt: null, cancelledAt: null, ...campaign } as Campaign);
  const deps = {
    campaigns: {
      get: async (tenantId: string, id: string) => (tenantId === 'acme' && id === ID ? stored : undefined),
    } as unknown as CampaignStore,
    settings: { get: async () => ({ attributionWindowHours: settingsWindow }) } as unknown as SettingsStore,
    queryEngine: engine,
    clock: fixedClock('2026-11-29T12:00:00.000Z'),
    queryBudgetMs: 25_000,
    sleep: async (ms: number) => void slept.push(ms),
  };
  const list = (query: Record<string, string> = {}, tenantId = 'acme') =>
    listCampaignRecipients(deps, tenantId, ID, parseRecipientsRequest(query));
  return { engine, slept, list };
}

test('another tenant’s or an unknown campaign is a 404 before any query', async () => {
  const { engine, list } = setup({ launchedAt: '2026-11-20T10:00:00.000Z' });
  await expect(list({}, 'rival')).rejects.toBeInstanceOf(NotFoundError);
  expect(engine.queries).toEqual([]);
});

test('a campaign never launched has no recipients, and no query runs', async () => {
  const { engine, list } = setup({ status: 'draft' });
  expect(await list({ outcome: 'opened' })).toEqual({ items: [], nextCursor: null });
  expect(engine.queries).toEqual([]);
});

test('the days scanned: launch day to completion plus the launch snapshot’s window (else the settings’)', async () => {
  const sent = { launchedAt: '2026-11-20T22:00:00.000Z', completedAt: '2026-11-20T23:30:00.000Z', attributionWindowHours: 2 };
  const a = setup(sent);
  await a.list();
  expect(a.engine.queries[0].params.slice(0, 4)).toEqual(['acme', '2026-11-20', '2026-11-21', ID]);
  const b = setup({ ...sent, attributionWindowHours: null }, 72);
  await b.list();
  expect(b.engine.queries[0].params.slice(0, 4)).toEqual(['acme', '2026-11-20', '2026-11-23', ID]);
  const sending = setup({ ...sent, completedAt: null });
  await sending.list();
  expect(sending.engine.queries[0].params.slice(0, 4)).toEqual(['acme', '2026-11-20', '2026-11-29', ID]); // today + 2 h
});

test('a page past the HTTP budget is a 503 query_timeout', async () => {
  const { engine, slept, list } = setup({ launchedAt: '2026-11-20T10:00:00.000Z' });
  engine.next = () => new Promise<Row[]>(() => {}); // a hung Athena wait
  const err = await list().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(QueryTimeoutError);
  expect(errorResponse(err).status).toBe(503);
  expect(slept).toEqual([25_000]);
});
