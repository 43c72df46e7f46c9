// Lint: typescript-eslint recommended, plus the house rule that keeps SDKs in their adapters.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const sdkOnlyInAdapters = {
  'no-restricted-imports': ['error', {
    patterns: [
      { group: ['@aws-sdk/*'], message: '@aws-sdk is imported only in lambdas/adapters/aws and lambdas/composition (ARCHITECTURE.md rule 3).' },
      { group: ['@duckdb/*'], message: '@duckdb is imported only in lambdas/adapters/local and lambdas/composition (ARCHITECTURE.md rule 3).' },
    ],
  }],
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
      'no-restricted-syntax': ['error', {
        selector: "ImportDeclaration[source.value='zod'] > ImportSpecifier[imported.name='z']",
        message: "Use `import * as z from 'zod'`: the named `z` export defeats tree-shaking and doubles every Lambda bundle.",
      }],
    },
  },
  { files: ['lambdas/adapters/aws/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['@duckdb/*'], message: 'DuckDB belongs to the local adapters.' }] }] } },
  {
    files: ['lambdas/adapters/local/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@aws-sdk/*'], message: 'local adapters use no AWS SDK except through composition.' },
            { group: ['../aws/*', '**/adapters/aws/*'], message: 'local adapters never import from adapters/aws; what both worlds share lives outside both (adapters/dynamo).' },
          ],
        },
      ],
    },
  },
  { files: ['lambdas/adapters/dynamo/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['@duckdb/*', '../aws/*', '../local/*'], message: 'the DynamoDB helpers serve both worlds: no DuckDB, no world-specific adapter.' }] }] } },
  { files: ['web/**/*.ts', 'web/**/*.tsx'], rules: sdkOnlyInAdapters },
);
