/**
 * Writes to the records table that must not lose a concurrent one (dynalite, real conditional writes):
 * a wave that starts moves the campaign's version, so an edit read before cannot write back its
 * waves; an erasure takes devices out of the test devices without reverting a settings change.
 */
import { DynamoCampaignStore } from '../../../../lambdas/adapters/dynamo/campaign-store';
import { DynamoSettingsStore } from '../../../../lambdas/adapters/dynamo/settings-store';
import { DynamoTable } from '../../../../lambdas/adapters/dynamo/table';
import { defaultSettings } from '../../../../lambdas/domain/settings';
import { campaign, wave } from '../../use-cases/delivery/wave-fakes';
import { dynaliteTables } from '../../../support/dynalite';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const db = dynaliteTables();
let table: DynamoTable;
beforeAll(() => {
  table = db().records;
});

describe('campaign store: a starting wave moves the version', () => {
  test('an edit that read the campaign before its wave started fails its version check', async () => {
    const store = new DynamoCampaignStore(table);
    const at = '2026-12-01T09:00:00.000Z';
    await store.create(
      campaign({ id: 'cmp_race', status: 'scheduled', version: 3, waves: { at: wave({ id: 'at', fireAt: at, intendedAt: at }) } }),
    );
    const read = (await store.get('t1', 'cmp_race'))!;
    const started = await store.startWave('t1', 'cmp_race', 'at', at);
    expect(started).toMatchObject({ status: 'sending', version: read.version + 1 });
    // The edit's write-back of the waves it read (scheduled, no cursor) is refused.
    expect(await store.update('t1', 'cmp_race', read.version, { waves: read.waves, name: 'edited' })).toBeUndefined();
    expect(await store.get('t1', 'cmp_race')).toMatchObject({ name: 'Sale', status: 'sending' });
    expect((await store.get('t1', 'cmp_race'))!.waves.at).toMatchObject({ status: 'firing', firedAt: at });
    // A re-take of the firing wave (a continuation) still succeeds and keeps the first fire moment.
    const later = '2026-12-01T09:05:00.000Z';
    const retaken = await store.startWave('t1', 'cmp_race', 'at', later);
    expect(retaken).toMatchObject({ status: 'sending', version: read.version + 2 });
    expect(retaken!.waves.at.firedAt).toBe(at);
  });
});

describe('settings store: removeTestDevices', () => {
  test('takes only the named devices out and keeps every other setting', async () => {
    const store = new DynamoSettingsStore(table);
    await store.put('t-set', { ...defaultSettings(), attributionWindowHours: 48, testDevices: ['d-1', 'd-2', 'd-3'] });
    await store.removeTestDevices('t-set', ['d-2', 'd-9']);
    expect(await store.get('t-set')).toEqual({ ...defaultSettings(), attributionWindowHours: 48, testDevices: ['d-1', 'd-3'] });
  });

  test('a settings change saved between its read and its write is kept (compare-and-set, retried)', async () => {
    const store = new DynamoSettingsStore(table);
    await store.put('t-race', { ...defaultSettings(), testDevices: ['d-1', 'd-2'] });
    // A merchant's PUT lands after the store's first read: wrap get so the first read is followed by it.
    const realGet = table.get.bind(table);
    let raced = false;
    table.get = async (...args) => {
      const item = await realGet(...args);
      if (!raced) {
        raced = true;
        await store.put('t-race', { ...defaultSettings(), attributionWindowHours: 12, testDevices: ['d-1', 'd-2', 'd-5'] });
      }
      return item;
    };
    try {
      await store.removeTestDevices('t-race', ['d-1']);
    } finally {
      table.get = realGet;
    }
    expect(await store.get('t-race')).toEqual({ ...defaultSettings(), attributionWindowHours: 12, testDevices: ['d-2', 'd-5'] });
  });

  test('no settings saved, or none of the devices among them: nothing is written', async () => {
    const store = new DynamoSettingsStore(table);
    await store.removeTestDevices('t-none', ['d-1']);
    expect(await table.get({ pk: 'T#t-none', sk: 'SETTINGS' })).toBeUndefined();
  });
});
