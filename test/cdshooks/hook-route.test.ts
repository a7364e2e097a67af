/** POST /cds-services/{id}: validation, invariants, prefetch semantics, response shape, audit. */
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app';
import { testConfig } from '../support/config';
import { PATIENT_ID, draftOrder, fullPrefetch, genotypeObservation, hookRequest } from '../support/fixtures';
import { MemoryStore } from '../support/memory-store';
import { schemaErrors } from '../support/response-schema';
import { dataGapCard } from '../support/cards';

const SELECT = '/cds-services/pgx-benefit-order-select';
const SIGN = '/cds-services/pgx-benefit-order-sign';

let app: FastifyInstance;
let store: MemoryStore;

beforeEach(async () => {
  store = new MemoryStore();
  app = await buildApp(testConfig(), { store });
});
afterEach(() => app.close());

const post = (url: string, payload: unknown) => app.inject({ method: 'POST', url, payload: payload as object });

describe('hook calls with full prefetch', () => {
  test.each([
    ['order-select', SELECT],
    ['order-sign', SIGN],
  ] as const)('%s answers 200 with a schema-valid {cards, systemActions}', async (hook, url) => {
    const res = await post(url, hookRequest(hook));
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(schemaErrors('hook-response.schema.json', body)).toEqual([]);
    expect(Array.isArray(body.cards)).toBe(true);
    expect(Array.isArray(body.systemActions)).toBe(true);
  });

  test('the audit record is queued after the answer, with pseudonyms and resources used, no raw ids', async () => {
    const res = await post(SIGN, hookRequest('order-sign'));
    expect(res.statusCode).toBe(200);
    expect(store.audits).toHaveLength(1);
    const a = store.audits[0];
    expect(a).toMatchObject({ kind: 'hook', serviceId: 'pgx-benefit-order-sign', hook: 'order-sign', outcome: 'success' });
    expect(a.patientPseudonym).toMatch(/^p1:[0-9a-f]{64}$/);
    expect(JSON.stringify(a)).not.toContain(PATIENT_ID);
    expect(JSON.stringify(a)).not.toContain('prac-1');
    expect(a.resourcesUsed).toEqual(
      expect.arrayContaining([
        { resourceType: 'Patient', versionId: undefined },
        { resourceType: 'Observation', id: 'obs-1', versionId: '3' },
        { resourceType: 'MedicationRequest', id: 'mr-1' },
      ]),
    );
  });

  test('null prefetch values mean "no data" and are not fetched (no fhirServer needed)', async () => {
    const req = hookRequest('order-sign', {
      prefetch: fullPrefetch({ patient: null, pgx: null, medications: null }) as never,
    });
    const res = await post(SIGN, req);
    expect(res.statusCode).toBe(200);
    expect(dataGapCard(res.json().cards, store.audits[0])).toBeUndefined(); // nothing missing → no data-gap card
  });
});

describe('data that cannot be trusted is dropped and reported', () => {
  test('another patient\'s Observation in the pgx slot → dropped, data-gap card', async () => {
    const req = hookRequest('order-sign', {
      prefetch: fullPrefetch({
        pgx: { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: genotypeObservation('obs-x', 'someone-else') }] },
      }) as never,
    });
    const res = await post(SIGN, req);
    expect(res.statusCode).toBe(200);
    const gap = dataGapCard(res.json().cards, store.audits[0])!;
    expect(gap.indicator).toBe('warning');
    expect(gap.detail).toMatch(/pgx.*not about this patient/);
    expect(store.audits[0].resourcesUsed.some((r) => r.id === 'obs-x')).toBe(false);
    expect(store.audits[0].outcome).toBe('partial');
  });

  test('a wrong resourceType in a prefetch slot → dropped, data-gap card', async () => {
    const req = hookRequest('order-sign', { prefetch: fullPrefetch({ coverage: { resourceType: 'Patient', id: PATIENT_ID } }) as never });
    const res = await post(SIGN, req);
    expect(res.statusCode).toBe(200);
    expect(dataGapCard(res.json().cards, store.audits[0])!.detail).toMatch(/coverage.*unexpected type/);
  });
});

describe('determinism and the one clock', () => {
  test('the data-gap card has the same uuid when the same call is repeated (deduplication, feedback)', async () => {
    const req = hookRequest('order-sign', { prefetch: fullPrefetch({ coverage: { resourceType: 'Patient', id: PATIENT_ID } }) as never });
    const first = dataGapCard((await post(SIGN, req)).json().cards, store.audits[0])!;
    const again = dataGapCard((await post(SIGN, req)).json().cards, store.audits[1])!;
    expect(again.uuid).toBe(first.uuid);
    const other = hookRequest('order-sign', { prefetch: fullPrefetch({ coverage: { resourceType: 'Patient', id: PATIENT_ID } }) as never });
    expect(dataGapCard((await post(SIGN, other)).json().cards, store.audits[2])!.uuid).not.toBe(first.uuid);
  });

  test('with an injected clock the audit duration is measured on that clock (never negative)', async () => {
    let t = Date.parse('2020-01-01T00:00:00Z');
    const fixed = await buildApp(testConfig(), { store, now: () => new Date((t += 5)) });
    try {
      const res = await fixed.inject({ method: 'POST', url: SIGN, payload: hookRequest('order-sign') as object });
      expect(res.statusCode).toBe(200);
      expect(store.audits[0].durationMs).toBeGreaterThanOrEqual(0);
      expect(store.audits[0].durationMs).toBeLessThan(1000);
    } finally {
      await fixed.close();
    }
  });
});

