/**
 * One outbound policy for every call the service makes: the issuers' JWKS URLs are held to the same rules
 * as the EHR's fhirServer — https in production, no loopback / private / metadata address by name, literal
 * IP or resolved address, unless the host is on the explicit allow-list (PBH_FHIR_ALLOWED_HOSTS).
 */
import dns from 'node:dns/promises';
import os from 'node:os';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app';
import { ConfigError, loadConfig, type Config } from '../../src/config';
import { testConfig } from '../support/config';
import { isForbiddenAddress } from '../../src/fhir/ssrf';
import { hookRequest } from '../support/fixtures';
import { startTestIssuer, type TestIssuer } from '../support/jwt';

const BASE = 'https://pbh.example.org';
const PATH = '/cds-services/pgx-benefit-order-sign';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await startTestIssuer();
});
afterAll(() => issuer.close());

const signedApp = (jwksUrl: string, overrides: Partial<Config> = {}) =>
  buildApp(testConfig({ publicBaseUrl: BASE, allowUnsigned: false, trustedIssuers: [{ iss: issuer.iss, jwksUrl }], ...overrides }));

const callWithToken = async (app: FastifyInstance) =>
  app.inject({
    method: 'POST',
    url: PATH,
    headers: { authorization: `Bearer ${await issuer.sign({ aud: `${BASE}${PATH}` })}`, 'content-type': 'application/json' },
    payload: JSON.stringify(hookRequest('order-sign')),
  });

describe('at start-up', () => {
  const env = (jwksUrl: string, extra: Record<string, string> = {}) => ({
    PBH_PROFILE: 'production',
    PBH_PSEUDONYM_KEY: 'a-long-enough-pseudonym-key',
    PBH_TRUSTED_ISSUERS: JSON.stringify([{ iss: 'https://ehr.example.org', jwksUrl }]),
    ...extra,
  });

  test('production: a JWKS URL over plain http is refused, like an http fhirServer', () => {
    expect(() => loadConfig(env('http://keys.example.org/jwks.json'))).toThrow(/JWKS URL of https:\/\/ehr\.example\.org is not allowed \(https is required\)/);
    expect(() => loadConfig(env('https://keys.example.org/jwks.json'))).not.toThrow();
  });

  test.each([
    ['cloud metadata', 'https://169.254.169.254/jwks.json'],
    ['a private address', 'https://10.1.2.3/jwks.json'],
    ['a decimal loopback address', 'https://2130706433/jwks.json'],
    ['localhost', 'https://localhost/jwks.json'],
    ['credentials in the URL', 'https://user:pw@keys.example.org/jwks.json'],
  ])('a JWKS URL at %s is refused unless allow-listed', (_what, url) => {
    expect(() => loadConfig(env(url))).toThrow(ConfigError);
    if (!url.includes('@')) expect(() => loadConfig(env(url, { PBH_FHIR_ALLOWED_HOSTS: new URL(url).hostname }))).not.toThrow();
  });

  test('an application built with such a configuration refuses to start', async () => {
    await expect(signedApp(issuer.jwksUrl, { requireHttpsFhir: true })).rejects.toThrow(/https is required/);
    await expect(signedApp(issuer.jwksUrl, { fhirAllowedHosts: [] })).rejects.toThrow(/private or reserved address/);
  });
});

describe('at fetch time: every resolved address is checked (a name for an internal host)', () => {
  let internalName: string;
  beforeAll(async () => {
    internalName = os.hostname();
    const addresses = await dns.lookup(internalName, { all: true });
    // the test needs a host name (not "localhost", not an IP) that resolves to an internal address
    if (!addresses.length || !addresses.every((a) => isForbiddenAddress(a.address))) {
      throw new Error(`this test needs the machine's host name (${internalName}) to resolve to loopback/private addresses; it resolves to ${JSON.stringify(addresses)}`);
    }
  });

  test('not allow-listed: the keys are never fetched and the signed call is refused', async () => {
    const before = issuer.jwksRequests();
    const url = issuer.jwksUrl.replace('127.0.0.1', internalName);
    const app = await signedApp(url, { fhirAllowedHosts: [] });
    await app.ready();
    const res = await callWithToken(app);
    expect(res.statusCode).toBe(401);
    expect(issuer.jwksRequests()).toBe(before);
    await app.close();
  });

  test('allow-listed by name: the keys are fetched and the call accepted', async () => {
    const url = issuer.jwksUrl.replace('127.0.0.1', internalName);
    const app = await signedApp(url, { fhirAllowedHosts: [internalName] });
    await app.ready();
    const res = await callWithToken(app);
    expect(res.statusCode).toBe(200);
    await app.close();
  });
});
