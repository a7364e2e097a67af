/** Jest: TypeScript via SWC (fast transpile); `npm test` type-checks with tsc first. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // the image and compose tests need a Docker engine: `npm run test:container` (jest.container.config.js)
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/container/'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  // Two cores in CI: run test files in parallel on both, never more.
  maxWorkers: 2,
  testTimeout: 20000,
  // every app log line of the suite goes to test-output/logs/; the teardown fails the run on a leak.
  // With Docker and the local PostgreSQL image, the store tests get a PostgreSQL container.
  globalSetup: '<rootDir>/test/support/log-scan-setup.ts',
  globalTeardown: '<rootDir>/test/support/log-scan-teardown.ts',
};
