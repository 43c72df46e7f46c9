/**
 * The ONE escaping function for values that reach Athena (Trino) as SQL text: execution
 * parameters (Athena substitutes them as literals) and the values the Trino dialect inlines
 * where Athena refuses a `?` (anything outside a WHERE clause). A property test proves that any
 * value round-trips exactly and that no string can leave its literal.
 */
import type { SqlParam } from '../sql';

/** Trino's DECIMAL holds 38 digits; longer integers are written as DOUBLE literals. */
const MAX_DECIMAL_DIGITS = 38;

/**
 * One value as a Trino literal: strings single-quoted with `'` doubled (Trino does not treat
 * backslash as an escape), finite numbers as plain literals (integers without exponent),
 * TRUE/FALSE, NULL. Anything else is a programming error.
 */
export function athenaLiteral(param: SqlParam): string {
  if (param === null) return 'NULL';
  switch (typeof param) {
    case 'string':
      return stringLiteral(param);
    case 'boolean':
      return param ? 'TRUE' : 'FALSE';
    case 'number':
      return numberLiteral(param);
    default:
      throw new TypeError(`cannot bind a ${typeof param} as an Athena parameter`);
  }
}

function stringLiteral(s: string): string {
  const quoted = (part: string) => `'${part.replaceAll("'", "''")}'`;
  if (!s.includes('\u0000')) return quoted(s);
  // A NUL cannot sit inside a literal: engines that read the statement as a C string (DuckDB,
  // the stand-in) would end the text there. It travels as chr(0), valid in Trino and DuckDB.
  return `(${s.split('\u0000').map(quoted).join(' || chr(0) || ')})`;
}

function numberLiteral(n: number): string {
  if (!Number.isFinite(n)) throw new TypeError(`cannot bind the non-finite number ${n} as an Athena parameter`);
  if (Number.isInteger(n)) {
    const digits = BigInt(n).toString(); // no exponent, and -0 becomes 0
    // Beyond DECIMAL(38) an exact literal cannot be parsed; a DOUBLE literal can (and is exact to the double).
    return digits.replace('-', '').length <= MAX_DECIMAL_DIGITS ? digits : n.toExponential();
  }
  // Non-integers: shortest round-trip form; '0.1' reads as DECIMAL and '1e-7' as DOUBLE, both valid Trino.
  return String(n);
}
