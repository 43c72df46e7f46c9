/**
 * Per-wave completion and `progress.deferred`, end to end through the real sender (sendBatch) and
 * the real counters (DynamoCampaignStore on dynalite: conditional updates, token sets): a quiet-hours
 * chunk adds its devices to `deferred` and keeps its wave `sending`; a redelivered batch (before or
 * after a crash between counting and enqueuing) counts once for its wave and for deferred; when the
 * deferred chunk is done, deferred drains to 0 and the wave and the campaign are sent.
 */
import { CampaignCounters } from '../../../../lambdas/adapters/dynamo/campaign-counters';
import { DynamoCampaignStore } from '../../../../lambdas/adapters/dynamo/campaign-store';
import { publicCampaign, type Campaign, type WaveState } from '../../../../lambdas/domain/campaigns/campaign-record';
import { defaultSettings, type Settings } from '../../../../lambdas/domain/settings';
import { fixedClock } from '../../../../lambdas/ports/clock';
import type { SendBatch } from '../../../../lambdas/ports/send-queue';
import { isDeferredChunk, sendBatch } from '../../../../lambdas/use-cases/delivery/send-batch';
import { benchCampaign, memorySenderDeps } from '../../../../scripts/bench/fakes';
import { deviceRecord } from '../../../support/devices';
import { dynaliteTables } from '../../../support/dynalite';
import { NOW, wave } from './wave-fakes';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const db = dynaliteTables();
let store: DynamoCampaignStore;
let counters: CampaignCounters;

beforeAll(() => {
  counters = new CampaignCounters(db().records);
  store = new DynamoCampaignStore(db().records, counters);
});

// 10:00 UTC: 19:00 in Tokyo, inside quiet hours 18:00–20:00 (held until 11:00 UTC); 05:00 in New York, outside.
const QUIET_ENDS = '2026-11-28T11:00:00.000Z';
const devices = [
  deviceRecord('tk-1', { timezone: 'Asia/Tokyo' }),
  deviceRecord('tk-2', { timezone: 'Asia/Tokyo', platform: 'android' }),
  deviceRecord('ny-1', { timezone: 'America/New_York' }),
  deviceRecord('ny-2', { timezone: 'America/New_York' }),
];

/** A campaign whose wave(s) enqueued one batch each (as the trigger leaves them), stored in dynalite. */
async function sendingCampaign(id: string, more: (now: WaveState) => WaveState[] = () => []): Promise<Campaign> {
  const first = wave({
    status: 'enqueued',
    pages: 1,
    batches: 1,
    targeted: devices.length,
    devices: devices.length,
    firedAt: NOW,
  });
  const waves = Object.fromEntries([first, ...more(first)].map((w) => [w.id, w]));
  const c: Campaign = {
    ...benchCampaign('t1', id),
    waves,
    targeted: devices.length,
    batchesEnqueued: Object.keys(waves).length,
    wavesPending: 0,
  };
  await store.create(c);
  return c;
}

/** The sender's ports with the real campaign store, quiet hours on, and the queue recorded. */
function sender(c: Campaign) {
  const deps = memorySenderDeps(c, devices);
  const clock = fixedClock(NOW);
  const settings: Settings = { ...defaultSettings(), quietHours: { start: '18:00', end: '20:00' } };
  const enqueued: SendBatch[] = [];
  let failEnqueue = 0;
  Object.assign(deps, {
    campaigns: store,
    clock,
    settings: { get: async () => settings, put: async () => undefined },
    queue: {
      enqueue: async (batches: SendBatch[]) => {
        if (failEnqueue > 0) {
          failEnqueue--;
          throw new Error('SQS unavailable');
        }
        enqueued.push(...batches);
      },
    },
  });
  return { deps, clock, enqueued, failNextEnqueue: () => void (failEnqueue = 1) };
}

const view = async (id: string) => publicCampaign((await store.get('t1', id))!);
const batchOf = (campaignId: string): SendBatch => ({
  tenantId: 't1',
  campaignId,
  waveId: 'now',
  batchId: 'now:exec:0:0',
  deviceIds: devices.map((d) => d.deviceId),
});

