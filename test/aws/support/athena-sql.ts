/**
 * Athena's SQL rules for the AWS world's stand-in, written from the Athena user guide ("Use
 * parameterized queries", GetQueryResults) and independent of the compiler under test:
 * - execution parameters (`?`) only in a WHERE clause of a SELECT, as many as the values given,
 *   substituted verbatim (each value is already a SQL literal);
 * - results as Athena returns them: every value a string, column types in Athena's names;
 * - UNLOAD (SELECT …) TO 's3://…/' WITH (format = 'PARQUET', …) (the "UNLOAD" page), and the
 *   `"$path"` pseudo-column of Hive tables, hidden from `SELECT *`.
 * Trino-only functions the Trino dialect uses are supplied as DuckDB macros, so its SQL runs on
 * the DuckDB lake with the same results.
 */
import {
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  type DuckDBConnection,
  type DuckDBValue,
} from '@duckdb/node-api';

/** A statement Athena would refuse (StartQueryExecution's InvalidRequestException). */
export class AthenaRuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidRequestException';
  }
}

type Token = { kind: 'word'; text: string; at: number } | { kind: 'punct'; text: string; at: number };

/** Words, `(`, `)`, `?` and other punctuation; string literals, quoted identifiers and comments dropped. */
function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === "'" || ch === '"') {
      // A doubled quote inside the literal is an escaped quote, not its end.
      let j = i + 1;
      for (;;) {
        const end = text.indexOf(ch, j);
        if (end === -1) throw new AthenaRuleError(`line 1:${i + 1}: unterminated ${ch === "'" ? 'string literal' : 'quoted identifier'}`);
        if (text[end + 1] === ch) j = end + 2;
        else {
          i = end + 1;
          break;
        }
      }
    } else if (text.startsWith('--', i)) {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end + 1;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end === -1) throw new AthenaRuleError(`line 1:${i + 1}: unterminated comment`);
      i = end + 2;
    } else if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))!;
      out.push({ kind: 'word', text: m[0].toUpperCase(), at: i });
      i += m[0].length;
    } else if (/\s/.test(ch)) {
      i++;
    } else {
      out.push({ kind: 'punct', text: ch, at: i });
      i++;
    }
  }
  return out;
}

/** Clause keywords that start a new clause inside a query (SELECT … FROM … WHERE …). */
const CLAUSES = new Set([
  'SELECT',
  'FROM',
  'JOIN',
  'ON',
  'WHERE',
  'GROUP',
  'HAVING',
  'ORDER',
  'LIMIT',
  'OFFSET',
  'VALUES',
  'WITH',
  'WINDOW',
  'UNION',
  'INTERSECT',
  'EXCEPT',
]);
/** Keywords that make a parenthesised level a query of its own (WITH only as its first word: not `TIMESTAMP WITH TIME ZONE`). */
const QUERY_STARTS = new Set(['SELECT', 'VALUES']);

interface Level {
  /** Whether this parenthesis level holds a query (or is the statement itself). */
  query: boolean;
  /** The clause currently open at this level (FILTER_WHERE for an aggregate's `FILTER (WHERE`). */
  clause: string | null;
  /** Opened right after FILTER: its WHERE is an aggregate filter, not a WHERE clause. */
  filter: boolean;
}

/** Where each `?` of a statement sits: the innermost clause enclosing it. */
function placeholderClauses(text: string): { at: number; clause: string | null }[] {
  const stack: Level[] = [{ query: true, clause: null, filter: false }];
  const found: { at: number; clause: string | null }[] = [];
  let previous: Token | undefined;
  for (const t of tokenize(text)) {
    const top = stack[stack.length - 1];
    if (t.text === '(') {
      stack.push({ query: false, clause: null, filter: previous?.kind === 'word' && previous.text === 'FILTER' });
    } else if (t.text === ')') {
      if (stack.length === 1) throw new AthenaRuleError(`line 1:${t.at + 1}: mismatched input ')'`);
      stack.pop();
    } else if (t.kind === 'word' && top.filter && t.text === 'WHERE') {
      top.clause = 'FILTER_WHERE';
    } else if (
      t.kind === 'word' &&
      (QUERY_STARTS.has(t.text) || (t.text === 'WITH' && (previous === undefined || previous.text === '(')))
    ) {
      top.query = true;
      top.clause = t.text;
    } else if (t.kind === 'word' && top.query && CLAUSES.has(t.text)) {
      top.clause = t.text;
    } else if (t.text === '?') {
      // The innermost level that has a clause decides (expression parentheses have none).
      const owner = [...stack].reverse().find((l) => l.clause !== null);
      found.push({ at: t.at, clause: owner?.clause ?? null });
    }
    previous = t;
  }
  if (stack.length !== 1) throw new AthenaRuleError(`line 1:${text.length}: missing ')'`);
  return found;
}

