/**
 * SQL fragments that carry their own bound parameters. The `sql` tag turns every interpolated
 * plain value into a `?` and a parameter, so a user value never reaches the SQL text as code;
 * only `raw()` text (identifiers and constants from our own code) is spliced. The one exception
 * is `inlineParams`, which a dialect applies where its engine refuses a parameter: it writes the
 * values with that engine's one escaping function.
 */
import type { SqlParam, SqlQuery } from '../sql';

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

/**
 * The position just past the quoted text, comment or single character at `i`: `'…'` and `"…"`
 * (a doubled quote re-enters the literal), `-- …` and `/* … *\/`. A `?` inside them is text.
 */
function skipSqlToken(text: string, i: number): number {
  const ch = text[i];
  if (ch === "'" || ch === '"') {
    let j = i + 1;
    for (;;) {
      const end = text.indexOf(ch, j);
      if (end === -1) return text.length;
      if (text[end + 1] !== ch) return end + 1;
      j = end + 2;
    }
  }
  if (ch === '-' && text[i + 1] === '-') {
    const end = text.indexOf('\n', i);
    return end === -1 ? text.length : end + 1;
  }
  if (ch === '/' && text[i + 1] === '*') {
    const end = text.indexOf('*/', i + 2);
    return end === -1 ? text.length : end + 2;
  }
  return i + 1;
}

/**
 * The fragment with each `?` replaced by `literal(param)`: for the engines that refuse a
 * parameter at that place (Athena outside WHERE). The text before stays our own code.
 */
export function inlineParams(f: Frag, literal: (p: SqlParam) => string): Frag {
  if (f.params.length === 0) return f;
  let out = '';
  let n = 0;
  for (let i = 0; i < f.sql.length;) {
    const next = skipSqlToken(f.sql, i);
    if (f.sql[i] === '?' && next === i + 1) {
      if (n >= f.params.length) throw new Error('more placeholders than parameters');
      const lit = literal(f.params[n++]);
      // `x -?` must not become the comment `x --1`.
      out += out.endsWith('-') && lit.startsWith('-') ? ` ${lit}` : lit;
    } else {
      out += f.sql.slice(i, next);
    }
    i = next;
  }
  if (n !== f.params.length) throw new Error('fewer placeholders than parameters');
  return frag(out, []);
}

/** The final query handed to a QueryEngine. */
export function toQuery(f: Frag): SqlQuery {
  return { sql: f.sql, params: [...f.params] };
}
