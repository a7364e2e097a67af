/** Jest: TypeScript via SWC (fast transpile); `npm test` type-checks with tsc first. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
    // cookie@2 (used by fastify.inject via light-my-request) ships ESM only; Node loads it with
    // require(esm), Jest's loader cannot — so transpile just that package to CommonJS for the tests.
    '^.+/node_modules/cookie/.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!cookie/)'],
  // Two cores in CI: run test files in parallel on both, never more.
  maxWorkers: 2,
  testTimeout: 20000,
  // every app log line of the suite goes to test-output/logs/; the teardown fails the run on a leak
  globalSetup: '<rootDir>/test/support/log-scan-setup.ts',
  globalTeardown: '<rootDir>/test/support/log-scan-teardown.ts',
};
