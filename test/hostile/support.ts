/**
 * Shared pieces of the hostile suites: the run budget, hostile value generators, raw requests
 * (bytes the fetch client would normalise away), the API.md error-body check and a snapshot of
 * everything a tenant has stored, to prove a rejected request changed nothing.
 */
import http from 'node:http';
import fc from 'fast-check';
import type { ApiResponse, Caller, TestWorld } from '../integration/harness';

/** fast-check runs per property: small inside `npm test`, larger with HOSTILE_RUNS=n. */
export const RUNS = Number(process.env.HOSTILE_RUNS ?? 40);
/** Generated strings grow up to this many characters (~100 KB) outside the quick budget. */
export const HUGE = process.env.HOSTILE_RUNS ? 100_000 : 30_000;

export function fcOptions(runs = RUNS): fc.Parameters<unknown> {
  return { numRuns: runs, endOnFailure: true, ...(process.env.HOSTILE_SEED ? { seed: Number(process.env.HOSTILE_SEED) } : {}) };
}

/** Fails unless `res` is a 4xx with exactly the API.md error body ({ error: { code, message, details? } }). */
export function expectClientError(res: ApiResponse, allowed: number[] = []): void {
  const where = `→ ${res.status} ${JSON.stringify(res.body)?.slice(0, 300)}`;
  if (res.status < 400 || res.status >= 500 || (allowed.length > 0 && !allowed.includes(res.status))) {
    throw new Error(`expected a 4xx${allowed.length ? ` (${allowed.join('/')})` : ''} ${where}`);
  }
  const body = res.body as { error?: Record<string, unknown> } | undefined;
  const err = body?.error;
  const keysOk = body && typeof body === 'object' && Object.keys(body).length === 1;
  if (!keysOk || !err || typeof err.code !== 'string' || typeof err.message !== 'string' || err.code === 'internal_error') {
    throw new Error(`not an API.md error body ${where}`);
  }
  if (err.details !== undefined) {
    const ok =
      Array.isArray(err.details) && err.details.every((d: any) => d && typeof d.path === 'string' && typeof d.message === 'string');
    if (!ok) throw new Error(`error.details is not [{ path, message }] ${where}`);
  }
}

/** Everything a tenant has stored, read straight from the stores and the lake. */
export async function snapshot(t: TestWorld, tenantId: string): Promise<string> {
  const deps = t.world.deps;
  const [segments, campaigns, settings, devices, events] = await Promise.all([
    deps.segments.listAll(tenantId),
    deps.campaigns.listAll(tenantId),
    deps.settings.get(tenantId),
    t.lakeRows('devices', tenantId),
    t.lakeRows('events', tenantId),
  ]);
  const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
  return JSON.stringify({ segments: [...segments].sort(byId), campaigns: [...campaigns].sort(byId), settings, devices, events });
}

/** Runs `body` and fails if the tenant's stored state differs afterwards. */
export async function expectNoChange(t: TestWorld, tenantId: string, body: () => Promise<void>): Promise<void> {
  const before = await snapshot(t, tenantId);
  await body();
  expect(await snapshot(t, tenantId)).toBe(before);
}

