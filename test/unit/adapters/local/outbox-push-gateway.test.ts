/**
 * The local push gateway's outbox: an append-only NDJSON log per campaign, indexed in memory and
 * reloaded by a new gateway on the same dir (a restart), safe under many concurrent sends, and blind
 * to a torn last line left by a crash.
 */
import { mkdtemp, readFile, readdir, appendFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { OutboxPushGateway } from '../../../../lambdas/adapters/local/outbox-push-gateway';
import { TransientPushError, type Push } from '../../../../lambdas/ports/push-gateway';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'outbox-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const push = (deviceId: string, over: Partial<Push> = {}): Push => ({
  tenantId: 't1',
  campaignId: 'c1',
  deviceId,
  platform: 'ios',
  token: `tok-${deviceId}`,
  endpointArn: null,
  message: { APNS: JSON.stringify({ aps: { alert: { title: 'Hi', body: deviceId } } }) } as Push['message'],
  attributes: { 'AWS.SNS.MOBILE.APNS.TTL': '3600' },
  ...over,
});

test('a sent push is in the outbox and delivered; others are not', async () => {
  const g = new OutboxPushGateway(dir);
  expect(await g.send(push('d1'))).toMatchObject({ outcome: 'sent' });
  const items = await g.outbox('t1', 'c1');
  expect(items).toEqual([{ deviceId: 'd1', platform: 'ios', message: push('d1').message, sentAt: expect.any(String) }]);
  expect(await g.deliveryRecord('t1', 'c1', 'd1')).toBe('delivered');
  expect(await g.deliveryRecord('t1', 'c1', 'd2')).toBe('not_delivered');
  expect(await g.deliveryRecord('t1', 'c2', 'd1')).toBe('not_delivered');
  expect(await g.outbox('t2', 'c1')).toEqual([]);
});

test("an automation's delivery is recorded per batch: yesterday's push of a device does not answer for today's", async () => {
  const g = new OutboxPushGateway(dir);
  await g.send(push('d9', { campaignId: 'auto1', delivery: 'auto:b1' }));
  expect(await g.deliveryRecord('t1', 'auto1', 'd9', 'auto:b1')).toBe('delivered');
  expect(await g.deliveryRecord('t1', 'auto1', 'd9', 'auto:b2')).toBe('not_delivered');
  // Also as a restarted process reads it back from the file.
  const again = new OutboxPushGateway(dir);
  expect(await again.deliveryRecord('t1', 'auto1', 'd9', 'auto:b1')).toBe('delivered');
  expect(await again.deliveryRecord('t1', 'auto1', 'd9', 'auto:b2')).toBe('not_delivered');
});

