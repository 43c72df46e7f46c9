/** The one country list, as device registration and segment conditions both apply it. */
import { COUNTRY_CODES, isCountryCode } from '../../../lambdas/domain/countries';
import { deviceRegistrationSchema } from '../../../lambdas/domain/devices/device';
import { parseSegmentDefinition } from '../../../lambdas/domain/segments/criteria';

const device = (country: string) => deviceRegistrationSchema.safeParse({ platform: 'ios', token: 't', optedIn: true, country });
const segment = (country: string) => {
  try {
    return parseSegmentDefinition({ match: 'all', criteria: [{ filter: 'device_country', operator: 'in', value: [country] }] }).criteria[0];
  } catch {
    return undefined;
  }
};

describe('country codes', () => {
  test('249 distinct upper-case codes of two letters', () => {
    expect(COUNTRY_CODES).toHaveLength(249);
    expect(new Set(COUNTRY_CODES).size).toBe(249);
    for (const c of COUNTRY_CODES) expect(c).toMatch(/^[A-Z]{2}$/);
  });

  test('every code, in either case, is accepted by devices and segments alike, stored in upper case', () => {
    for (const code of COUNTRY_CODES) {
      for (const given of [code, code.toLowerCase()]) {
        expect(device(given).data?.country).toBe(code);
        expect(segment(given)).toMatchObject({ value: [code] });
      }
    }
    expect(device('De').data?.country).toBe('DE');
  });

  test.each([
    ['XK', 'user-assigned (Kosovo on some platforms): not in the standard, refused'],
    ['UK', 'exceptionally reserved'],
    ['EU', 'exceptionally reserved'],
    ['AN', 'withdrawn (Netherlands Antilles)'],
    ['ZZ', 'user-assigned'],
    ['ß', "upper-cases to 'SS'"],
    ['ﬁ', "upper-cases to 'FI'"],
    ['ıt', "dotless i upper-cases to 'IT'"],
    ['USA', 'alpha-3'],
    ['u', 'one letter'],
    [' us', 'padded'],
    ['', 'empty'],
  ])('%j is refused by devices and segments alike (%s)', (bad) => {
    expect(isCountryCode(bad)).toBe(false);
    expect(device(bad).success).toBe(false);
    expect(segment(bad)).toBeUndefined();
  });
});
