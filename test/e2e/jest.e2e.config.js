/** Jest for the browser tests (test/e2e/*.e2e.ts): real local world + Debian's Chromium via playwright-core. */
const { existsSync } = require('node:fs');

// Browser tests need Debian's Chromium (`apt-get install -y chromium`; .ci/run installs it). On a machine
// without it they are skipped with a notice, except in CI, where a missing browser is a failure.
const hasChromium = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/lib/chromium/chromium'].some((p) => p && existsSync(p));
const run = hasChromium || process.env.CI === 'true';
if (!run) console.warn('browser tests skipped: Chromium is not installed (apt-get install -y chromium)');

module.exports = {
  passWithNoTests: !run,
  rootDir: '../..',
  testEnvironment: 'node',
  roots: ['<rootDir>/test/e2e'],
  testMatch: run ? ['**/*.e2e.ts'] : ['**/no-browser-tests-without-chromium'],
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      { jsc: { target: 'es2022', parser: { syntax: 'typescript', tsx: true } }, module: { type: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!(@middy|p-limit|yocto-queue|jose)/)'],
  testTimeout: 120000,
  maxWorkers: 1,
};
