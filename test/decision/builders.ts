/** Plain-data inputs for the decision layer: hand-built assessments, and records assessed by the real engines. */
import type { MedicationRequest, Observation } from 'fhir/r4';
import type { DecisionContext, PatientRecord } from '../../src/decision/types';
import type { OrderAssessment } from '../../src/decision/assess-order';
import { loadKnowledge } from '../../src/loaders';
import type { PgxAssessment, Recommendation } from '../../src/pgx/types';
import { ACS, draftOrder, record } from '../benefit/helpers';
import { genotype } from '../pgx/genes/fhir-builders';

export const PATIENT = 'p1';

export const ctx = (over: Partial<DecisionContext> = {}): DecisionContext => ({
  hook: 'order-sign',
  serviceId: 'pgx-benefit-order-sign',
  hookInstance: 'hook-instance-1',
  now: '2026-11-23T10:00:00Z',
  serviceBaseUrl: 'https://pbh.example',
  ...over,
});

/** the shipped knowledge and sample plans, loaded once per test file */
let kb: ReturnType<typeof loadKnowledge> | undefined;
export const knowledge = () => (kb ??= loadKnowledge({ knowledgeDir: 'terminology', planDir: 'plans/sample' }));

export const cyp2c19 = (diplotype: string): Observation => genotype('CYP2C19', diplotype, { patient: PATIENT });

/** A patient on the sample commercial plan with an ACS diagnosis, ordering the named drugs. */
export function patientOrdering(drugs: string[], over: Partial<PatientRecord> = {}): PatientRecord {
  return record({ draftOrders: drugs.map((d) => draftOrder(d)), conditions: [ACS], ...over });
}

export function recommendation(over: Partial<Recommendation> = {}): Recommendation {
  return {
    action: 'use-alternative',
    indicator: 'critical',
    strength: 'Strong',
    text: 'Avoid clopidogrel; use prasugrel or ticagrelor.',
    alternatives: ['prasugrel', 'ticagrelor'],
    guideline: { title: 'CPIC guideline for CYP2C19 and clopidogrel', url: 'https://cpicpgx.org/guidelines/cpic-guideline-for-clopidogrel/', version: 'test' },
    rowId: 'clopidogrel-cyp2c19-pm',
    lookup: { CYP2C19: 'Poor Metabolizer' },
    ...over,
  };
}

/** A PGx assessment of clopidogrel; no benefit part (the plan is not involved). */
export function clopidogrelPgx(over: Partial<PgxAssessment> = {}): PgxAssessment {
  return {
    drug: { rxcui: '32968', display: 'clopidogrel', cpicDrug: 'clopidogrel', ingredientRxcui: '32968', recognised: true },
    verdict: 'expected-ineffective',
    relevantGenes: ['CYP2C19'],
    genes: [{ gene: 'CYP2C19', status: 'determinate', diplotype: '*2/*2', phenotype: 'Poor Metabolizer', alleles: [], sources: [{ id: 'obs-1', kind: 'genotype' }] }],
    missingGenes: [],
    effectivePhenotypes: [],
    recommendation: recommendation(),
    rationale: [],
    knowledgeVersion: 'CPIC test',
    ...over,
  };
}

export function orderAssessment(pgx: PgxAssessment, over: Partial<OrderAssessment> = {}): OrderAssessment {
  const order: MedicationRequest = draftOrder('clopidogrel', over.order?.id ?? 'mr-1');
  return { order, orderRef: `MedicationRequest/${order.id}`, drug: pgx.drug, pgx, gaps: [], ...over };
}
