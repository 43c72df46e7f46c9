/**
 * The erasure store, the device store's delete and the cap store's forget on dynalite (real
 * conditional writes, loopback only): one running erasure per subject, however many starts race;
 * finishing frees the subject and leaves the running index; leftovers of a start or finish cut
 * short by a crash are completed or dropped by whoever comes across them.
 */
import { DynamoDeviceStore } from '../../../../lambdas/adapters/dynamo/device-store';
import { DynamoErasureStore } from '../../../../lambdas/adapters/dynamo/erasure-store';
import { DynamoFrequencyCapStore } from '../../../../lambdas/adapters/dynamo/frequency-cap-store';
import { deliveryKeys, keys } from '../../../../lambdas/adapters/dynamo/keys';
import { DynamoTable } from '../../../../lambdas/adapters/dynamo/table';
import { deviceRecord } from '../../../support/devices';
import { subjectKey, type Erasure, type ErasureSubject } from '../../../../lambdas/domain/lake/erasure';
import { newId } from '../../../../lambdas/domain/ids';
import { dynaliteTables } from '../../../support/dynalite';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const db = dynaliteTables();
let records: DynamoTable;
let deliveries: DynamoTable;
let store: DynamoErasureStore;

const at = '2026-06-01T12:00:00.000Z';
const erasure = (tenantId: string, subject: ErasureSubject, id = newId('era')): Erasure => ({
  id,
  tenantId,
  subject,
  status: 'running',
  createdAt: at,
});
const done = { status: 'succeeded' as const, devices: 2, events: 7, completedAt: '2026-06-01T12:05:00.000Z' };

beforeAll(() => {
  ({ records, deliveries } = db());
  store = new DynamoErasureStore(records);
});

describe('DynamoErasureStore', () => {
  test('a second start for the same subject returns the running one; other subjects and tenants get their own', async () => {
    const first = erasure('t1', { customerId: 'cust-1' });
    expect(await store.start(first)).toEqual({ erasure: first, created: true });
    const again = await store.start(erasure('t1', { customerId: 'cust-1' }));
    expect(again).toEqual({ erasure: first, created: false });
    expect(await store.get('t1', again.erasure.id)).toEqual(first);

    const device = await store.start(erasure('t1', { deviceId: 'cust-1' }));
    const otherTenant = await store.start(erasure('t2', { customerId: 'cust-1' }));
    expect(device.created && otherTenant.created).toBe(true);
    expect(new Set([first.id, device.erasure.id, otherTenant.erasure.id]).size).toBe(3);
    for (const e of [first, device.erasure, otherTenant.erasure]) await store.finish(e.tenantId, e.id, done);
  });

  test('racing starts for one subject: exactly one is created, every caller gets it', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, () => store.start(erasure('t1', { deviceId: 'd-race' }))));
    const created = results.filter((r) => r.created);
    expect(created).toHaveLength(1);
    expect(new Set(results.map((r) => r.erasure.id))).toEqual(new Set([created[0].erasure.id]));
    expect((await store.running()).filter((r) => r.id === created[0].erasure.id)).toHaveLength(1);
    await store.finish('t1', created[0].erasure.id, done);
  });

  test('finish records the outcome, frees the subject and leaves the running index; a finished erasure is not rewritten', async () => {
    const first = erasure('t1', { customerId: 'cust-fin' });
    await store.start(first);
    expect(await store.running()).toEqual(expect.arrayContaining([{ tenantId: 't1', id: first.id, createdAt: at }]));

    await store.finish('t1', first.id, done);
    expect(await store.get('t1', first.id)).toEqual({ ...first, ...done });
    expect((await store.running()).map((r) => r.id)).not.toContain(first.id);

    // A late failure report of the same erasure changes nothing.
    await store.finish('t1', first.id, { status: 'failed', error: 'late', completedAt: '2026-06-01T13:00:00.000Z' });
    expect(await store.get('t1', first.id)).toEqual({ ...first, ...done });

    // The subject is free: a new start creates a new erasure.
    const next = await store.start(erasure('t1', { customerId: 'cust-fin' }));
    expect(next.created).toBe(true);
    expect(next.erasure.id).not.toBe(first.id);
    await store.finish('t1', next.erasure.id, { status: 'failed', error: 'engine down', completedAt: '2026-06-01T12:06:00.000Z' });
    expect(await store.get('t1', next.erasure.id)).toMatchObject({ status: 'failed', error: 'engine down' });
    expect(await store.get('t1', next.erasure.id)).not.toHaveProperty('devices');
  });

  test('finish of an unknown erasure writes nothing; get of an unknown or impossible id is undefined', async () => {
    await store.finish('t1', 'era_nope', done);
    expect(await store.get('t1', 'era_nope')).toBeUndefined();
    expect(await store.get('t1', 'x'.repeat(2_000))).toBeUndefined();
    expect(await store.get('t1', '../ERASUBJ#x')).toBeUndefined();
  });

  test('another tenant cannot read an erasure by its id', async () => {
    const mine = erasure('t-owner', { deviceId: 'd-1' });
    await store.start(mine);
    expect(await store.get('t-intruder', mine.id)).toBeUndefined();
    await store.finish('t-owner', mine.id, done);
  });

  test('a finish cut short after the status was written: the stale claim is taken over, running() drops the index item', async () => {
    const first = erasure('t1', { customerId: 'cust-crash' });
    await store.start(first);
    // What finish() does first, alone (the worker died before releasing).
    await records.update({
      Key: keys.erasure('t1', first.id),
      UpdateExpression: 'SET #s = :s',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':s': 'succeeded' },
    });

    expect((await store.running()).map((r) => r.id)).not.toContain(first.id);
    expect(await records.get(keys.erasureRunning('t1', first.id))).toBeUndefined();

    const next = await store.start(erasure('t1', { customerId: 'cust-crash' }));
    expect(next.created).toBe(true);
    expect(await records.get(keys.erasureSubject('t1', subjectKey({ customerId: 'cust-crash' })))).toMatchObject({
      erasureId: next.erasure.id,
    });
    await store.finish('t1', next.erasure.id, done);
  });

  test('a start cut short after claiming the subject: the next start joins that erasure, the sweep sees it', async () => {
    const lost = erasure('t1', { deviceId: 'd-lost' });
    // The claim alone, as start() writes it first.
    await records.put({
      ...keys.erasureSubject('t1', subjectKey(lost.subject)),
      erasureId: lost.id,
      tenantId: 't1',
      subject: lost.subject,
      createdAt: at,
    });
    const next = await store.start(erasure('t1', { deviceId: 'd-lost' }));
    expect(next).toEqual({ erasure: lost, created: false });
    expect(await store.get('t1', lost.id)).toEqual(lost);
    expect(await store.running()).toEqual(expect.arrayContaining([{ tenantId: 't1', id: lost.id, createdAt: at }]));
    await store.finish('t1', lost.id, done);
  });

  test('a start cut short after indexing: running() writes the erasure item, so the sweep resumes it', async () => {
    const lost = erasure('t3', { customerId: 'cust-indexed' });
    const creation = { erasureId: lost.id, tenantId: 't3', subject: lost.subject, createdAt: at };
    await records.put({ ...keys.erasureSubject('t3', subjectKey(lost.subject)), ...creation });
    await records.put({ ...keys.erasureRunning('t3', lost.id), ...creation });
    expect(await store.running()).toEqual(expect.arrayContaining([{ tenantId: 't3', id: lost.id, createdAt: at }]));
    expect(await store.get('t3', lost.id)).toEqual(lost);
    await store.finish('t3', lost.id, done);
    expect((await store.running()).map((r) => r.id)).not.toContain(lost.id);
  });

  test('running() lists every running erasure of every tenant, and forgets finished ones', async () => {
    const a = erasure('ta', { deviceId: 'd-a' });
    const b = erasure('tb', { customerId: 'c-b' });
    await store.start(a);
    await store.start(b);
    const listed = await store.running();
    expect(listed).toEqual(
      expect.arrayContaining([
        { tenantId: 'ta', id: a.id, createdAt: at },
        { tenantId: 'tb', id: b.id, createdAt: at },
      ]),
    );
    await store.finish('ta', a.id, done);
    expect((await store.running()).map((r) => r.id)).toEqual(expect.arrayContaining([b.id]));
    expect((await store.running()).map((r) => r.id)).not.toContain(a.id);
    await store.finish('tb', b.id, done);
    expect((await store.running()).map((r) => r.id)).not.toContain(b.id);
  });
});

