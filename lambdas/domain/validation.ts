/**
 * Turns zod issues into API.md's error details ({ path: "criteria[2].value", message }) with
 * human-readable messages. Every API input schema is parsed through `parseWith` so all 400s look alike.
 */
import type * as z from 'zod';
import { ValidationError, type ErrorDetail } from './errors';

type Issue = z.core.$ZodIssue;
type PathKey = PropertyKey;

/** Formats a zod path as `a.b[2].c`, after an optional prefix. */
export function formatPath(path: readonly PathKey[], prefix = ''): string {
  let out = prefix;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

// zod's default messages start like this; custom messages set by a schema are kept as written.
const DEFAULT_MESSAGE =
  /^(Invalid input|Invalid option|Too small|Too big|Unrecognized key|Invalid string|Invalid number|Invalid date|Invalid ISO)/;

function listOf(values: readonly unknown[]): string {
  return values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');
}

function sizeMessage(issue: Extract<Issue, { code: 'too_small' | 'too_big' }>): string {
  const small = issue.code === 'too_small';
  const bound = small ? (issue as { minimum: number | bigint }).minimum : (issue as { maximum: number | bigint }).maximum;
  const inclusive = issue.inclusive !== false;
  switch (issue.origin) {
    case 'array':
    case 'set':
      if (small && Number(bound) === 1) return 'must not be empty';
      return `must have ${small ? 'at least' : 'at most'} ${bound} item${Number(bound) === 1 ? '' : 's'}`;
    case 'string':
      if (small && Number(bound) === 1) return 'must not be empty';
      return `must be ${small ? 'at least' : 'at most'} ${bound} character${Number(bound) === 1 ? '' : 's'} long`;
    default:
      if (inclusive) return `must be ${small ? 'at least' : 'at most'} ${bound}`;
      return `must be ${small ? 'greater' : 'less'} than ${bound}`;
  }
}

function humanMessage(issue: Issue): string {
  if (issue.code === 'custom' || !DEFAULT_MESSAGE.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type': {
      if (/received undefined$/.test(issue.message)) return 'is required';
      const expected =
        issue.expected === 'int'
          ? 'an integer'
          : issue.expected === 'array' || issue.expected === 'object'
            ? `an ${issue.expected}`
            : `a ${issue.expected}`;
      return `must be ${expected}`;
    }
    case 'invalid_value':
      return issue.values.length === 1 ? `must be ${listOf(issue.values)}` : `must be one of ${listOf(issue.values)}`;
    case 'too_small':
    case 'too_big':
      return sizeMessage(issue);
    case 'invalid_format':
      return `must be a valid ${issue.format.replace(/_/g, ' ')}`;
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`;
    default:
      return issue.message;
  }
}

/**
 * A union failed: report the branch that came closest (fewest issues, then the one whose issues
 * are not about the object's own keys), so a condition with a bad operator says "operator: ..."
 * instead of "Invalid input".
 */
function bestBranch(branches: Issue[][]): Issue[] {
  const score = (issues: Issue[]) =>
    issues.length * 10 + issues.filter((i) => i.path.length === 0 || i.code === 'unrecognized_keys').length;
  return [...branches].sort((a, b) => score(a) - score(b))[0] ?? [];
}

/** One issue with a readable message and its path still as keys (for re-basing in refinements). */
export interface PlainIssue {
  path: PathKey[];
  message: string;
}

/** Flattens zod issues (unions resolved to their closest branch) into readable messages. */
export function plainIssues(issues: readonly Issue[], base: PathKey[] = []): PlainIssue[] {
  const out: PlainIssue[] = [];
  for (const issue of issues) {
    const path = [...base, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      out.push(...plainIssues(bestBranch(issue.errors), path));
    } else if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: [...path, key], message: 'is not allowed' });
    } else {
      out.push({ path, message: humanMessage(issue) });
    }
  }
  return out;
}

/** zod issues → `{ path, message }[]` with paths like `criteria[2].criteria[0].value`. */
export function formatZodIssues(error: { issues: readonly Issue[] }, prefix = ''): ErrorDetail[] {
  const out: ErrorDetail[] = plainIssues(error.issues).map((i) => ({ path: formatPath(i.path, prefix), message: i.message }));
  const seen = new Set<string>();
  return out.filter((d) => {
    const key = `${d.path}\u0000${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Builds the ValidationError for a list of details (message = the first as "path: message"). */
export function validationError(details: ErrorDetail[]): ValidationError {
  const first = details[0];
  const message = first ? (first.path ? `${first.path}: ${first.message}` : first.message) : 'invalid input';
  return new ValidationError(message, details);
}

/** Parses `input` with `schema` or throws a ValidationError whose details use API paths. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw validationError(formatZodIssues(result.error, prefix));
}
