/** Jest: TypeScript via SWC (fast transpile); `npm test` type-checks with tsc first. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  // Two cores in CI: run test files in parallel on both, never more.
  maxWorkers: 2,
  testTimeout: 20000,
  // every app log line of the suite goes to test-output/logs/; the teardown fails the run on a leak
  globalSetup: '<rootDir>/test/support/log-scan-setup.ts',
  globalTeardown: '<rootDir>/test/support/log-scan-teardown.ts',
};
