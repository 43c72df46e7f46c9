/**
 * The lake under concurrency (issue 14, "queries never see a half-moved lake"): while events are
 * ingested without pause and compaction runs every 50 ms (merging the NDJSON files queries are
 * planned over), 200 estimates and a 5,000-device campaign complete with zero 5xx and exact counts:
 * every estimate of a segment nobody leaves matches all 5,000 devices, the campaign pushes each
 * device once, and every accepted event is in the lake once. Bounded for CI (~30 s).
 */
import pLimit from 'p-limit';
import { FULL } from './support';
import { launchNow, outboxDevices, TestWorld, waitSent, type Caller } from '../integration/harness';

const DEVICES = 5000;
const ESTIMATES = FULL ? 1000 : 200;

describe('the lake under concurrent ingestion, compaction, estimates and a campaign', () => {
  const t = new TestWorld({ compactEveryMs: 50 });
  let shop: Caller;

  beforeAll(async () => {
    await t.start();
    shop = await t.tenant('stress-shop');
  }, 60_000);
  afterAll(() => t.stop());

  test(`${ESTIMATES} estimates and a ${DEVICES}-device campaign while events stream in and files compact: no 5xx, exact counts`, async () => {
    const statuses: number[] = [];
    const record = <T extends { status: number }>(res: T) => (statuses.push(res.status), res);
    const ids = Array.from({ length: DEVICES }, (_, i) => `st-${String(i).padStart(5, '0')}`);
    const limit = pLimit(16);
    await Promise.all(
      ids.map((id, i) =>
        limit(async () => {
          const res = record(
            await t.request('PUT', `/v1/devices/${id}`, {
              appKey: shop.appKey,
              body: { platform: i % 2 ? 'ios' : 'android', token: `tok-${id}`, optedIn: true, country: 'FR' },
            }),
          );
          if (res.status !== 200) throw new Error(`device ${id}: ${res.status}`);
        }),
      ),
    );
    const seg = record(
      await t.request('POST', '/v1/segments', {
        token: shop.token,
        body: { name: 'France', match: 'all', criteria: [{ filter: 'device_country', operator: 'in', value: ['FR'] }] },
      }),
    );
    expect(seg.status).toBe(201);

    // Events without pause until the rest is done: each batch new event ids, so the lake must hold each once.
    let streaming = true;
    let accepted = 0;
    const ingest = (async () => {
      for (let batch = 0; streaming; batch++) {
        const events = Array.from({ length: 50 }, (_, k) => ({
          eventId: `ev-${batch}-${k}`,
          deviceId: ids[(batch * 50 + k) % DEVICES],
          type: 'app_open',
          ts: new Date(Date.now() - 60_000).toISOString(),
        }));
        const res = record(await t.request('POST', '/v1/events', { appKey: shop.appKey, body: { events } }));
        if (res.status === 200) accepted += res.body.accepted ?? events.length;
      }
    })();

    const estimates = pLimit(4);
    const matched: number[] = [];
    const runEstimates = Promise.all(
      Array.from({ length: ESTIMATES }, () =>
        estimates(async () => {
          const res = record(await t.request('POST', '/v1/segment-estimates', { token: shop.token, body: { segmentId: seg.body.id } }));
          matched.push(res.status === 200 ? res.body.matched : -res.status);
        }),
      ),
    );
    const campaign = await launchNow(t, shop, { segmentId: seg.body.id });
    const done = await waitSent(t, shop, campaign, 120_000);
    await runEstimates;
    streaming = false;
    await ingest;

    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(new Set(matched)).toEqual(new Set([DEVICES]));
    expect(done.progress).toMatchObject({ targeted: DEVICES, sent: DEVICES, failed: 0, suppressed: 0 });
    const pushed = await outboxDevices(t, shop, campaign);
    expect(pushed).toEqual(ids);
    await t.world.compact();
    const [{ events, distinct }] = await t.world.engine.run({
      sql: "SELECT count(*) AS events, count(DISTINCT event_id) AS distinct FROM events WHERE tenant_id = 'stress-shop'",
      params: [],
    });
    expect(accepted).toBeGreaterThan(0);
    expect([events, distinct]).toEqual([accepted, accepted]);
  }, 180_000);
});