describe('412 when data is neither prefetched nor fetchable', () => {
  test('missing prefetch key and no fhirServer → 412 with an OperationOutcome', async () => {
    const prefetch = fullPrefetch();
    delete prefetch.coverage;
    const res = await post(SIGN, hookRequest('order-sign', { prefetch: prefetch as never }));
    expect(res.statusCode).toBe(412);
    const body = res.json();
    expect(body.code).toBe('PBH_ERR_PREFETCH_UNAVAILABLE');
    expect(body.operationOutcome.resourceType).toBe('OperationOutcome');
    expect(body.message).toContain('coverage');
  });

  test('the supplementary vitals key missing, no fhirServer → answered (read as no data), not 412', async () => {
    const prefetch = fullPrefetch();
    delete prefetch.vitals;
    const res = await post(SIGN, hookRequest('order-sign', { prefetch: prefetch as never }));
    expect(res.statusCode).toBe(200);
  });

  test('an OperationOutcome in a prefetch slot counts as "not supplied"', async () => {
    const req = hookRequest('order-sign', { prefetch: fullPrefetch({ pgx: { resourceType: 'OperationOutcome', issue: [] } }) as never });
    const res = await post(SIGN, req);
    expect(res.statusCode).toBe(412);
    expect(res.json().message).toContain('pgx');
  });

  test('fhirServer without fhirAuthorization cannot fetch → 412', async () => {
    const req = hookRequest('order-sign', { prefetch: undefined, fhirServer: 'http://127.0.0.1:9/fhir' });
    const res = await post(SIGN, req);
    expect(res.statusCode).toBe(412);
  });
});

describe('invariants', () => {
  test('hook ≠ service hook → 400 PBH_ERR_HOOK_MISMATCH', async () => {
    const res = await post(SIGN, hookRequest('order-select'));
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('PBH_ERR_HOOK_MISMATCH');
  });

  test('order-select selections must name draft orders', async () => {
    const req = hookRequest('order-select');
    req.context.selections = ['MedicationRequest/not-there'];
    const res = await post(SELECT, req);
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('PBH_ERR_CONTEXT_INVALID');
  });

  test('order-select without selections → 400', async () => {
    const req = hookRequest('order-select');
    delete req.context.selections;
    expect((await post(SELECT, req)).json().code).toBe('PBH_ERR_CONTEXT_INVALID');
  });

  test('order-select accepts several selections present in draftOrders', async () => {
    const req = hookRequest('order-select');
    req.context.selections = ['MedicationRequest/mr-1', 'MedicationRequest/mr-2'];
    expect((await post(SELECT, req)).statusCode).toBe(200);
  });

  const auth = { access_token: 'secret-token-123', token_type: 'Bearer', expires_in: 300, scope: 'patient/*.read', subject: 'cds-service' };

  test('fhirAuthorization without fhirServer → 400 PBH_ERR_CONTEXT_INVALID', async () => {
    const res = await post(SIGN, hookRequest('order-sign', { fhirAuthorization: auth as never }));
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('PBH_ERR_CONTEXT_INVALID');
  });

  test('fhirAuthorization.patient ≠ context.patientId → 400', async () => {
    const res = await post(
      SIGN,
      hookRequest('order-sign', { fhirServer: 'http://127.0.0.1:9/fhir', fhirAuthorization: { ...auth, patient: 'other' } as never }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('PBH_ERR_CONTEXT_INVALID');
  });

  test('fhirAuthorization.token_type must be Bearer (schema) → 400 naming the path only', async () => {
    const res = await post(
      SIGN,
      hookRequest('order-sign', { fhirServer: 'http://127.0.0.1:9/fhir', fhirAuthorization: { ...auth, token_type: 'MAC' } as never }),
    );
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('PBH_ERR_VALIDATION');
    expect(body.instancePath).toBe('/fhirAuthorization/token_type');
    expect(res.body).not.toContain('secret-token-123');
    expect(res.body).not.toContain('MAC');
  });

  test('hookInstance must be a uuid', async () => {
    const res = await post(SIGN, hookRequest('order-sign', { hookInstance: 'nope' }));
    expect(res.statusCode).toBe(400);
    expect(res.json().instancePath).toBe('/hookInstance');
  });

  test('fhirServer pointing at a private address → 400 PBH_ERR_FHIR_SERVER_FORBIDDEN', async () => {
    const strict = await buildApp(testConfig({ fhirAllowedHosts: [] }));
    const res = await strict.inject({
      method: 'POST',
      url: SIGN,
      payload: hookRequest('order-sign', { prefetch: undefined, fhirServer: 'http://169.254.169.254/fhir', fhirAuthorization: auth as never }) as never,
    });
    await strict.close();
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('PBH_ERR_FHIR_SERVER_FORBIDDEN');
  });

  test('unknown service → 404 PBH_ERR_SERVICE_NOT_FOUND', async () => {
    const res = await post('/cds-services/no-such-service', hookRequest('order-sign'));
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('PBH_ERR_SERVICE_NOT_FOUND');
  });

  test('non-MedicationRequest draft orders are ignored, not errors', async () => {
    const req = hookRequest('order-sign');
    req.context.draftOrders.entry!.push({ resource: { resourceType: 'ServiceRequest', id: 'sr-1', status: 'draft', intent: 'order', subject: { reference: `Patient/${PATIENT_ID}` } } as never });
    req.context.draftOrders.entry!.push({ resource: draftOrder('mr-3') });
    const res = await post(SIGN, req);
    expect(res.statusCode).toBe(200);
    const used = store.audits[0].resourcesUsed.map((r) => `${r.resourceType}/${r.id}`);
    expect(used).toContain('MedicationRequest/mr-3');
    expect(used).not.toContain('ServiceRequest/sr-1');
  });
});
