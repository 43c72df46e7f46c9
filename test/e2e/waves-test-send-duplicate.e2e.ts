/**
 * The merchant UI, part 2 (issue 16 items 3, 4, 11): test devices in Settings and a test send from the campaign
 * page (the outbox holds the push with data.test, the campaign's figures do not move); Duplicate from the campaign
 * page and the list (and the deleted segment's 409 in merchant words, with the sent campaign's audience kept);
 * the wave timeline of a local-time campaign across two zones (one sent, one pending) with its progress line;
 * the ifPassed choice reaching the launch review's plan and the campaign.
 */
import type { Page } from 'playwright-core';
import { demoDevices } from '../../scripts/demo-data';
import { waitCount, waitText, waitValue } from './support/wait';
import { shot, startE2E, unexpectedErrors, wallClock, type E2E } from './support/world';

const DEVICES = 600;
let e2e: E2E;
let page: Page;
let phone: Page;
let consoleErrors: string[];

beforeAll(async () => {
  e2e = await startE2E({ devices: DEVICES });
  ({ page, consoleErrors } = await e2e.newPage({ width: 1280, height: 800 }));
  ({ page: phone } = await e2e.newPage({ width: 390, height: 844 }));
}, 180_000);

afterAll(async () => {
  await e2e?.stop();
});

const hashId = async (p: Page = page) => decodeURIComponent((await p.evaluate(() => location.hash)).split('/')[2]);
const MESSAGE = { title: 'Flash sale', body: '30% off until midnight.' };

async function createSegment(name: string, countries: string[]): Promise<string> {
  const res = await e2e.api('POST', '/v1/segments', {
    name,
    match: 'all',
    criteria: [{ filter: 'device_country', operator: 'in', value: countries }],
  });
  expect(res.status).toBe(201);
  return res.body.id;
}

async function createCampaign(body: Record<string, unknown>): Promise<string> {
  const res = await e2e.api('POST', '/v1/campaigns', { kind: 'campaign', message: MESSAGE, schedule: { type: 'now' }, ...body });
  expect(res.status).toBe(201);
  return res.body.id;
}

async function waitStatus(id: string, status: string, timeout = 60_000): Promise<any> {
  const end = Date.now() + timeout;
  for (;;) {
    const c = (await e2e.api('GET', `/v1/campaigns/${id}`)).body;
    if (c.status === status) return c;
    if (Date.now() > end) throw new Error(`campaign ${id} is ${c.status}, not ${status}`);
    await page.waitForTimeout(250);
  }
}

const dataOf = (item: any) =>
  item.message.GCM ? JSON.parse(item.message.GCM).fcmV1Message.message.data : JSON.parse(item.message.APNS).data;

test('test devices in Settings (an unknown id refused at its chip), then "Send a test" from the campaign page', async () => {
  // The seeded devices (same seed as the harness): two opted in, one opted out.
  const seeded = demoDevices({ tenantId: 'demo', devices: DEVICES, days: 30, seed: 7, now: new Date() });
  const [a, b] = seeded.filter((d) => d.optedIn).map((d) => d.deviceId);
  const out = seeded.find((d) => !d.optedIn)!.deviceId;

  await page.goto(`${e2e.url}/#/settings`);
  const box = page.getByLabel('Test device ids');
  for (const id of [a, 'd-9999999', b, out]) {
    await box.fill(id);
    await box.press('Enter');
  }
  await waitCount(page.locator('[data-testid="test-devices-card"] .chip'), 4);
  await page.getByRole('button', { name: 'Save settings' }).click();
  const refused = page.locator('.chip.chip-invalid[data-value="d-9999999"]');
  await waitText(refused, 'No phone with this id is registered with your app');
  await waitCount(page.locator('.chip.chip-invalid'), 1);
  expect((await e2e.api('GET', '/v1/settings')).body.testDevices).toEqual([]);
  await shot(page, '40-settings-test-device-refused');
  await page.getByRole('button', { name: 'Remove d-9999999' }).click();
  await waitCount(page.locator('.chip.chip-invalid'), 0);
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.locator('.toast', { hasText: 'Settings saved' }).waitFor();
  expect((await e2e.api('GET', '/v1/settings')).body.testDevices).toEqual([a, b, out]);
  await phone.goto(`${e2e.url}/#/settings`);
  await waitCount(phone.locator('[data-testid="test-devices-card"] .chip'), 3);
  await shot(phone, '40-settings-test-devices-phone');

  const segmentId = await createSegment('Swedish phones', ['SE']);
  const id = await createCampaign({ name: 'Test me', segmentId });
  const before = (await e2e.api('GET', `/v1/campaigns/${id}`)).body;
  await page.goto(`${e2e.url}/#/campaigns/${id}`);
  await page.getByRole('button', { name: 'Send a test' }).click();
  const dialog = page.getByTestId('test-send-dialog');
  await dialog.waitFor();
  for (const d of [a, b, out]) expect(await dialog.getByRole('checkbox', { name: d }).isChecked()).toBe(true);
  await dialog.getByRole('button', { name: 'Send to 3 devices' }).click();
  await waitText(page.getByTestId('test-send-result'), `Sent to 2 devices; skipped ${out} (opted out)`);
  await shot(page, '41-test-send');

  const outbox = (await e2e.api('GET', `/local/outbox?campaignId=${encodeURIComponent(id)}`)).body.items;
  expect(outbox.map((i: any) => i.deviceId).sort()).toEqual([a, b].sort());
  for (const item of outbox) expect(dataOf(item)).toMatchObject({ test: 'true' });
  // A test is not part of the campaign: still a draft, same version, no progress.
  expect((await e2e.api('GET', `/v1/campaigns/${id}`)).body).toEqual(before);

  // One device unticked: only the other is pushed.
  await dialog.getByRole('checkbox', { name: b }).uncheck();
  await dialog.getByRole('checkbox', { name: out }).uncheck();
  await dialog.getByRole('button', { name: 'Send to 1 device' }).click();
  await waitText(page.getByTestId('test-send-result'), 'Sent to 1 device');
  const again = (await e2e.api('GET', `/local/outbox?campaignId=${encodeURIComponent(id)}`)).body.items;
  expect(again.map((i: any) => i.deviceId).sort()).toEqual([a, a, b].sort());
  await dialog.getByRole('button', { name: 'Done' }).click();
  await dialog.waitFor({ state: 'detached' });
});

