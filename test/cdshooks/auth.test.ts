/** Client JWT verification on hook and feedback calls (CDS Hooks 2.0 "Trusting CDS Clients"). */
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { buildApp } from '../../src/app';
import { silentObserver } from '../support/observer';
import { type Config } from '../../src/config';
import { testConfig } from '../support/config';
import { Errors, type ErrorCode } from '../../src/errors';
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
    { observer: { ...silentObserver, authRejected: (r) => rejections.push(r) } },
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

/** A 401 names its reason with a catalogue code, says it in WWW-Authenticate (RFC 6750), and echoes nothing. */
function expect401(res: Awaited<ReturnType<typeof call>>, code: ErrorCode, token?: string) {
  expect(res.statusCode).toBe(401);
  expect(res.json()).toEqual({ statusCode: 401, code, error: 'Unauthorized', message: Errors[code].message });
  const challenge = res.headers['www-authenticate'];
  if (code === 'PBH_ERR_AUTH_MISSING') expect(challenge).toBe('Bearer realm="cds-services"');
  else expect(challenge).toBe(`Bearer realm="cds-services", error="invalid_token", error_description="${Errors[code].message}"`);
  if (token) {
    // no part of the token (header, payload, signature) comes back in the body or headers
    for (const part of token.split('.').filter((p) => p.length > 8)) {
      expect(res.body).not.toContain(part);
      expect(JSON.stringify(res.headers)).not.toContain(part);
    }
  }
}

test('JWKS is fetched at start-up (warm), not on the first call', () => {
  expect(issuer.jwksRequests()).toBeGreaterThan(0);
});

test('a valid ES384 token for this endpoint is accepted', async () => {
  const res = await call(await issuer.sign({ aud: AUD }));
  expect(res.statusCode).toBe(200);
});

test('no token in production profile → 401', async () => {
  expect401(await call(), 'PBH_ERR_AUTH_MISSING');
  expect(rejections).toEqual(['missing']);
});

test('bad signature (signed by another key with the same kid) → 401', async () => {
  const other = await generateKeyPair('ES384');
  const token = await issuer.sign({ aud: AUD, key: other.privateKey });
  expect401(await call(token), 'PBH_ERR_AUTH_SIGNATURE', token);
});

