/**
 * Accessibility (issue 16): axe-core (WCAG 2.1 A/AA and best practices) on every page of the merchant UI at
 * 1280×800, with the demo tenant and what a merchant makes in it (segments, a sent campaign with an open, a
 * local-time campaign with its wave timeline, a draft, an active automation, test devices), and on the dialogs
 * and pickers of normal use (launch review, emoji picker, test send, delete and leave confirmations): no serious
 * or critical violation anywhere. First, the scan itself is shown to fail on a page that is broken on purpose.
 */
import type { Page } from 'playwright-core';
import { demoDevices } from '../../scripts/demo-data';
import { DEMO_SEGMENTS } from '../../scripts/seed-tenant';
import { axeViolations, expectNoSeriousViolations, formatViolations } from './support/axe';
import { waitText } from './support/wait';
import { startE2E, unexpectedErrors, wallClock, type E2E } from './support/world';

const DEVICES = 600;
let e2e: E2E;
let page: Page;
let consoleErrors: string[];
const ids = { segment: '', productSegment: '', sent: '', waves: '', draft: '', automation: '' };

async function created(p: string, body: unknown): Promise<string> {
  const res = await e2e.api('POST', p, body);
  if (res.status !== 201) throw new Error(`POST ${p}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

async function waitStatus(id: string, ok: (status: string) => boolean, timeout = 60_000): Promise<void> {
  const end = Date.now() + timeout;
  for (;;) {
    const c = (await e2e.api('GET', `/v1/campaigns/${id}`)).body;
    if (ok(c.status)) return;
    if (Date.now() > end) throw new Error(`campaign ${id} is still ${c.status}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  e2e = await startE2E({ devices: DEVICES });
  ({ page, consoleErrors } = await e2e.newPage({ width: 1280, height: 800 }));

  // The help article's example segments (one of them with the product picker), as the demo shop has them.
  const segmentIds = new Map<string, string>();
  for (const s of DEMO_SEGMENTS) segmentIds.set(s.name, await created('/v1/segments', s));
  ids.productSegment = segmentIds.get('Viewed or favourited a bestseller')!;
  ids.segment = await created('/v1/segments', {
    name: 'Japan and Germany',
    match: 'all',
    criteria: [{ filter: 'device_country', operator: 'in', value: ['JP', 'DE'] }],
  });
  const message = { title: 'Flash sale ⚡', body: '30% off until midnight.', buttons: [{ label: 'Shop Now', deepLink: 'myshop://sale' }] };

  // A campaign sent now, with one opened push and a purchase in its insights.
  ids.sent = await created('/v1/campaigns', {
    name: 'Sent flash sale',
    kind: 'campaign',
    segmentId: segmentIds.get('Regional offer: Europe'),
    message,
    schedule: { type: 'now' },
  });
  expect((await e2e.api('POST', `/v1/campaigns/${ids.sent}/launch`)).status).toBe(200);
  await waitStatus(ids.sent, (s) => s === 'sent');
  const [opener] = (await e2e.api('GET', `/v1/campaigns/${ids.sent}/recipients?limit=1&outcome=sent`)).body.items as { deviceId: string }[];
  const { appKey } = (await e2e.api('POST', '/local/tenants', { tenantId: 'demo' })).body;
  const now = Date.now();
  const reported = await fetch(`${e2e.url}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-app-key': appKey },
    body: JSON.stringify({
      events: [
        { eventId: 'a11y-open', deviceId: opener.deviceId, type: 'push_open', ts: new Date(now).toISOString(), campaignId: ids.sent },
        {
          eventId: 'a11y-buy',
          deviceId: opener.deviceId,
          type: 'purchase',
          ts: new Date(now + 1000).toISOString(),
          revenue: 42,
          currency: 'EUR',
        },
      ],
    }),
  });
  expect(reported.status).toBe(200);

  // A local-time campaign: passed in Tokyo (sent), ahead in Berlin (pending), so its wave timeline has both.
  ids.waves = await created('/v1/campaigns', {
    name: 'Local nine',
    kind: 'campaign',
    segmentId: ids.segment,
    message,
    schedule: { type: 'local', at: `${wallClock('Asia/Tokyo', -60)}:00`, fallbackTimezone: 'Asia/Tokyo' },
  });
  expect((await e2e.api('POST', `/v1/campaigns/${ids.waves}/launch`)).status).toBe(200);

  ids.draft = await created('/v1/campaigns', {
    name: 'Draft for later',
    kind: 'campaign',
    segmentId: ids.segment,
    message: { ...message, imageUrl: 'https://cdn.example.com/sale.svg', deepLink: 'myshop://sale' },
    schedule: { type: 'now' },
  });

  ids.automation = await created('/v1/campaigns', {
    name: 'Cart reminder',
    kind: 'automated',
    trigger: { type: 'event', event: 'add_to_cart', delayMinutes: 60, exitOn: ['purchase'], reentryAfterDays: 7 },
    message: { title: 'Left something behind? 🛒', body: 'Your cart is waiting.', deepLink: 'myshop://cart' },
  });
  expect((await e2e.api('POST', `/v1/campaigns/${ids.automation}/launch`)).status).toBe(200);

  // Two test devices, so the settings chips and the test-send dialog have rows.
  const optedIn = demoDevices({ tenantId: 'demo', devices: DEVICES, days: 30, seed: 7, now: new Date() }).filter((d) => d.optedIn);
  const settings = (await e2e.api('GET', '/v1/settings')).body;
  const put = await e2e.api('PUT', '/v1/settings', { ...settings, testDevices: optedIn.slice(0, 2).map((d) => d.deviceId) });
  expect(put.status).toBe(200);
  await waitStatus(ids.waves, (s) => s === 'sending' || s === 'sent' || s === 'scheduled');
}, 240_000);

afterAll(async () => {
  await e2e?.stop();
});

/** Opens a page of the UI and waits for `ready` and for loading to end (no busy region, no "Loading…"). */
async function visit(path: string, ready: string): Promise<void> {
  await page.goto(`${e2e.url}/#${path}`);
  await page.locator(ready).first().waitFor({ timeout: 30_000 });
  await settle();
}

async function settle(): Promise<void> {
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'), undefined, { timeout: 30_000 });
  // Let transitions (dialogs fading in, hover colours) end so colour contrast is judged on the final colours.
  await page.mouse.move(0, 0);
  await page.waitForTimeout(400);
}

const scan = (where: string, include?: string) => expectNoSeriousViolations(page, where, include);

test('the scan fails on a page that is broken on purpose', async () => {
  const { page: broken } = await e2e.newPage();
  await broken.setContent(
    `<!doctype html><html lang="en"><head><title>Broken</title></head><body><main>
      <h1>Broken on purpose</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
      <input type="text"><button></button><p style="color:#bbb;background:#fff">faint text</p></main></body></html>`,
  );
  const violations = await axeViolations(broken);
  const rules = violations.map((v) => v.id);
  expect(rules).toEqual(expect.arrayContaining(['image-alt', 'label', 'button-name', 'color-contrast']));
  const text = formatViolations(violations);
  expect(text).toContain('[critical] image-alt');
  expect(text).toContain('<input type="text">');
  await expect(expectNoSeriousViolations(broken, 'broken page')).rejects.toThrow(/broken page: \d+ serious\/critical/);
  await broken.close();
});

test('campaign list', async () => {
  await visit('/campaigns', `tr[data-campaign="${ids.sent}"]`);
  await scan('campaign list');
  await page.getByRole('tab', { name: /Draft/ }).first().click();
  await settle();
  await scan('campaign list, drafts tab');
});

test('composer (new), its emoji picker, the launch review, the leave question', async () => {
  await visit('/campaigns/new', '#msg-title');
  await scan('composer, new');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.locator('.field-error').first().waitFor();
  await settle();
  await scan('composer, refused with errors at its fields');
  await page.getByLabel('Title', { exact: true }).focus();
  await page
    .getByRole('button', { name: /Insert emoji/ })
    .first()
    .click();
  await page.getByRole('button', { name: 'Insert 🎉' }).waitFor();
  await settle();
  await scan('composer, emoji picker open');
  await page.keyboard.press('Escape');

  await page.getByLabel('Campaign name').fill('Reviewed');
  await page.getByLabel('Customer segment').selectOption(ids.segment);
  await page.getByLabel('Title', { exact: true }).fill('Flash sale');
  await page.getByLabel('Message', { exact: true }).fill('30% off until midnight.');
  await page.getByRole('button', { name: 'Send now' }).click();
  await page.getByTestId('launch-review').waitFor({ timeout: 15_000 });
  await waitText(page.getByTestId('review-audience'), 'devices');
  await settle();
  await scan('launch review');
  await page.getByRole('button', { name: 'Back' }).click();

  await page.getByLabel('Campaign name').fill('Reviewed, then edited');
  await page.evaluate(() => (location.hash = '#/segments'));
  await page.getByTestId('leave-question').waitFor();
  await settle();
  await scan('leave without saving?');
  await page.getByRole('button', { name: 'Leave' }).click();
});

test('composer (existing draft), with its test send and delete confirmation', async () => {
  await visit(`/campaigns/${encodeURIComponent(ids.draft)}`, '#msg-title');
  await page.getByTestId('image-thumb').waitFor();
  await scan('composer, draft');
  await page.getByRole('radiogroup', { name: 'Preview platform' }).getByText('Android').click();
  await page.locator('[data-testid="phone-preview"][data-platform="android"]').waitFor();
  await settle();
  await scan('composer, Android preview');
  await page.getByRole('radio', { name: /recipient's local time/ }).check();
  await page.getByTestId('if-passed').waitFor();
  await settle();
  await scan('composer, local-time schedule');
  await page.getByRole('radio', { name: /At a date and time/ }).check();
  await settle();
  await scan('composer, date and time schedule');

  await page.getByRole('button', { name: 'Send a test' }).click();
  await page.getByTestId('test-send-dialog').waitFor();
  await settle();
  await scan('test send dialog');
  await page
    .getByTestId('test-send-dialog')
    .getByRole('button', { name: /Send to 2 devices/ })
    .click();
  await page.getByTestId('test-send-result').waitFor();
  await settle();
  await scan('test send dialog, result');
  await page.getByTestId('test-send-dialog').getByRole('button', { name: 'Done' }).click();

  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await page.locator('dialog.modal[open]').waitFor();
  await settle();
  await scan('delete campaign confirmation');
  await page.keyboard.press('Escape');
});

test('campaign page of a sent campaign, and its insights with recipients', async () => {
  await visit(`/campaigns/${encodeURIComponent(ids.sent)}`, '[data-testid="status-card"][data-status="sent"]');
  await scan('campaign page, sent');
  await visit(`/campaigns/${encodeURIComponent(ids.sent)}/insights`, '[data-testid="recipient-row"]');
  await page.getByTestId('stat-revenue').waitFor();
  await settle();
  await scan('insights');
  await page.getByTestId('recipients').getByRole('button', { name: 'Opened' }).click();
  await settle();
  await scan('insights, recipients filtered');
});

test('campaign page with the wave timeline of a local-time campaign, and its insights', async () => {
  await visit(`/campaigns/${encodeURIComponent(ids.waves)}`, '[data-testid="wave-row"]');
  await page.locator('[data-testid="wave-row"][data-status="sent"]').waitFor({ timeout: 60_000 });
  await settle();
  await scan('campaign page, wave timeline');
  await page.getByRole('button', { name: 'Cancel campaign' }).click();
  await page.locator('dialog.modal[open]').waitFor();
  await settle();
  await scan('cancel campaign confirmation');
  await page.keyboard.press('Escape');
  await visit(`/campaigns/${encodeURIComponent(ids.waves)}/insights`, '[data-testid="recipients-wave"]');
  await scan('insights, by wave');
});

test('segment list and its delete confirmation', async () => {
  await visit('/segments', '[data-testid="used-by"]');
  await scan('segment list');
  await page.getByRole('button', { name: 'Delete Abandoned cart' }).click();
  await page.locator('dialog.modal[open]').waitFor();
  await settle();
  await scan('delete segment confirmation');
  await page.keyboard.press('Escape');
  // A segment the draft and the local-time campaign still use: the refusal lists them as links.
  await page.getByRole('button', { name: 'Delete Japan and Germany' }).click();
  await page.getByRole('button', { name: 'Delete segment' }).click();
  await page.getByTestId('segment-in-use').waitFor();
  await settle();
  await scan('segment list, delete refused (in use)');
});

test('segment editor: new, existing with its size and product picker, explain', async () => {
  await visit('/segments/new', '#criteria-title');
  await scan('segment editor, new');
  await page.getByLabel('Add condition', { exact: true }).selectOption('last_app_open');
  await page.getByRole('button', { name: 'Add group', exact: true }).click();
  await settle();
  await scan('segment editor, new with a condition and a group');
  await page.getByLabel('Segment name').fill('Not kept');

  await page.goto(`${e2e.url}/#/segments/${encodeURIComponent(ids.productSegment)}`);
  await page.getByRole('button', { name: 'Leave' }).click();
  await page.getByTestId('estimate-matched').waitFor({ timeout: 30_000 });
  await settle();
  await scan('segment editor, product picker segment');
  const product = page.locator('[data-path="criteria[0]"]').getByRole('combobox', { name: 'Condition 1 value' });
  await product.fill('s');
  await page.locator('[data-path="criteria[0]"] [role="option"]').first().waitFor({ timeout: 15_000 });
  await settle();
  await scan('segment editor, product suggestions open');
  await page.keyboard.press('Escape');

  await visit(`/segments/${encodeURIComponent(ids.segment)}`, '.explain .sample button');
  await page.getByTestId('estimate-matched').waitFor({ timeout: 30_000 });
  await settle();
  await scan('segment editor, existing');
  await page.locator('.explain .sample button').first().click();
  await page.getByTestId('explain-result').waitFor({ timeout: 15_000 });
  await settle();
  await scan('segment editor, explain result');
});

test('settings with test devices', async () => {
  await visit('/settings', '[data-testid="test-devices-card"] .chip');
  await scan('settings');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.locator('.toast', { hasText: 'Settings saved' }).waitFor();
  await settle();
  await scan('settings, saved (toast)');
});

test('automations: list, editor (new and existing), page and its confirmations', async () => {
  await visit('/automations', `tr[data-automation="${ids.automation}"]`);
  await scan('automation list');
  await visit('/automations/new', '[data-testid="trigger-fields"]');
  await scan('automation editor, new');
  await page.getByRole('radio', { name: /After an event/ }).check();
  await settle();
  await scan('automation editor, event trigger');
  await page.getByLabel('Automation name').fill('Browse reminder');
  await page.getByLabel('When a shopper does').selectOption('add_to_cart');
  await page.getByLabel('Title', { exact: true }).fill('Still thinking it over?');
  await page.getByLabel('Message', { exact: true }).fill('Your cart is waiting.');
  await page.getByRole('button', { name: 'Save and activate' }).click();
  await page.getByTestId('activate-sentence').waitFor();
  await settle();
  await scan('activate automation confirmation');
  await page.keyboard.press('Escape');
  await visit(`/automations/${encodeURIComponent(ids.automation)}`, '[data-testid="automation-status"][data-status="active"]');
  await page.getByTestId('automation-insights').waitFor();
  await settle();
  await scan('automation page');
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.locator('[data-testid="automation-status"][data-status="paused"]').waitFor();
  await page.locator('.toast', { hasText: 'Automation paused' }).waitFor();
  await settle();
  await scan('automation page, paused');
  await page.getByRole('link', { name: 'Edit' }).click();
  await page.locator('[data-testid="trigger-fields"]').waitFor();
  await settle();
  await scan('automation editor, existing');
  await page.goto(`${e2e.url}/#/automations/${encodeURIComponent(ids.automation)}`);
  await page.locator('[data-testid="automation-status"]').waitFor();
  await page.getByRole('button', { name: 'Cancel automation' }).click();
  await page.locator('dialog.modal[open]').waitFor();
  await settle();
  await scan('cancel automation confirmation');
  await page.keyboard.press('Escape');
  // 409: the segment still in use.
  expect(unexpectedErrors(consoleErrors, [409])).toEqual([]);
});
