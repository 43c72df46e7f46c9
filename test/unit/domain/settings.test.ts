import { ValidationError } from '../../../lambdas/domain/errors';
import { defaultSettings, parseSettings } from '../../../lambdas/domain/settings';

function paths(input: unknown): string[] {
  try {
    parseSettings(input);
  } catch (e) {
    if (e instanceof ValidationError) return (e.details ?? []).map((d) => d.path);
    throw e;
  }
  return [];
}

describe('settings', () => {
  it('fills every omitted field with its default', () => {
    expect(parseSettings({})).toEqual({
      frequencyCap: null,
      quietHours: null,
      attributionWindowHours: 24,
      defaultTimezone: 'UTC',
      testDevices: [],
    });
    expect(defaultSettings()).toEqual(parseSettings({}));
  });

  it('PUT replaces the whole object: fields left out go back to defaults', () => {
    expect(parseSettings({ defaultTimezone: 'America/New_York' })).toEqual({
      frequencyCap: null,
      quietHours: null,
      attributionWindowHours: 24,
      defaultTimezone: 'America/New_York',
      testDevices: [],
    });
  });

  it('accepts the API.md example and explicit nulls', () => {
    const example = {
      frequencyCap: { maxPerDevice: 3, windowHours: 24 },
      quietHours: { start: '21:00', end: '08:00' },
      attributionWindowHours: 24,
      defaultTimezone: 'America/New_York',
      testDevices: ['d-1'],
    };
    expect(parseSettings(example)).toEqual(example);
    expect(parseSettings({ frequencyCap: null, quietHours: null }).frequencyCap).toBeNull();
  });

  it('validates ranges', () => {
    expect(paths({ frequencyCap: { maxPerDevice: 0, windowHours: 24 } })).toEqual(['frequencyCap.maxPerDevice']);
    expect(paths({ frequencyCap: { maxPerDevice: 101, windowHours: 721 } })).toEqual([
      'frequencyCap.maxPerDevice',
      'frequencyCap.windowHours',
    ]);
    expect(paths({ frequencyCap: { maxPerDevice: 1.5, windowHours: 1 } })).toEqual(['frequencyCap.maxPerDevice']);
    expect(paths({ frequencyCap: { maxPerDevice: 100, windowHours: 720 }, attributionWindowHours: 720 })).toEqual([]);
    expect(paths({ attributionWindowHours: 0 })).toEqual(['attributionWindowHours']);
    expect(paths({ attributionWindowHours: null })).toEqual(['attributionWindowHours']);
  });

  it('validates quiet hours', () => {
    expect(paths({ quietHours: { start: '9:00', end: '24:00' } })).toEqual(['quietHours.start', 'quietHours.end']);
    expect(paths({ quietHours: { start: '22:00', end: '22:00' } })).toEqual(['quietHours.end']);
    expect(paths({ quietHours: { start: '22:00' } })).toEqual(['quietHours.end']);
  });

  it('validates the time zone and unknown fields', () => {
    expect(paths({ defaultTimezone: 'Mars/Olympus' })).toEqual(['defaultTimezone']);
    expect(paths({ timezone: 'UTC' })).toEqual(['timezone']);
  });
});
