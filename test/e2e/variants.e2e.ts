/**
 * An A/B test with a control group in the browser (issue 18), against the real local world: compose two
 * variants and a 10 % holdout, see both in the preview and the launch review, send it now; then report
 * purchases as the SDK would (variant A converts far more than the control, B like it) and read the winner
 * on the insights page.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expectNoSeriousViolations } from './support/axe';
import { waitText } from './support/wait';
import { OUT_DIR, shot, startE2E, unexpectedErrors, type E2E } from './support/world';

const A_TITLE = 'Black Friday: 30 % off everything';
const B_TITLE = 'Your cart misses you';

let e2e: E2E;
let page: Page;
let consoleErrors: string[];
let campaignId = '';

beforeAll(async () => {
  e2e = await startE2E();
  ({ page, consoleErrors } = await e2e.newPage({ width: 1280, height: 900 }));
}, 180_000);

afterAll(async () => {
  await e2e?.stop();
});

/** Polls `read` until `ok` holds (a condition, not a fixed sleep). */
async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, timeout = 60_000): Promise<T> {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(v).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('composes two variants and a 10 % control group, previews both and sends it', async () => {
  await page.goto(`${e2e.url}/#/campaigns/new`);
  await page.getByLabel('Campaign name').fill('Black Friday A/B');
  await waitText(page.getByTestId('audience-size'), 'devices');

  await page.getByTestId('ab-switch').check();
  await page.getByTestId('variant-tabs').waitFor();
  expect(await page.getByTestId('variant-row').count()).toBe(2);
  expect(await page.getByLabel('Variant 1 share (%)').inputValue()).toBe('50');
  expect(await page.getByLabel('Variant 2 share (%)').inputValue()).toBe('50');

  // Variant A is on screen first.
  await page.getByLabel('Title', { exact: true }).fill(A_TITLE);
  await page.getByLabel('Message', { exact: true }).fill('Today only, on every order.');
  await waitText(page.getByTestId('preview-title'), A_TITLE);
  // Variant B: its own message.
  await page.getByTestId('variant-tabs').getByRole('button', { name: 'Variant B' }).click();
  await waitText(page.getByTestId('message-fields').locator('legend'), 'variant B');
  await page.getByLabel('Title', { exact: true }).fill(B_TITLE);
  await page.getByLabel('Message', { exact: true }).fill('Come back: it is all still there.');
  await waitText(page.getByTestId('preview-title'), B_TITLE);

  // The weights must add up to 100: a wrong share is flagged, "Split evenly" puts it right.
  await page.getByLabel('Variant 2 share (%)').fill('40');
  await waitText(page.getByTestId('variant-sum'), 'must add up to 100');
  await page.getByRole('button', { name: 'Split evenly' }).click();
  await waitText(page.getByTestId('variant-sum'), 'Shares add up to 100 %');

  await page.getByLabel('Control group (% of the audience)').fill('10');
  await waitText(page.getByTestId('holdout-sentence'), '10 % of the audience gets no push');

  // The preview switches between the variants (and the fields follow).
  await page.getByTestId('preview-variants').getByRole('button', { name: 'Variant A' }).click();
  await waitText(page.getByTestId('preview-title'), A_TITLE);
  await waitText(page.getByTestId('message-fields').locator('legend'), 'variant A');
  expect(await page.getByLabel('Title', { exact: true }).inputValue()).toBe(A_TITLE);
  await shot(page, '70-composer-variants');

  await expectNoSeriousViolations(page, 'composer with variants', '.composer');

  await page.getByRole('button', { name: 'Send now' }).click();
  const review = page.getByTestId('review-variants');
  await waitText(review, A_TITLE);
  await waitText(review, B_TITLE);
  await waitText(page.getByTestId('review-variant').first(), '50 % of the pushed devices (45 % of the audience)');
  await waitText(page.getByTestId('review-holdout'), '10 % of the audience');
  await waitText(page.getByTestId('review-holdout'), 'devices)');
  await expectNoSeriousViolations(page, 'launch review with variants', '[data-testid="launch-review"]');
  await shot(page, '71-launch-review-variants');

  await page.getByRole('button', { name: 'Confirm and send' }).click();
  await page.waitForFunction(() => /#\/campaigns\/(?!new)/.test(location.hash), undefined, { timeout: 15_000 });
  campaignId = decodeURIComponent((await page.evaluate(() => location.hash)).split('/')[2]);
  const stored = await e2e.api('GET', `/v1/campaigns/${campaignId}`);
  expect(stored.body).toMatchObject({
    message: null,
    holdoutPercent: 10,
    variants: [
      { id: 'A', weight: 50, message: { title: A_TITLE } },
      { id: 'B', weight: 50, message: { title: B_TITLE } },
    ],
  });
  await until(
    async () => (await e2e.api('GET', `/v1/campaigns/${campaignId}`)).body.status,
    (s) => s === 'sent',
    'the campaign to be sent',
  );
  // The campaign page counts the control group.
  await page.locator('[data-testid="status-card"][data-status="sent"]').waitFor({ timeout: 30_000 });
  await waitText(page.getByTestId('progress-line'), 'held out (control group, not pushed)');
  await waitText(page.getByTestId('status-arms'), 'Variant A 50 % · Variant B 50 % · control group 10 %');
}, 120_000);

test('reads "Variant A wins" once A converts clearly more than the control and B does not', async () => {
  // Every device of the campaign, with its arm.
  type Row = { deviceId: string; outcome: string; variant: string | null };
  const rows: Row[] = [];
  let cursor: string | null = null;
  do {
    const res: { status: number; body: { items: Row[]; nextCursor: string | null } } = await e2e.api(
      'GET',
      `/v1/campaigns/${campaignId}/recipients?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    expect(res.status).toBe(200);
    rows.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  const arm = (pick: (r: Row) => boolean) => rows.filter(pick).map((r) => r.deviceId);
  const a = arm((r) => r.variant === 'A' && r.outcome === 'sent');
  const b = arm((r) => r.variant === 'B' && r.outcome === 'sent');
  const control = arm((r) => r.outcome === 'heldOut');
  expect(control.length).toBeGreaterThan(50);
  expect(a.length).toBeGreaterThan(200);
  expect(b.length).toBeGreaterThan(200);

  // Conversions: A 30 %, B and the control 8 % (each group has well over 5 buyers and 5 non-buyers).
  const buyers = (ids: string[], rate: number) => ids.slice(0, Math.round(ids.length * rate));
  const ts = new Date().toISOString();
  const events: Record<string, unknown>[] = [...buyers(a, 0.3), ...buyers(b, 0.08), ...buyers(control, 0.08)].map((deviceId, n) => ({
    eventId: `e2e-ab-buy-${n}`,
    deviceId,
    type: 'purchase',
    orderId: `e2e-ab-order-${n}`,
    amount: 40,
    currency: 'USD',
    ts,
  }));
  // Some pushed buyers opened the push first (the open-attributed figures and the list's open rate and revenue).
  const openedAt = new Date(Date.parse(ts) - 60_000).toISOString();
  for (const [n, deviceId] of [...buyers(a, 0.15), ...buyers(b, 0.04)].entries())
    events.push({ eventId: `e2e-ab-open-${n}`, deviceId, type: 'push_open', campaignId, ts: openedAt });
  const { appKey } = (await e2e.api('POST', '/local/tenants', { tenantId: 'demo' })).body;
  for (let i = 0; i < events.length; i += 500) {
    const report = await fetch(`${e2e.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-app-key': appKey },
      body: JSON.stringify({ events: events.slice(i, i + 500) }),
    });
    expect(report.status).toBe(200);
  }
  // The API counts them (the lake may take a moment); then the page reads them.
  const insights = await until(
    async () => (await e2e.api('GET', `/v1/campaigns/${campaignId}/insights`)).body,
    (i) => i.status !== 'running' && i.control?.conversions === buyers(control, 0.08).length,
    'the purchases in the insights',
  );
  expect(insights.byVariant.map((v: { id: string; significant: boolean }) => [v.id, v.significant])).toEqual([
    ['A', true],
    ['B', false],
  ]);

  await page.goto(`${e2e.url}/#/campaigns/${encodeURIComponent(campaignId)}/insights`);
  const card = page.getByTestId('variants-card');
  await waitText(card.getByTestId('variants-verdict'), 'Variant A wins', 30_000);
  await waitText(card.getByTestId('variants-verdict'), 'significant at 95 %');
  expect(await card.locator('[data-testid="variant-result"][data-variant="A"]').getAttribute('data-significant')).toBe('true');
  expect(await card.locator('[data-testid="variant-result"][data-variant="B"]').getAttribute('data-significant')).toBe('false');
  await waitText(card.locator('[data-testid="variant-result"][data-variant="A"] [data-testid="significance"]'), 'significant at 95 %');
  await waitText(card.locator('[data-testid="variant-result"][data-variant="B"] [data-testid="significance"]'), 'not significant yet');
  await waitText(card.getByTestId('control-result'), String(control.length));
  expect(await card.locator('[data-testid="variant-result"][data-variant="A"] [data-testid="lift"]').innerText()).toMatch(/^\+\d+ %$/);
  await waitText(page.getByTestId('insights-held-out'), String(control.length));

  await card.getByText('How is this computed?').click();
  await waitText(card.locator('[data-testid="variant-test"][data-variant="A"]'), 'z =');
  await card.screenshot({ path: path.join(OUT_DIR, '72-insights-variants.png') });
  await shot(page, '73-insights-variants-page', 'insights-ab', '[data-testid="variants-card"]');
  await expectNoSeriousViolations(page, 'insights with variants', '.insights');

  // A test send pushes every variant to each test device (or the one picked).
  const settings = (await e2e.api('GET', '/v1/settings')).body;
  expect((await e2e.api('PUT', '/v1/settings', { ...settings, testDevices: [a[0]] })).status).toBe(200);
  await page.goto(`${e2e.url}/#/campaigns/${encodeURIComponent(campaignId)}`);
  await page.getByRole('button', { name: 'Send a test' }).click();
  const dialog = page.getByTestId('test-send-dialog');
  await waitText(dialog.getByTestId('test-send-variants'), 'one per variant');
  await dialog.getByRole('button', { name: 'Send to 1 device' }).click();
  await waitText(dialog.getByTestId('test-send-result'), 'Sent to 1 device (variants A, B, one push each)');
  await dialog.getByLabel('Variants to send').selectOption('B');
  await dialog.getByRole('button', { name: 'Send to 1 device' }).click();
  await waitText(dialog.getByTestId('test-send-result'), 'Sent to 1 device (variant B)');
  await shot(page, '74-test-send-variants');
  await dialog.getByRole('button', { name: 'Done' }).click();

  // The list shows the first variant's title with an A/B badge.
  await page.goto(`${e2e.url}/#/campaigns`);
  const row = page.locator(`tr[data-campaign="${campaignId}"]`);
  await waitText(row, A_TITLE);
  await waitText(row.getByTestId('ab-badge'), 'A/B');
  await shot(page, '75-campaign-list', 'campaign-list');
  expect(unexpectedErrors(consoleErrors)).toEqual([]);
}, 120_000);
