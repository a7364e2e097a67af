/**
 * The order card, built directly from an assessment: whether there is a card, its kind, indicator,
 * suggestions and uuid. Hand-built assessments pin single rules; records assessed by the real engines (the
 * shipped CPIC tables and the sample commercial plan) pin the combinations.
 */
import type { MedicationRequest, ServiceRequest } from 'fhir/r4';
import { RXNORM } from '../../src/fhir/systems';
import { assessRequest } from '../../src/decision/assess-order';
import { buildOrderCard } from '../../src/decision/order-card';
import { BENEFIT_OVERRIDE_REASONS, PGX_OVERRIDE_REASONS } from '../../src/decision/override-reasons';
import type { DecisionContext, PatientRecord } from '../../src/decision/types';
import { clopidogrelPgx, ctx, cyp2c19, knowledge, orderAssessment, PATIENT, patientOrdering, recommendation } from './builders';

const cardOf = (record: PatientRecord, context: DecisionContext = ctx()) => {
  const { orders } = assessRequest(record, context, knowledge());
  expect(orders).toHaveLength(1);
  return buildOrderCard(orders[0]!, context, record.patientId);
};

describe('card kind and indicator', () => {
  it('CPIC strong advice to use an alternative (poor metabolizer on clopidogrel) is a critical pgx-recommendation', () => {
    const built = cardOf(patientOrdering(['clopidogrel'], { pgxObservations: [cyp2c19('*2/*2')] }))!;
    expect(built.card.indicator).toBe('critical');
    expect(built.card.source.topic).toEqual({ system: 'urn:pbh:card-kind', code: 'pgx-recommendation', display: 'pgx-recommendation' });
    expect(built.summary).toMatchObject({ cardKind: 'pgx-recommendation', indicator: 'critical', pgxVerdict: 'expected-ineffective', pair: 'CYP2C19:clopidogrel' });
    expect(built.card.overrideReasons).toBe(PGX_OVERRIDE_REASONS);
  });

  it('standard dosing (normal metabolizer) is info, still shown with its evidence', () => {
    const built = cardOf(patientOrdering(['clopidogrel'], { pgxObservations: [cyp2c19('*1/*1')] }))!;
    expect(built.card.indicator).toBe('info');
    expect(built.summary.cardKind).toBe('pgx-recommendation');
    expect(built.card.suggestions).toBeUndefined();
  });

  it('the indicator is the CPIC row\'s own, not read from the strength words', () => {
    const built = buildOrderCard(orderAssessment(clopidogrelPgx({ recommendation: recommendation({ indicator: 'warning', strength: 'Strong' }) })), ctx(), PATIENT)!;
    expect(built.card.indicator).toBe('warning');
  });

  it('a preliminary result never makes a card critical', () => {
    const pgx = clopidogrelPgx({ provisional: [{ gene: 'CYP2C19', status: 'preliminary' }] });
    const built = buildOrderCard(orderAssessment(pgx), ctx(), PATIENT)!;
    expect(built.card.indicator).toBe('warning');
    expect(built.card.summary).toMatch(/preliminary result — confirm before acting/);
  });

  it('a label contraindication without a CPIC row is critical', () => {
    const pgx = clopidogrelPgx({
      verdict: 'contraindicated',
      recommendation: undefined,
      otherGuidance: [
        {
          source: 'FDA label',
          sourceVersion: 'test',
          gene: 'CYP2C19',
          matched: 'Poor Metabolizer',
          action: 'avoid',
          contraindicated: true,
          text: 'Contraindicated.',
          citation: { id: 'PA1', url: 'https://www.pharmgkb.org/labelAnnotation/PA1', title: 'Label' },
          rowId: 'fda-1',
        },
      ],
    });
    const built = buildOrderCard(orderAssessment(pgx), ctx(), PATIENT)!;
    expect(built.card.indicator).toBe('critical');
    expect(built.card.links).toEqual([{ label: 'FDA label: Label', url: 'https://www.pharmgkb.org/labelAnnotation/PA1', type: 'absolute' }]);
  });

  it('no result on file is a pgx-missing-test card; genomics that could not be retrieved make it a warning', () => {
    const untested = clopidogrelPgx({ verdict: 'untested', genes: [], missingGenes: ['CYP2C19'], recommendation: undefined });
    const known = buildOrderCard(orderAssessment(untested), ctx(), PATIENT)!;
    expect(known.summary).toMatchObject({ cardKind: 'pgx-missing-test', indicator: 'info' });
    const gap = buildOrderCard(orderAssessment(untested, { gaps: [{ key: 'pgx', reason: 'FHIR server timed out' }] }), ctx(), PATIENT)!;
    expect(gap.summary).toMatchObject({ cardKind: 'pgx-missing-test', indicator: 'warning' });
    expect(gap.card.summary).toMatch(/results unavailable — do not assume normal/);
  });

  it('a covered drug without gene–drug guidance gets no card; a coverage obstacle alone gives a warning coverage card', () => {
    expect(cardOf(patientOrdering(['apixaban']))).toBeUndefined();
    const stepped = cardOf(patientOrdering(['febuxostat']))!;
    expect(stepped.summary).toMatchObject({ cardKind: 'coverage', indicator: 'warning', stepTherapy: 'required', pgxVerdict: 'no-guidance' });
    expect(stepped.card.overrideReasons).toBe(BENEFIT_OVERRIDE_REASONS);
  });

  it('an order that could not be assessed says so as a warning, never as silence', () => {
    const built = buildOrderCard(orderAssessment(clopidogrelPgx(), { failure: 'internal error' }), ctx(), PATIENT)!;
    expect(built.summary).toMatchObject({ cardKind: 'assessment-failed', indicator: 'warning', suggestionUuids: [] });
    expect(built.card.summary).toMatch(/could not be checked/);
  });
});

