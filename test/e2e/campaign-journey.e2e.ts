/**
 * The merchant's journey in the browser, against the real local world: build a segment with a nested
 * ANY group and watch its size, save it, explain a device, compose a push with an emoji, schedule it
 * a minute ahead in each recipient's local time, watch it go out, check the outbox, open insights.
 */
import type { Page } from 'playwright-core';
import { waitCount, waitText, waitValue } from './support/wait';
import { e2eForFile, shot, unexpectedErrors, wallClock, type E2E } from './support/world';

const ZONE = 'Europe/Berlin'; // demo devices in DE all live here, so every wave fires together
const graphemes = (s: string) => [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(s)].length;

let e2e: E2E;
let page: Page;
let consoleErrors: string[];
let segmentId = '';
let campaignId = '';

e2eForFile({}, (file) => ({ e2e, page, consoleErrors } = file));

async function matched(p: Page): Promise<string> {
  return (await p.getByTestId('estimate-matched').textContent()) ?? '';
}

test('builds a 3-condition segment with a nested ANY group and sees its size change live', async () => {
  await page.goto(`${e2e.url}/#/segments/new`);
  await page.getByLabel('Segment name').fill('Berlin regulars');
  await page.getByLabel('Add condition', { exact: true }).selectOption('device_country');
  const country = page.locator('[data-path="criteria[0]"]');
  await country.getByLabel('Condition 1 value').fill('DE');
  await waitCount(country.locator('.chip'), 1);

  await page.getByRole('button', { name: 'Add group', exact: true }).click();
  const group = page.locator('[data-path="criteria[1]"]').first();
  await group.getByRole('radio', { name: 'ANY' }).check();
  const opened = page.locator('[data-path="criteria[1].criteria[0]"]');
  await opened.getByLabel('Condition 1 filter').selectOption('last_app_open');
  await opened.getByLabel('Condition 1 operator').selectOption('within_last_days');
  await opened.getByLabel('Condition 1 value').fill('7');
  await page.getByLabel('Group 2: add condition').selectOption('total_orders');
  const orders = page.locator('[data-path="criteria[1].criteria[1]"]');
  await orders.getByLabel('Condition 2 operator').selectOption('gte');
  await orders.getByLabel('Condition 2 value').fill('2');

  await page.getByTestId('estimate-matched').waitFor({ timeout: 30_000 });
  await page.waitForFunction(() => !document.querySelector('.estimate[aria-busy="true"]'));
  const before = await matched(page);
  expect(Number(before.replace(/\D/g, ''))).toBeGreaterThan(0);
  await waitText(page.getByTestId('estimate-percent'), '%');
  await page.getByTestId('estimate-advice').waitFor();

  // Narrow one condition: the size follows.
  await opened.getByLabel('Condition 1 value').fill('1');
  await page.waitForFunction(
    (b) => {
      const el = document.querySelector('[data-testid="estimate-matched"]');
      return !document.querySelector('.estimate[aria-busy="true"]') && el && el.textContent !== b;
    },
    before,
    { timeout: 30_000 },
  );
  const after = await matched(page);
  expect(Number(after.replace(/\D/g, ''))).toBeLessThan(Number(before.replace(/\D/g, '')));
  await opened.getByLabel('Condition 1 value').fill('7');
  await page.waitForFunction((b) => document.querySelector('[data-testid="estimate-matched"]')?.textContent === b, before, {
    timeout: 30_000,
  });
  await shot(page, '01-segment-builder', 'segment-builder', '#criteria-title');
});

