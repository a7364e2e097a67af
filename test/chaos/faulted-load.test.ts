/**
 * Faulted load: autocannon (loopback, bounded) against the real service with the embedded store on disk,
 * while the local FHIR server injects faults that change every 150 ms (slow within and past the deadline,
 * 500, 429, resets). Zero 5xx from the service; then the app and store are closed (the real shutdown
 * order), the data directory is opened again, and every answered hook call has its audit record.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Resource } from 'fhir/r4';
import { buildApp } from '../../src/app';
import { testConfig } from '../support/config';
import { createStore } from '../../src/store/create-store';
import { PATIENT_ID, genotypeObservation, hookRequest } from '../support/fixtures';
import { startFhirServer, type Behaviour, type FhirTestServer } from '../support/fhir-server';

jest.setTimeout(60_000);

/** the part of autocannon's API used here (the package ships no type declarations) */
interface CannonResult {
  errors: number;
  timeouts: number;
  duration: number;
  '2xx': number;
  '5xx': number;
}
type Autocannon = (opts: Record<string, unknown>, done: (err: Error | null, res: CannonResult) => void) => unknown;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon: Autocannon = require('autocannon');

const DEADLINE_MS = 300;
const SERVICE = 'pgx-benefit-order-sign';
const FAULTS: Array<Record<string, Behaviour>> = [
  {},
  { Observation: { latencyMs: 100 }, Coverage: { status: 500 } },
  { Observation: { latencyMs: DEADLINE_MS + 200 } },
  { Observation: { status: 429, retryAfter: '0' }, Condition: { status: 500 } },
  { Observation: { reset: true }, MedicationDispense: { latencyMs: 50 } },
  { Coverage: { latencyMs: DEADLINE_MS + 200 }, Condition: { status: 503 } },
];

let dataDir: string;
let fhir: FhirTestServer;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'pbh-faulted-load-'));
  fhir = await startFhirServer();
  const subject = { reference: `Patient/${PATIENT_ID}` };
  fhir.data = {
    Patient: [{ resourceType: 'Patient', id: PATIENT_ID }],
    Observation: [genotypeObservation('g1')] as Resource[],
    MedicationRequest: [],
    MedicationDispense: [{ resourceType: 'MedicationDispense', id: 'd1', status: 'completed', subject } as Resource],
    Coverage: [{ resourceType: 'Coverage', id: 'cov1', status: 'active', beneficiary: subject } as Resource],
    Condition: [],
  };
});
afterAll(async () => {
  await fhir.close();
  rmSync(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 }); // a closing store may still be writing
});

/** a fetching request (no prefetch at all), fresh hookInstance each time */
const body = () =>
  JSON.stringify(
    hookRequest('order-sign', {
      hookInstance: randomUUID(),
      prefetch: undefined,
      fhirServer: fhir.base,
      fhirAuthorization: { access_token: 'chaos-fhir-token-do-not-log', token_type: 'Bearer', expires_in: 300, scope: 'patient/*.read', subject: 'svc', patient: PATIENT_ID },
    }),
  );

test('no 5xx under faults, and no audit record lost', async () => {
  const config = testConfig({ dataDir, databaseUrl: undefined, fhirDeadlineMs: DEADLINE_MS, rateLimitMax: 1_000_000 });
  const store = createStore(config);
  await store.init();
  const app: FastifyInstance = await buildApp(config, { store });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

  let i = 0;
  const flip = setInterval(() => (fhir.behaviours = FAULTS[i++ % FAULTS.length]), 150);
  let result: CannonResult;
  try {
    result = await new Promise<CannonResult>((resolve, reject) => {
      autocannon(
        {
          url,
          connections: 10,
          amount: 100,
          timeout: 5,
          requests: [{ method: 'POST', path: `/cds-services/${SERVICE}`, headers: { 'content-type': 'application/json' }, setupRequest: (req: Record<string, unknown>) => ({ ...req, body: body() }) }],
        },
        (err, res) => (err ? reject(err) : resolve(res)),
      );
    });
  } finally {
    clearInterval(flip);
    fhir.behaviours = {};
  }
  // the real shutdown order: stop accepting and drain, then flush the audit queue
  await app.close();
  await store.close();

  expect(result.errors).toBe(0);
  expect(result.timeouts).toBe(0);
  expect(result['5xx']).toBe(0);
  expect(result['2xx']).toBe(100);
  expect(result.duration).toBeLessThan(10);
  expect(fhir.requests.length).toBeGreaterThan(100); // the faults were really exercised over HTTP

  const reopened = createStore({ ...testConfig(), dataDir, databaseUrl: undefined });
  await reopened.init();
  try {
    const records = (await reopened.searchAudit({ serviceId: SERVICE, limit: 1000 })).filter((r) => r.kind === 'hook');
    expect(records).toHaveLength(result['2xx']);
    expect(new Set(records.map((r) => r.hookInstance)).size).toBe(records.length);
    // faults were visible: some answers were partial (gaps), none was an error
    expect(records.some((r) => r.outcome === 'partial')).toBe(true);
    expect(records.every((r) => r.outcome !== 'error')).toBe(true);
  } finally {
    await reopened.close();
  }
});
