/**
 * The rest of the merchant UI in the browser: settings round-trip, segment delete refused while in use
 * (409 segment_in_use lists the referrer), a stale save (409 version_mismatch), the product picker of
 * product conditions, failed loads shown with a retry (never as empty lists), every control labelled,
 * and the pages on a 390-px-wide phone without sideways scrolling.
 */
import type { Page } from 'playwright-core';
import { waitCount, waitText, waitValue } from './support/wait';
import { shot, startE2E, unexpectedErrors, type E2E } from './support/world';

let e2e: E2E;

beforeAll(async () => {
  e2e = await startE2E({ devices: 600 });
}, 180_000);

afterAll(async () => {
  await e2e?.stop();
});

/** Create a segment matching all of `criteria` through the API (expects 201); the segment. */
async function createSegment(name: string, ...criteria: Record<string, unknown>[]): Promise<{ id: string; name: string }> {
  const res = await e2e.api('POST', '/v1/segments', { name, match: 'all', criteria });
  expect(res.status).toBe(201);
  return res.body;
}

/** Form controls without an accessible name (label, aria-label, aria-labelledby, title or text). */
async function unlabelled(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('input, select, textarea, button, a[href]'))) {
      if ((el as HTMLInputElement).type === 'hidden' || el.closest('[hidden]')) continue;
      const id = el.getAttribute('id');
      const named =
        !!el.getAttribute('aria-label') ||
        !!el.getAttribute('aria-labelledby') ||
        !!el.getAttribute('title') ||
        !!el.closest('label') ||
        (!!id && !!document.querySelector(`label[for="${CSS.escape(id)}"]`)) ||
        ((el.tagName === 'BUTTON' || el.tagName === 'A') && (el.textContent ?? '').trim().length > 0);
      if (!named) out.push(el.outerHTML.slice(0, 120));
    }
    return out;
  });
}

test('settings: saves quiet hours, frequency cap, attribution window and default time zone', async () => {
  // A test device set through the API: the form does not edit it, and its save (a whole-object PUT) must keep it.
  let sample = await e2e.api('POST', '/v1/segment-estimates', { match: 'all', criteria: [], sampleSize: 1 });
  while (sample.body.status === 'running') sample = await e2e.api('GET', `/v1/segment-estimates/${sample.body.id}`);
  const testDevice: string = sample.body.sample[0];
  const before = await e2e.api('GET', '/v1/settings');
  expect((await e2e.api('PUT', '/v1/settings', { ...before.body, testDevices: [testDevice] })).status).toBe(200);
  const { page, consoleErrors } = await e2e.newPage();
  await page.goto(`${e2e.url}/#/settings`);
  await page.getByLabel('Hold pushes during quiet hours').waitFor({ timeout: 15_000 });
  await page.getByLabel('Hold pushes during quiet hours').check();
  await page.getByLabel('From').fill('22:00');
  await page.getByLabel('Until').fill('07:30');
  await page.getByLabel('Limit pushes per device').check();
  await page.getByLabel('At most (pushes)').fill('4');
  await page.getByLabel('Per (hours)').fill('48');
  await page.getByLabel('Attribution window (hours)').fill('72');
  await page.getByLabel('Time zone', { exact: true }).selectOption('Europe/Paris');
  expect(await unlabelled(page)).toEqual([]);
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByText('Settings saved').waitFor();
  const saved = await e2e.api('GET', '/v1/settings');
  expect(saved.body).toEqual({
    quietHours: { start: '22:00', end: '07:30' },
    frequencyCap: { maxPerDevice: 4, windowHours: 48 },
    attributionWindowHours: 72,
    defaultTimezone: 'Europe/Paris',
    testDevices: [testDevice],
  });

  // A value the API refuses is shown next to its field.
  await page.getByLabel('Attribution window (hours)').fill('0');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.locator('#attr-hours-error').waitFor();
  await shot(page, '10-settings');
  expect(unexpectedErrors(consoleErrors, [400])).toEqual([]);
});

