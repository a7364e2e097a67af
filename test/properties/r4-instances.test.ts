import fc from 'fast-check';
import { readFhirResource, type Leniency } from '../../src/fhir/json-shape';
import { fhirR4Model } from '../../src/fhir/read-paths';
import { draftMedicationRequest, expectNoDataGap, hookCallWith, inPrefetchSlot, PREFETCH_SLOT, recordFhirReads } from '../support/fhir-reads';
import { r4Arbitraries } from './r4-arbitrary';

/**
 * Valid R4 instances of every resource type the hooks read, generated from the R4 definitions (all
 * datatypes, lists, choice types): none is refused, none is left out, none needs a leniency — in prefetch,
 * and as the draft order for MedicationRequest.
 */
const model = fhirR4Model();
const { resource } = r4Arbitraries(model);
const PATIENT = 'gen-patient-1';
const RUNS = 25;

/** the element that ties each resource type the hooks read to the patient (none: the Patient itself) */
const LINK: Record<string, string | undefined> = {
  Patient: undefined,
  Observation: 'subject',
  MedicationRequest: 'subject',
  MedicationDispense: 'subject',
  Coverage: 'beneficiary',
  Condition: 'subject',
  Goal: 'subject',
};

/** a generated resource, about our patient (attribution is not what this test is about) */
function aboutPatient(r: Record<string, unknown>): Record<string, unknown> {
  const link = LINK[r.resourceType as string];
  if (!link) return { ...r, id: PATIENT };
  const ref = (r[link] as Record<string, unknown> | undefined) ?? {};
  return { ...r, [link]: { ...ref, reference: `Patient/${PATIENT}` } };
}

const clopidogrel = draftMedicationRequest(PATIENT, { code: '32968', display: 'clopidogrel' });
const request = (prefetch: Record<string, unknown>, draft: { id: string }) => hookCallWith('order-sign', PATIENT, prefetch, draft);

const reads = recordFhirReads();

async function expectAccepted(body: object): Promise<void> {
  reads.clear();
  const res = await reads.app().inject({ method: 'POST', url: '/cds-services/pgx-benefit-order-sign', payload: body });
  expect(res.statusCode).toBe(200);
  expectNoDataGap(res.json());
  expect(reads.dropped).toEqual([]);
  expect(reads.leniencies).toEqual([]);
}

it('the generator makes instances the R4 reader takes as they are', () => {
  fc.assert(
    fc.property(fc.constantFrom(...Object.keys(PREFETCH_SLOT)).chain(resource), (r) => {
      const out: Leniency[] = [];
      const before = JSON.stringify(r);
      expect(readFhirResource(r, model, 'prefetch', out)).toBeUndefined();
      expect(out).toEqual([]);
      expect(JSON.stringify(r)).toBe(before);
    }),
    { numRuns: 200 },
  );
});

it.each(Object.keys(PREFETCH_SLOT))('%s in prefetch: never refused, never left out', async (type) => {
  await fc.assert(
    fc.asyncProperty(resource(type).map(aboutPatient), async (r) => {
      await expectAccepted(request(inPrefetchSlot(r as { resourceType: string }), clopidogrel));
    }),
    { numRuns: RUNS },
  );
});

it('MedicationRequest as the draft order: never refused', async () => {
  await fc.assert(
    fc.asyncProperty(resource('MedicationRequest').map(aboutPatient), async (r) => {
      await expectAccepted(request({}, r as { id: string }));
    }),
    { numRuns: RUNS },
  );
});