test('many concurrent sends: one whole line each, none lost or doubled', async () => {
  const g = new OutboxPushGateway(dir);
  const ids = Array.from({ length: 3000 }, (_, i) => `d${String(i).padStart(5, '0')}`);
  await Promise.all(ids.map((id, i) => g.send(push(id, { campaignId: `c${i % 3}` }))));
  const all = (await Promise.all(['c0', 'c1', 'c2'].map((c) => g.outbox('t1', c)))).flat().map((i) => i.deviceId);
  expect(all.sort()).toEqual(ids);
  const raw = await readFile(path.join(dir, 't1', 'c0.ndjson'), 'utf8');
  expect(raw.endsWith('\n')).toBe(true);
  for (const line of raw.trimEnd().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
});

test('oldest first', async () => {
  const g = new OutboxPushGateway(dir);
  for (const id of ['d3', 'd1', 'd2']) await g.send(push(id));
  const items = await g.outbox('t1', 'c1');
  expect(items.map((i) => i.sentAt)).toEqual([...items.map((i) => i.sentAt)].sort());
  expect(items.map((i) => i.deviceId).sort()).toEqual(['d1', 'd2', 'd3']);
});

test('a new gateway on the same dir (a restart) knows every push made before', async () => {
  const first = new OutboxPushGateway(dir);
  await Promise.all(['d1', 'd2'].map((id) => first.send(push(id))));
  const again = new OutboxPushGateway(dir);
  expect(await again.deliveryRecord('t1', 'c1', 'd1')).toBe('delivered');
  expect(await again.deliveryRecord('t1', 'c1', 'd2')).toBe('delivered');
  expect(await again.deliveryRecord('t1', 'c1', 'd3')).toBe('not_delivered');
  await again.send(push('d3'));
  expect((await again.outbox('t1', 'c1')).map((i) => i.deviceId).sort()).toEqual(['d1', 'd2', 'd3']);
});

test('a torn last line (a crash mid-write) is ignored, and the next push does not run into it', async () => {
  const first = new OutboxPushGateway(dir);
  await first.send(push('d1'));
  await appendFile(path.join(dir, 't1', 'c1.ndjson'), '{"deviceId":"d2","platform":"ios","mess');
  const again = new OutboxPushGateway(dir);
  expect(await again.deliveryRecord('t1', 'c1', 'd2')).toBe('not_delivered');
  expect((await again.outbox('t1', 'c1')).map((i) => i.deviceId)).toEqual(['d1']);
  await again.send(push('d2'));
  const third = new OutboxPushGateway(dir);
  expect(await third.deliveryRecord('t1', 'c1', 'd2')).toBe('delivered');
  expect((await third.outbox('t1', 'c1')).map((i) => i.deviceId)).toEqual(['d1', 'd2']);
});

test('a campaign id that is not a plain name never leaves the outbox dir', async () => {
  const g = new OutboxPushGateway(path.join(dir, 'outbox'));
  await g.send(push('d1', { campaignId: '../../escape' }));
  expect(await readdir(dir)).toEqual(['outbox']);
  expect((await g.outbox('t1', '../../escape')).map((i) => i.deviceId)).toEqual(['d1']);
  expect(await g.outbox('t1', '../../other')).toEqual([]);
});

test('past the indexed campaigns, an evicted one is reloaded from its log', async () => {
  const g = new OutboxPushGateway(dir);
  for (let c = 0; c < 300; c++) await g.send(push('d1', { campaignId: `c${c}` }));
  expect(await g.deliveryRecord('t1', 'c0', 'd1')).toBe('delivered');
  expect(await g.deliveryRecord('t1', 'c0', 'd2')).toBe('not_delivered');
});

test('injected faults: transient failures record nothing; unregistered tokens are invalid', async () => {
  const g = new OutboxPushGateway(dir, () => 0, 2);
  g.setFaults('t1', { failureRate: 1, unregisteredTokens: [], latencyMs: 0 });
  await expect(g.send(push('d1'))).rejects.toBeInstanceOf(TransientPushError);
  expect(await g.deliveryRecord('t1', 'c1', 'd1')).toBe('not_delivered');
  g.setFaults('t1', { failureRate: 0, unregisteredTokens: ['tok-d2'], latencyMs: 0 });
  expect(await g.send(push('d2'))).toEqual({ outcome: 'invalid_token', reason: 'Unregistered' });
  expect(g.faultsFor('t2')).toEqual({ failureRate: 0, unregisteredTokens: [], latencyMs: 0 });
  expect(await g.outbox('t1', 'c1')).toEqual([]);
});

test('a test push is in the outbox but never a delivery of the campaign, before and after a restart', async () => {
  const g = new OutboxPushGateway(dir);
  await g.send(push('d1', { test: true }));
  expect((await g.outbox('t1', 'c1')).map((i) => i.deviceId)).toEqual(['d1']);
  // A sender that crashed mid-chunk asks: the test push must not make it skip the real one.
  expect(await g.deliveryRecord('t1', 'c1', 'd1')).toBe('not_delivered');
  expect(await new OutboxPushGateway(dir).deliveryRecord('t1', 'c1', 'd1')).toBe('not_delivered');
  await g.send(push('d1'));
  expect(await new OutboxPushGateway(dir).deliveryRecord('t1', 'c1', 'd1')).toBe('delivered');
});