test('segments: delete is refused while another segment uses it, and a stale save says so', async () => {
  const base = await createSegment('Germany', { filter: 'device_country', operator: 'in', value: ['DE'] });
  await createSegment(
    'Germans on iOS',
    { filter: 'in_segment', operator: 'is_member', value: base.id },
    { filter: 'platform', operator: 'in', value: ['ios'] },
  );

  const { page, consoleErrors } = await e2e.newPage();
  await page.goto(`${e2e.url}/#/segments`);
  await page.getByRole('button', { name: 'Delete Germany' }).click();
  await page.getByRole('button', { name: 'Delete segment' }).click();
  const inUse = page.getByTestId('segment-in-use');
  await inUse.waitFor({ timeout: 15_000 });
  await waitText(inUse, 'Germans on iOS');
  expect(await inUse.getByRole('link', { name: 'Germans on iOS' }).count()).toBe(1);
  await shot(page, '11-segment-in-use');

  // Someone else saves first: our save with the old version is refused plainly.
  await page.goto(`${e2e.url}/#/segments/${encodeURIComponent(base.id)}`);
  await page.getByLabel('Segment name').waitFor();
  expect(await unlabelled(page)).toEqual([]);
  const other = await e2e.api('PUT', `/v1/segments/${base.id}`, {
    name: 'Germany',
    match: 'all',
    criteria: [{ filter: 'device_country', operator: 'in', value: ['DE', 'AT'] }],
  });
  expect(other.status).toBe(200);
  await page.getByLabel('Segment name').fill('Germany (edited)');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByTestId('version-mismatch').waitFor({ timeout: 15_000 });
  await shot(page, '12-version-mismatch');
  expect(unexpectedErrors(consoleErrors, [409])).toEqual([]);
});

