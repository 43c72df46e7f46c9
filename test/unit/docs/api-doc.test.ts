/**
 * docs/api.md, the API reference customers read, in step with docs/openapi.json: one section
 * headed exactly "### `METHOD /path`" per operation and none for anything else, each naming the
 * operation's auth ("**Auth:** merchant token" / "app key") and listing exactly its response statuses
 * as table rows ("| 200 | …"). Routes the text mentions in code spans are served (an operation or a
 * local-only route), except in "Not implemented yet", where they must NOT be served.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LOCAL_ROUTES } from '../../../lambdas/handlers/local';
import { ROUTES, routeKey } from '../../../lambdas/domain/http/routes';
import { codeSpans, headings, proseLines, sectionLines, sectionRange, type Heading } from './markdown';

const ROOT = path.join(__dirname, '../../..');
const API_MD = 'docs/api.md';
const text = fs.readFileSync(path.join(ROOT, API_MD), 'utf8');
const openapi = JSON.parse(fs.readFileSync(path.join(ROOT, 'docs/openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, { responses: Record<string, unknown>; security: Record<string, string[]>[] }>>;
};

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
const METHOD = '(GET|PUT|POST|DELETE|PATCH|HEAD|OPTIONS|TRACE)';
/** The one form an operation heading takes. */
const OPERATION_HEADING = new RegExp(`^\`${METHOD} (/\\S*)\`$`);
/** Anything that looks like "METHOD /path" (to catch headings in another form). */
const LOOKS_LIKE_ROUTE = new RegExp(`\\b${METHOD}\\s+/`);
/** A route in a code span: `GET /v1/segments/{id}`, `GET /local/outbox?campaignId=ID`. */
const ROUTE_SPAN = new RegExp(`^${METHOD} (/[^\\s?]*)(\\?\\S*)?$`);
const NOT_IMPLEMENTED = 'Not implemented yet';

interface Operation {
  key: string;
  statuses: string[];
  auth: 'merchant token' | 'app key' | 'none';
}

const operations = new Map<string, Operation>(
  Object.entries(openapi.paths).flatMap(([p, item]) =>
    Object.entries(item)
      .filter(([m]) => HTTP_METHODS.includes(m))
      .map(([m, op]): [string, Operation] => {
        const key = `${m.toUpperCase()} ${p}`;
        const schemes = op.security.flatMap((s) => Object.keys(s));
        const auth = schemes.includes('merchantJwt') ? 'merchant token' : schemes.includes('appKey') ? 'app key' : 'none';
        return [key, { key, statuses: Object.keys(op.responses).sort(), auth }];
      }),
  ),
);

const allHeadings = headings(text);
const operationHeadings = allHeadings.flatMap((h) => {
  const m = OPERATION_HEADING.exec(h.text);
  return h.level === 3 && m ? [{ key: `${m[1]} ${m[2]}`, heading: h }] : [];
});
const documentedKeys = operationHeadings.map((o) => o.key);

const sorted = (xs: Iterable<string>) => [...xs].sort();
const where = (h: Heading) => `${API_MD}:${h.line + 1}`;

/** The statuses of the section's response table: rows whose first cell is a three-digit code. */
function documentedStatuses(lines: string[]): string[] {
  return sorted(new Set(lines.flatMap((l) => /^\|\s*(\d{3})\s*\|/.exec(l)?.[1] ?? [])));
}

