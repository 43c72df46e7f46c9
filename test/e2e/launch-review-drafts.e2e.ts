/**
 * The merchant's safety nets in the browser (issue 16): the launch review before any send (Back sends
 * nothing, Confirm sends), the composer's half-written campaign surviving "+ Create a segment" and coming
 * back with the new segment selected (and unchanged on the way back without saving), the time-zone search
 * with today's names and offsets, and the segment editor's unsaved-changes guard, empty new-segment page
 * and cleared estimate for an incomplete condition.
 */
import type { Page } from 'playwright-core';
import { waitCount, waitText, waitValue } from './support/wait';
import { e2eForFile, shot, unexpectedErrors, type E2E } from './support/world';

let e2e: E2E;
let page: Page;
let consoleErrors: string[];

e2eForFile({ devices: 600 }, (file) => ({ e2e, page, consoleErrors } = file));

const hash = () => page.evaluate(() => location.hash);

async function createSegment(name: string, country: string): Promise<string> {
  const res = await e2e.api('POST', '/v1/segments', {
    name,
    match: 'all',
    criteria: [{ filter: 'device_country', operator: 'in', value: [country] }],
  });
  expect(res.status).toBe(201);
  return res.body.id;
}

async function compose(name: string, segmentId: string) {
  await page.goto(`${e2e.url}/#/campaigns/new`);
  await page.getByLabel('Campaign name').fill(name);
  await page.getByLabel('Customer segment').selectOption(segmentId);
  await waitText(page.getByTestId('audience-size'), 'devices');
  await page.getByLabel('Title', { exact: true }).fill('Flash sale in 19 ch');
  await page.getByLabel('Message', { exact: true }).fill('30% off until midnight.');
}

