/**
 * SQL fragments that carry their own bound parameters. The `sql` tag turns every interpolated
 * plain value into a `?` and a parameter, so a user value can never reach the SQL text;
 * only `raw()` text (identifiers and constants from our own code) is spliced.
 */
import type { SqlParam, SqlQuery } from '../../ports/query-engine';

/** A piece of SQL text with the parameters of its `?`s, in order. */
export interface Frag {
  readonly sql: string;
  readonly params: readonly SqlParam[];
}

const FRAG = Symbol('frag');
type Branded = Frag & { readonly [FRAG]: true };

function frag(text: string, params: readonly SqlParam[]): Frag {
  return { sql: text, params, [FRAG]: true } as Branded;
}

function isFrag(v: unknown): v is Frag {
  return typeof v === 'object' && v !== null && (v as Branded)[FRAG] === true;
}

// Constant text we splice must look like code, never like data: identifiers, keywords, operators.
const SAFE_RAW = /^[A-Za-z0-9_ .,()=<>*+\-|:\n]*$/;

/** Trusted SQL text (identifiers / keywords from our own code); refuses anything quote-like. */
export function raw(text: string): Frag {
  if (!SAFE_RAW.test(text)) throw new Error(`unsafe raw SQL: ${text}`);
  return frag(text, []);
}

/** A string constant from our own allowlist (e.g. an event type), spliced as a SQL literal. */
export function constant(value: string): Frag {
  if (!/^[a-z_]{1,32}$/.test(value)) throw new Error(`not an allowlisted constant: ${value}`);
  return frag(`'${value}'`, []);
}

/** Dialect-owned SQL text that may contain quoted format strings; never fed user input. */
export function trusted(text: string): Frag {
  return frag(text, []);
}

/** Tagged template: fragments are spliced, any other value becomes a bound `?` parameter. */
export function sql(strings: TemplateStringsArray, ...values: (Frag | SqlParam)[]): Frag {
  let text = strings[0];
  const params: SqlParam[] = [];
  values.forEach((v, i) => {
    if (isFrag(v)) {
      text += v.sql;
      params.push(...v.params);
    } else {
      text += '?';
      params.push(v);
    }
    text += strings[i + 1];
  });
  return frag(text, params);
}

/** Joins fragments with a trusted separator. */
export function joinFrags(parts: readonly Frag[], separator: string): Frag {
  return frag(
    parts.map((p) => p.sql).join(separator),
    parts.flatMap((p) => p.params),
  );
}

/** `(?, ?, ?)` for a list of values. */
export function paramList(values: readonly SqlParam[]): Frag {
  return frag(`(${values.map(() => '?').join(', ')})`, values);
}

/** The final query handed to a QueryEngine. */
export function toQuery(f: Frag): SqlQuery {
  return { sql: f.sql, params: [...f.params] };
}
