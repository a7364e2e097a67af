/**
 * Hostile-input catalogue: one readable, table-driven list of what an attacker or a broken EHR can send,
 * and what the service answers. Every rejection is a clear 4xx in our error shape (ErrorBody) that echoes
 * nothing of the request; every valid-but-odd request is a 200 whose card says what could not be checked
 * (never a "normal" reassurance). Some rows repeat existing focused tests on purpose: this is the list.
 */
import os from 'node:os';
import Redis from 'ioredis';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { SignJWT } from 'jose';
import { buildApp } from '../../src/app';
import { type Config } from '../../src/config';
import { testConfig } from '../support/config';
import { draftOrder, genotypeObservation, hookRequest, PATIENT_ID } from '../support/fixtures';
import { PgliteClient } from '../../src/store/pglite-client';
import { SqlStore } from '../../src/store/sql-store';
import { MemoryStore } from '../support/memory-store';
import { startFhirServer, type FhirTestServer } from '../support/fhir-server';
import { startTestIssuer, unsecuredToken, type TestIssuer } from '../support/jwt';

const SIGN = '/cds-services/pgx-benefit-order-sign';
const SELECT = '/cds-services/pgx-benefit-order-select';
const BASE = 'https://pbh.example.org';
const SECRET_TOKEN = 'rel-fhir-token-do-not-log';

type AppKind = 'demo' | 'auth' | 'production' | 'internal-jwks' | 'replica-a' | 'replica-b';
type Expectation =
  | { status: number; code: string }
  | { status: 200; check: (json: any) => void };

interface Case {
  name: string;
  app?: AppKind;
  /** builds the request (may make earlier calls, e.g. for a replay) */
  request: (ctx: Ctx) => Promise<InjectOptions> | InjectOptions;
  expect: Expectation;
}

interface Ctx {
  app: FastifyInstance;
  issuer: TestIssuer;
}

const json = (url: string, payload: unknown, headers: Record<string, string> = {}): InjectOptions => ({
  method: 'POST',
  url,
  headers: { 'content-type': 'application/json', ...headers },
  payload: typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload),
});

const sign = (mutate: (r: any) => void = () => {}): any => {
  const r: any = hookRequest('order-sign');
  mutate(r);
  return r;
};
const select = (mutate: (r: any) => void = () => {}): any => {
  const r: any = hookRequest('order-select');
  mutate(r);
  return r;
};

/** a genotype Observation with the given CYP2C19 text (fixtures' shape) */
const cyp2c19 = (text: string, id = 'obs-h', patientId = PATIENT_ID): any => {
  const o: any = genotypeObservation(id, patientId);
  o.valueCodeableConcept = { coding: [{ system: 'http://www.pharmvar.org', code: 'CYP2C19', display: text }], text };
  return o;
};
/** order-sign for one clopidogrel order with these genomics observations */
const clopidogrelWith = (...observations: any[]) =>
  sign((r) => {
    r.context.draftOrders.entry = [r.context.draftOrders.entry[0]];
    r.prefetch.pgx = { resourceType: 'Bundle', type: 'searchset', entry: observations.map((resource) => ({ resource })) };
  });
/** prefetch without pgx, to be fetched from `fhirServer` */
const fetchFrom = (fhirServer: string) =>
  sign((r) => {
    delete r.prefetch.pgx;
    r.fhirServer = fhirServer;
    r.fhirAuthorization = { access_token: SECRET_TOKEN, token_type: 'Bearer', expires_in: 300, scope: 'patient/*.read', subject: 'svc' };
  });

const pgxCard = (j: any) => j.cards.find((c: any) => /^clopidogrel/i.test(c.summary));
/** the clopidogrel card is there, flags the problem, and never reassures */
const indeterminate = (why: RegExp) => (j: any) => {
  const card = pgxCard(j);
  expect(card).toBeDefined();
  expect(card.indicator).not.toBe('info');
  expect(`${card.summary}\n${card.detail}`).toMatch(/indeterminate|unknown|unavailable|not assume normal/i);
  expect(card.detail).toMatch(why);
  expect(card.summary.replace(/do not assume normal/i, '')).not.toMatch(/standard|normal/i);
};

const now = () => Math.floor(Date.now() / 1000);
const AUD = `${BASE}${SIGN}`;
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

