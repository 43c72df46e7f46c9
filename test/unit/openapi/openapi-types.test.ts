/**
 * test/types/openapi.d.ts (the openapi-typescript client types that test/types/openapi-client.check.ts
 * type-checks against) is what scripts/openapi-types.ts generates from the current document.
 * openapi-typescript pulls in ESM-only modules, so the script runs in a child process (tsx).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '../../..');
const TYPES_FILE = path.join(ROOT, 'test/types/openapi.d.ts');

const fresh = execFileSync(process.execPath, [require.resolve('tsx/cli'), path.join(ROOT, 'scripts/openapi-types.ts')], {
  cwd: ROOT,
  encoding: 'utf8',
  timeout: 120_000,
});

test('test/types/openapi.d.ts is in step with the document (run `npm run openapi:types`)', () => {
  expect(fresh).toMatch(/TotalSpendCondition/);
  expect(fs.readFileSync(TYPES_FILE, 'utf8')).toBe(fresh);
});

test('each condition type names its own filter’s operators (what the compile-time check relies on)', () => {
  const block = (name: string) => {
    const start = fresh.indexOf(`    ${name}: {`);
    return fresh.slice(start, fresh.indexOf('\n    };', start));
  };
  expect(block('DeviceCountryCondition')).toMatch(/operator: 'in' \| 'not_in';/);
  expect(block('TotalSpendCondition')).toMatch(/operator: 'between';\s+\/\*\*[^*]*\*\/\s+value: \[number, number\];/);
  expect(block('TotalSpendCondition')).not.toMatch(/'in'/);
});
