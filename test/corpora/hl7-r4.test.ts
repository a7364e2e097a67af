import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { US_CORE_RACE } from '../../src/fhir/systems';
import { readPatientFacts } from '../../src/pgx/patient-facts';
import { draftMedicationRequest, expectNoDataGap, hookCallWith, inPrefetchSlot, PREFETCH_SLOT, recordFhirReads } from '../support/fhir-reads';

/**
 * The FHIR R4 core examples HL7 publishes (test/corpora/hl7-r4/PROVENANCE.md), sent to both hooks over
 * HTTP as their EHR would: each in its prefetch slot, and each MedicationRequest also as the draft order.
 * None may be refused, none left out, and none needs a leniency.
 */
const DIR = path.join(__dirname, 'hl7-r4');
const examples = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .map((file) => ({ file, resource: JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) }));

const reads = recordFhirReads();
beforeEach(() => reads.clear());

/** the patient the example is about (its own id for a Patient) */
function patientOf(r: any): string {
  if (r.resourceType === 'Patient') return r.id;
  const ref: string = (r.subject ?? r.patient ?? r.beneficiary).reference;
  return ref.split('/').pop()!;
}

it('the corpus holds several examples of every resource type the hooks read', () => {
  const counts = examples.reduce<Record<string, number>>((n, e) => ({ ...n, [e.resource.resourceType]: (n[e.resource.resourceType] ?? 0) + 1 }), {});
  // the build publishes two Goal examples; every other type has at least four
  for (const type of Object.keys(PREFETCH_SLOT)) expect(counts[type]).toBeGreaterThanOrEqual(type === 'Goal' ? 2 : 4);
});

it("a published Goal that targets something else is never read as a target INR, even when active", () => {
  const codes = { targetInrLoinc: '6301-6' };
  for (const e of examples.filter((x) => x.resource.resourceType === 'Goal')) {
    const active = { ...structuredClone(e.resource), lifecycleStatus: 'active' };
    expect(readPatientFacts(undefined, [], '2026-01-01T00:00:00Z', US_CORE_RACE, { goals: [active], codes }).targetInr).toBeUndefined();
  }
});

describe.each(['order-sign', 'order-select'] as const)('%s', (hook) => {
  const url = `/cds-services/pgx-benefit-${hook}`;
  const draft = (patientId: string) => draftMedicationRequest(patientId, { code: '2670', display: 'codeine' });
  const request = (patientId: string, prefetch: Record<string, unknown>, order: { id: string }) => hookCallWith(hook, patientId, prefetch, order);

  it.each(examples.map((e) => [e.file, e.resource] as const))('%s in prefetch: not refused, not left out', async (_file, resource) => {
    const patientId = patientOf(resource);
    const prefetch = inPrefetchSlot(structuredClone(resource));
    const res = await reads.app().inject({ method: 'POST', url, payload: request(patientId, prefetch, draft(patientId)) });
    expect(res.statusCode).toBe(200);
    expectNoDataGap(res.json());
    expect(reads.dropped).toEqual([]);
    expect(reads.leniencies).toEqual([]);
  });

  it.each(examples.filter((e) => e.resource.resourceType === 'MedicationRequest').map((e) => [e.file, e.resource] as const))(
    '%s as the draft order: not refused',
    async (_file, resource) => {
      const res = await reads.app().inject({ method: 'POST', url, payload: request(patientOf(resource), {}, structuredClone(resource)) });
      expect(res.statusCode).toBe(200);
      expectNoDataGap(res.json());
      expect(reads.leniencies).toEqual([]);
      // each names a medication, so each gets its card (an unrecognised drug says so; it is never silent)
      expect(res.json().cards.length).toBe(1);
    },
  );
});