describe('suggestions', () => {
  const ineffective = () => cardOf(patientOrdering(['clopidogrel'], { pgxObservations: [cyp2c19('*2/*2')] }))!;

  it('each alternative replaces the order: create the new order first, then delete the draft', () => {
    const { card, summary } = ineffective();
    expect(card.selectionBehavior).toBe('at-most-one');
    expect(card.suggestions!.length).toBeGreaterThan(0);
    expect(card.suggestions!.map((s) => s.isRecommended)).toEqual(card.suggestions!.map((_s, i) => i === 0));
    for (const s of card.suggestions!) {
      expect(s.actions!.map((a) => a.type)).toEqual(['create', 'delete']);
      expect(s.actions![1]).toMatchObject({ type: 'delete', resourceId: 'MedicationRequest/draft-clopidogrel' });
    }
    expect(summary.suggestionUuids).toEqual(card.suggestions!.map((s) => s.uuid));
  });

  it('the replacement order names the alternative by RxNorm and carries no dose over from the original drug', () => {
    const first = ineffective().card.suggestions![0]!;
    const created = first.actions![0]!.resource as MedicationRequest;
    expect(first.label).toMatch(/^Replace with prasugrel/);
    expect(created.resourceType).toBe('MedicationRequest');
    expect(created.medicationCodeableConcept!.coding![0]).toMatchObject({ system: RXNORM, display: 'prasugrel' });
    expect(created.dosageInstruction).toBeUndefined();
    expect(created.dispenseRequest).toBeUndefined();
    expect(created.id).not.toBe('draft-clopidogrel');
  });

  it('with no result on file, the suggestion proposes the test as a draft ServiceRequest for this patient', () => {
    const untested = clopidogrelPgx({ verdict: 'untested', genes: [], missingGenes: ['CYP2C19'], recommendation: undefined });
    const { card } = buildOrderCard(orderAssessment(untested), ctx(), PATIENT)!;
    expect(card.suggestions).toHaveLength(1);
    const [action] = card.suggestions![0]!.actions!;
    expect(action!.type).toBe('create');
    const test = action!.resource as ServiceRequest;
    expect(test).toMatchObject({ resourceType: 'ServiceRequest', status: 'draft', intent: 'proposal', subject: { reference: `Patient/${PATIENT}` } });
    expect(test.code!.text).toBe('CYP2C19 pharmacogenomic genotyping');
  });

  it('no test is proposed when the genomic results could not be retrieved (they may exist)', () => {
    const untested = clopidogrelPgx({ verdict: 'untested', genes: [], missingGenes: ['CYP2C19'], recommendation: undefined });
    const { card } = buildOrderCard(orderAssessment(untested, { gaps: [{ key: 'pgx', reason: 'timed out' }] }), ctx(), PATIENT)!;
    expect(card.suggestions).toBeUndefined();
  });
});

describe('card uuid', () => {
  it('is the same for the same decision in the same hook call, so an EHR can de-duplicate repeated calls', () => {
    const record = patientOrdering(['clopidogrel'], { pgxObservations: [cyp2c19('*2/*2')] });
    const a = cardOf(record)!;
    const b = cardOf(structuredClone(record))!;
    expect(b.card.uuid).toBe(a.card.uuid);
    expect(b.summary.suggestionUuids).toEqual(a.summary.suggestionUuids);
  });

  it('differs for another order, another hook call, or another decision', () => {
    const base = buildOrderCard(orderAssessment(clopidogrelPgx()), ctx(), PATIENT)!.card.uuid;
    const otherOrder = buildOrderCard(orderAssessment(clopidogrelPgx(), { orderRef: 'MedicationRequest/mr-2' }), ctx(), PATIENT)!.card.uuid;
    const otherCall = buildOrderCard(orderAssessment(clopidogrelPgx()), ctx({ hookInstance: 'hook-instance-2' }), PATIENT)!.card.uuid;
    const otherDecision = buildOrderCard(orderAssessment(clopidogrelPgx({ verdict: 'adjust' })), ctx(), PATIENT)!.card.uuid;
    expect(new Set([base, otherOrder, otherCall, otherDecision]).size).toBe(4);
  });

  it('every suggestion has its own uuid', () => {
    const { card } = cardOf(patientOrdering(['clopidogrel'], { pgxObservations: [cyp2c19('*2/*2')] }))!;
    const uuids = card.suggestions!.map((s) => s.uuid);
    expect(new Set([card.uuid, ...uuids]).size).toBe(uuids.length + 1);
  });
});
