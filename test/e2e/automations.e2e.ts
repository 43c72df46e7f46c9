/**
 * The merchant UI for automated campaigns (issue 17 item 6): a cart reminder built in the editor (Add to
 * cart, 1 hour, exit on purchase) with its sentence and a refused delay shown at its field; activated
 * after a confirm that states the trigger; a backdated cart add pushed and counted on its page; paused and
 * resumed; listed under Automations and not under Campaigns.
 */
import type { Page } from 'playwright-core';
import { demoDevices } from '../../scripts/demo-data';
import { waitCount, waitText } from './support/wait';
import { e2eForFile, shot, unexpectedErrors, type E2E } from './support/world';

const DEVICES = 300;
const SENTENCE = '1 hour after Add to cart, unless they purchase';
let e2e: E2E;
let page: Page;
let consoleErrors: string[];

e2eForFile({ devices: DEVICES }, (file) => ({ e2e, page, consoleErrors } = file));

const hashParts = async () => (await page.evaluate(() => location.hash)).split('/').map(decodeURIComponent);

async function waitApi(id: string, ok: (c: any) => boolean, what: string, timeout = 30_000): Promise<any> {
  const end = Date.now() + timeout;
  for (;;) {
    const c = (await e2e.api('GET', `/v1/campaigns/${id}`)).body;
    if (ok(c)) return c;
    if (Date.now() > end) throw new Error(`automation ${id}: ${what}; it is ${JSON.stringify({ status: c.status, progress: c.progress })}`);
    await page.waitForTimeout(250);
  }
}