test('Duplicate from the campaign page and the list; a deleted segment keeps the sent campaign’s audience and refuses a copy in plain words', async () => {
  const segmentId = await createSegment('Dutch phones', ['NL']);
  const id = await createCampaign({ name: 'Weekend offer', segmentId });
  await page.goto(`${e2e.url}/#/campaigns/${id}`);
  await page.getByRole('button', { name: 'Duplicate' }).click();
  await page.waitForFunction((orig) => /#\/campaigns\/[^/]+$/.test(location.hash) && !location.hash.endsWith(orig), encodeURIComponent(id));
  await page.locator('.toast', { hasText: 'Copy created' }).waitFor();
  const copyId = await hashId();
  await waitValue(page.getByLabel('Campaign name'), 'Weekend offer (copy)');
  const copy = (await e2e.api('GET', `/v1/campaigns/${copyId}`)).body;
  expect(copy).toMatchObject({ status: 'draft', name: 'Weekend offer (copy)', segmentId, message: MESSAGE });

  // Sent with its segment, which is then deleted: history keeps the name, says it is gone, and a copy is refused.
  expect((await e2e.api('POST', `/v1/campaigns/${id}/launch`)).status).toBe(200);
  await waitStatus(id, 'sent');
  expect((await e2e.api('DELETE', `/v1/campaigns/${copyId}`)).status).toBe(204);
  expect((await e2e.api('DELETE', `/v1/segments/${segmentId}`)).status).toBe(204);
  await page.goto(`${e2e.url}/#/campaigns/${id}`);
  await page.locator('[data-testid="snapshot-audience"][data-segment-state="deleted"]').waitFor();
  await waitText(page.getByTestId('snapshot-audience'), 'Dutch phones (segment since deleted)');
  await page.getByRole('button', { name: 'Duplicate' }).click();
  await waitText(page.getByTestId('duplicate-error'), 'segment has been deleted, so a copy would have no audience');
  expect(await hashId()).toBe(id);
  await shot(page, '42-duplicate-refused');
  await page.getByRole('link', { name: 'View insights' }).click();
  await waitText(page.getByTestId('insights-audience'), 'Dutch phones (segment since deleted)');
  await waitText(page.getByTestId('stat-revenue'), 'within 24 h of opening');

  // The list's row action.
  const other = await createCampaign({ name: 'List copy source', segmentId: null });
  await page.goto(`${e2e.url}/#/campaigns`);
  await page.getByRole('button', { name: 'Duplicate List copy source' }).click();
  await page.locator('.toast', { hasText: 'Copy created' }).waitFor();
  await waitValue(page.getByLabel('Campaign name'), 'List copy source (copy)');
  expect(await hashId()).not.toBe(other);
});

test('the wave timeline of a local-time campaign across two zones: Tokyo sent, Berlin pending, with the progress line', async () => {
  const segmentId = await createSegment('Japan and Germany', ['JP', 'DE']);
  // An hour ago on Tokyo's clock: passed in Tokyo (sent at once), still ahead in Berlin (6–7 h from now).
  const at = `${wallClock('Asia/Tokyo', -60)}:00`;
  const id = await createCampaign({ name: 'Local nine', segmentId, schedule: { type: 'local', at, fallbackTimezone: 'Asia/Tokyo' } });
  expect((await e2e.api('POST', `/v1/campaigns/${id}/launch`)).status).toBe(200);

  await page.goto(`${e2e.url}/#/campaigns/${id}`);
  const rows = page.getByTestId('wave-row');
  await waitCount(rows, 2);
  await page.locator('[data-testid="wave-row"][data-status="sent"]').waitFor({ timeout: 60_000 });
  const c = (await e2e.api('GET', `/v1/campaigns/${id}`)).body;
  const [tokyo, berlin] = c.waves;
  expect(tokyo).toMatchObject({ timezones: ['Asia/Tokyo'], status: 'sent' });
  expect(berlin).toMatchObject({ timezones: ['Europe/Berlin'], status: 'pending' });
  await waitText(rows.nth(0).getByTestId('wave-zones'), 'Tokyo');
  await waitText(rows.nth(0).getByTestId('wave-status'), 'Sent');
  await waitText(rows.nth(1).getByTestId('wave-zones'), 'Berlin');
  await waitText(rows.nth(1).getByTestId('wave-status'), 'Pending');
  await waitText(rows.nth(1), `${berlin.devices} devices`);
  await waitText(rows.nth(1), 'in ');
  // 09:00-style wall clock of the Berlin wave, as the merchant's zone (UTC by default) and Berlin read it.
  const berlinTime = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Berlin',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(berlin.sendAt));
  await waitText(page.getByTestId('progress-line'), `${c.progress.sent.toLocaleString('en-US')} sent`);
  await waitText(page.getByTestId('progress-line'), `${berlin.devices.toLocaleString('en-US')} waiting in 1 later wave (at `);
  // The day is named too when the wave falls on another day than today in Berlin ("at Mon 30 Nov 00:04 Berlin").
  await waitText(page.getByTestId('progress-line'), `${berlinTime} Berlin`);
  await shot(page, '43-wave-timeline', 'wave-timeline', '[data-testid="status-card"]');
  await phone.goto(`${e2e.url}/#/campaigns/${id}`);
  await waitCount(phone.getByTestId('wave-row'), 2);
  await shot(phone, '43-wave-timeline-phone');

  // The insights page's recipients by wave.
  await page.goto(`${e2e.url}/#/campaigns/${id}/insights`);
  await waitCount(page.getByTestId('recipients-wave'), 2);
  await waitText(page.getByTestId('recipients-wave').nth(1), 'planned');
  await shot(page, '44-insights-waves');
});

test('"Skip those zones" reaches the launch review’s plan and the campaign', async () => {
  const segmentId = await createSegment('Japan and Germany again', ['JP', 'DE']);
  await page.goto(`${e2e.url}/#/campaigns/new`);
  await page.getByLabel('Campaign name').fill('Skip passed zones');
  await page.getByLabel('Customer segment').selectOption(segmentId);
  await page.getByLabel('Title', { exact: true }).fill(MESSAGE.title);
  await page.getByLabel('Message', { exact: true }).fill(MESSAGE.body);
  await page.getByRole('radio', { name: /recipient's local time/ }).check();
  const ifPassed = page.getByTestId('if-passed');
  await ifPassed.waitFor();
  expect(await ifPassed.getByRole('radio', { name: 'Send at once' }).isChecked()).toBe(true);
  await page.getByLabel(/Local date and time/).fill(wallClock('Asia/Tokyo', -60));
  await page.getByLabel('Fallback time zone').selectOption('Asia/Tokyo');
  await ifPassed.getByRole('radio', { name: 'Skip those zones' }).check();
  await shot(page, '45-if-passed');
  await page.getByRole('button', { name: 'Schedule' }).click();
  await waitText(page.getByTestId('wave-plan-skipped'), 'skipped: the time had passed in their zone');
  await waitText(page.getByTestId('wave-plan'), 'One wave');
  await shot(page, '46-review-skip');
  const id = await hashId();
  const draft = (await e2e.api('GET', `/v1/campaigns/${id}`)).body;
  expect(draft.schedule).toMatchObject({ type: 'local', ifPassed: 'skip' });
  const plan = (await e2e.api('POST', '/v1/campaign-plans', { segmentId, schedule: draft.schedule })).body;
  expect(plan.timePassed).toBeGreaterThan(0);
  await waitText(page.getByTestId('wave-plan-skipped'), `${plan.timePassed.toLocaleString('en-US')} devices skipped`);

  await page.getByRole('button', { name: 'Confirm schedule' }).click();
  await page.locator('[data-testid="status-card"][data-status="scheduled"]').waitFor({ timeout: 15_000 });
  const launched = (await e2e.api('GET', `/v1/campaigns/${id}`)).body;
  await waitText(
    page.getByTestId('progress-time-passed'),
    `${launched.progress.suppressedBy.timePassed.toLocaleString('en-US')} devices skipped`,
  );
  await waitCount(page.getByTestId('wave-row'), 1);
  await waitText(page.getByTestId('wave-zones'), 'Berlin');
  await shot(page, '47-campaign-skip');
  // 400: the refused test device; 409: the refused copy; 404: the deleted segment looked up.
  expect(unexpectedErrors(consoleErrors, [400, 404, 409])).toEqual([]);
});
