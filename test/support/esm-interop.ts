/**
 * Import FIRST in tests that build the app. Two ESM-only transitive packages cannot be required inside
 * Jest's module sandbox on Node 20 (the real runtime loads them fine with require(esm)):
 * - `cookie` — light-my-request (fastify.inject) uses it only when a test passes `cookies` to inject;
 * - `content-disposition` — @fastify/static (swagger-ui assets) uses it only for file downloads.
 * Neither path is exercised by our tests, so both are replaced with stubs that throw if ever called.
 */
const unavailable = (what: string) => () => {
  throw new Error(`${what} is stubbed in tests (test/support/esm-interop.ts)`);
};
jest.mock('cookie', () => ({ stringifySetCookie: unavailable('cookie.stringifySetCookie'), parse: unavailable('cookie.parse') }));
jest.mock('content-disposition', () => ({ create: unavailable('content-disposition.create'), parse: unavailable('content-disposition.parse') }));

export {};