test('"Send now" opens the launch review; Back sends nothing, Confirm sends', async () => {
  const segmentId = await createSegment('German phones', 'DE');
  await compose('Review me', segmentId);
  await page.getByRole('button', { name: 'Send now' }).click();
  const review = page.getByTestId('launch-review');
  await review.waitFor({ timeout: 15_000 });
  await waitText(page.getByTestId('review-audience'), 'German phones');
  await waitText(page.getByTestId('review-audience'), 'devices');
  await waitText(page.getByTestId('review-schedule'), 'Now, as soon as you confirm');
  await waitText(page.getByTestId('review-message'), 'Flash sale in 19 ch');
  await shot(page, '30-launch-review', 'launch-review');

  // The review saved a draft (to show the service's own warnings) but launched nothing.
  await page.waitForFunction(() => /#\/campaigns\/(?!new)/.test(location.hash));
  const id = decodeURIComponent((await hash()).split('/')[2]);
  await page.getByRole('button', { name: 'Back' }).click();
  await review.waitFor({ state: 'detached' });
  const held = await e2e.api('GET', `/v1/campaigns/${id}`);
  expect(held.body).toMatchObject({ status: 'draft', launchedAt: null, progress: { targeted: 0, sent: 0 } });
  const outbox = await e2e.api('GET', `/local/outbox?campaignId=${encodeURIComponent(id)}`);
  expect(outbox.body.items).toHaveLength(0);

  await page.getByRole('button', { name: 'Send now' }).click();
  await page.getByRole('button', { name: 'Confirm and send' }).click();
  await page.locator('[data-testid="status-card"][data-status="sending"], [data-testid="status-card"][data-status="sent"]').waitFor({
    timeout: 30_000,
  });
  const launched = await e2e.api('GET', `/v1/campaigns/${id}`);
  expect(['sending', 'sent']).toContain(launched.body.status);
});

test('"+ Create a segment" keeps the half-written campaign and comes back with the new segment selected', async () => {
  const first = await createSegment('Austrian phones', 'AT');
  await compose('Half written', first);
  await page.getByRole('link', { name: '+ Create a segment' }).click();
  await page.waitForFunction(() => location.hash.startsWith('#/segments/new?returnTo='));
  expect(await page.getByLabel('Segment name').inputValue()).toBe('');

  // Back without saving: the draft as it was, the segment unchanged.
  await page.getByTestId('back-to-campaign').click();
  await page.waitForFunction(() => location.hash === '#/campaigns/new');
  await waitValue(page.getByLabel('Campaign name'), 'Half written');
  await waitValue(page.getByLabel('Customer segment'), first);

  // Create one: back in the composer with it selected and everything else kept.
  await page.getByRole('link', { name: '+ Create a segment' }).click();
  await page.getByLabel('Segment name').fill('Swiss phones');
  await page.getByLabel('Add condition', { exact: true }).selectOption('device_country');
  const country = page.locator('[data-path="criteria[0]"]');
  await country.getByLabel('Condition 1 value').fill('CH');
  await waitCount(country.locator('.chip'), 1);
  await page.getByRole('button', { name: 'Save and use in campaign' }).click();
  await page.waitForFunction(() => location.hash === '#/campaigns/new', undefined, { timeout: 15_000 });
  const created = (await e2e.api('GET', '/v1/segments?limit=100')).body.items.find((s: { name: string }) => s.name === 'Swiss phones');
  expect(created).toBeDefined();
  await waitValue(page.getByLabel('Customer segment'), created.id);
  await waitValue(page.getByLabel('Campaign name'), 'Half written');
  await waitValue(page.getByLabel('Title', { exact: true }), 'Flash sale in 19 ch');
  await waitValue(page.getByLabel('Message', { exact: true }), '30% off until midnight.');
  await shot(page, '31-composer-back-from-segment');
  // The kept draft was handed back once: a fresh composer starts empty.
  await page.evaluate(() => (location.hash = '#/campaigns'));
  await page.getByRole('button', { name: 'Leave' }).click();
  await page.goto(`${e2e.url}/#/campaigns/new`);
  await waitValue(page.getByLabel('Campaign name'), '');
});

test("time zones: search finds today's name with its offset, and the moment is shown in UTC", async () => {
  await page.goto(`${e2e.url}/#/campaigns/new`);
  await page.getByRole('radio', { name: /At a date and time/ }).check();
  const zone = page.getByLabel('Time zone', { exact: true });
  const options = await zone.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  expect(options).toContain('Asia/Kolkata');
  expect(options).not.toContain('Asia/Calcutta');
  expect(options).not.toContain('Europe/Kiev');

  await page.getByLabel('Search time zones').fill('calcutta');
  await waitValue(zone, 'Asia/Kolkata');
  expect(await zone.locator('option:checked').textContent()).toContain('UTC+05:30 Kolkata');
  await page.getByLabel('Search time zones').fill('+05:45');
  await waitValue(zone, 'Asia/Kathmandu');
  await waitText(page.getByTestId('schedule-note'), 'UTC');
  await shot(page, '32-zone-search');
  // The composer holds unsaved edits: leaving asks, and Leave goes.
  await page.evaluate(() => (location.hash = '#/segments'));
  await page.getByRole('button', { name: 'Leave' }).click();
  await page.waitForFunction(() => location.hash === '#/segments');
});

test('segment editor: asks before losing edits, opens empty at #/segments/new, clears the size of an incomplete condition', async () => {
  await page.goto(`${e2e.url}/#/segments/new`);
  await page.getByLabel('Segment name').fill('Not saved yet');
  await page.getByRole('link', { name: 'Campaigns' }).click();
  await waitText(page.getByTestId('leave-question'), 'not saved');
  await page.getByRole('button', { name: 'Stay' }).click();
  expect(await hash()).toBe('#/segments/new');
  await waitValue(page.getByLabel('Segment name'), 'Not saved yet');

  // A complete condition has a size; emptying its days takes the size away and says what is missing.
  await page.getByLabel('Add condition', { exact: true }).selectOption('last_app_open');
  const row = page.locator('[data-path="criteria[0]"]');
  await row.getByLabel('Condition 1 operator').selectOption('within_last_days');
  await row.getByLabel('Condition 1 value').fill('7');
  await page.getByTestId('estimate-matched').waitFor({ timeout: 30_000 });
  await row.getByLabel('Condition 1 value').fill('');
  await waitText(page.getByTestId('estimate-incomplete'), 'Enter a number of days');
  expect(await page.getByTestId('estimate-matched').count()).toBe(0);

  await row.getByLabel('Condition 1 value').fill('7');
  await page.getByRole('button', { name: 'Save segment' }).click();
  await page.waitForFunction(() => /#\/segments\/(?!new)/.test(location.hash), undefined, { timeout: 15_000 });
  // Saved: leaving asks nothing, and #/segments/new is a new, empty segment (never the one just saved).
  await page.evaluate(() => (location.hash = '#/segments/new'));
  await waitValue(page.getByLabel('Segment name'), '');
  expect(await page.getByRole('heading', { name: 'New segment' }).count()).toBe(1);

  await page.getByLabel('Segment name').fill('Leave me');
  await page.getByRole('link', { name: 'Campaigns' }).click();
  await page.getByRole('button', { name: 'Leave' }).click();
  await page.waitForFunction(() => location.hash === '#/campaigns');
  expect(unexpectedErrors(consoleErrors, [404, 405])).toEqual([]);
});
