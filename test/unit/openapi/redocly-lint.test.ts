/**
 * Redocly lint (`recommended` ruleset) of docs/openapi.json: 0 errors. The linter is ESM-only, so it
 * runs in a child `node` process (redocly-lint.mjs) and reports its problems as JSON. Warnings are
 * allowed; the ones left are listed, so a new kind shows up in review.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

interface Problem {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  pointer: string | null;
}

const ROOT = path.join(__dirname, '../../..');
const SCRIPT = path.join(__dirname, 'redocly-lint.mjs');

function lint(file: string): Problem[] {
  const out = execFileSync(process.execPath, [SCRIPT, file], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return JSON.parse(out) as Problem[];
}

const describeProblem = (p: Problem) => `${p.severity} ${p.ruleId} at ${p.pointer}: ${p.message}`;

/** Warnings accepted on purpose (see the report of issue 15 item 8). */
const ACCEPTED_WARNINGS = [
  // Proprietary: no SPDX identifier applies and there is no public licence page to link to.
  'info-license-strict',
  // SegmentDefinition documents the tree shared by SegmentInput and EstimateRequest; no operation names it directly.
  'no-unused-components',
];

describe('Redocly lint of docs/openapi.json (recommended)', () => {
  const problems = lint(path.join(ROOT, 'docs/openapi.json'));

  test('0 errors', () => {
    expect(problems.filter((p) => p.severity === 'error').map(describeProblem)).toEqual([]);
  });

  test('only the accepted warnings', () => {
    expect(problems.filter((p) => !ACCEPTED_WARNINGS.includes(p.ruleId)).map(describeProblem)).toEqual([]);
  });

  test('the lint can fail: a broken document has errors, and unaccepted warnings', () => {
    const doc = JSON.parse(fs.readFileSync(path.join(ROOT, 'docs/openapi.json'), 'utf8'));
    const post = doc.paths['/v1/segments'].post;
    post.responses = {};
    post.requestBody.content['application/json'].example.criteria = [{ filter: 'total_spend', operator: 'in', value: ['US'] }];
    doc.components.schemas.Segment.properties.id = { $ref: '#/components/schemas/Nope' };
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'redocly-')), 'openapi.json');
    fs.writeFileSync(file, JSON.stringify(doc));
    const found = lint(file);
    expect(found.filter((p) => p.severity === 'error').map((p) => p.ruleId)).toEqual(['no-unresolved-refs']);
    expect(found.filter((p) => !ACCEPTED_WARNINGS.includes(p.ruleId)).map((p) => p.ruleId)).toEqual(
      expect.arrayContaining(['no-invalid-media-type-examples', 'operation-2xx-response']),
    );
  });
});
