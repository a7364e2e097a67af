/** Error shapes: every failure answers an ErrorBody with a catalogued code, never echoing input. */
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app';
import { testConfig } from '../support/config';
import { Errors } from '../../src/errors';
import { hookRequest } from '../support/fixtures';
import { schemaErrors } from '../support/response-schema';

const URL_ = '/cds-services/pgx-benefit-order-sign';
let app: FastifyInstance;
beforeAll(async () => {
  app = await buildApp(testConfig({ bodyLimitBytes: 64 * 1024 }));
});
afterAll(() => app.close());

const raw = (payload: string, contentType = 'application/json') =>
  app.inject({ method: 'POST', url: URL_, headers: { 'content-type': contentType }, payload });

function expectError(res: { statusCode: number; json: () => any; body: string }, code: keyof typeof Errors) {
  expect(res.statusCode).toBe(Errors[code].statusCode);
  const body = res.json();
  expect(body.code).toBe(code);
  expect(schemaErrors('error.schema.json', body)).toEqual([]);
  expect(res.body).not.toMatch(/at .*\.(ts|js):\d+/); // no stack trace
}

test('malformed JSON → 400 PBH_ERR_BAD_JSON without echoing the body', async () => {
  const res = await raw('{"hook": "order-sign", "context": {"patientId": "SECRET-PATIENT-42" ');
  expectError(res, 'PBH_ERR_BAD_JSON');
  expect(res.body).not.toContain('SECRET-PATIENT-42');
  expect(res.body).not.toMatch(/position|Unexpected/);
});

test('empty JSON body → 400 PBH_ERR_BAD_JSON', async () => {
  expectError(await raw(''), 'PBH_ERR_BAD_JSON');
});

test('nesting deeper than 64 levels → 400 PBH_ERR_JSON_TOO_DEEP (even when small)', async () => {
  expectError(await raw(`${'['.repeat(65)}${']'.repeat(65)}`), 'PBH_ERR_JSON_TOO_DEEP');
  // brackets inside strings do not count
  const fine = JSON.stringify({ ...hookRequest('order-sign'), note: '['.repeat(500) });
  expect((await raw(fine)).statusCode).toBe(200);
});

test('__proto__ and constructor.prototype keys → 400', async () => {
  const res = await raw('{"hook":"order-sign","__proto__":{"polluted":true}}');
  expect(res.statusCode).toBe(400);
  expect(res.json().code).toBe('PBH_ERR_VALIDATION');
  const res2 = await raw('{"constructor":{"prototype":{"polluted":true}}}');
  expect(res2.statusCode).toBe(400);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

test('body over the limit → 413 PBH_ERR_PAYLOAD_TOO_LARGE', async () => {
  expectError(await raw(JSON.stringify({ pad: 'x'.repeat(70 * 1024) })), 'PBH_ERR_PAYLOAD_TOO_LARGE');
});

test('wrong content type → 415 PBH_ERR_UNSUPPORTED_MEDIA_TYPE', async () => {
  expectError(await raw('hook=order-sign', 'application/x-www-form-urlencoded'), 'PBH_ERR_UNSUPPORTED_MEDIA_TYPE');
  expectError(await raw('{}', 'text/plain'), 'PBH_ERR_UNSUPPORTED_MEDIA_TYPE');
});

test('application/fhir+json is accepted as JSON', async () => {
  expect((await raw(JSON.stringify(hookRequest('order-sign')), 'application/fhir+json')).statusCode).toBe(200);
});

test('schema violations name the path, never the value', async () => {
  const req = hookRequest('order-sign');
  (req.context as Record<string, unknown>).patientId = 'has spaces and SECRET-VALUE';
  const res = await raw(JSON.stringify(req));
  expectError(res, 'PBH_ERR_VALIDATION');
  expect(res.json().instancePath).toBe('/context/patientId');
  expect(res.body).not.toContain('SECRET-VALUE');
});

test('unknown route → 404 PBH_ERR_NOT_FOUND', async () => {
  expectError(await app.inject({ url: '/nowhere' }), 'PBH_ERR_NOT_FOUND');
});

test('rate limit → 429 PBH_ERR_RATE_LIMITED in our shape, with retry headers', async () => {
  const limited = await buildApp(testConfig({ rateLimitMax: 2, rateLimitWindowMs: 60_000 }));
  await limited.inject({ url: '/cds-services' });
  await limited.inject({ url: '/cds-services' });
  const res = await limited.inject({ url: '/cds-services' });
  expectError(res, 'PBH_ERR_RATE_LIMITED');
  expect(res.headers['retry-after']).toBeDefined();
  await limited.close();
});

test('CORS preflight from a browser client (CDS Hooks sandbox) succeeds', async () => {
  const res = await app.inject({
    method: 'OPTIONS',
    url: URL_,
    headers: { origin: 'https://sandbox.cds-hooks.org', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
  });
  expect(res.statusCode).toBe(204);
  expect(res.headers['access-control-allow-origin']).toBe('*');
  expect(String(res.headers['access-control-allow-headers']).toLowerCase()).toContain('authorization');
});

test('CORS with an origin allow-list only reflects listed origins', async () => {
  const strict = await buildApp(testConfig({ corsOrigins: ['https://ehr.example.org'] }));
  const ok = await strict.inject({ url: '/cds-services', headers: { origin: 'https://ehr.example.org' } });
  expect(ok.headers['access-control-allow-origin']).toBe('https://ehr.example.org');
  const no = await strict.inject({ url: '/cds-services', headers: { origin: 'https://evil.example' } });
  expect(no.headers['access-control-allow-origin']).toBeUndefined();
  await strict.close();
});

test('security headers are set; x-request-id is honoured when sane, replaced when not', async () => {
  const res = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['content-security-policy']).toContain("default-src 'none'");
  expect(res.headers['x-request-id']).toBe('abc-123');
  const bad = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'x'.repeat(200) } });
  expect(bad.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
});

test('hook answers and error answers carry the full security header set', async () => {
  for (const res of [await app.inject({ url: '/cds-services' }), await raw('{')]) {
    expect(res.headers).toMatchObject({
      'content-security-policy': expect.stringMatching(/default-src 'none';.*frame-ancestors 'none'/),
      'strict-transport-security': expect.stringContaining('max-age='),
      'x-frame-options': 'SAMEORIGIN',
      'x-content-type-options': 'nosniff',
      'cross-origin-resource-policy': 'cross-origin',
      'cross-origin-opener-policy': 'same-origin',
      'referrer-policy': 'no-referrer',
    });
  }
});

test('rate limit buckets: a trusted issuer gets its own bucket; untrusted claims fall back to the IP', async () => {
  const iss = 'https://ehr.example.org';
  const limited = await buildApp(
    testConfig({ rateLimitMax: 1, rateLimitWindowMs: 60_000, trustedIssuers: [{ iss, jwksUrl: 'http://127.0.0.1:9/jwks' }] }),
  );
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const claiming = (i: string) => ({ authorization: `Bearer ${b64({ alg: 'ES384' })}.${b64({ iss: i })}.sig` });
  expect((await limited.inject({ url: '/healthz' })).statusCode).toBe(200); // IP bucket: 1 used
  expect((await limited.inject({ url: '/healthz', headers: claiming('https://untrusted.example') })).statusCode).toBe(429); // same IP bucket
  expect((await limited.inject({ url: '/healthz', headers: claiming(iss) })).statusCode).toBe(200); // issuer bucket
  expect((await limited.inject({ url: '/healthz', headers: claiming(iss) })).statusCode).toBe(429);
  await limited.close();
});