/** A request with a raw path and raw body bytes (no URL normalisation, no re-encoding). */
export function rawRequest(
  t: TestWorld,
  method: string,
  rawPath: string,
  opts: { caller?: Caller; auth?: 'token' | 'appKey'; body?: string | Buffer; headers?: Record<string, string> } = {},
): Promise<ApiResponse> {
  const url = new URL(t.url);
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.caller && opts.auth !== 'appKey') headers.authorization = `Bearer ${opts.caller.token}`;
  if (opts.caller && opts.auth === 'appKey') headers['x-app-key'] = opts.caller.appKey;
  if (opts.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    headers['content-length'] = String(Buffer.byteLength(opts.body));
  }
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method, path: rawPath, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          // keep the text
        }
        resolve({ status: res.statusCode ?? 0, body: parsed, headers: new Headers(res.headers as Record<string, string>) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** A JSON object that has `key` as an own property (object literals would set the prototype instead). */
export function withOwnKey<T extends object>(obj: T, key: string, value: unknown): T {
  const out = JSON.parse(JSON.stringify(obj));
  Object.defineProperty(out, key, { value, enumerable: true, configurable: true, writable: true });
  return out;
}

// ---------------------------------------------------------------- hostile values

export const SQL_INJECTIONS = [
  "' OR '1'='1",
  "'; DROP TABLE events; --",
  "x' UNION SELECT device_id FROM devices --",
  '" OR ""="',
  "1; SELECT * FROM read_csv('/etc/passwd')",
  "') OR 1=1 /*",
  "\\'; COPY events TO '/tmp/x'; --",
  "$1' || chr(39) || '",
  '%27%20OR%201%3D1',
];

export const TRAVERSALS = [
  '..%2F..%2Fetc%2Fpasswd',
  '..%2f..%2f',
  '%2E%2E%2F%2E%2E%2F',
  '..%5C..%5Cwindows',
  '%252e%252e%252f',
  'a%2Fb',
  '%00',
  '%C0%AE%C0%AE%2F',
  '....%2F%2F',
];

export const NAN_LIKE = [
  'NaN',
  'Infinity',
  '-Infinity',
  '1e309',
  '-1e309',
  '0x10',
  '1e1',
  ' 5',
  '5 ',
  '5.0',
  '-0',
  '+1',
  '1_000',
  '',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
];

export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'];

const LONE_SURROGATES = ['\ud800', '\udfff', 'a\udc00b', '\ud83d', 'x\ude00'];

/**
 * A string of n code points (repeating a random seed), cheap to generate even at 100 KB. Code points,
 * not UTF-16 units: the server's length limits (zod's `max`, JSON Schema's `maxLength`) count code
 * points, so 201 units of astral characters would be only ~140 characters and rightly accepted.
 */
export const hugeString = (min = 1_000, max = HUGE) =>
  fc.tuple(fc.string({ minLength: 1, maxLength: 6, unit: 'grapheme' }), fc.integer({ min, max })).map(([seed, n]) => {
    const points = [...seed];
    return Array.from({ length: n }, (_, i) => points[i % points.length]).join('');
  });

/** `[[[...]]]` or `{"a":{"a":...}}` nested `depth` levels. */
export function deep(depth: number, kind: 'array' | 'object'): unknown {
  let v: unknown = kind === 'array' ? [] : {};
  for (let i = 0; i < depth; i++) v = kind === 'array' ? [v] : { a: v };
  return v;
}

/** Strings an attacker would try: injections, traversals, NaN look-alikes, control and odd Unicode, lone surrogates. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...SQL_INJECTIONS, ...TRAVERSALS, ...NAN_LIKE, ...PROTO_KEYS, ...LONE_SURROGATES),
  fc.constantFrom('\u0000', '\u202e', '\ufeff', '\r\n', '<script>alert(1)</script>', '${7*7}', '{{7*7}}', '🎉'.repeat(3)),
  fc.string({ maxLength: 40, unit: 'binary' }),
  hugeString(),
);

/** Any value of a JSON type, hostile ones weighted in (deep nesting, huge arrays, prototype keys). */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, -0, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 4294967296, [], {}),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
  fc.integer({ min: 1_000, max: 20_000 }).map((n) => Array.from({ length: n }, (_, i) => i)),
  fc.constantFrom(200, 1000).chain((d) => fc.constantFrom(deep(d, 'array'), deep(d, 'object'))),
  fc.constantFrom(...PROTO_KEYS).map((k) => withOwnKey({}, k, { polluted: true })),
);

