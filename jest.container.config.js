/**
 * Jest for `npm run test:container` (docker/local/test-container.sh builds the images first): the image and
 * the compose stack driven through testcontainers. One file at a time — each starts real containers.
 */
const base = require('./jest.config');

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/container'],
  testMatch: ['**/*.test.ts'],
  transform: base.transform,
  maxWorkers: 1,
  testTimeout: 120000,
};
