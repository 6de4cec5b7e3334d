/** Tests are transpiled by swc without type-checking; `tsc --noEmit` checks types as its own step. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  testTimeout: 30000,
  // The default (cores - 1) is one worker on the 2-core machines this runs on; most suites wait on child processes.
  maxWorkers: 2,
};