test('saves the segment and explains why a device is in it', async () => {
  await page.getByRole('button', { name: 'Save segment' }).click();
  await page.waitForFunction(() => /#\/segments\/(?!new)/.test(location.hash), undefined, { timeout: 15_000 });
  segmentId = decodeURIComponent((await page.evaluate(() => location.hash)).split('/')[2]);
  const saved = await e2e.api('GET', `/v1/segments/${segmentId}`);
  expect(saved.status).toBe(200);
  expect(saved.body.match).toBe('all');
  expect(saved.body.criteria).toHaveLength(2);
  expect(saved.body.criteria[1]).toMatchObject({
    match: 'any',
    criteria: [{ filter: 'last_app_open' }, { filter: 'total_orders', operator: 'gte', value: 2 }],
  });

  const sample = page.locator('.explain .sample button').first();
  await sample.waitFor({ timeout: 15_000 });
  await sample.click();
  const result = page.getByTestId('explain-result');
  await result.waitFor({ timeout: 15_000 });
  await waitText(result, 'In the segment');
  expect(await result.locator('li').count()).toBe(3);
  await shot(page, '02-segment-explain');
});

test('composes a push with an emoji: counters, preview on iOS and Android', async () => {
  await page.goto(`${e2e.url}/#/campaigns/new`);
  await page.getByLabel('Campaign name').fill('Berlin flash sale');
  await page.getByLabel('Customer segment').selectOption(segmentId);
  await waitText(page.getByTestId('audience-size'), 'devices');

  const title = page.getByLabel('Title', { exact: true });
  await title.fill('Flash sale today only ');
  await title.focus();
  await page.getByRole('button', { name: /Insert emoji/ }).click();
  await page.getByRole('button', { name: 'Insert 🎉' }).click();
  const titleText = 'Flash sale today only 🎉';
  await page.waitForFunction((t) => (document.getElementById('msg-title') as HTMLInputElement).value === t, titleText);
  await waitText(page.getByTestId('title-counter'), `${graphemes(titleText)} / 50`);

  const body = 'Your favourites are 30% off 👨‍👩‍👧 Tap to shop before midnight.';
  await page.getByLabel('Message', { exact: true }).fill(body);
  await waitText(page.getByTestId('body-counter'), `${graphemes(body)} / 120`);
  expect(graphemes(body)).toBeLessThan(body.length); // the family emoji counts once

  await page.getByLabel(/Image URL/).fill('https://cdn.example.com/flash.svg');
  await page.getByTestId('image-thumb').waitFor();
  await page.getByLabel(/Deep link/).fill('myshop://sale/flash');
  await page.getByRole('button', { name: '+ Add button' }).click();
  await waitValue(page.getByLabel('Button 1 label'), 'Shop Now');

  await waitText(page.getByTestId('preview-title'), titleText);
  await waitText(page.getByTestId('preview-body'), 'Tap to shop');
  await shot(page, '03-composer-ios', 'composer', 'fieldset:has(.emoji-bar)');
  await page.getByRole('radiogroup', { name: 'Preview platform' }).getByText('Android').click();
  await page.locator('[data-testid="phone-preview"][data-platform="android"]').waitFor();
  await shot(page, '04-composer-android');
});

test("schedules it a minute ahead in each recipient's local time and sees it sent", async () => {
  await page.getByRole('radio', { name: /recipient's local time/ }).check();
  const seconds = new Date().getSeconds();
  const at = wallClock(ZONE, seconds > 40 ? 2 : 1);
  await page.getByLabel(/Local date and time/).fill(at);
  await page.getByLabel('Fallback time zone').selectOption(ZONE);
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.waitForFunction(() => /#\/campaigns\/(?!new)/.test(location.hash), undefined, { timeout: 15_000 });
  campaignId = decodeURIComponent((await page.evaluate(() => location.hash)).split('/')[2]);
  const draft = await e2e.api('GET', `/v1/campaigns/${campaignId}`);
  expect(draft.body).toMatchObject({ status: 'draft', segmentId, schedule: { type: 'local', at: `${at}:00`, fallbackTimezone: ZONE } });
  expect(draft.body.message.buttons).toEqual([{ label: 'Shop Now', deepLink: 'myshop://sale/flash' }]);

  // Scheduling goes through the launch review: nothing is scheduled until it is confirmed.
  await page.getByRole('button', { name: 'Schedule' }).click();
  await waitText(page.getByTestId('review-schedule'), "in each device's time zone");
  expect((await e2e.api('GET', `/v1/campaigns/${campaignId}`)).body.status).toBe('draft');
  await page.getByRole('button', { name: 'Confirm schedule' }).click();
  await page.locator('[data-testid="status-card"][data-status="scheduled"]').waitFor({ timeout: 15_000 });
  await shot(page, '05-campaign-scheduled');
  await page
    .locator('[data-testid="status-card"][data-status="sending"], [data-testid="status-card"][data-status="sent"]')
    .waitFor({ timeout: 170_000 });
  await page.locator('[data-testid="status-card"][data-status="sent"]').waitFor({ timeout: 60_000 });
  await shot(page, '06-campaign-sent');

  const done = await e2e.api('GET', `/v1/campaigns/${campaignId}`);
  expect(done.body.status).toBe('sent');
  expect(done.body.progress.sent).toBeGreaterThan(0);
  await waitText(page.getByTestId('progress-sent'), done.body.progress.sent.toLocaleString('en-US'));
  const outbox = await e2e.api('GET', `/local/outbox?campaignId=${encodeURIComponent(campaignId)}`);
  expect(outbox.status).toBe(200);
  expect(outbox.body.items).toHaveLength(done.body.progress.sent);
  for (const item of outbox.body.items) expect(Object.keys(item.message).some((k) => k.startsWith('APNS') || k === 'GCM')).toBe(true);
}, 300_000);

test('opens the campaign insights', async () => {
  await page.getByRole('link', { name: 'View insights' }).click();
  await page.getByTestId('stat-sent').waitFor({ timeout: 15_000 });
  const insights = await e2e.api('GET', `/v1/campaigns/${campaignId}/insights`);
  expect(insights.status).toBe(200);
  await waitText(page.getByTestId('stat-sent'), insights.body.sent.toLocaleString('en-US'));
  const chartOrEmpty = page.locator('[data-testid="insights-chart"], [data-testid="no-timeline"]');
  await chartOrEmpty.first().waitFor();
  await waitText(page.getByTestId('insights-as-of'), 'Figures as of');
  await shot(page, '07-insights');
  // 404/405: the launch review's wave plan (POST /v1/campaign-plans) on a service without that route.
  expect(unexpectedErrors(consoleErrors, [404, 405])).toEqual([]);
});