test('segments: product conditions pick real product ids from the catalog, by keyboard or mouse, or take typed ids', async () => {
  const { page, consoleErrors } = await e2e.newPage();
  await page.goto(`${e2e.url}/#/segments/new`);
  await page.getByLabel('Segment name').waitFor({ timeout: 15_000 });
  await page.getByLabel('Segment name').fill('Looked at sku-1x');
  await page.getByLabel('Add condition', { exact: true }).selectOption('product_viewed');
  const row = page.locator('[data-path="criteria[0]"]');
  const box = row.getByRole('combobox', { name: 'Condition 1 value' });
  const options = row.getByRole('listbox', { name: 'Condition 1 value: products' }).getByRole('option');

  const ids = options.locator('.product-id');
  /** Types `text` and waits until the list shows the catalog's answer for it (minus ids already chosen). */
  const search = async (text: string, chosen: string[] = []) => {
    await box.fill(text);
    const items = (await e2e.api('GET', `/v1/catalog/products?query=${encodeURIComponent(text)}&limit=20`)).body.items as {
      productId: string;
    }[];
    const want = items.map((p) => p.productId).filter((p) => !chosen.includes(p));
    expect(want.length).toBeGreaterThan(1);
    await page.waitForFunction(
      (w) =>
        JSON.stringify(
          [...document.querySelectorAll('[data-path="criteria[0]"] [role="listbox"]:not([hidden]) .product-id')].map((e) => e.textContent),
        ) === JSON.stringify(w),
      want,
      { timeout: 15_000 },
    );
    return want;
  };

  // Typing lists the products whose id starts with the text, most viewed first, with their views.
  const top = await search('sku-1');
  await waitText(options.first(), 'view');
  expect(await box.getAttribute('aria-expanded')).toBe('true');
  await shot(page, '13-product-picker');

  // Keyboard: arrows move, Enter picks; Escape closes the list.
  await box.press('ArrowDown');
  await box.press('ArrowDown');
  expect(await box.getAttribute('aria-activedescendant')).toBe(await options.nth(1).getAttribute('id'));
  await box.press('Enter');
  await waitCount(row.locator('.chip'), 1);
  await waitText(row.locator('.chip'), top[1]);
  await waitValue(box, '');
  await search('sku-2');
  await box.press('Escape');
  await waitCount(options, 0);
  expect(await box.getAttribute('aria-expanded')).toBe('false');

  // Mouse: a click picks; free text still goes in as typed.
  const third = await search('sku-3', [top[1]]);
  await ids.nth(2).click();
  await waitCount(row.locator('.chip'), 2);
  await box.fill('not-seen-yet');
  await box.press('Enter');
  await waitCount(row.locator('.chip'), 3);
  expect(await unlabelled(page)).toEqual([]);

  await page.getByRole('button', { name: 'Save segment' }).click();
  await page.waitForFunction(() => /#\/segments\/(?!new)/.test(location.hash), undefined, { timeout: 15_000 });
  const id = decodeURIComponent((await page.evaluate(() => location.hash)).split('/')[2]);
  const saved = await e2e.api('GET', `/v1/segments/${encodeURIComponent(id)}`);
  expect(saved.body.criteria).toEqual([
    expect.objectContaining({ filter: 'product_viewed', operator: 'any_of', value: [top[1], third[2], 'not-seen-yet'] }),
  ]);
  expect(unexpectedErrors(consoleErrors)).toEqual([]);
});

test('a failed load says so, with a retry, instead of passing for an empty list', async () => {
  await createSegment('Retry me', { filter: 'platform', operator: 'in', value: ['ios'] });
  const { page, consoleErrors } = await e2e.newPage();
  // The segments list answers 500 while `failing` is set; everything else goes through.
  let failing = true;
  await page.route(/\/v1\/segments\?/, (route) =>
    failing
      ? route.fulfill({
          status: 500,
          contentType: 'application/json',
          body: JSON.stringify({ error: { code: 'internal_error', message: 'the service failed to handle this request' } }),
        })
      : route.continue(),
  );
  const loadError = page.getByTestId('load-error');
  const tryAgain = page.getByRole('button', { name: 'Try again' });

  // Segments page: an error with a retry, not "No segments yet".
  await page.goto(`${e2e.url}/#/segments`);
  await waitText(loadError, 'Segments could not be loaded: the service failed to handle this request');
  expect(await page.getByText('No segments yet').count()).toBe(0);
  await shot(page, '14-load-error');
  failing = false;
  await tryAgain.click();
  await page.getByRole('link', { name: 'Retry me', exact: true }).waitFor({ timeout: 15_000 });
  expect(await loadError.count()).toBe(0);

  // Campaigns page: the campaigns still show; the missing segment names are a warning with a retry.
  failing = true;
  await page.goto(`${e2e.url}/#/campaigns`);
  await waitText(loadError, 'Segment names could not be loaded');
  await page.getByRole('heading', { name: 'Push campaigns' }).waitFor();
  failing = false;
  await tryAgain.click();
  await waitCount(loadError, 0);

  // Composer: without the segments the audience picker would offer only "all devices": an error instead.
  failing = true;
  await page.goto(`${e2e.url}/#/campaigns/new`);
  await waitText(loadError, 'Campaign data could not be loaded');
  failing = false;
  await tryAgain.click();
  await page.getByRole('heading', { name: 'Preview' }).waitFor({ timeout: 15_000 });
  expect(unexpectedErrors(consoleErrors, [500])).toEqual([]);
});

test('works on a 390-px-wide phone: no sideways scrolling, labelled controls', async () => {
  const { page, consoleErrors } = await e2e.newPage({ width: 390, height: 844 });
  for (const [name, hash, ready] of [
    ['20-mobile-campaigns', '#/campaigns', 'Push campaigns'],
    ['21-mobile-segment-builder', '#/segments/new', 'Segment size'],
    ['22-mobile-composer', '#/campaigns/new', 'Preview'],
    ['23-mobile-settings', '#/settings', 'Quiet hours'],
  ] as const) {
    await page.goto(`${e2e.url}/${hash}`);
    await page.getByRole('heading', { name: ready }).waitFor({ timeout: 15_000 });
    if (hash === '#/segments/new') {
      await page.getByLabel('Add condition', { exact: true }).selectOption('total_spend');
      await page.getByLabel('Condition 1 value').fill('100');
      await page.getByTestId('estimate-matched').waitFor({ timeout: 30_000 });
    }
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect({ page: name, width }).toEqual({ page: name, width: 390 });
    expect(await unlabelled(page)).toEqual([]);
    await shot(page, name);
    if (hash === '#/segments/new') {
      // The unsaved segment asks before it is left: leave it.
      await page.evaluate(() => (location.hash = '#/campaigns'));
      await page.getByRole('button', { name: 'Leave' }).click();
      await page.waitForFunction(() => location.hash === '#/campaigns');
    }
  }
  expect(unexpectedErrors(consoleErrors)).toEqual([]);
});
