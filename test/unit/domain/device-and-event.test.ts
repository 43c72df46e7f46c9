import { applyRegistration, deviceLakeRow, deviceRegistrationSchema } from '../../../lambdas/domain/devices/device';
import { eventSchema, timestampProblem } from '../../../lambdas/domain/events/event';
import { compareVersions, versionKey } from '../../../lambdas/domain/version-key';
import { parseWith } from '../../../lambdas/domain/validation';
import { ValidationError } from '../../../lambdas/domain/errors';

describe('device registration schema', () => {
  test('normalises the country to upper case and keeps optional fields optional', () => {
    expect(deviceRegistrationSchema.parse({ platform: 'android', token: 't', optedIn: false, country: 'de' })).toEqual({
      platform: 'android',
      token: 't',
      optedIn: false,
      country: 'DE',
    });
  });

  test('errors carry API.md paths', () => {
    try {
      parseWith(deviceRegistrationSchema, { platform: 'ios', token: 't', optedIn: true, appVersion: 'v5' });
      fail('should throw');
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).details).toEqual([{ path: 'appVersion', message: expect.stringContaining('5.2.0') }]);
      expect((err as ValidationError).message).toMatch(/^appVersion: /);
    }
  });

  test('a new token clears an invalid token state; the same token keeps it', () => {
    const now = new Date('2026-11-28T10:00:00Z');
    const base = applyRegistration(undefined, 't', 'd', { platform: 'ios', token: 'a', optedIn: true }, now);
    const invalid = { ...base, tokenState: 'invalid' as const };
    expect(applyRegistration(invalid, 't', 'd', { platform: 'ios', token: 'a', optedIn: true }, now).tokenState).toBe('invalid');
    expect(applyRegistration(invalid, 't', 'd', { platform: 'ios', token: 'b', optedIn: true }, now).tokenState).toBe('valid');
    expect(applyRegistration(invalid, 't', 'd', { platform: 'ios', token: 'b', optedIn: true }, now).createdAt).toBe(base.createdAt);
  });

  test('the lake row carries a sortable version key', () => {
    const d = applyRegistration(undefined, 't', 'd', { platform: 'ios', token: 'a', optedIn: true, appVersion: '5.10' }, new Date());
    expect(deviceLakeRow(d)).toMatchObject({ app_version: '5.10', app_version_key: versionKey('5.10.0') });
  });
});

describe('version keys', () => {
  test.each([
    ['5.10.0', '5.9.3', 1],
    ['5.10', '5.10.0', 0],
    ['5', '5.0.1', -1],
    ['10.0.0', '9.99.99', 1],
    ['007.1', '7.1', 0],
    ['123456789012345678901234.1', '123456789012345678901233.9', 1],
  ])('%s vs %s → %i', (a, b, expected) => {
    expect(compareVersions(a, b)).toBe(expected);
  });
});

describe('event schema', () => {
  const now = new Date('2026-11-28T12:00:00Z');
  test.each([
    [{ deviceId: 'd', type: 'app_open', ts: '2026-11-20T10:00:00Z' }, true],
    [{ deviceId: 'd', type: 'app_open', ts: '2026-11-20T10:00:00+02:00' }, true],
    [{ deviceId: 'd', type: 'product_view', ts: '2026-11-20T10:00:00Z' }, false],
    [{ deviceId: 'd', type: 'purchase', ts: '2026-11-20T10:00:00Z', orderId: 'o', amount: -1 }, false],
    [{ deviceId: 'd', type: 'purchase', ts: '2026-11-20T10:00:00Z', orderId: 'o', amount: 0 }, true],
    [{ deviceId: 'd', type: 'push_open', ts: '2026-11-20T10:00:00Z' }, false],
    [{ deviceId: 'd', type: 'custom', ts: '2026-11-20T10:00:00Z', name: 'wishlist_shared' }, true],
    [{ deviceId: 'd', type: 'custom', ts: '2026-11-20T10:00:00Z', name: '1bad' }, false],
    [{ deviceId: 'd', type: 'app_open', ts: 'yesterday' }, false],
    [{ deviceId: 'd', type: 'app_open', ts: '2026-11-20T10:00:00Z', properties: { a: { b: 1 } } }, false],
    [{ deviceId: 'd', type: 'app_open', ts: '2026-11-20T10:00:00Z', properties: { big: 'x'.repeat(5000) } }, false],
    [{ deviceId: 'd d', type: 'app_open', ts: '2026-11-20T10:00:00Z' }, false],
  ])('%j valid=%s', (input, valid) => {
    expect(eventSchema.safeParse(input).success).toBe(valid);
  });

  test('ts window: 730 days back, 24 h ahead', () => {
    expect(timestampProblem('2024-11-29T12:00:00Z', now)).toBeNull();
    expect(timestampProblem('2024-11-28T11:00:00Z', now)).toMatch(/730/);
    expect(timestampProblem('2026-11-29T11:59:00Z', now)).toBeNull();
    expect(timestampProblem('2026-11-29T12:01:00Z', now)).toMatch(/24 hours/);
  });
});
