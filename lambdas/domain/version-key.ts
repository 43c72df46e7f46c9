/**
 * App versions compare numerically part by part ("5.10" > "5.9.3", missing parts are 0).
 * SQL engines cannot do that portably, so each version is stored with a sortable key:
 * every one of three parts becomes its digit count (3 digits, zero-padded) followed by its
 * digits without leading zeros. Plain string comparison of two keys is numeric comparison of
 * the versions, whatever the size of each part, in DuckDB and Trino alike.
 */
export const VERSION_PATTERN = /^\d+(\.\d+){0,2}$/;

export function versionKey(version: string): string {
  if (!VERSION_PATTERN.test(version)) throw new Error(`not a version: ${version}`);
  const parts = version.split('.');
  while (parts.length < 3) parts.push('0');
  return parts
    .map((p) => {
      const digits = p.replace(/^0+(?=\d)/, '');
      return String(digits.length).padStart(3, '0') + digits;
    })
    .join('.');
}

/** Numeric part-by-part comparison (-1, 0, 1); the reference for versionKey's ordering. */
export function compareVersions(a: string, b: string): number {
  const ka = versionKey(a);
  const kb = versionKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