/** A route template (`/v1/segments/{id}`) as a regex that also takes a concrete path or the template itself. */
function matches(template: string, p: string): boolean {
  const re = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '[^/]+')}$`);
  return re.test(p);
}

function isOperation(method: string, p: string): boolean {
  return [...operations.values()].some((o) => {
    const [m, t] = o.key.split(' ');
    return m === method && (t === p || matches(t, p));
  });
}

function isLocalRoute(method: string, p: string): boolean {
  return LOCAL_ROUTES.some((r) => r.method === method && matches(r.path, p));
}

describe('docs/api.md documents exactly the operations of docs/openapi.json', () => {
  test('the OpenAPI document has operations to compare with', () => {
    expect(operations.size).toBeGreaterThan(20);
  });

  test('every heading that names a route has the fixed form "### `METHOD /path`"', () => {
    const malformed = allHeadings
      .filter((h) => LOOKS_LIKE_ROUTE.test(h.text) && !(h.level === 3 && OPERATION_HEADING.test(h.text)))
      .map((h) => `${where(h)}: "${'#'.repeat(h.level)} ${h.text}" (write it as "### \`METHOD /path\`")`);
    expect(malformed).toEqual([]);
  });

  test('every operation of docs/openapi.json has a section', () => {
    const missing = sorted(operations.keys())
      .filter((k) => !documentedKeys.includes(k))
      .map((k) => `${k}: add a section headed "### \`${k}\`" to ${API_MD}`);
    expect(missing).toEqual([]);
  });

  test('every section is an operation of docs/openapi.json (nothing unserved is documented as served)', () => {
    const extra = operationHeadings
      .filter((o) => !operations.has(o.key))
      .map((o) => `${where(o.heading)}: ${o.key} is not an operation of docs/openapi.json (list it under "${NOT_IMPLEMENTED}" instead)`);
    expect(extra).toEqual([]);
  });

  test('no operation has two sections', () => {
    const twice = documentedKeys.filter((k, i) => documentedKeys.indexOf(k) !== i);
    expect(twice).toEqual([]);
  });

  test('the sections are the routes of ROUTES (lambdas/domain/http/routes.ts)', () => {
    expect(sorted(documentedKeys)).toEqual(sorted(ROUTES.map(routeKey)));
  });
});

describe('each operation section', () => {
  const cases = operationHeadings.filter((o) => operations.has(o.key)).map((o) => [o.key, o] as const);

  test.each(cases)('%s lists exactly the response statuses of the OpenAPI document', (key, { heading }) => {
    const expected = operations.get(key)!.statuses;
    const documented = documentedStatuses(sectionLines(text, heading));
    const missing = expected.filter((s) => !documented.includes(s));
    const extra = documented.filter((s) => !expected.includes(s));
    expect({ key, missing, extra }).toEqual({ key, missing: [], extra: [] });
  });

  test.each(cases)('%s names its auth as the OpenAPI document does', (key, { heading }) => {
    const lines = sectionLines(text, heading)
      .map((l) => /^\*\*Auth:\*\*\s*(merchant token|app key|none)\.?\s*$/.exec(l.trim())?.[1])
      .filter((a): a is string => a !== undefined);
    expect({ key, auth: lines }).toEqual({ key, auth: [operations.get(key)!.auth] });
  });
});

describe('routes mentioned in the text', () => {
  const notImplemented = allHeadings.find((h) => h.level === 2 && h.text === NOT_IMPLEMENTED);
  const [from, to] = notImplemented ? sectionRange(text, notImplemented) : [0, 0];
  const lines = proseLines(text);
  const notImplementedLines = lines.slice(from, to);
  const served = lines.filter((_l, i) => i < from || i >= to);

  const routesIn = (ls: string[]) =>
    codeSpans(ls).flatMap((span) => {
      const m = ROUTE_SPAN.exec(span);
      return m ? [{ span, method: m[1], path: m[2] }] : [];
    });

  test(`there is a "## ${NOT_IMPLEMENTED}" section`, () => {
    expect(notImplemented).toBeDefined();
  });

  test('outside "Not implemented yet", every route mentioned is served (an operation, or a local-only route)', () => {
    const mentioned = routesIn(served);
    expect(mentioned.length).toBeGreaterThan(10);
    const unserved = mentioned.filter((r) => !isOperation(r.method, r.path) && !isLocalRoute(r.method, r.path)).map((r) => `\`${r.span}\``);
    expect(unserved).toEqual([]);
  });

  test('every route listed under "Not implemented yet" is indeed not served (else document it as an operation)', () => {
    // (The section may name no route at all: what is left there is fields and behaviours, not endpoints.)
    const listed = routesIn(notImplementedLines);
    const servedNow = listed.filter((r) => isOperation(r.method, r.path) || isLocalRoute(r.method, r.path)).map((r) => `\`${r.span}\``);
    expect(servedNow).toEqual([]);
  });

  test('every local-only route is described', () => {
    const mentioned = routesIn(served);
    const missing = LOCAL_ROUTES.filter((r) => !mentioned.some((m) => m.method === r.method && matches(r.path, m.path))).map(
      (r) => `${r.method} ${r.path}`,
    );
    expect(missing).toEqual([]);
  });
});
