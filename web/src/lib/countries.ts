/** Country names for ISO codes, from Intl.DisplayNames (no data shipped). */
const names = typeof Intl !== 'undefined' && 'DisplayNames' in Intl ? new Intl.DisplayNames(undefined, { type: 'region' }) : null;

export function countryName(code: string): string {
  try {
    return names?.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

/** Used only when the catalog carries no list. */
export const FALLBACK_COUNTRIES = 'US CA GB IE FR DE ES IT NL BE SE NO DK FI PL PT AT CH AU NZ JP KR SG IN BR MX AR ZA AE'.split(' ');