describe('per-wave completion and deferred devices', () => {
  test('a redelivered batch counts once for its wave and for deferred; deferred drains to 0 when the held devices go', async () => {
    const c = await sendingCampaign('cmp_waves_1');
    const s = sender(c);
    const batch = batchOf(c.id);

    await sendBatch(s.deps, batch);
    await sendBatch(s.deps, batch); // the queue delivers it again
    expect(s.deps.pushes()).toBe(2); // New York now; Tokyo is held
    const child = s.enqueued.find((b) => isDeferredChunk(b.batchId))!;
    expect(child).toMatchObject({ waveId: 'now', deviceIds: ['tk-1', 'tk-2'], notBefore: QUIET_ENDS });
    expect(isDeferredChunk(batch.batchId)).toBe(false);

    const held = await view(c.id);
    expect(held.status).toBe('sending');
    expect(held.progress).toMatchObject({ sent: 2, deferred: 2 });
    // The wave's one batch is done, but the quiet-hours chunk it spawned is not: still sending.
    expect(held.waves.map((w) => w.status)).toEqual(['sending']);
    expect((await counters.read('t1', [c.id], new Map([[c.id, ['now']]]))).get(c.id)).toMatchObject({
      batchesEnqueued: 1,
      batchesDone: 1,
      deferred: 2,
      waves: { now: 0 },
    });

    // Quiet hours end: the deferred chunk goes out; delivered twice, it counts once.
    s.clock.set(QUIET_ENDS);
    await sendBatch(s.deps, child);
    await sendBatch(s.deps, child);
    expect(s.deps.pushes()).toBe(4);
    const done = await view(c.id);
    expect(done.status).toBe('sent');
    expect(done.progress).toMatchObject({ targeted: 4, sent: 4, suppressed: 0, deferred: 0 });
    expect(done.waves.map((w) => w.status)).toEqual(['sent']);
    // The folded-in record holds no negative remainder either.
    expect((await store.get('t1', c.id))!.deferred ?? 0).toBe(0);
  });

  test('a crash after counting the deferred chunk but before enqueuing it: the retry enqueues it without counting it again', async () => {
    const c = await sendingCampaign('cmp_waves_2');
    const s = sender(c);
    const batch = batchOf(c.id);

    s.failNextEnqueue();
    await expect(sendBatch(s.deps, batch)).rejects.toThrow('SQS unavailable');
    const afterCrash = await view(c.id);
    // The pushes are recorded in the ledger but the batch is not counted yet; its deferred child is.
    expect(s.deps.pushes()).toBe(2);
    expect(afterCrash.progress).toMatchObject({ sent: 0, deferred: 2 });
    expect(afterCrash.waves[0].status).toBe('sending');

    await sendBatch(s.deps, batch); // redelivered: finds the chunk recorded, enqueues the child, counts the batch
    const [child] = s.enqueued.filter((b) => isDeferredChunk(b.batchId));
    expect(s.enqueued.filter((b) => isDeferredChunk(b.batchId))).toHaveLength(1);
    expect(s.deps.pushes()).toBe(2);
    const live = (await counters.read('t1', [c.id], new Map([[c.id, ['now']]]))).get(c.id)!;
    expect(live).toMatchObject({ batchesEnqueued: 1, batchesDone: 1, deferred: 2, waves: { now: 0 } });
    expect((await view(c.id)).waves[0].status).toBe('sending');

    s.clock.set(QUIET_ENDS);
    await sendBatch(s.deps, child);
    const done = await view(c.id);
    expect(done).toMatchObject({ status: 'sent', progress: { sent: 4, deferred: 0 } });
    expect(done.waves[0].status).toBe('sent');
  });

  test('a wave is sent once its own batches are, while another wave of the campaign still holds devices', async () => {
    const c = await sendingCampaign('cmp_waves_3', (now) => [{ ...now, id: 'tz-UTC', timezone: 'UTC', memberZones: ['UTC'] }]);
    const s = sender(c);
    await sendBatch(s.deps, { ...batchOf(c.id), waveId: 'tz-UTC', batchId: 'tz-UTC:exec:0:0', deviceIds: ['ny-1', 'ny-2'] });
    await sendBatch(s.deps, { ...batchOf(c.id), deviceIds: ['tk-1', 'tk-2'] });
    const mid = await view(c.id);
    expect(Object.fromEntries(mid.waves.map((w) => [w.id, w.status]))).toEqual({ now: 'sending', 'tz-UTC': 'sent' });
    expect(mid.progress.deferred).toBe(2);
  });
});
