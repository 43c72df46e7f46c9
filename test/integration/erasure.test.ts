/**
 * Deletion and erasure on the local world, through the HTTP API: a shopper with two devices and
 * purchases counts in total_spend and in a campaign's insights; after POST /v1/erasures succeeds,
 * estimates, explain and insights no longer see either device or any of its events, the device
 * records are gone, and no lake file holds a row of them. DELETE /v1/devices takes a device out of
 * every audience at once and erases it.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { TestWorld, expectError, isoDaysAgo, launchNow, registerDevices, waitFor, waitSent } from './harness';

async function lakeFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string) => {
    for (const e of await fs.readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else out.push(p);
    }
  };
  await walk(root);
  return out;
}

describe('erasure and device deletion through the HTTP API', () => {
  const t = new TestWorld();
  const [shop, other] = t.tenants('erase-shop', 'erase-other');
  let spendSegment = '';
  let campaignId = '';
  const api = t.as(() => shop);
  const matched = async (segmentId: string) => (await api('POST', '/v1/segment-estimates', { segmentId })).body.matched as number;
  /** Device ids present in any lake file of the tenant (read straight from the files, not through the views). */
  const devicesInLake = async (tenantId: string) => {
    const rows = await t.world.engine.run({
      sql: `SELECT DISTINCT device_id FROM (
        SELECT device_id, tenant_id FROM events UNION ALL SELECT device_id, tenant_id FROM devices UNION ALL SELECT device_id, tenant_id FROM deliveries
      ) WHERE tenant_id = ?`,
      params: [tenantId],
    });
    return rows.map((r) => String(r.device_id)).sort();
  };

  /** The tenant's lake files whose bytes contain any of these strings. */
  const filesHolding = async (...needles: string[]) => {
    const out: string[] = [];
    for (const f of await lakeFiles(t.world.lake.root)) {
      if (!f.includes('tenant_id=erase-shop')) continue;
      const bytes = await fs.readFile(f);
      if (needles.some((n) => bytes.includes(Buffer.from(n)))) out.push(f);
    }
    return out;
  };

  t.forSuite(async () => {
    await registerDevices(t, shop, [
      ['phone', { customerId: 'cust-9' }],
      ['tablet', { platform: 'android', customerId: 'cust-9' }],
      ['friend', { customerId: 'cust-7' }],
      ['stranger', {}],
      ['laptop', { customerId: 'cust-9' }],
    ]);
    await registerDevices(t, other, [['phone', { customerId: 'cust-9' }]]);
    const events = [
      { deviceId: 'phone', type: 'purchase', orderId: 'o-1', amount: 300, currency: 'EUR', ts: isoDaysAgo(3) },
      { deviceId: 'tablet', type: 'purchase', orderId: 'o-2', amount: 250, currency: 'EUR', ts: isoDaysAgo(10) },
      { deviceId: 'tablet', type: 'product_view', productId: 'sku-1', ts: isoDaysAgo(1) },
      { deviceId: 'friend', type: 'purchase', orderId: 'o-3', amount: 600, currency: 'EUR', ts: isoDaysAgo(2) },
      { deviceId: 'stranger', type: 'app_open', ts: isoDaysAgo(1) },
      { deviceId: 'laptop', type: 'purchase', orderId: 'o-4', amount: 10, currency: 'EUR', ts: isoDaysAgo(4) },
    ];
    expect((await t.request('POST', '/v1/events', { appKey: shop.appKey, body: { events } })).body.accepted).toBe(events.length);
    await t.request('POST', '/v1/events', {
      appKey: other.appKey,
      body: { events: [{ deviceId: 'phone', type: 'purchase', orderId: 'x', amount: 900, ts: isoDaysAgo(1) }] },
    });
    spendSegment = (
      await api('POST', '/v1/segments', {
        name: 'Spent 500+',
        match: 'all',
        criteria: [{ filter: 'total_spend', operator: 'gte', value: 500 }],
      })
    ).body.id;
    campaignId = await launchNow(t, shop, { segmentId: spendSegment });
    await waitSent(t, shop, campaignId);
    const open = (deviceId: string) => ({ deviceId, type: 'push_open', campaignId, ts: new Date().toISOString() });
    await t.request('POST', '/v1/events', { appKey: shop.appKey, body: { events: [open('phone'), open('friend')] } });
    // The shopper logs out on the laptop: its latest registration has no customer any more. Compaction
    // (superseded snapshots dropped) must still leave the erasure a way to find it.
    await registerDevices(t, shop, [['laptop', {}]]);
    // Several files per partition, as a day of appends leaves them; compaction has merged them.
    await t.world.compact({ dropSuperseded: true });
  });

  test('a shopper with three devices (one logged out since) is erased everywhere: estimates, explain, insights, records, lake files', async () => {
    // Before: the two devices together spent 550, so both are in the segment; the friend spent 600.
    expect(await matched(spendSegment)).toBe(3);
    expect((await api('GET', `/v1/segments/${spendSegment}/explain/tablet`)).body).toMatchObject({
      member: true,
      conditions: [expect.objectContaining({ actual: 550 })],
    });
    const before = (await api('GET', `/v1/campaigns/${campaignId}/insights`)).body;
    expect(before).toMatchObject({ sent: 4, opened: 2 }); // the laptop was the shopper's when the campaign went out

    // The file check below can see them: before the erasure, files hold their ids.
    expect((await filesHolding('tablet', 'cust-9')).length).toBeGreaterThan(0);

    const started = await api('POST', '/v1/erasures', { customerId: 'cust-9' });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ id: expect.any(String), status: 'running', customerId: 'cust-9' });
    // Asking again while it runs is the same erasure.
    expect((await api('POST', '/v1/erasures', { customerId: 'cust-9' })).body.id).toBe(started.body.id);
    const done = await waitFor(
      async () => {
        const res = await api('GET', `/v1/erasures/${started.body.id}`);
        return res.body.status !== 'running' ? res.body : undefined;
      },
      30_000,
      'erasure finished',
    );
    expect(done).toMatchObject({ status: 'succeeded', devices: 3, events: 5, customerId: 'cust-9' });

    expect(await matched(spendSegment)).toBe(1);
    // Explain no longer knows the device at all.
    expectError(await api('GET', `/v1/segments/${spendSegment}/explain/tablet`), 404, 'not_found');
    const after = (await api('GET', `/v1/campaigns/${campaignId}/insights`)).body;
    expect(after).toMatchObject({ sent: 1, opened: 1 });
    expect(await t.world.deps.devices.get('erase-shop', 'phone')).toBeUndefined();
    expect(await t.world.deps.devices.get('erase-shop', 'tablet')).toBeUndefined();
    expect(await t.world.deps.devices.get('erase-shop', 'laptop')).toBeUndefined();
    expect(await devicesInLake('erase-shop')).toEqual(['friend', 'stranger']);
    // No file of the tenant holds the erased devices' bytes (the views could hide a row; the files cannot).
    expect(await filesHolding('tablet', 'laptop', 'cust-9')).toEqual([]);
    // Another tenant's device of the same id and customer is untouched.
    expect(await t.world.deps.devices.get('erase-other', 'phone')).toBeDefined();
    expect(await devicesInLake('erase-other')).toEqual(['phone']);
    // Erasing again finds nothing left: it succeeds with zero counts.
    const again = (await api('POST', '/v1/erasures', { customerId: 'cust-9' })).body;
    expect(again.id).not.toBe(started.body.id);
    const second = await waitFor(
      async () => {
        const res = await api('GET', `/v1/erasures/${again.id}`);
        return res.body.status !== 'running' ? res.body : undefined;
      },
      30_000,
      'second erasure finished',
    );
    expect(second).toMatchObject({ status: 'succeeded', devices: 0, events: 0 });
  });

  test('DELETE /v1/devices: out of every audience at once, then erased', async () => {
    const all = (
      await api('POST', '/v1/segments', {
        name: 'Everyone',
        match: 'all',
        criteria: [{ filter: 'platform', operator: 'in', value: ['ios', 'android'] }],
      })
    ).body.id;
    const before = await matched(all);
    const res = await t.request('DELETE', '/v1/devices/stranger', { appKey: shop.appKey });
    expect(res.status).toBe(204);
    expect(await t.world.deps.devices.get('erase-shop', 'stranger')).toBeUndefined();
    expect(await matched(all)).toBe(before - 1);
    await waitFor(async () => !(await devicesInLake('erase-shop')).includes('stranger'), 30_000, 'stranger erased from the lake');
    // Idempotent, and an unknown device is no error.
    expect((await t.request('DELETE', '/v1/devices/stranger', { appKey: shop.appKey })).status).toBe(204);
    expect((await t.request('DELETE', '/v1/devices/never-seen', { appKey: shop.appKey })).status).toBe(204);
  });

  test('bad input is a 400 with details; unknown or foreign erasures are 404; auth is required', async () => {
    for (const body of [
      {},
      { customerId: 'a', deviceId: 'b' },
      { customerId: '' },
      { deviceId: 'bad id!' },
      { customerId: 'c', extra: 1 },
      [],
      'x',
    ]) {
      const res = await api('POST', '/v1/erasures', body);
      expectError(res, 400, 'validation_error');
    }
    expectError(await api('GET', '/v1/erasures/era_nope'), 404, 'not_found');
    const mine = (await api('POST', '/v1/erasures', { deviceId: 'friend-2' })).body;
    expectError(await api('GET', `/v1/erasures/${mine.id}`, undefined, other), 404, 'not_found');
    expectError(await t.request('POST', '/v1/erasures', { appKey: shop.appKey, body: { customerId: 'c' } }), 401, 'unauthorized');
    expectError(await t.request('DELETE', '/v1/devices/friend', { token: shop.token }), 401, 'unauthorized');
  });
});
