/**
 * The UI takes the API's shapes and the composer's rules from the server's own modules: its types
 * are type-only imports of lambdas/ (erased by esbuild, so no server code or zod reaches the
 * bundle), and the one value import is the zod-free message-length module the schemas use too.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkCatalog } from '../../../web/src/api/catalog';
import type { Catalog, Estimate, Explanation, Insights } from '../../../web/src/api/types';
import { graphemeLength as serverGraphemeLength, messageWarnings, TITLE_WARN_LENGTH } from '../../../lambdas/domain/campaigns/message';
import { graphemeLength, TITLE_MAX_LENGTH } from '../../../lambdas/domain/campaigns/message-length';
import { SEGMENT_FILTER_CATALOG } from '../../../lambdas/domain/segments/catalog';

const ROOT = path.resolve(__dirname, '../../..');
const WEB = path.join(ROOT, 'web/src');
/** Server modules the UI may import values from: small, pure, importing nothing. */
const VALUE_IMPORTS_ALLOWED = [
  'lambdas/domain/campaigns/message-length',
  'lambdas/domain/automations/trigger-words',
  // Variants and a control group: the limits, the id rule and the one-message arm's id.
  'lambdas/domain/campaigns/arms',
];

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : /\.tsx?$/.test(e.name) ? [p] : [];
  });
}

/** Every `import … from '…'` statement of a file (multi-line ones included). */
function imports(file: string): { statement: string; target: string }[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)';/gms)].map((m) => ({ statement: m[0], target: m[1] }));
}

describe('web/src and the server', () => {
  it('imports from lambdas/ only types, except the allowed pure modules', () => {
    const offending: string[] = [];
    let typeImports = 0;
    for (const file of sources(WEB)) {
      for (const { statement, target } of imports(file)) {
        if (!target.startsWith('.')) continue;
        const resolved = path.relative(ROOT, path.resolve(path.dirname(file), target));
        if (!resolved.startsWith('lambdas/')) continue;
        if (/^(import|export) type\s/.test(statement)) typeImports++;
        else if (!VALUE_IMPORTS_ALLOWED.includes(resolved)) offending.push(`${path.relative(ROOT, file)}: ${target}`);
      }
    }
    expect(offending).toEqual([]);
    expect(typeImports).toBeGreaterThan(5);
  });

  it('keeps the value-imported modules free of imports (zod would otherwise land in the bundle)', () => {
    for (const mod of VALUE_IMPORTS_ALLOWED) {
      expect(imports(path.join(ROOT, `${mod}.ts`))).toEqual([]);
    }
  });

  it('has no hand-written API shape left in types.ts', () => {
    const text = fs.readFileSync(path.join(WEB, 'api/types.ts'), 'utf8');
    expect(text).not.toMatch(/^export (interface|type \w+ =\s*[{'])/m);
  });

  it('counts characters as the server does', () => {
    expect(graphemeLength).toBe(serverGraphemeLength);
    for (const s of ['🎉 Sale', '👨‍👩‍👧‍👦', '🇫🇷', 'e\u0301']) expect(graphemeLength(s)).toBe(serverGraphemeLength(s));
    expect(messageWarnings({ title: 'x'.repeat(TITLE_WARN_LENGTH + 1), body: 'b' })[0]?.limit).toBe(TITLE_WARN_LENGTH);
    expect(TITLE_MAX_LENGTH).toBe(200);
  });
});

describe('checkCatalog', () => {
  it('passes the server’s catalog through untouched', () => {
    const body = JSON.parse(JSON.stringify(SEGMENT_FILTER_CATALOG)) as Catalog;
    expect(checkCatalog(body)).toBe(body);
  });

  it('fails loudly on an answer of another shape instead of defaulting', () => {
    expect(() => checkCatalog({ items: [] } as unknown as Catalog)).toThrow(/unexpected shape/);
    expect(() => checkCatalog(null as unknown as Catalog)).toThrow(/unexpected shape/);
  });
});

// Compile-time: fields the hand copy had lost are part of the types now.
const explanation: Pick<Explanation, 'segmentId' | 'deviceId' | 'asOf'> | null = null;
const insights: Pick<Insights, 'campaignId' | 'asOf'> | null = null;
const running: Extract<Estimate, { status: 'running' }>['id'] | null = null;
void [explanation, insights, running];
