/**
 * assessRequest: which draft orders are assessed, under which reference, and what each order's assessment
 * carries (gaps, benefit or why not), with the shipped knowledge and the sample plans.
 */
import type { MedicationRequest } from 'fhir/r4';
import { assessRequest } from '../../src/decision/assess-order';
import { draftOrder } from '../benefit/helpers';
import { ctx, cyp2c19, knowledge, patientOrdering } from './builders';

const refs = (record: Parameters<typeof assessRequest>[0], context = ctx()) =>
  assessRequest(record, context, knowledge()).orders.map((o) => o.orderRef);

describe('orders in scope', () => {
  it('order-sign assesses every draft order; order-select only the selected ones (by reference or bare id)', () => {
    const record = patientOrdering(['clopidogrel', 'simvastatin', 'warfarin']);
    expect(refs(record)).toEqual(['MedicationRequest/draft-clopidogrel', 'MedicationRequest/draft-simvastatin', 'MedicationRequest/draft-warfarin']);
    const select = ctx({ hook: 'order-select', selections: ['MedicationRequest/draft-simvastatin', 'draft-warfarin'] });
    expect(refs(record, select)).toEqual(['MedicationRequest/draft-simvastatin', 'MedicationRequest/draft-warfarin']);
  });

  it('order-select without selections assesses every draft order', () => {
    const record = patientOrdering(['clopidogrel', 'simvastatin']);
    expect(refs(record, ctx({ hook: 'order-select', selections: [] }))).toHaveLength(2);
  });

  it('a draft that names no medication yet (the order form just opened) is not assessed', () => {
    const blank: MedicationRequest = { resourceType: 'MedicationRequest', id: 'blank', status: 'draft', intent: 'order', subject: { reference: 'Patient/p1' }, medicationCodeableConcept: { coding: [{}] } };
    expect(refs(patientOrdering(['clopidogrel'], { draftOrders: [blank, draftOrder('clopidogrel')] }))).toEqual(['MedicationRequest/draft-clopidogrel']);
  });

  it('a draft without an id is referred to by its place among the draft orders', () => {
    const { id: _id, ...noId } = draftOrder('simvastatin');
    const record = patientOrdering([], { draftOrders: [draftOrder('clopidogrel'), noId as MedicationRequest] });
    expect(refs(record)).toEqual(['MedicationRequest/draft-clopidogrel', 'MedicationRequest/draft-1']);
  });
});

describe('what each order assessment carries', () => {
  it('both engines: the PGx verdict from the genotype and the benefit from the plan', () => {
    const { orders, errors } = assessRequest(patientOrdering(['clopidogrel'], { pgxObservations: [cyp2c19('*2/*2')] }), ctx(), knowledge());
    expect(errors).toEqual([]);
    const [a] = orders;
    expect(a!.pgx.verdict).toBe('expected-ineffective');
    expect(a!.pgx.recommendation).toMatchObject({ indicator: 'critical' });
    expect(a!.benefit).toMatchObject({ planId: expect.any(String), status: { covered: true } });
    expect(a!.benefit!.alternatives.map((alt) => alt.drug.cpicDrug)).toContain('prasugrel');
    expect(a!.gaps).toEqual([]);
  });

  it('genomics that could not be retrieved become a gap on every order, and the drug counts as untested', () => {
    const record = patientOrdering(['clopidogrel', 'simvastatin'], { unavailable: [{ key: 'pgx', reason: 'FHIR server timed out after 800 ms' }] });
    const { orders } = assessRequest(record, ctx(), knowledge());
    for (const o of orders) {
      expect(o.pgx.verdict).toBe('untested');
      expect(o.gaps).toContainEqual({ key: 'pgx', reason: 'FHIR server timed out after 800 ms' });
    }
  });

  it('without a Coverage the benefit is unavailable, with a reason, and PGx is still assessed', () => {
    const { orders } = assessRequest(patientOrdering(['clopidogrel'], { coverage: [], pgxObservations: [cyp2c19('*2/*2')] }), ctx(), knowledge());
    const [a] = orders;
    expect(a!.benefit).toBeUndefined();
    expect(a!.benefitUnavailable).toMatchObject({ unavailable: true, reason: expect.any(String) });
    expect(a!.pgx.verdict).toBe('expected-ineffective');
  });

  it('a withdrawn result of the drug\'s gene is named as ignored, never used', () => {
    const withdrawn = { ...cyp2c19('*2/*2'), status: 'entered-in-error' as const };
    const { orders } = assessRequest(patientOrdering(['clopidogrel'], { pgxObservations: [withdrawn] }), ctx(), knowledge());
    expect(orders[0]!.pgx.verdict).toBe('untested');
    expect(orders[0]!.ignoredResults).toEqual([{ key: 'CYP2C19 result', reason: 'a CYP2C19 result marked entered-in-error was ignored' }]);
  });

  it('an unrecognised drug is still an order assessment, marked unrecognised', () => {
    const mystery: MedicationRequest = { resourceType: 'MedicationRequest', id: 'm', status: 'draft', intent: 'order', subject: { reference: 'Patient/p1' }, medicationCodeableConcept: { text: 'Mysterium 5 mg' } };
    const { orders } = assessRequest(patientOrdering([], { draftOrders: [mystery] }), ctx(), knowledge());
    expect(orders[0]).toMatchObject({ orderRef: 'MedicationRequest/m', pgx: { verdict: 'unrecognised' }, drug: { recognised: false } });
  });
});