test('a cart reminder: built with its sentence, activated, pushed, paused and resumed', async () => {
  await page.goto(`${e2e.url}/#/automations`);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Automations' }).waitFor();
  await page.getByRole('link', { name: '+ New automation' }).click();
  await page.getByLabel('Automation name').fill('Cart reminder');
  await page.getByRole('radio', { name: /After an event/ }).check();
  await page.getByLabel('When a shopper does').selectOption('add_to_cart');
  // Add to cart is the trigger: it is not offered as an exit event.
  const exits = page.locator('.exit-events');
  expect(await exits.getByRole('checkbox', { name: 'Add to cart' }).count()).toBe(0);
  await page.getByLabel('Wait', { exact: true }).fill('90');
  await page.getByLabel('Delay unit').selectOption('minutes');
  await exits.getByRole('checkbox', { name: 'Purchase' }).uncheck();
  await waitText(page.getByTestId('trigger-sentence'), '90 minutes after Add to cart');
  await page.getByLabel('Wait', { exact: true }).fill('1');
  await page.getByLabel('Delay unit').selectOption('hours');
  await exits.getByRole('checkbox', { name: 'Purchase' }).check();
  await waitText(page.getByTestId('trigger-sentence'), SENTENCE);
  await page.getByLabel('Title', { exact: true }).fill('Still thinking it over?');
  await page.getByLabel('Message', { exact: true }).fill('Your cart is waiting. Tap to check out.');
  await waitText(page.getByTestId('preview-title').first(), 'Still thinking it over?');

  // Over 30 days: the server's 400 lands at the delay field, in merchant words.
  await page.getByLabel('Wait', { exact: true }).fill('31');
  await page.getByLabel('Delay unit').selectOption('days');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await waitText(page.locator('#trg-delay-error'), 'At most 30 days');
  expect((await hashParts())[2]).toBe('new');
  await shot(page, '50-automation-delay-refused');

  await page.getByLabel('Wait', { exact: true }).fill('1');
  await page.getByLabel('Delay unit').selectOption('hours');
  await waitText(page.getByTestId('trigger-sentence'), SENTENCE);
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.locator('.toast', { hasText: 'Draft saved' }).waitFor();
  const [, , id, sub] = await hashParts();
  expect(sub).toBe('edit');
  const draft = (await e2e.api('GET', `/v1/campaigns/${id}`)).body;
  expect(draft).toMatchObject({
    kind: 'automated',
    status: 'draft',
    schedule: null,
    trigger: { type: 'event', event: 'add_to_cart', delayMinutes: 60, exitOn: ['purchase'], reentryAfterDays: 0 },
  });
  await shot(page, '51-automation-editor', 'automation-editor', '[data-testid="trigger-fields"]');

  // Activate: the confirm states the trigger.
  await page.getByRole('button', { name: 'Save and activate' }).click();
  await waitText(page.getByTestId('activate-sentence'), SENTENCE);
  await page.getByRole('button', { name: 'Activate', exact: true }).click();
  await page.locator('[data-testid="automation-status"][data-status="active"]').waitFor();
  expect(await hashParts()).toEqual(['#', 'automations', id]);
  expect((await e2e.api('GET', `/v1/campaigns/${id}`)).body.status).toBe('active');
  await waitText(page.getByTestId('trigger-sentence'), SENTENCE);

  // A cart add 61 minutes ago is due now: the local world pushes it within seconds and the page counts it.
  const shopper = demoDevices({ tenantId: 'demo', devices: DEVICES, days: 30, seed: 7, now: new Date() }).find((d) => d.optedIn)!;
  const { appKey } = (await e2e.api('POST', '/local/tenants', { tenantId: 'demo' })).body;
  const report = await fetch(`${e2e.url}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-app-key': appKey },
    body: JSON.stringify({
      events: [
        {
          eventId: 'e2e-cart-1',
          deviceId: shopper.deviceId,
          type: 'add_to_cart',
          productId: 'sku-1',
          ts: new Date(Date.now() - 61 * 60_000).toISOString(),
        },
      ],
    }),
  });
  expect(report.status).toBe(200);
  const pushed = await waitApi(
    id,
    (c) => c.progress.targeted >= 1 && c.progress.sent + c.progress.suppressed + c.progress.failed >= 1,
    'due device handled',
  );
  await waitText(page.getByTestId('progress-sent'), pushed.progress.sent.toLocaleString('en-US'), 20_000);
  await page.getByTestId('automation-insights').waitFor();
  await page.getByTestId('automation-insights').getByRole('button', { name: 'Refresh' }).click();
  await waitText(page.getByTestId('stat-sent'), pushed.progress.sent.toLocaleString('en-US'));
  if (pushed.progress.sent > 0) await page.getByTestId('day-chart').waitFor();
  await shot(page, '52-automation-active', 'automation', '[data-testid="automation-status"]');

  // Pause, then resume.
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.locator('[data-testid="automation-status"][data-status="paused"]').waitFor();
  expect((await e2e.api('GET', `/v1/campaigns/${id}`)).body.status).toBe('paused');
  await waitText(page.getByTestId('status-words'), 'Paused: nothing is sent');
  await shot(page, '53-automation-paused');
  // Editable while paused: Save goes back to its page, where it is resumed.
  await page.getByRole('link', { name: 'Edit' }).click();
  await page.getByLabel('Wait', { exact: true }).fill('2');
  await waitText(page.getByTestId('trigger-sentence'), '2 hours after Add to cart, unless they purchase');
  expect(await page.getByRole('button', { name: 'Save and activate' }).count()).toBe(0);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.locator('[data-testid="automation-status"][data-status="paused"]').waitFor();
  await waitText(page.getByTestId('trigger-sentence'), '2 hours after Add to cart, unless they purchase');
  expect((await e2e.api('GET', `/v1/campaigns/${id}`)).body.trigger).toMatchObject({ delayMinutes: 120, exitOn: ['purchase'] });
  await page.getByRole('button', { name: 'Resume' }).click();
  await page.locator('[data-testid="automation-status"][data-status="active"]').waitFor();
  expect((await e2e.api('GET', `/v1/campaigns/${id}`)).body.status).toBe('active');

  const { page: phone } = await e2e.newPage({ width: 390, height: 844 });
  await phone.goto(`${e2e.url}/#/automations/${encodeURIComponent(id)}`);
  await phone.locator('[data-testid="automation-status"][data-status="active"]').waitFor();
  await phone.getByTestId('day-chart').waitFor();
  expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBe(390);
  await shot(phone, '53-automation-phone');

  // Listed under Automations with its sentence; not among the campaigns.
  await page.getByRole('link', { name: 'Automations', exact: true }).first().click();
  const row = page.locator(`tr[data-automation="${id}"]`);
  await waitText(row.getByTestId('row-trigger'), '2 hours after Add to cart, unless they purchase');
  await waitText(row, 'Active');
  await shot(page, '54-automation-list');
  await page.goto(`${e2e.url}/#/campaigns`);
  await page.getByRole('heading', { name: 'Push campaigns' }).waitFor();
  await page.locator('.table, .empty').first().waitFor();
  await waitCount(page.locator(`tr[data-campaign="${id}"]`), 0);
  // A campaign address of an automation goes to its page.
  await page.goto(`${e2e.url}/#/campaigns/${id}`);
  await page.locator('[data-testid="automation-status"]').waitFor();
  // 400: the refused delay.
  expect(unexpectedErrors(consoleErrors, [400])).toEqual([]);
});