describe('device delete and cap forget', () => {
  const device = (deviceId: string, tenantId = 't1') => deviceRecord(deviceId, { tenantId, country: 'US', createdAt: at, updatedAt: at });

  test("DynamoDeviceStore.delete removes the record only (another tenant's look-alike stays); deleting twice is fine", async () => {
    const devices = new DynamoDeviceStore(records);
    await devices.putMany([device('d-del'), device('d-keep'), device('d-del', 't2')]);
    await devices.delete('t1', 'd-del');
    await devices.delete('t1', 'd-del');
    await devices.delete('t1', 'd-never');
    expect(await devices.get('t1', 'd-del')).toBeUndefined();
    expect(await devices.get('t1', 'd-keep')).toEqual(device('d-keep'));
    expect(await devices.get('t2', 'd-del')).toEqual(device('d-del', 't2'));
  });

  test("DynamoFrequencyCapStore.forget drops the devices' reservations: a later reservation starts from nothing", async () => {
    const caps = new DynamoFrequencyCapStore(deliveries);
    const now = new Date(at);
    const cap = { maxPerDevice: 1, windowHours: 24 };
    const candidates = ['d-cap1', 'd-cap2', 'd-cap3'].map((deviceId) => ({ deviceId, sent: [] }));
    expect([...(await caps.reserveMany('t1', 'cmp_1', now, cap, candidates))].sort()).toEqual(['d-cap1', 'd-cap2', 'd-cap3']);
    expect(await caps.reserveMany('t1', 'cmp_2', now, cap, candidates)).toEqual(new Set());
    await caps.forget('t1', ['d-cap1', 'd-cap2', 'd-cap1', 'd-unknown']);
    await caps.forget('t1', []);
    expect(await deliveries.get(deliveryKeys.cap('t1', 'd-cap1'))).toBeUndefined();
    expect(await deliveries.get(deliveryKeys.cap('t1', 'd-cap3'))).toBeDefined();
    expect([...(await caps.reserveMany('t1', 'cmp_2', now, cap, candidates))].sort()).toEqual(['d-cap1', 'd-cap2']);
  });
});
