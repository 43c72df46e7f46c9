/**
 * Lints an OpenAPI document with Redocly's `recommended` ruleset and prints the problems as JSON.
 * @redocly/openapi-core is ESM-only, so redocly-lint.test.ts runs this file with `node` in a child
 * process rather than through Jest's CommonJS transform. Usage: node redocly-lint.mjs <file>
 */
import { readFileSync } from 'node:fs';
import { createConfig, lintFromString } from '@redocly/openapi-core';

const file = process.argv[2];
if (!file) throw new Error('usage: node redocly-lint.mjs <openapi.json>');
const config = await createConfig({ extends: ['recommended'] });
const problems = await lintFromString({ source: readFileSync(file, 'utf8'), absoluteRef: file, config });
const out = problems.map((p) => ({
  ruleId: p.ruleId,
  severity: p.severity,
  message: p.message,
  pointer: p.location?.[0]?.pointer ?? null,
}));
process.stdout.write(`${JSON.stringify(out)}\n`);