/** A hostile value that is not a string (for fields that must be strings). */
export const nonString = hostileValue.filter((v) => typeof v !== 'string');
/** A hostile value that is not a boolean. */
export const nonBoolean = hostileValue.filter((v) => typeof v !== 'boolean');
/** A hostile value that is not a plain object. */
export const nonObject = hostileValue.filter((v) => v === null || typeof v !== 'object' || Array.isArray(v));
/** Extra keys no schema knows, prototype keys first among them. */
export const extraKey = fc.oneof(
  fc.constantFrom(...PROTO_KEYS, 'tenantId', 'tenant_id', 'admin', 'id', '$where'),
  fc.string({ minLength: 1, maxLength: 12 }).map((k) => `x_${k}`),
);

/** A mutation: a function from a (valid) body to a body that breaks at least one rule. */
export type Mutation = (body: Record<string, any>) => unknown;

/** Set `field` (a top-level key, or a path like message.title) to a value. */
export function setAt(body: any, field: string, value: unknown): any {
  const out = structuredCloneJson(body);
  if (out === null || typeof out !== 'object') return out; // already broken: the body is no object
  const parts = field.split('.');
  let at = out;
  for (const p of parts.slice(0, -1)) {
    if (at[p] === null || typeof at[p] !== 'object') at[p] = {};
    at = at[p];
  }
  Object.defineProperty(at, parts[parts.length - 1], { value, enumerable: true, configurable: true, writable: true });
  return out;
}

export function removeAt(body: any, field: string): any {
  const out = structuredCloneJson(body);
  const parts = field.split('.');
  let at = out;
  for (const p of parts.slice(0, -1)) at = at?.[p];
  if (at && typeof at === 'object') delete at[parts[parts.length - 1]];
  return out;
}

function structuredCloneJson(v: unknown): any {
  return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
}

/** Mutations that set `field` to one of `values`. */
export const setTo = (field: string, values: fc.Arbitrary<unknown>): fc.Arbitrary<Mutation> =>
  values.map((v) => (b: Record<string, any>) => setAt(b, field, v));
export const drop = (field: string): fc.Arbitrary<Mutation> => fc.constant((b: Record<string, any>) => removeAt(b, field));
export const addExtra = (where = ''): fc.Arbitrary<Mutation> =>
  fc.tuple(extraKey, hostileValue).map(([k, v]) =>
    markExtra((b: Record<string, any>) => {
      // An extra field must be one the body does not have: overwriting a real one (tenantId) with a
      // value that happens to be valid would make the body valid, and the property flaky.
      const target = where
        .split('.')
        .filter(Boolean)
        .reduce<any>((at, p) => at?.[p], b);
      const key = target && typeof target === 'object' && Object.prototype.hasOwnProperty.call(target, k) ? `x_${k}` : k;
      return setAt(b, where ? `${where}.${key}` : key, v);
    }),
  );

const EXTRA = Symbol('extra field');
function markExtra(m: Mutation): Mutation {
  return Object.assign(m, { [EXTRA]: true });
}
export const replaceBody: fc.Arbitrary<Mutation> = nonObject.map((v) => () => v);

/** A body built from `base` with 1–3 mutations applied (each one alone makes it invalid), as JSON text. */
export function brokenBody(
  base: Record<string, unknown> | fc.Arbitrary<Record<string, unknown>>,
  mutations: fc.Arbitrary<Mutation>[],
): fc.Arbitrary<string> {
  const baseArb = fc.constant(null).chain(() => (base instanceof fc.Arbitrary ? base : fc.constant(base)));
  return (
    fc
      .tuple(baseArb, fc.array(fc.oneof(...mutations), { minLength: 1, maxLength: 3 }))
      // Extra fields go in first: added after a drop, an extra `tenantId` would put back the very field the
      // drop removed, possibly with a valid value (a valid body, and a flaky property).
      .map(([b, ms]) => {
        const ordered = [...ms.filter((m) => EXTRA in m), ...ms.filter((m) => !(EXTRA in m))];
        return JSON.stringify(ordered.reduce<unknown>((acc, m) => m(acc as Record<string, any>), b)) ?? 'null';
      })
  );
}

/** Percent-encodes a path segment byte by byte (lone surrogates become U+FFFD, as any client would send them). */
export function encodeSegment(id: string): string {
  return [...Buffer.from(id, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}
