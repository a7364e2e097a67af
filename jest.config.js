/** Jest: TypeScript via SWC (fast transpile); `npm test` type-checks with tsc first. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  // Two cores in CI: run test files in parallel on both, never more.
  maxWorkers: 2,
  testTimeout: 20000,
};