const cases: Case[] = [
  // ---- routing / hook / context ----
  { name: 'unknown service id', request: () => json('/cds-services/no-such-service', sign()), expect: { status: 404, code: 'PBH_ERR_SERVICE_NOT_FOUND' } },
  { name: 'service id of 300 characters (router limit)', request: () => json(`/cds-services/${'a'.repeat(300)}`, sign()), expect: { status: 414, code: 'PBH_ERR_URI_TOO_LONG' } },
  { name: 'service id with broken percent-encoding', request: () => json('/cds-services/%E0%A4%A', sign()), expect: { status: 400, code: 'PBH_ERR_BAD_URL' } },
  { name: 'service id with path tricks', request: () => json('/cds-services/..%2fadmin', sign()), expect: { status: 404, code: 'PBH_ERR_SERVICE_NOT_FOUND' } },
  { name: 'order-select body sent to the order-sign service', request: () => json(SIGN, select()), expect: { status: 400, code: 'PBH_ERR_HOOK_MISMATCH' } },
  { name: 'unknown hook name', request: () => json(SIGN, sign((r) => (r.hook = 'patient-view'))), expect: { status: 400, code: 'PBH_ERR_HOOK_MISMATCH' } },
  { name: 'missing hookInstance', request: () => json(SIGN, sign((r) => delete r.hookInstance)), expect: { status: 400, code: 'PBH_ERR_VALIDATION' } },
  { name: 'hookInstance not a uuid', request: () => json(SIGN, sign((r) => (r.hookInstance = 'DROP TABLE audit'))), expect: { status: 400, code: 'PBH_ERR_VALIDATION' } },
  { name: 'missing context', request: () => json(SIGN, sign((r) => delete r.context)), expect: { status: 400, code: 'PBH_ERR_VALIDATION' } },
  { name: 'missing context.patientId', request: () => json(SIGN, sign((r) => delete r.context.patientId)), expect: { status: 400, code: 'PBH_ERR_VALIDATION' } },
  { name: 'patientId with path characters', request: () => json(SIGN, sign((r) => (r.context.patientId = '../Patient/x'))), expect: { status: 400, code: 'PBH_ERR_VALIDATION' } },
  { name: 'draftOrders not a Bundle', request: () => json(SIGN, sign((r) => (r.context.draftOrders = { resourceType: 'MedicationRequest' }))), expect: { status: 400, code: 'PBH_ERR_VALIDATION' } },
  { name: 'draftOrders an array', request: () => json(SIGN, sign((r) => (r.context.draftOrders = [draftOrder('x')]))), expect: { status: 400, code: 'PBH_ERR_VALIDATION' } },
  {
    name: 'draftOrders an empty Bundle → 200, nothing to check, no cards',
    request: () => json(SIGN, sign((r) => (r.context.draftOrders.entry = []))),
    expect: { status: 200, check: (j) => expect(j.cards).toEqual([]) },
  },
  { name: 'order-select without selections', request: () => json(SELECT, select((r) => delete r.context.selections)), expect: { status: 400, code: 'PBH_ERR_CONTEXT_INVALID' } },
  { name: 'selections naming an order not in draftOrders', request: () => json(SELECT, select((r) => (r.context.selections = ['MedicationRequest/ghost']))), expect: { status: 400, code: 'PBH_ERR_CONTEXT_INVALID' } },
  { name: 'fhirAuthorization without fhirServer', request: () => json(SIGN, sign((r) => (r.fhirAuthorization = { access_token: SECRET_TOKEN, token_type: 'Bearer', expires_in: 1, scope: 's', subject: 's' }))), expect: { status: 400, code: 'PBH_ERR_CONTEXT_INVALID' } },
  {
    name: 'fhirAuthorization.patient differs from context.patientId',
    request: () => json(SIGN, sign((r) => {
      r.fhirServer = 'https://fhir.example.org';
      r.fhirAuthorization = { access_token: SECRET_TOKEN, token_type: 'Bearer', expires_in: 1, scope: 's', subject: 's', patient: 'rel-other-patient-77' };
    })),
    expect: { status: 400, code: 'PBH_ERR_CONTEXT_INVALID' },
  },
  // ---- orders ----
  {
    name: 'MedicationRequest without medication yet → 200, no card (nothing to advise on)',
    request: () => json(SIGN, sign((r) => { delete r.context.draftOrders.entry[0].resource.medicationCodeableConcept; r.context.draftOrders.entry.length = 1; })),
    expect: { status: 200, check: (j) => { expect(j.cards).toHaveLength(0); expect(j.systemActions ?? []).toHaveLength(0); } },
  },
  {
    name: 'MedicationRequest with an unknown RxNorm code → 200 "unrecognised drug"',
    request: () => json(SIGN, sign((r) => {
      r.context.draftOrders.entry.length = 1;
      r.context.draftOrders.entry[0].resource.medicationCodeableConcept = { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '99999999' }] };
    })),
    expect: { status: 200, check: (j) => { expect(j.cards[0].summary).toMatch(/unrecognised drug/); expect(j.cards[0].detail).toMatch(/no pharmacogenomic check/); } },
  },
  { name: 'draft order entry without resourceType', request: () => json(SIGN, sign((r) => (r.context.draftOrders.entry = [{ resource: { id: 'x' } }]))), expect: { status: 400, code: 'PBH_ERR_VALIDATION' } },
  // ---- genomics content (valid requests: 200, indeterminate, never normal) ----
  { name: 'diplotype "*1/*" (missing allele)', request: () => json(SIGN, clopidogrelWith(cyp2c19('CYP2C19 *1/*'))), expect: { status: 200, check: indeterminate(/unreadable genotype|malformed/) } },
  { name: 'diplotype "**2"', request: () => json(SIGN, clopidogrelWith(cyp2c19('CYP2C19 **2'))), expect: { status: 200, check: indeterminate(/unreadable|malformed|Indeterminate/) } },
  { name: 'diplotype "*1//*2"', request: () => json(SIGN, clopidogrelWith(cyp2c19('CYP2C19 *1//*2'))), expect: { status: 200, check: indeterminate(/unreadable|malformed|Indeterminate/) } },
  { name: 'unknown allele "*1/*999"', request: () => json(SIGN, clopidogrelWith(cyp2c19('CYP2C19 *1/*999'))), expect: { status: 200, check: indeterminate(/not in CPIC's CYP2C19 allele table/) } },
  {
    name: 'conflicting results for one gene (*1/*1 vs *2/*2, equally current)',
    request: () => json(SIGN, clopidogrelWith(cyp2c19('CYP2C19 *1/*1', 'o1'), cyp2c19('CYP2C19 *2/*2', 'o2'))),
    expect: { status: 200, check: indeterminate(/conflicting/i) },
  },
  {
    name: 'genotype of another patient in prefetch → ignored, "do not assume normal"',
    request: () => json(SIGN, clopidogrelWith(cyp2c19('CYP2C19 *1/*1', 'o1', 'rel-other-patient-77'))),
    expect: { status: 200, check: (j) => { indeterminate(/not about this patient/)(j); expect(j.cards.some((c: any) => /could not check everything/i.test(c.summary))).toBe(true); } },
  },
  {
    name: 'genotype Observation without a subject → ignored (unverifiable attribution)',
    request: () => json(SIGN, clopidogrelWith({ ...cyp2c19('CYP2C19 *1/*1'), subject: undefined })),
    expect: { status: 200, check: indeterminate(/not about this patient/) },
  },
  {
    name: 'diplotype with a backtick and HTML (code-span break-out) → stays text in its code span',
    request: () => json(SIGN, clopidogrelWith(cyp2c19('CYP2C19 *1/*2`<img src=x onerror=alert(1)>`[x](javascript:alert(1))'))),
    expect: { status: 200, check: (j) => {
      const detail = j.cards.map((c: any) => c.detail).join('\n');
      // outside a code span every markup character is backslash-escaped; inside one, the fence is longer than any backtick run
      expect(detail).not.toMatch(/(^|[^\\])<img/m);
      expect(detail).not.toMatch(/(^|[^\\])\[x\]\(javascript:/m);
    } },
  },
  {
    name: 'unrecognised drug whose name is HTML with line breaks → one plain-text line in the summary',
    request: () => json(SIGN, sign((r) => {
      r.context.draftOrders.entry.length = 1;
      r.context.draftOrders.entry[0].resource.medicationCodeableConcept = { text: '<img src=x onerror=alert(1)>\n\n# Pwned\u202e', coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '99999999' }] };
    })),
    expect: { status: 200, check: (j) => {
      expect(j.cards[0].summary).toMatch(/unrecognised drug/);
      expect(j.cards[0].summary).not.toMatch(/[<>\n\u202e]/);
      expect(j.cards[0].detail).not.toMatch(/(^|[^\\])<img|^#+ Pwned/m);
    } },
  },
  // ---- prefetch ----
  {
    name: 'prefetch entry that is an OperationOutcome, nothing to fetch from → 412',
    request: () => json(SIGN, sign((r) => (r.prefetch.pgx = { resourceType: 'OperationOutcome', issue: [] }))),
    expect: { status: 412, code: 'PBH_ERR_PREFETCH_UNAVAILABLE' },
  },
  {
    name: 'prefetch entry of the wrong resource type → ignored, gap card',
    request: () => json(SIGN, sign((r) => { r.prefetch.pgx = { resourceType: 'Patient', id: PATIENT_ID }; r.context.draftOrders.entry.length = 1; })),
    expect: { status: 200, check: indeterminate(/unexpected type/) },
  },
  {
    name: 'prefetch Bundle whose entry is one object with nothing in it → read as a one-item list, no result',
    request: () => json(SIGN, sign((r) => { r.prefetch.pgx = { resourceType: 'Bundle', type: 'searchset', entry: {} }; r.context.draftOrders.entry.length = 1; })),
    expect: { status: 200, check: (j) => expect(pgxCard(j).summary).toMatch(/no CYP2C19 result/) },
  },
  {
    name: 'prefetch Observation with code.coding as one object → read as a one-item list',
    request: () => json(SIGN, clopidogrelWith({ ...cyp2c19('CYP2C19 *1/*1'), code: { coding: { system: 'http://loinc.org', code: '84413-4' } } })),
    expect: { status: 200, check: (j) => expect(pgxCard(j).summary).toMatch(/CYP2C19 Normal Metabolizer/) },
  },
  {
    name: 'prefetch Observation with a numeric coding code (an element the decision reads) → left out, named in the gap',
    request: () => json(SIGN, clopidogrelWith({ ...cyp2c19('CYP2C19 *1/*1'), valueCodeableConcept: { coding: [{ system: 'http://www.pharmvar.org', code: 42 }] } })),
    expect: {
      status: 200,
      check: (j) => {
        indeterminate(/was left out/)(j);
        const gap = j.cards.find((c: any) => /could not check everything/i.test(c.summary));
        expect(gap.detail).toContain('Observation/obs-h was left out: Observation.valueCodeableConcept.coding.code must be a string (code)');
      },
    },
  },
  {
    name: 'draft order with medicationCodeableConcept.coding as one object → read as a one-item list',
    request: () => json(SIGN, sign((r) => (r.context.draftOrders.entry[0].resource.medicationCodeableConcept = { coding: { system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '32968' } }))),
    expect: { status: 200, check: (j) => expect(pgxCard(j)).toBeDefined() },
  },
  {
    name: 'draft order with a numeric medication code → 400 naming the element',
    request: () => json(SIGN, sign((r) => (r.context.draftOrders.entry[0].resource.medicationCodeableConcept = { coding: [{ code: 32968 }] }))),
    expect: { status: 400, code: 'PBH_ERR_VALIDATION' },
  },
  { name: 'draft order entry that is null', request: () => json(SIGN, sign((r) => (r.context.draftOrders.entry = [null]))), expect: { status: 400, code: 'PBH_ERR_VALIDATION' } },
  { name: 'prefetch entry that is a string', request: () => json(SIGN, sign((r) => (r.prefetch.pgx = 'CYP2C19 *2/*2'))), expect: { status: 400, code: 'PBH_ERR_VALIDATION' } },
  { name: 'prefetch entry without resourceType', request: () => json(SIGN, sign((r) => (r.prefetch.pgx = { entry: [] }))), expect: { status: 400, code: 'PBH_ERR_VALIDATION' } },
  {
    name: 'FHIR server: an Observation nested 100,000 levels deep → 200, refused and named in the gap card (was a 500)',
    request: () => {
      fhirServer.behaviours.Observation = {
        rawEntries: [`{"resourceType":"Observation","id":"rel-deep-obs","extension":${'['.repeat(100_000)}${']'.repeat(100_000)}}`],
      };
      return json(SIGN, fetchFrom(fhirServer.base));
    },
    expect: { status: 200, check: (j) => expect(j.cards.find((c: any) => /could not check everything/i.test(c.summary)).detail).toMatch(/refused .*Observation\/rel-deep-obs/) },
  },
  // ---- body / transport ----
  { name: 'body over the size limit', request: () => json(SIGN, JSON.stringify({ ...sign(), pad: 'x'.repeat(1_100_000) })), expect: { status: 413, code: 'PBH_ERR_PAYLOAD_TOO_LARGE' } },
  { name: 'deeply nested JSON (200 levels)', request: () => json(SIGN, `${'['.repeat(200)}${']'.repeat(200)}`), expect: { status: 400, code: 'PBH_ERR_JSON_TOO_DEEP' } },
  { name: '__proto__ key', request: () => json(SIGN, JSON.stringify(sign()).replace(/^\{/, '{"__proto__":{"isAdmin":true},')), expect: { status: 400, code: 'PBH_ERR_VALIDATION' } },
  { name: 'constructor.prototype key', request: () => json(SIGN, JSON.stringify(sign()).replace(/^\{/, '{"constructor":{"prototype":{"isAdmin":true}},')), expect: { status: 400, code: 'PBH_ERR_VALIDATION' } },
  { name: 'text/plain content type', request: () => ({ method: 'POST', url: SIGN, headers: { 'content-type': 'text/plain' }, payload: JSON.stringify(sign()) }), expect: { status: 415, code: 'PBH_ERR_UNSUPPORTED_MEDIA_TYPE' } },
  { name: 'form-encoded content type', request: () => ({ method: 'POST', url: SIGN, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'hook=order-sign' }), expect: { status: 415, code: 'PBH_ERR_UNSUPPORTED_MEDIA_TYPE' } },
  { name: 'truncated JSON', request: () => json(SIGN, JSON.stringify(sign()).slice(0, 120)), expect: { status: 400, code: 'PBH_ERR_BAD_JSON' } },
  { name: 'empty body', request: () => json(SIGN, ''), expect: { status: 400, code: 'PBH_ERR_BAD_JSON' } },
  {
    name: 'invalid UTF-8 inside a JSON string',
    request: () => {
      const text = JSON.stringify(sign((r) => (r.context.userId = 'Practitioner/XX')));
      const buf = Buffer.from(text, 'utf8');
      const at = buf.indexOf('XX');
      buf[at] = 0xff;
      buf[at + 1] = 0xfe;
      return json(SIGN, buf);
    },
    expect: { status: 400, code: 'PBH_ERR_BAD_JSON' },
  },
  { name: 'JSON array as the body', request: () => json(SIGN, '[]'), expect: { status: 400, code: 'PBH_ERR_VALIDATION' } },
  // ---- fhirServer (SSRF) ----
  { name: 'fhirServer = cloud metadata 169.254.169.254', request: () => json(SIGN, fetchFrom('http://169.254.169.254/latest/meta-data')), expect: { status: 400, code: 'PBH_ERR_FHIR_SERVER_FORBIDDEN' } },
  { name: 'fhirServer = private 10.x', request: () => json(SIGN, fetchFrom('http://10.0.0.5/fhir')), expect: { status: 400, code: 'PBH_ERR_FHIR_SERVER_FORBIDDEN' } },
  { name: 'fhirServer = [::ffff:169.254.169.254] (IPv4-mapped IPv6)', request: () => json(SIGN, fetchFrom('http://[::ffff:169.254.169.254]/')), expect: { status: 400, code: 'PBH_ERR_FHIR_SERVER_FORBIDDEN' } },
  { name: 'fhirServer with credentials in the URL', request: () => json(SIGN, fetchFrom('https://user:pw@fhir.example.org/')), expect: { status: 400, code: 'PBH_ERR_FHIR_SERVER_FORBIDDEN' } },
  { name: 'fhirServer file:// scheme', request: () => json(SIGN, fetchFrom('file:///etc/passwd')), expect: { status: 400, code: 'PBH_ERR_FHIR_SERVER_FORBIDDEN' } },
  { name: 'production: fhirServer = 127.0.0.1', app: 'production', request: () => json(SIGN, fetchFrom('https://127.0.0.1/fhir')), expect: { status: 400, code: 'PBH_ERR_FHIR_SERVER_FORBIDDEN' } },
  { name: 'production: fhirServer = [::ffff:127.0.0.1]', app: 'production', request: () => json(SIGN, fetchFrom('https://[::ffff:127.0.0.1]/fhir')), expect: { status: 400, code: 'PBH_ERR_FHIR_SERVER_FORBIDDEN' } },
  { name: 'production: fhirServer = https://2130706433/ (decimal 127.0.0.1)', app: 'production', request: () => json(SIGN, fetchFrom('https://2130706433/')), expect: { status: 400, code: 'PBH_ERR_FHIR_SERVER_FORBIDDEN' } },
  { name: 'production: fhirServer = localhost', app: 'production', request: () => json(SIGN, fetchFrom('https://localhost/fhir')), expect: { status: 400, code: 'PBH_ERR_FHIR_SERVER_FORBIDDEN' } },
  { name: 'production: non-https fhirServer (http://2130706433/)', app: 'production', request: () => json(SIGN, fetchFrom('http://2130706433/')), expect: { status: 400, code: 'PBH_ERR_FHIR_SERVER_FORBIDDEN' } },
  { name: 'production: non-https public fhirServer', app: 'production', request: () => json(SIGN, fetchFrom('http://fhir.example.org/r4')), expect: { status: 400, code: 'PBH_ERR_FHIR_SERVER_FORBIDDEN' } },
  // ---- client JWT (app with a trusted issuer, unsigned calls refused) ----
  { name: 'JWT: none presented', app: 'auth', request: () => json(SIGN, sign()), expect: { status: 401, code: 'PBH_ERR_AUTH_MISSING' } },
  { name: 'JWT: garbage Authorization header', app: 'auth', request: () => json(SIGN, sign(), { authorization: 'Basic YWRtaW46YWRtaW4=' }), expect: { status: 401, code: 'PBH_ERR_AUTH_MALFORMED' } },
  {
    name: 'JWT: alg none',
    app: 'auth',
    request: ({ issuer }) => json(SIGN, sign(), bearer(unsecuredToken({ iss: issuer.iss, aud: AUD, iat: now(), exp: now() + 300, jti: 'n1' }))),
    expect: { status: 401, code: 'PBH_ERR_AUTH_ALGORITHM' },
  },
  {
    name: 'JWT: HS256 signed with the issuer\'s public key',
    app: 'auth',
    request: async ({ issuer }) => {
      const jwks = (await (await fetch(issuer.jwksUrl)).json()) as { keys: object[] };
      const secret = new TextEncoder().encode(JSON.stringify(jwks.keys[0]));
      const token = await new SignJWT({ iss: issuer.iss, aud: AUD, iat: now(), exp: now() + 300, jti: 'hs1' }).setProtectedHeader({ alg: 'HS256', kid: issuer.kid }).sign(secret);
      return json(SIGN, sign(), bearer(token));
    },
    expect: { status: 401, code: 'PBH_ERR_AUTH_ALGORITHM' },
  },
  { name: 'JWT: wrong aud (the other service)', app: 'auth', request: async ({ issuer }) => json(SIGN, sign(), bearer(await issuer.sign({ aud: `${BASE}${SELECT}` }))), expect: { status: 401, code: 'PBH_ERR_AUTH_AUDIENCE' } },
  { name: 'JWT: expired', app: 'auth', request: async ({ issuer }) => json(SIGN, sign(), bearer(await issuer.sign({ aud: AUD, claims: { iat: now() - 900, exp: now() - 600 } }))), expect: { status: 401, code: 'PBH_ERR_AUTH_EXPIRED' } },
  { name: 'JWT: iat in the future', app: 'auth', request: async ({ issuer }) => json(SIGN, sign(), bearer(await issuer.sign({ aud: AUD, claims: { iat: now() + 600, exp: now() + 900 } }))), expect: { status: 401, code: 'PBH_ERR_AUTH_NOT_YET_VALID' } },
  { name: 'JWT: no jti', app: 'auth', request: async ({ issuer }) => json(SIGN, sign(), bearer(await issuer.sign({ aud: AUD, claims: { jti: undefined } }))), expect: { status: 401, code: 'PBH_ERR_AUTH_CLAIMS' } },
  {
    name: 'JWT: replayed jti (first use accepted, second refused)',
    app: 'auth',
    request: async ({ app, issuer }) => {
      const token = await issuer.sign({ aud: AUD });
      const first = await app.inject(json(SIGN, sign(), bearer(token)));
      expect(first.statusCode).toBe(200);
      return json(SIGN, sign(), bearer(token));
    },
    expect: { status: 401, code: 'PBH_ERR_AUTH_REPLAY' },
  },
  {
    name: 'JWT: replayed against another replica sharing Redis (accepted by replica A, refused by replica B)',
    app: 'replica-b',
    request: async ({ issuer }) => {
      const token = await issuer.sign({ aud: AUD });
      const first = await apps.get('replica-a')!.inject(json(SIGN, sign(), bearer(token)));
      expect(first.statusCode).toBe(200);
      return json(SIGN, sign(), bearer(token));
    },
    expect: { status: 401, code: 'PBH_ERR_AUTH_REPLAY' },
  },
  { name: 'JWT: jku not allow-listed', app: 'auth', request: async ({ issuer }) => json(SIGN, sign(), bearer(await issuer.sign({ aud: AUD, header: { jku: 'https://attacker.example/jwks.json' } }))), expect: { status: 401, code: 'PBH_ERR_AUTH_JKU' } },
  { name: 'JWT: unknown kid', app: 'auth', request: async ({ issuer }) => json(SIGN, sign(), bearer(await issuer.sign({ aud: AUD, header: { kid: 'no-such-key' } }))), expect: { status: 401, code: 'PBH_ERR_AUTH_SIGNATURE' } },
  {
    name: "JWT: the issuer's JWKS host name resolves to an internal address (outbound policy) → keys not fetched",
    app: 'internal-jwks',
    // (test/cdshooks/outbound-policy.test.ts also counts the JWKS server's requests: none)
    request: async ({ issuer }) => json(SIGN, sign(), bearer(await issuer.sign({ aud: AUD }))),
    expect: { status: 401, code: 'PBH_ERR_AUTH_KEYS_UNAVAILABLE' },
  },
  { name: 'JWT: untrusted issuer', app: 'auth', request: async ({ issuer }) => json(SIGN, sign(), bearer(await issuer.sign({ aud: AUD, claims: { iss: 'https://evil.example' } }))), expect: { status: 401, code: 'PBH_ERR_AUTH_ISSUER_NOT_TRUSTED' } },
  // ---- feedback ----
  {
    name: 'feedback for a card this service never issued',
    request: () => json(`${SIGN}/feedback`, { feedback: [{ card: '8b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', outcome: 'accepted', outcomeTimestamp: '2026-01-01T00:00:00Z' }] }),
    expect: { status: 404, code: 'PBH_ERR_CARD_NOT_FOUND' },
  },
  {
    name: 'oversized feedback batch (101 items)',
    request: () => json(`${SIGN}/feedback`, { feedback: Array.from({ length: 101 }, () => ({ card: '8b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', outcome: 'accepted', outcomeTimestamp: '2026-01-01T00:00:00Z' })) }),
    expect: { status: 400, code: 'PBH_ERR_VALIDATION' },
  },
  { name: 'feedback with an unknown outcome', request: () => json(`${SIGN}/feedback`, { feedback: [{ card: '8b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', outcome: 'ignored', outcomeTimestamp: '2026-01-01T00:00:00Z' }] }), expect: { status: 400, code: 'PBH_ERR_VALIDATION' } },
  { name: 'feedback: empty batch', request: () => json(`${SIGN}/feedback`, { feedback: [] }), expect: { status: 400, code: 'PBH_ERR_VALIDATION' } },
  { name: 'feedback: overridden with acceptedSuggestions', request: () => json(`${SIGN}/feedback`, { feedback: [{ card: '8b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', outcome: 'overridden', acceptedSuggestions: [{ id: 'x' }], outcomeTimestamp: '2026-01-01T00:00:00Z' }] }), expect: { status: 400, code: 'PBH_ERR_VALIDATION' } },
  { name: 'feedback to an unknown service', request: () => json('/cds-services/nope/feedback', { feedback: [] }), expect: { status: 404, code: 'PBH_ERR_SERVICE_NOT_FOUND' } },
];

const apps = new Map<AppKind, FastifyInstance>();
let issuer: TestIssuer;
let fhirServer: FhirTestServer;
let redis: Redis;
const REDIS_PREFIX = `pbh-test-${Math.random().toString(36).slice(2, 10)}:`;

async function makeApp(kind: AppKind): Promise<FastifyInstance> {
  const overrides: Partial<Config> =
    kind === 'auth'
      ? { publicBaseUrl: BASE, allowUnsigned: false, trustedIssuers: [{ iss: issuer.iss, jwksUrl: issuer.jwksUrl }] }
      : kind === 'internal-jwks'
        ? // the machine's host name resolves to loopback here (test/cdshooks/outbound-policy.test.ts checks that)
          { publicBaseUrl: BASE, allowUnsigned: false, fhirAllowedHosts: [], trustedIssuers: [{ iss: issuer.iss, jwksUrl: issuer.jwksUrl.replace('127.0.0.1', os.hostname()) }] }
      : kind === 'production'
        ? { profile: 'production', requireHttpsFhir: true, fhirAllowedHosts: [] }
        : {};
  const replica = kind === 'replica-a' || kind === 'replica-b';
  if (replica) Object.assign(overrides, { publicBaseUrl: BASE, allowUnsigned: false, trustedIssuers: [{ iss: issuer.iss, jwksUrl: issuer.jwksUrl }], redisKeyPrefix: REDIS_PREFIX });
  const app = await buildApp(testConfig(overrides), { store: new MemoryStore(), ...(replica ? { redis } : {}) });
  await app.ready();
  return app;
}

beforeAll(async () => {
  issuer = await startTestIssuer();
  fhirServer = await startFhirServer();
  // two replicas sharing one Redis (CI runs one at 127.0.0.1:6379; db 5, keys under a random prefix)
  redis = new Redis(process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379/5', { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  await redis.connect().catch((e: Error) => {
    throw new Error(`the replica cases need Redis at 127.0.0.1:6379 (CI runs one): ${e.message}`);
  });
  for (const kind of ['demo', 'auth', 'production', 'internal-jwks', 'replica-a', 'replica-b'] as AppKind[]) apps.set(kind, await makeApp(kind));
});
afterAll(async () => {
  for (const a of apps.values()) await a.close();
  await issuer.close();
  await fhirServer.close();
  const keys = await redis.keys(`${REDIS_PREFIX}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

test('the catalogue has at least 40 distinct cases', () => {
  expect(cases.length).toBeGreaterThanOrEqual(40);
  expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
});

describe.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
  test(`→ ${c.expect.status}${'code' in c.expect ? ` ${c.expect.code}` : ''}`, async () => {
    const app = apps.get(c.app ?? 'demo')!;
    const res = await app.inject(await c.request({ app, issuer }));
    expect(res.statusCode).toBe(c.expect.status);
    const body = res.json();
    if ('code' in c.expect) {
      // our error shape, with a stable code, and nothing of the request echoed back
      expect(body).toEqual(expect.objectContaining({ statusCode: c.expect.status, code: c.expect.code, error: expect.any(String), message: expect.any(String) }));
      for (const leak of [SECRET_TOKEN, PATIENT_ID, 'rel-other-patient-77', '*2/*2', 'isAdmin', 'attacker.example']) {
        expect(res.body).not.toContain(leak);
      }
    } else {
      c.expect.check(body);
    }
  });
});

// ---- the audit trail and the admin API, against a real (embedded) store ----
// Process-level cases of the same catalogue, each in its own test file because they need the built
// server in a child process: SIGKILL under load loses no audit record of an answered call
// (test/lifecycle/sigkill-audit-durable.test.ts); SIGTERM at any moment of start-up, idle or under load,
// with stdout closed, exits 0 within the grace period (test/lifecycle/shutdown-soak.test.ts).
describe('hostile input that reaches the audit trail or the admin API', () => {
  const ADMIN = 'hostile-catalogue-admin-token';
  let store: SqlStore;
  let app: FastifyInstance;
  beforeAll(async () => {
    store = new SqlStore(new PgliteClient('memory://'), { flushIntervalMs: 20, maxRetryDelayMs: 50 });
    await store.init();
    app = await buildApp(testConfig({ adminToken: ADMIN, publicBaseUrl: BASE }), { store });
    await app.ready();
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await store?.close();
  });
  const admin = (query: string) => app.inject({ method: 'GET', url: `/admin/audit-events?${query}`, headers: { authorization: `Bearer ${ADMIN}` } });
  /** order-sign whose genotype Observation has this id; answered 200, audited with the id as sent */
  const observationId = (id: string) => async () => {
    await store.flush();
    const before = (await store.searchAudit({ limit: 1000 })).length;
    const res = await app.inject(json(SIGN, clopidogrelWith(cyp2c19('CYP2C19 *1/*2', id))));
    expect(res.statusCode).toBe(200);
    const after = await app.inject(json(SIGN, sign()));
    expect(after.statusCode).toBe(200);
    await store.flush();
    const records = await store.searchAudit({ limit: 1000 });
    expect(records.some((r) => r.resourcesUsed.some((u) => u.id === id))).toBe(true);
    expect(records).toHaveLength(before + 2); // the record after it was written too
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().store).toEqual({ ok: true, queueDepth: 0 });
  };
  const adminValidation = (query: string) => async () => {
    const res = await admin(query);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'PBH_ERR_VALIDATION' });
  };
  const storeCases: Array<[string, () => Promise<void>]> = [
    ['Observation id with NUL (\\u0000) in prefetch → 200, audited as sent, later records written, /readyz 200', observationId('obs\u0000nul')],
    ['Observation id with a lone surrogate in prefetch → 200, audited as sent, /readyz 200', observationId('obs\ud800lone')],
    ['Observation id that looks like our escaping ("pbh-escaped:%00") → stored literally', observationId('pbh-escaped:%00')],
    [
      'admin: _count as a query string (5) → 200, 5 entries and a next link',
      async () => {
        const res = await admin('_count=5');
        expect(res.statusCode).toBe(200);
        const bundle = res.json();
        expect(bundle.entry).toHaveLength(5);
        expect(bundle.link.some((l: { relation: string }) => l.relation === 'next')).toBe(true);
      },
    ],
    [
      'feedback whose override reason holds NUL and a lone surrogate → 200, stored',
      async () => {
        const answer = await app.inject(json(SIGN, sign()));
        const card = answer.json().cards[0];
        const feedback = {
          feedback: [{ card: card.uuid, outcome: 'overridden', outcomeTimestamp: '2026-11-20T10:05:00Z', overrideReason: { reason: { system: 'urn:x\u0000', code: 'c\u0000', display: 'd\ud800' } } }],
        };
        const res = await app.inject(json(`${SIGN}/feedback`, feedback));
        expect(res.statusCode).toBe(200);
        expect(res.json()).toMatchObject({ received: 1 });
      },
    ],
    ['admin: _count=0 → 400', adminValidation('_count=0')],
    ['admin: _count=1001 → 400', adminValidation('_count=1001')],
    ['admin: _count=NaN → 400', adminValidation('_count=NaN')],
    ['admin: _cursor not one we issued → 400', adminValidation('_cursor=AAAA')],
    ['admin: _cursor with SQL in it → 400', adminValidation(`_cursor=${encodeURIComponent("'; DROP TABLE audit_record; --")}`)],
  ];
  test.each(storeCases)('%s', async (_name, run) => run(), 30_000);
});
