/**
 * The layering rule of eslint.config.mjs (ARCHITECTURE.md layout) catches imports against the
 * grain: ESLint's own API lints a few one-line sources as if they sat in each layer. It runs in a
 * child process because the flat config is an ES module.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

/** [file it pretends to be, import it holds, whether the layer rule must refuse it] */
const CASES: [string, string, boolean][] = [
  ['lambdas/domain/segments/x.ts', "import type { SqlQuery } from '../../ports/query-engine';", true],
  ['lambdas/domain/openapi/x.ts', "import { ROUTES } from '../../handlers/routes';", true],
  ['lambdas/domain/x.ts', "import { ENV } from '../config/env';", true],
  ['lambdas/domain/segments/x.ts', "import type { SqlQuery } from '../sql';", false],
  ['lambdas/ports/x.ts', "import type { A } from '../adapters/local/outbox-push-gateway';", true],
  ['lambdas/ports/x.ts', "import type { SqlQuery } from '../domain/sql';", false],
  ['lambdas/use-cases/segments/x.ts', "import { parseIfMatch } from '../../handlers/http/params';", true],
  ['lambdas/use-cases/segments/x.ts', "import type { A } from '../../adapters/dynamo/table';", true],
  ['lambdas/use-cases/segments/x.ts', "import type { Clock } from '../../ports/clock';", false],
  ['lambdas/handlers/x.ts', "import type { A } from '../adapters/local/outbox-push-gateway';", true],
  ['lambdas/handlers/x.ts', "import { a } from '../composition/local';", true],
  ['lambdas/handlers/x.ts', "import type { Clock } from '../ports/clock';", false],
  ['lambdas/adapters/local/x.ts', "import { a } from '../aws/sns-push-gateway';", true],
  ['lambdas/adapters/dynamo/x.ts', "import { a } from '../aws/sns-push-gateway';", true],
  ['lambdas/adapters/aws/x.ts', "import { a } from '../../use-cases/segments/run-query';", true],
  ['lambdas/adapters/local/x.ts', "import { a } from '../dynamo/table';", false],
  ['lib/constructs/x.ts', "import { a } from '../../lambdas/handlers/maintenance';", true],
  ['lib/constructs/x.ts', "import { ENV } from '../../lambdas/config/env';", false],
];

const SCRIPT = `
import { ESLint } from 'eslint';
const cases = JSON.parse(process.argv[1]);
const eslint = new ESLint();
const out = [];
for (const [filePath, line] of cases) {
  const [result] = await eslint.lintText(line + '\\nexport const used = 1;\\n', { filePath });
  out.push(result.messages.some((m) => m.ruleId === 'no-restricted-imports'));
}
console.log(JSON.stringify(out));
`;

test('imports against ARCHITECTURE.md layers are lint errors; allowed ones are not', () => {
  const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', SCRIPT, JSON.stringify(CASES)], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  const refused: boolean[] = JSON.parse(stdout);
  expect(CASES.map(([file, line], i) => [file, line, refused[i]])).toEqual(CASES);
}, 60_000);
