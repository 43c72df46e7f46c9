/**
 * The merchant UI (issue 16 item 11, a recipients view): a campaign sent to a small segment of the
 * demo shop (one small country), one of its devices reports a push_open, and the insights page's Recipients card lists
 * every device with its outcome, the opened one with its time; the "Opened" chip filters to it.
 */
import type { Page } from 'playwright-core';
import { waitCount, waitText } from './support/wait';
import { e2eForFile, shot, unexpectedErrors, type E2E } from './support/world';

let e2e: E2E;
let page: Page;
let consoleErrors: string[];

e2eForFile({ devices: 300 }, (file) => ({ e2e, page, consoleErrors } = file));

test('a sent campaign’s insights list its recipients, one opened; the Opened chip filters', async () => {
  // A segment of one small country of the demo shop (a few opted-in devices), sent now.
  const [small] = (await e2e.world.engine.run({
    sql:
      'WITH latest AS (SELECT device_id, country, opted_in, row_number() OVER (PARTITION BY device_id ORDER BY updated_at DESC) AS rn FROM devices WHERE tenant_id = ?) ' +
      'SELECT country, count(*) AS n FROM latest WHERE rn = 1 AND opted_in = TRUE AND country IS NOT NULL GROUP BY country HAVING count(*) BETWEEN 2 AND 40 ORDER BY n, country LIMIT 1',
    params: ['demo'],
  })) as { country: string }[];
  expect(small).toBeDefined();
  const seg = await e2e.api('POST', '/v1/segments', {
    name: 'One small country',
    match: 'all',
    criteria: [{ filter: 'device_country', operator: 'in', value: [small.country] }],
  });
  expect(seg.status).toBe(201);
  const segmentId = seg.body.id;
  const created = await e2e.api('POST', '/v1/campaigns', {
    name: 'Recipients check',
    kind: 'campaign',
    segmentId,
    message: { title: 'Hello', body: 'A push to look at its recipients.' },
    schedule: { type: 'now' },
  });
  expect(created.status).toBe(201);
  const id = created.body.id;
  expect((await e2e.api('POST', `/v1/campaigns/${id}/launch`)).status).toBe(200);
  const end = Date.now() + 60_000;
  while ((await e2e.api('GET', `/v1/campaigns/${id}`)).body.status !== 'sent') {
    if (Date.now() > end) throw new Error('campaign not sent');
    await page.waitForTimeout(250);
  }
  const first = (await e2e.api('GET', `/v1/campaigns/${id}/recipients?limit=3&outcome=sent`)).body.items as { deviceId: string }[];
  const opener = first[0].deviceId;
  const { appKey } = (await e2e.api('POST', '/local/tenants', { tenantId: 'demo' })).body;
  const report = await fetch(`${e2e.url}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-app-key': appKey },
    body: JSON.stringify({
      events: [{ eventId: 'e2e-open-1', deviceId: opener, type: 'push_open', ts: new Date().toISOString(), campaignId: id }],
    }),
  });
  expect(report.status).toBe(200);
  const expected = (await e2e.api('GET', `/v1/campaigns/${id}/recipients`)).body.items as { deviceId: string }[];

  await page.goto(`${e2e.url}/#/campaigns/${encodeURIComponent(id)}/insights`);
  const card = page.getByTestId('recipients');
  await waitCount(card.getByTestId('recipient-row'), expected.length);
  expect(await card.getByTestId('recipient-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-device')))).toEqual(
    expected.map((r) => r.deviceId),
  );
  const openedRow = card.locator(`[data-testid="recipient-row"][data-device="${opener}"]`);
  await waitText(openedRow, 'Sent');
  expect(await openedRow.getByTestId('recipient-opened').innerText()).not.toBe('—');
  expect(await card.locator('[data-testid="recipient-opened"]:not(:has-text("—"))').count()).toBe(1);
  await shot(page, '60-insights-recipients');

  await card.getByRole('button', { name: 'Opened' }).click();
  await waitCount(card.getByTestId('recipient-row'), 1);
  expect(await card.getByTestId('recipient-row').getAttribute('data-device')).toBe(opener);
  expect(await card.getByRole('button', { name: 'Opened' }).getAttribute('aria-pressed')).toBe('true');
  await card.getByRole('button', { name: 'Failed' }).click();
  await waitText(card.getByTestId('recipients-empty'), 'No recipient with this outcome.');
  expect(unexpectedErrors(consoleErrors)).toEqual([]);
}, 120_000);
