/** Logs never carry tokens, patient ids or genotypes — checked on the real log stream of real requests. */
import { Writable } from 'node:stream';
import { buildApp } from '../../src/app';
import { testConfig } from '../support/config';
import { createLogger } from '../../src/logging';
import { DIPLOTYPE_TEXT, PATIENT_ID, hookRequest } from '../support/fixtures';
import { startFhirServer, type FhirTestServer } from '../support/fhir-server';

const ACCESS_TOKEN = 'fhir-access-token-SHOULD-NOT-LEAK';
const CLIENT_JWT = 'eyJhbGciOiJFUzM4NCJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJlLVNIT1VMRC1OT1QtTEVBSw';

let fhir: FhirTestServer;
beforeAll(async () => {
  fhir = await startFhirServer();
  fhir.behaviours.Coverage = { status: 500 };
});
afterAll(() => fhir.close());

test('debug-level logs of hook, error and feedback requests contain no token, patient id or diplotype', async () => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  const config = testConfig({ logLevel: 'trace' });
  const app = await buildApp(config, { logger: createLogger(config, stream) });
  const url = '/cds-services/pgx-benefit-order-sign';

  // 1. prefetch path (diplotype in the Observation), 2. fetch path with a failing FHIR query,
  // 3. a presented client JWT (demo: its untrusted issuer is answered unverified and logged by issuer),
  // 4. a schema failure, 5. malformed JSON
  await app.inject({ method: 'POST', url, payload: hookRequest('order-sign') as never });
  const fetchReq = hookRequest('order-sign', {
    fhirServer: fhir.base,
    fhirAuthorization: { access_token: ACCESS_TOKEN, token_type: 'Bearer', expires_in: 300, scope: 'patient/*.read', subject: 'svc', patient: PATIENT_ID },
  });
  delete fetchReq.prefetch!.coverage;
  const fetched = await app.inject({ method: 'POST', url, payload: fetchReq as never });
  expect(fetched.statusCode).toBe(200);
  await app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${CLIENT_JWT}` }, payload: hookRequest('order-sign') as never });
  await app.inject({ method: 'POST', url, payload: { ...hookRequest('order-sign'), hookInstance: PATIENT_ID } as never });
  await app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: `{"patientId":"${PATIENT_ID}", "x": "${DIPLOTYPE_TEXT}"` });
  await app.close();

  const log = lines.join('');
  expect(lines.length).toBeGreaterThan(10); // we did capture the real request logs
  expect(log).toContain('hook answered');
  for (const secret of [ACCESS_TOKEN, CLIENT_JWT, PATIENT_ID, DIPLOTYPE_TEXT, '*2/*17', 'prac-1']) {
    expect(log).not.toContain(secret);
  }
  // every request-scoped line carries a request id
  const requestLines = lines.map((l) => JSON.parse(l)).filter((l) => l.req || l.res);
  expect(requestLines.length).toBeGreaterThan(0);
  for (const l of requestLines) expect(l.reqId).toBeTruthy();
});