const MAX_QUERY_BYTES = 262_144;

/**
 * Throws AthenaRuleError unless every `?` sits in a WHERE clause of a SELECT and their number
 * equals the execution parameters (Athena also refuses an empty ExecutionParameters list and a
 * query text over 262,144 bytes).
 */
export function checkAthenaSql(sql: string, executionParameters: string[] | undefined): void {
  if (executionParameters !== undefined && executionParameters.length === 0) {
    throw new AthenaRuleError(
      "1 validation error detected: Value at 'executionParameters' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  }
  // StartQueryExecution's QueryString constraint (not adjustable): 262,144 bytes.
  if (Buffer.byteLength(sql, 'utf8') > MAX_QUERY_BYTES) {
    throw new AthenaRuleError(
      `1 validation error detected: Value at 'queryString' failed to satisfy constraint: Member must have length less than or equal to ${MAX_QUERY_BYTES}`,
    );
  }
  const marks = placeholderClauses(sql);
  const given = executionParameters?.length ?? 0;
  if (marks.length !== given) {
    throw new AthenaRuleError(`Incorrect number of parameters: expected ${marks.length} but found ${given}`);
  }
  for (const m of marks) {
    if (m.clause !== 'WHERE') {
      const where =
        m.clause === 'FILTER_WHERE' ? 'an aggregate FILTER (WHERE …)' : m.clause === null ? 'no clause' : `a ${m.clause} clause`;
      throw new AthenaRuleError(`line 1:${m.at + 1}: execution parameters are supported only in the WHERE clause; this one is in ${where}`);
    }
  }
}

/** Athena's substitution: each `?` (outside literals and comments) replaced in order by its parameter text verbatim. */
export function substituteParameters(sql: string, executionParameters: string[]): string {
  const marks = tokenize(sql).filter((t) => t.text === '?');
  if (marks.length !== executionParameters.length) {
    throw new AthenaRuleError(`Incorrect number of parameters: expected ${marks.length} but found ${executionParameters.length}`);
  }
  let out = '';
  let from = 0;
  marks.forEach((m, i) => {
    out += sql.slice(from, m.at) + executionParameters[i];
    from = m.at + 1;
  });
  return out + sql.slice(from);
}

/**
 * DuckDB macros for the Trino functions the Trino dialect and the insights SQL use. Each refuses
 * arguments it does not mimic rather than answer differently from Trino. `CAST(x AS JSON)` and
 * `chr` need nothing: DuckDB has both with Trino's meaning.
 */
export async function installTrinoCompat(conn: DuckDBConnection): Promise<void> {
  // The one Joda pattern the dialect writes: ISO-8601 with milliseconds and a literal Z.
  await conn.run(
    "CREATE OR REPLACE MACRO format_datetime(t, f) AS CASE WHEN f = 'yyyy-MM-dd''T''HH:mm:ss.SSS''Z''' THEN strftime(t, '%Y-%m-%dT%H:%M:%S.%gZ') " +
      "ELSE error('format_datetime pattern not mimicked: ' || f) END",
  );
  // Trino's json_format(JSON) is the JSON text; DuckDB's JSON casts to that text.
  await conn.run('CREATE OR REPLACE MACRO json_format(j) AS CAST(j AS VARCHAR)');
  // Trino's date_add(unit, value, timestamp); DuckDB's own date_add takes (timestamp, interval).
  await conn.run(
    "CREATE OR REPLACE MACRO date_add(u, n, t) AS t + CASE u WHEN 'second' THEN to_seconds(CAST(n AS BIGINT)) WHEN 'minute' THEN to_minutes(CAST(n AS BIGINT)) " +
      "WHEN 'hour' THEN to_hours(CAST(n AS BIGINT)) WHEN 'day' THEN to_days(CAST(n AS INTEGER)) ELSE error('date_add unit not mimicked: ' || u) END",
  );
}

/** Athena's name of a DuckDB column type (ColumnInfo.Type). */
function athenaType(duckType: string): string {
  const base = duckType.replace(/\(.*$/, '').trim().toUpperCase();
  // Parquet files may hold any timestamp unit; Athena shows every one as timestamp (UTC in the lake).
  if (base === 'TIMESTAMP WITH TIME ZONE') return 'timestamp with time zone';
  if (base.startsWith('TIMESTAMP')) return 'timestamp';
  const names: Record<string, string> = {
    VARCHAR: 'varchar',
    BIGINT: 'bigint',
    UBIGINT: 'bigint',
    HUGEINT: 'decimal',
    INTEGER: 'integer',
    SMALLINT: 'smallint',
    TINYINT: 'tinyint',
    DOUBLE: 'double',
    FLOAT: 'real',
    BOOLEAN: 'boolean',
    TIMESTAMP: 'timestamp',
    DATE: 'date',
    DECIMAL: 'decimal',
    JSON: 'json',
  };
  return names[base] ?? base.toLowerCase();
}

/** Java's Double.toString, which Athena's results use for DOUBLE ('20.0', '1.0E-7'). */
function javaDouble(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  const abs = Math.abs(x);
  if (abs === 0 || (abs >= 1e-3 && abs < 1e7)) return Number.isInteger(x) ? `${x.toFixed(1)}` : String(x);
  const [mantissa, exp] = x.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exp)}`;
}

/** Milliseconds since the epoch of any DuckDB timestamp value, null for other values. */
function timestampMillis(v: DuckDBValue): number | null {
  if (v instanceof DuckDBTimestampValue || v instanceof DuckDBTimestampTZValue) return Number(v.micros / 1000n);
  if (v instanceof DuckDBTimestampMillisecondsValue) return Number(v.millis);
  if (v instanceof DuckDBTimestampNanosecondsValue) return Number(v.nanos / 1_000_000n);
  if (v instanceof DuckDBTimestampSecondsValue) return Number(v.seconds * 1000n);
  return null;
}

/** One result cell as Athena's VarCharValue. */
function cellText(v: DuckDBValue, type: string): string | null {
  if (v === null) return null;
  const ms = timestampMillis(v);
  if (ms !== null) {
    // Athena shows timestamp(3) as '2026-11-28 17:00:00.000' (UTC, as the lake stores it).
    const text = new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
    return type === 'timestamp with time zone' ? `${text} UTC` : text;
  }
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return type === 'double' || type === 'real' ? javaDouble(v) : String(v);
  return String(v);
}

/** Checks, substitutes and runs a statement as Athena would, answering like GetQueryResults. */
export async function runAthenaQuery(
  conn: DuckDBConnection,
  sql: string,
  executionParameters: string[] | undefined,
  /** The lake's table views (their `"$path"` stays out of `SELECT *`). */
  lakeTables: string[] = [],
): Promise<{ columns: { name: string; type: string }[]; rows: (string | null)[][] }> {
  checkAthenaSql(sql, executionParameters);
  const text = executionParameters === undefined ? sql : substituteParameters(sql, executionParameters);
  const reader = await conn.runAndReadAll(hidePathFromStars(text, lakeTables));
  const types = reader.columnTypes().map((t) => athenaType(t.toString()));
  const columns = reader.columnNames().map((name, i) => ({ name, type: types[i] }));
  const rows = reader.getRows().map((row) => row.map((v, i) => cellText(v, types[i])));
  return { columns, rows };
}

/** Whether a statement names the `"$path"` pseudo-column of Hive tables (identifiers are case-insensitive). */
export function referencesPath(sql: string): boolean {
  return /"\$path"/i.test(sql);
}

/**
 * `SELECT *` never shows a pseudo-column in Athena. The lake's views carry `"$path"` as a column
 * when a statement names it, so each unqualified `*` of a query level that reads a lake table
 * directly (FROM/JOIN <table>) leaves it out there. (`t.*` is left as it is.)
 */
export function hidePathFromStars(sql: string, tables: string[]): string {
  if (!referencesPath(sql)) return sql;
  const names = new Set(tables.map((t) => t.toUpperCase()));
  interface Scope {
    clause: string | null;
    stars: number[];
    readsLake: boolean;
  }
  const stack: Scope[] = [{ clause: null, stars: [], readsLake: false }];
  const rewrite: number[] = [];
  const close = (s: Scope) => {
    if (s.readsLake) rewrite.push(...s.stars);
  };
  let previous: Token | undefined;
  for (const t of tokenize(sql)) {
    const top = stack[stack.length - 1];
    if (t.text === '(') stack.push({ clause: null, stars: [], readsLake: false });
    else if (t.text === ')') {
      if (stack.length > 1) close(stack.pop()!);
    } else if (t.kind === 'word' && CLAUSES.has(t.text)) top.clause = t.text;
    else if (t.text === '*' && top.clause === 'SELECT' && previous && ['SELECT', 'DISTINCT', 'ALL', ','].includes(previous.text))
      top.stars.push(t.at);
    else if (
      t.kind === 'word' &&
      (top.clause === 'FROM' || top.clause === 'JOIN') &&
      previous &&
      ['FROM', 'JOIN', ',', '.'].includes(previous.text) &&
      names.has(t.text)
    )
      top.readsLake = true;
    previous = t;
  }
  stack.forEach(close);
  let out = sql;
  for (const at of rewrite.sort((a, b) => b - a)) out = `${out.slice(0, at + 1)} EXCLUDE ("$path")${out.slice(at + 1)}`;
  return out;
}

/** An `UNLOAD (SELECT …) TO 's3://bucket/prefix/' WITH (…)` statement. */
export interface Unload {
  /** The statement's query, as written (execution parameters not yet substituted). */
  query: string;
  bucket: string;
  /** The TO location's key prefix, ending with `/`. */
  prefix: string;
  format: 'PARQUET';
  /** DuckDB's name of the Parquet compression. */
  compression: string;
}

/** Parquet compressions of UNLOAD that the AWS world writes (Athena's default for Parquet is GZIP). */
const UNLOAD_COMPRESSION: Record<string, string> = { SNAPPY: 'snappy', GZIP: 'gzip', ZSTD: 'zstd' };

/**
 * The parts of an UNLOAD statement (undefined for any other statement), per the Athena guide's
 * UNLOAD page: a query in parentheses, a TO location in S3, and WITH properties of which `format`
 * is required. Throws AthenaRuleError for a malformed one; Parquet is the one format modelled.
 */
export function parseUnload(sql: string): Unload | undefined {
  const tokens = tokenize(sql);
  if (tokens[0]?.text !== 'UNLOAD') return undefined;
  if (tokens[1]?.text !== '(') throw new AthenaRuleError(`line 1:${(tokens[1]?.at ?? sql.length) + 1}: mismatched input. Expecting: '('`);
  let depth = 0;
  let close: Token | undefined;
  for (const t of tokens.slice(1)) {
    if (t.text === '(') depth++;
    if (t.text === ')' && --depth === 0) {
      close = t;
      break;
    }
  }
  if (!close) throw new AthenaRuleError(`line 1:${sql.length}: missing ')'`);
  const query = sql.slice(tokens[1].at + 1, close.at);
  const first = tokenize(query).find((t) => t.text !== '(')?.text; // a query may be parenthesised
  if (first !== 'SELECT' && first !== 'WITH') throw new AthenaRuleError(`line 1:${tokens[1].at + 2}: UNLOAD takes a SELECT query`);
  const rest = /^\s*TO\s+'((?:[^']|'')*)'\s+WITH\s*\(([\s\S]*)\)\s*;?\s*$/i.exec(sql.slice(close.at + 1));
  if (!rest) throw new AthenaRuleError(`line 1:${close.at + 2}: mismatched input. Expecting: TO 's3://…' WITH (property = 'value', …)`);
  const location = /^s3:\/\/([^/]+)\/(.*)$/.exec(rest[1].replaceAll("''", "'"));
  if (!location) throw new AthenaRuleError(`UNLOAD location must be an S3 URI (s3://bucket/prefix/): ${rest[1]}`);
  const props = new Map<string, string>();
  for (const part of rest[2]
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([A-Za-z_]+)\s*=\s*'((?:[^']|'')*)'$/.exec(part);
    if (!m) throw new Error(`UNLOAD property not modelled by the AWS world: ${part}`);
    props.set(m[1].toLowerCase(), m[2].replaceAll("''", "'"));
  }
  for (const name of props.keys()) {
    if (!['format', 'compression'].includes(name)) throw new Error(`UNLOAD property ${name} is not modelled by the AWS world`);
  }
  const format = props.get('format')?.toUpperCase();
  if (!format) throw new AthenaRuleError("UNLOAD requires the 'format' property");
  if (format !== 'PARQUET') throw new Error(`UNLOAD format ${format} is not modelled by the AWS world (PARQUET is)`);
  const compressionName = (props.get('compression') ?? 'GZIP').toUpperCase();
  const compression = UNLOAD_COMPRESSION[compressionName];
  if (!compression) throw new Error(`UNLOAD Parquet compression ${compressionName} is not modelled by the AWS world`);
  const prefix = location[2] === '' || location[2].endsWith('/') ? location[2] : `${location[2]}/`;
  return { query, bucket: location[1], prefix, format: 'PARQUET', compression };
}

/**
 * Runs an UNLOAD's query (parameters checked against the whole statement and substituted as for
 * a SELECT) into one Parquet file; answers the number of rows written.
 */
export async function runAthenaUnload(
  conn: DuckDBConnection,
  sql: string,
  unload: Unload,
  executionParameters: string[] | undefined,
  file: string,
  lakeTables: string[] = [],
): Promise<number> {
  checkAthenaSql(sql, executionParameters);
  const query = hidePathFromStars(
    executionParameters === undefined ? unload.query : substituteParameters(unload.query, executionParameters),
    lakeTables,
  );
  const reader = await conn.runAndReadAll(
    `COPY (${query}) TO '${file.replaceAll("'", "''")}' (FORMAT PARQUET, COMPRESSION ${unload.compression})`,
  );
  return Number(reader.getRows()[0]?.[0] ?? 0);
}
