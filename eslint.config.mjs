// Lint: typescript-eslint recommended, plus the house rules that keep SDKs in their adapters and
// imports pointing the way ARCHITECTURE.md's layers allow (domain ← ports ← use cases ← handlers;
// adapters implement ports; only the composition root sees everything).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const AWS_SDK = {
  group: ['@aws-sdk/*'],
  message: '@aws-sdk is imported only in lambdas/adapters/aws and lambdas/composition (ARCHITECTURE.md rule 3).',
};
const DUCKDB = {
  group: ['@duckdb/*'],
  message: '@duckdb is imported only in lambdas/adapters/local and lambdas/composition (ARCHITECTURE.md rule 3).',
};

/** One no-restricted-imports setting (a later block's setting replaces an earlier one, so each block lists all its patterns). */
const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });
/** Forbid imports from these layers of lambdas/ (relative or not, `import type` included). */
const notFrom = (layers, message) => ({ group: layers.flatMap((l) => [`**/${l}`, `**/${l}/**`]), message });

const sdkOnlyInAdapters = restrict(AWS_SDK, DUCKDB);
const NOT_AWS_ADAPTERS = {
  group: ['../aws', '../aws/**', '**/adapters/aws', '**/adapters/aws/**'],
  message:
    'adapters/local and adapters/dynamo never import from adapters/aws; what both worlds share lives outside both (ARCHITECTURE.md rule 3).',
};
const LAYERS = {
  domain: notFrom(
    ['ports', 'use-cases', 'adapters', 'handlers', 'composition', 'config', 'logging'],
    'lambdas/domain imports only domain: pure rules, no I/O, no env (ARCHITECTURE.md layout). Move shared shapes into the domain.',
  ),
  ports: notFrom(
    ['use-cases', 'adapters', 'handlers', 'composition', 'logging'],
    "lambdas/ports speak the domain's words: they import the domain (and config's plain names) only.",
  ),
  useCases: notFrom(
    ['adapters', 'handlers', 'composition'],
    'use cases take their dependencies typed by ports (ARCHITECTURE.md rule 2); HTTP belongs to handlers, adapters to the composition root.',
  ),
  adapters: notFrom(
    ['use-cases', 'handlers', 'composition'],
    "adapters implement ports with the domain's types; they never call use cases, handlers or the composition root.",
  ),
  handlers: notFrom(
    ['adapters', 'composition'],
    'handlers get adapters injected by lambdas/composition; they import use cases, domain, ports, config and logging only.',
  ),
  config: notFrom(
    ['ports', 'use-cases', 'adapters', 'handlers', 'composition', 'logging'],
    'lambdas/config is plain data that lib/ imports too: it depends on no layer of the service.',
  ),
  logging: notFrom(
    ['domain', 'ports', 'use-cases', 'adapters', 'handlers', 'composition', 'config'],
    'lambdas/logging is the one structured logger every layer but the domain may use: it imports none of them.',
  ),
  lib: notFrom(
    ['lambdas/use-cases', 'lambdas/adapters', 'lambdas/handlers', 'lambdas/composition', 'lambdas/logging'],
    'lib/ (CDK) imports only lambdas/config and plain shared data (domain, port constants).',
  ),
};

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.data/', 'web/dist/', 'coverage/', 'test-output/', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  { files: ['lambdas/**/*.ts'], ignores: ['lambdas/adapters/**', 'lambdas/composition/**'], rules: sdkOnlyInAdapters },
  {
    files: ['lambdas/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value='zod'] > ImportSpecifier[imported.name='z']",
          message: "Use `import * as z from 'zod'`: the named `z` export defeats tree-shaking and doubles every Lambda bundle.",
        },
      ],
    },
  },
  // Layers (ARCHITECTURE.md layout): each block repeats the SDK patterns its directory needs.
  { files: ['lambdas/domain/**/*.ts'], rules: restrict(AWS_SDK, DUCKDB, LAYERS.domain) },
  { files: ['lambdas/ports/**/*.ts'], rules: restrict(AWS_SDK, DUCKDB, LAYERS.ports) },
  { files: ['lambdas/use-cases/**/*.ts'], rules: restrict(AWS_SDK, DUCKDB, LAYERS.useCases) },
  { files: ['lambdas/handlers/**/*.ts'], rules: restrict(AWS_SDK, DUCKDB, LAYERS.handlers) },
  { files: ['lambdas/config/**/*.ts'], rules: restrict(AWS_SDK, DUCKDB, LAYERS.config) },
  { files: ['lambdas/logging/**/*.ts'], rules: restrict(AWS_SDK, DUCKDB, LAYERS.logging) },
  {
    files: ['lambdas/adapters/aws/**/*.ts'],
    rules: restrict({ group: ['@duckdb/*'], message: 'DuckDB belongs to the local adapters.' }, LAYERS.adapters),
  },
  {
    files: ['lambdas/adapters/local/**/*.ts'],
    rules: restrict(
      { group: ['@aws-sdk/*'], message: 'local adapters use no AWS SDK except through composition.' },
      NOT_AWS_ADAPTERS,
      LAYERS.adapters,
    ),
  },
  {
    files: ['lambdas/adapters/dynamo/**/*.ts'],
    rules: restrict(
      {
        group: ['@duckdb/*', '../local', '../local/**'],
        message: 'the DynamoDB helpers serve both worlds: no DuckDB, no world-specific adapter.',
      },
      NOT_AWS_ADAPTERS,
      LAYERS.adapters,
    ),
  },
  { files: ['lib/**/*.ts'], rules: restrict(LAYERS.lib) },
  { files: ['web/**/*.ts', 'web/**/*.tsx'], rules: sdkOnlyInAdapters },
);
