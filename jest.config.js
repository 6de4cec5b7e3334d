/** Tests are transpiled by swc without type-checking; `tsc --noEmit` checks types as its own step. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  testTimeout: 30000,
  // Hashes the sources once for the synth cache every worker shares (scripts/test/synth-cache.js).
  globalSetup: '<rootDir>/scripts/test/global-setup.js',
  // The default (cores - 1) is one worker on the 2-core machines this runs on; most suites wait on child processes.
  maxWorkers: 2,
  // A passing run prints its summary and nothing else: failures with their details, no PASS line per
  // suite, no console output of the code under test (--silent=false shows it), and one line naming
  // any suite skipped for a missing program (scripts/test/skipped-reporter.js).
  reporters: [['summary', { summaryThreshold: 0 }], '<rootDir>/scripts/test/skipped-reporter.js'],
  silent: true,
};
