/** Client JWT verification on hook and feedback calls (CDS Hooks 2.0 "Trusting CDS Clients"). */
import '../support/esm-interop';
import type { FastifyInstance } from 'fastify';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { buildApp } from '../../src/app';
import { testConfig, type Config } from '../../src/config';
import { hookRequest } from '../support/fixtures';
import { startTestIssuer, unsecuredToken, type TestIssuer } from '../support/jwt';

const BASE = 'https://pbh.example.org';
const PATH = '/cds-services/pgx-benefit-order-sign';
const AUD = `${BASE}${PATH}`;

let issuer: TestIssuer;
let app: FastifyInstance;
let rejections: string[];

async function appWith(overrides: Partial<Config> = {}): Promise<FastifyInstance> {
  rejections = [];
  const a = await buildApp(
    testConfig({ publicBaseUrl: BASE, allowUnsigned: false, trustedIssuers: [{ iss: issuer.iss, jwksUrl: issuer.jwksUrl }], ...overrides }),
    { observer: { hookAnswered: () => {}, fhirFetchFailed: () => {}, authRejected: (r) => rejections.push(r) } },
  );
  await a.ready();
  return a;
}

const call = (token?: string, url = PATH, a = app) =>
  a.inject({
    method: 'POST',
    url,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    payload: hookRequest('order-sign') as never,
  });

beforeAll(async () => {
  issuer = await startTestIssuer();
});
afterAll(() => issuer.close());
beforeEach(async () => {
  app = await appWith();
});
afterEach(() => app.close());

function expectBare401(res: Awaited<ReturnType<typeof call>>) {
  expect(res.statusCode).toBe(401);
  expect(res.json()).toEqual({ statusCode: 401, code: 'PBH_ERR_UNAUTHORIZED', error: 'Unauthorized', message: 'Unauthorized' });
}

test('JWKS is fetched at start-up (warm), not on the first call', () => {
  expect(issuer.jwksRequests()).toBeGreaterThan(0);
});

test('a valid ES384 token for this endpoint is accepted', async () => {
  const res = await call(await issuer.sign({ aud: AUD }));
  expect(res.statusCode).toBe(200);
});

test('no token in production profile → 401', async () => {
  expectBare401(await call());
  expect(rejections).toEqual(['missing']);
});

test('bad signature (signed by another key with the same kid) → 401', async () => {
  const other = await generateKeyPair('ES384');
  expectBare401(await call(await issuer.sign({ aud: AUD, key: other.privateKey })));
});

test('wrong aud (another service) → 401; aud is built from config, not the Host header', async () => {
  expectBare401(await call(await issuer.sign({ aud: `${BASE}/cds-services/pgx-benefit-order-select` })));
  const res = await app.inject({
    method: 'POST',
    url: PATH,
    headers: { host: 'evil.example', authorization: `Bearer ${await issuer.sign({ aud: `http://evil.example${PATH}` })}` },
    payload: hookRequest('order-sign') as never,
  });
  expectBare401(res);
});

test('expired token → 401', async () => {
  const now = Math.floor(Date.now() / 1000);
  expectBare401(await call(await issuer.sign({ aud: AUD, claims: { iat: now - 900, exp: now - 300 } })));
});

test('iat in the future (beyond 60 s skew) → 401', async () => {
  const now = Math.floor(Date.now() / 1000);
  expectBare401(await call(await issuer.sign({ aud: AUD, claims: { iat: now + 600, exp: now + 900 } })));
});

test('lifetime over one hour → 401', async () => {
  const now = Math.floor(Date.now() / 1000);
  expectBare401(await call(await issuer.sign({ aud: AUD, claims: { iat: now, exp: now + 7200 } })));
});

test.each(['jti', 'iat', 'exp'])('missing %s → 401', async (claim) => {
  expectBare401(await call(await issuer.sign({ aud: AUD, claims: { [claim]: undefined } })));
});

test('replayed jti → first accepted, second 401', async () => {
  const token = await issuer.sign({ aud: AUD });
  expect((await call(token)).statusCode).toBe(200);
  expectBare401(await call(token));
  expect(rejections).toContain('replay');
});

test('alg none → 401', async () => {
  const now = Math.floor(Date.now() / 1000);
  expectBare401(await call(unsecuredToken({ iss: issuer.iss, aud: AUD, iat: now, exp: now + 300, jti: 'x1' })));
  expect(rejections).toEqual(['algorithm']);
});

test('HS256 (even with the public key as secret) → 401', async () => {
  const now = Math.floor(Date.now() / 1000);
  const secret = new TextEncoder().encode(JSON.stringify(await exportJWK((await generateKeyPair('ES384')).publicKey)));
  const token = await new SignJWT({ iss: issuer.iss, aud: AUD, iat: now, exp: now + 300, jti: 'h1' })
    .setProtectedHeader({ alg: 'HS256', kid: issuer.kid })
    .sign(secret);
  expectBare401(await call(token));
  expect(rejections).toEqual(['algorithm']);
});

test('jku not allow-listed → 401; jku equal to the issuer\'s JWKS URL → accepted', async () => {
  expectBare401(await call(await issuer.sign({ aud: AUD, header: { jku: 'https://attacker.example/jwks.json' } })));
  expect(rejections).toEqual(['jku']);
  expect((await call(await issuer.sign({ aud: AUD, header: { jku: issuer.jwksUrl } }))).statusCode).toBe(200);
});

test('unknown kid → 401', async () => {
  expectBare401(await call(await issuer.sign({ aud: AUD, header: { kid: 'no-such-key' } })));
});

test('untrusted issuer → 401', async () => {
  expectBare401(await call(await issuer.sign({ aud: AUD, claims: { iss: 'https://other-ehr.example' } })));
  expect(rejections).toEqual(['issuer']);
});

test('garbage Authorization header → 401', async () => {
  const res = await app.inject({ method: 'POST', url: PATH, headers: { authorization: 'Basic dXNlcjpwYXNz' }, payload: hookRequest('order-sign') as never });
  expectBare401(res);
});

test('the 401 comes before body validation (no schema detail to unauthenticated callers)', async () => {
  const res = await app.inject({ method: 'POST', url: PATH, payload: { nonsense: true } });
  expectBare401(res);
});

describe('allowUnsigned (demo)', () => {
  test('requests without a token are accepted; a present token is still verified', async () => {
    const demo = await appWith({ allowUnsigned: true });
    expect((await call(undefined, PATH, demo)).statusCode).toBe(200);
    expect((await call(await issuer.sign({ aud: `${BASE}/wrong` }), PATH, demo)).statusCode).toBe(401);
    expect((await call(await issuer.sign({ aud: AUD }), PATH, demo)).statusCode).toBe(200);
    await demo.close();
  });
});

describe('feedback endpoint uses the same verification', () => {
  const fb = { feedback: [{ card: '0b7a5b5e-5a1e-4a44-9c36-6a4cbb0f7e55', outcome: 'accepted', outcomeTimestamp: '2026-11-23T10:00:00Z' }] };
  test('no token → 401; token with the feedback URL as aud → 200', async () => {
    const res = await app.inject({ method: 'POST', url: `${PATH}/feedback`, payload: fb });
    expectBare401(res);
    const ok = await app.inject({
      method: 'POST',
      url: `${PATH}/feedback`,
      headers: { authorization: `Bearer ${await issuer.sign({ aud: `${AUD}/feedback` })}` },
      payload: fb,
    });
    expect(ok.statusCode).toBe(200);
  });
});
