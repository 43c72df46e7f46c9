/** PUT /v1/settings with test devices: each must be a device of the tenant; repeats kept once; old records read with the default. */
import { ValidationError } from '../../../lambdas/domain/errors';
import { defaultSettings, withDefaults, type Settings } from '../../../lambdas/domain/settings';
import { getSettings, putSettings, type SettingsDeps } from '../../../lambdas/use-cases/settings/settings';
import { deviceRecord } from '../../support/devices';

function setup(known: string[]) {
  const saved: Settings[] = [];
  const lookups: string[][] = [];
  const deps: SettingsDeps = {
    settings: {
      get: async () => saved.at(-1) ?? defaultSettings(),
      put: async (_t, s) => void saved.push(s),
      removeTestDevices: async () => undefined,
    },
    devices: {
      getMany: async (_t, ids) => {
        lookups.push(ids);
        return new Map(ids.filter((id) => known.includes(id)).map((id) => [id, deviceRecord(id)]));
      },
    },
  };
  return { deps, saved, lookups };
}

describe('settings: test devices', () => {
  test('defaults to none; old stored settings read back with the default', async () => {
    const { deps, lookups } = setup([]);
    expect((await getSettings(deps, 't1')).testDevices).toEqual([]);
    expect(await putSettings(deps, 't1', {})).toEqual(defaultSettings());
    expect(lookups).toEqual([]); // nothing to check, no read
    const { testDevices: _omit, ...old } = defaultSettings();
    expect(withDefaults(old).testDevices).toEqual([]);
  });

  test('known devices are stored, each once, in the order given (one lookup)', async () => {
    const { deps, saved, lookups } = setup(['d-1', 'd-2']);
    const out = await putSettings(deps, 't1', { testDevices: ['d-2', 'd-1', 'd-2'] });
    expect(out.testDevices).toEqual(['d-2', 'd-1']);
    expect(saved.at(-1)!.testDevices).toEqual(['d-2', 'd-1']);
    expect(lookups).toEqual([['d-2', 'd-1']]);
  });

  test('unknown ids: 400 with testDevices[i] for each, nothing stored', async () => {
    const { deps, saved } = setup(['d-1']);
    const err = await putSettings(deps, 't1', { testDevices: ['d-1', 'nope', 'd-1', 'gone'] }).catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.code).toBe('validation_error');
    expect(err.details).toEqual([
      { path: 'testDevices[1]', message: 'no device nope is registered for this tenant' },
      { path: 'testDevices[3]', message: 'no device gone is registered for this tenant' },
    ]);
    expect(saved).toEqual([]);
  });

  test.each([
    [{ testDevices: Array.from({ length: 21 }, (_, i) => `d-${i}`) }, 'testDevices'],
    [{ testDevices: ['ok', 'not ok'] }, 'testDevices[1]'],
    [{ testDevices: 'd-1' }, 'testDevices'],
    [{ testDevices: [7] }, 'testDevices[0]'],
  ])('bad shape %j: 400 at %s before any lookup', async (body, path) => {
    const { deps, saved, lookups } = setup(['ok']);
    const err = await putSettings(deps, 't1', body).catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.details.map((d: { path: string }) => d.path)).toContain(path);
    expect(lookups).toEqual([]);
    expect(saved).toEqual([]);
  });
});