test('wrong aud (another service) → 401; aud is built from config, not the Host header', async () => {
  expect401(await call(await issuer.sign({ aud: `${BASE}/cds-services/pgx-benefit-order-select` })), 'PBH_ERR_AUTH_AUDIENCE');
  const res = await app.inject({
    method: 'POST',
    url: PATH,
    headers: { host: 'evil.example', authorization: `Bearer ${await issuer.sign({ aud: `http://evil.example${PATH}` })}` },
    payload: hookRequest('order-sign') as never,
  });
  expect401(res, 'PBH_ERR_AUTH_AUDIENCE');
});

test('expired token → 401', async () => {
  const now = Math.floor(Date.now() / 1000);
  const token = await issuer.sign({ aud: AUD, claims: { iat: now - 900, exp: now - 300 } });
  expect401(await call(token), 'PBH_ERR_AUTH_EXPIRED', token);
});

test('iat in the future (beyond 60 s skew) → 401', async () => {
  const now = Math.floor(Date.now() / 1000);
  expect401(await call(await issuer.sign({ aud: AUD, claims: { iat: now + 600, exp: now + 900 } })), 'PBH_ERR_AUTH_NOT_YET_VALID');
});

test('lifetime over one hour → 401', async () => {
  const now = Math.floor(Date.now() / 1000);
  expect401(await call(await issuer.sign({ aud: AUD, claims: { iat: now, exp: now + 7200 } })), 'PBH_ERR_AUTH_LIFETIME');
});

test.each(['jti', 'iat', 'exp'])('missing %s → 401', async (claim) => {
  expect401(await call(await issuer.sign({ aud: AUD, claims: { [claim]: undefined } })), 'PBH_ERR_AUTH_CLAIMS');
});

test('replayed jti → first accepted, second 401', async () => {
  const token = await issuer.sign({ aud: AUD });
  expect((await call(token)).statusCode).toBe(200);
  expect401(await call(token), 'PBH_ERR_AUTH_REPLAY', token);
  expect(rejections).toContain('replay');
});

test('alg none → 401', async () => {
  const now = Math.floor(Date.now() / 1000);
  expect401(await call(unsecuredToken({ iss: issuer.iss, aud: AUD, iat: now, exp: now + 300, jti: 'x1' })), 'PBH_ERR_AUTH_ALGORITHM');
  expect(rejections).toEqual(['algorithm']);
});

test('HS256 (even with the public key as secret) → 401', async () => {
  const now = Math.floor(Date.now() / 1000);
  const secret = new TextEncoder().encode(JSON.stringify(await exportJWK((await generateKeyPair('ES384')).publicKey)));
  const token = await new SignJWT({ iss: issuer.iss, aud: AUD, iat: now, exp: now + 300, jti: 'h1' })
    .setProtectedHeader({ alg: 'HS256', kid: issuer.kid })
    .sign(secret);
  expect401(await call(token), 'PBH_ERR_AUTH_ALGORITHM');
  expect(rejections).toEqual(['algorithm']);
});

test('jku not allow-listed → 401; jku equal to the issuer\'s JWKS URL → accepted', async () => {
  expect401(await call(await issuer.sign({ aud: AUD, header: { jku: 'https://attacker.example/jwks.json' } })), 'PBH_ERR_AUTH_JKU');
  expect(rejections).toEqual(['jku']);
  expect((await call(await issuer.sign({ aud: AUD, header: { jku: issuer.jwksUrl } }))).statusCode).toBe(200);
});

test('unknown kid → 401', async () => {
  expect401(await call(await issuer.sign({ aud: AUD, header: { kid: 'no-such-key' } })), 'PBH_ERR_AUTH_SIGNATURE');
});

test('untrusted issuer → 401', async () => {
  const token = await issuer.sign({ aud: AUD, claims: { iss: 'https://other-ehr.example' } });
  expect401(await call(token), 'PBH_ERR_AUTH_ISSUER_NOT_TRUSTED', token);
  expect(rejections).toEqual(['issuer']);
});

test('garbage Authorization header → 401', async () => {
  const res = await app.inject({ method: 'POST', url: PATH, headers: { authorization: 'Basic dXNlcjpwYXNz' }, payload: hookRequest('order-sign') as never });
  expect401(res, 'PBH_ERR_AUTH_MALFORMED');
});

test('the 401 comes before body validation (no schema detail to unauthenticated callers)', async () => {
  const res = await app.inject({ method: 'POST', url: PATH, payload: { nonsense: true } });
  expect401(res, 'PBH_ERR_AUTH_MISSING');
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

describe('a signed call from an issuer the service was not told about', () => {
  // the public CDS Hooks sandbox signs every call with its own key (ES384, jku on its own site)
  const SANDBOX_ISS = 'https://sandbox.cds-hooks.org';
  const sandboxToken = async (aud = AUD) => {
    const other = await generateKeyPair('ES384');
    return issuer.sign({
      aud,
      key: other.privateKey,
      claims: { iss: SANDBOX_ISS, sub: undefined },
      header: { kid: '44823f3d-0b01-4a6c-a80e-b9d3e8a7226f', jku: `${SANDBOX_ISS}/.well-known/jwks.json` },
    });
  };

  test('demo profile: answered unverified, logged once per issuer (no token), counted, listed on the playground', async () => {
    const lines: string[] = [];
    const logStream = new Writable({ write: (chunk, _enc, done) => (lines.push(...String(chunk).split('\n').filter(Boolean)), done()) });
    const seen: string[] = [];
    const demo = await buildApp(testConfig({ publicBaseUrl: BASE, trustedIssuers: [{ iss: issuer.iss, jwksUrl: issuer.jwksUrl }], logLevel: 'info' }), {
      logStream,
      observer: { hookAnswered: () => {}, fhirFetchFailed: () => {}, authRejected: () => {}, unverifiedIssuer: (i) => seen.push(i) },
    });
    await demo.ready();
    const tokens = [await sandboxToken(), await sandboxToken()];
    for (const t of tokens) expect((await call(t, PATH, demo)).statusCode).toBe(200);
    expect(seen).toEqual([SANDBOX_ISS, SANDBOX_ISS]);
    const warned = lines.filter((l) => l.includes('WITHOUT verifying'));
    expect(warned).toHaveLength(1);
    expect(JSON.parse(warned[0]!).issuer).toBe(SANDBOX_ISS);
    for (const t of tokens) for (const part of t.split('.')) expect(lines.join('\n')).not.toContain(part);

    const listed = await demo.inject({ method: 'GET', url: '/playground/unverified-issuers' });
    expect(listed.json()).toEqual({ issuers: [expect.objectContaining({ iss: SANDBOX_ISS, calls: 2 })], otherCalls: 0 });

    // a trusted issuer's token is still verified in full: a bad signature is refused
    const forged = await issuer.sign({ aud: AUD, key: (await generateKeyPair('ES384')).privateKey });
    expect401(await call(forged, PATH, demo), 'PBH_ERR_AUTH_SIGNATURE', forged);
    await demo.close();
  });

  test('demo profile: the count reaches /metrics under the issuer label', async () => {
    const demo = await buildApp(testConfig({ publicBaseUrl: BASE }));
    await demo.ready();
    const iss = `${SANDBOX_ISS}/metrics-${Date.now()}`;
    const other = await generateKeyPair('ES384');
    const token = await issuer.sign({ aud: AUD, key: other.privateKey, claims: { iss } });
    expect((await call(token, PATH, demo)).statusCode).toBe(200);
    const metrics = await demo.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toContain(`pbh_auth_unverified_calls_total{issuer="${iss}"} 1`);
    await demo.close();
  });

  test('production profile refuses it (issuer not trusted), even with unsigned calls allowed', async () => {
    for (const allowUnsigned of [false, true]) {
      const prod = await appWith({ profile: 'production', allowUnsigned });
      const token = await sandboxToken();
      expect401(await call(token, PATH, prod), 'PBH_ERR_AUTH_ISSUER_NOT_TRUSTED', token);
      expect((await prod.inject({ method: 'GET', url: '/playground/unverified-issuers' })).statusCode).toBe(404);
      await prod.close();
    }
  });
});

describe('feedback endpoint uses the same verification', () => {
  const fb = { feedback: [{ card: '0b7a5b5e-5a1e-4a44-9c36-6a4cbb0f7e55', outcome: 'accepted', outcomeTimestamp: '2026-11-23T10:00:00Z' }] };
  test('no token → 401; token with the feedback URL as aud → 200', async () => {
    const res = await app.inject({ method: 'POST', url: `${PATH}/feedback`, payload: fb });
    expect401(res, 'PBH_ERR_AUTH_MISSING');
    const ok = await app.inject({
      method: 'POST',
      url: `${PATH}/feedback`,
      headers: { authorization: `Bearer ${await issuer.sign({ aud: `${AUD}/feedback` })}` },
      payload: fb,
    });
    expect(ok.statusCode).toBe(200);
  });
});
