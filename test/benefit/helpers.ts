/** Test data builders: DrugRef / PgxAssessment as plain data (the PGx engine is built elsewhere). */
import type { Coverage, MedicationDispense, MedicationRequest, MedicationStatement, Condition } from 'fhir/r4';
import { join } from 'node:path';
import type { BenefitInput } from '../../src/benefit';
import type { PlanCatalogue, Plan } from '../../src/benefit/plan-catalogue';
import type { PatientRecord } from '../../src/decision/types';
import type { DrugRef, GeneResult, PgxAssessment, PgxVerdict } from '../../src/pgx/types';
import { loadPlanCatalogue } from '../../src/loaders/plans';

export const RX: Record<string, string> = {
  clopidogrel: '32968', prasugrel: '613391', ticagrelor: '1116632', aspirin: '1191',
  codeine: '2670', tramadol: '10689', hydromorphone: '3423', oxycodone: '7804', morphine: '7052', hydrocodone: '5489',
  simvastatin: '36567', atorvastatin: '83367', rosuvastatin: '301542', pravastatin: '42463', lovastatin: '6472', pitavastatin: '861634',
  warfarin: '11289', apixaban: '1364430', rivaroxaban: '1114195',
  sertraline: '36437', citalopram: '2556', escitalopram: '321988',
  omeprazole: '7646', esomeprazole: '283742', pantoprazole: '40790', lansoprazole: '17128', rabeprazole: '114979',
  allopurinol: '519', febuxostat: '73689',
};
const BY_RXCUI = Object.fromEntries(Object.entries(RX).map(([k, v]) => [v, k]));

export const SAMPLE_DIR = join(__dirname, '../../plans/sample');
let catalogue: PlanCatalogue | undefined;
export const sampleCatalogue = (): PlanCatalogue => (catalogue ??= loadPlanCatalogue(SAMPLE_DIR));
export const commercial = (): Plan => sampleCatalogue().byIdentifier.get('PBH-COMM-GOLD-2026')!;
export const partD = (): Plan => sampleCatalogue().byIdentifier.get('PBH-PARTD-2026')!;

export function drugRef(name: string): DrugRef {
  return { rxcui: RX[name], display: name, cpicDrug: name, ingredientRxcui: RX[name], recognised: true };
}

export function gene(g: string, phenotype: string): GeneResult {
  return { gene: g, status: 'determinate', phenotype, alleles: [], sources: [] };
}

export function pgx(name: string, verdict: PgxVerdict, genes: GeneResult[] = []): PgxAssessment {
  const unsuitable = verdict === 'contraindicated' || verdict === 'expected-ineffective';
  return {
    drug: drugRef(name),
    verdict,
    relevantGenes: genes.map((g) => g.gene),
    genes,
    missingGenes: [],
    effectivePhenotypes: [],
    recommendation: unsuitable
      ? {
          action: 'use-alternative',
          indicator: 'critical',
          strength: 'Strong',
          text: `avoid ${name}; use an alternative`,
          alternatives: [],
          guideline: { title: `CPIC guideline (${name})`, url: 'https://cpicpgx.org/guidelines/', version: 'test-1.0' },
          rowId: `row-${name}`,
          lookup: Object.fromEntries(genes.map((g) => [g.gene, g.phenotype])),
        }
      : undefined,
    rationale: [],
    knowledgeVersion: 'test',
  };
}

/** A patient: verdict per drug name; every other drug is 'no-guidance'. */
export function patient(verdicts: Record<string, { verdict: PgxVerdict; genes?: GeneResult[] }>) {
  return (rxcui: string) => {
    const name = BY_RXCUI[rxcui];
    if (!name) return undefined;
    const v = verdicts[name];
    return { drug: drugRef(name), pgx: pgx(name, v?.verdict ?? 'no-guidance', v?.genes ?? []) };
  };
}

export function draftOrder(name: string, id = `draft-${name}`): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    id,
    status: 'draft',
    intent: 'order',
    subject: { reference: 'Patient/p1' },
    medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: RX[name], display: name }] },
  };
}

export function coverage(planId: string, id = 'cov1'): Coverage {
  return {
    resourceType: 'Coverage',
    id,
    status: 'active',
    beneficiary: { reference: 'Patient/p1' },
    payor: [{ display: 'Sample Payer' }],
    class: [{ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/coverage-class', code: 'plan' }] }, value: planId }],
  };
}

export function condition(system: string, code: string): Condition {
  return {
    resourceType: 'Condition',
    id: `cond-${code}`,
    subject: { reference: 'Patient/p1' },
    code: { coding: [{ system, code }] },
  };
}
export const ACS = condition('http://snomed.info/sct', '394659003');
export const STROKE = condition('http://snomed.info/sct', '230690007');

export function dispensed(name: string, when: string): MedicationDispense {
  return {
    resourceType: 'MedicationDispense',
    id: `disp-${name}-${when}`,
    status: 'completed',
    whenHandedOver: when,
    medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: RX[name] }] },
  };
}

export function statement(name: string, when: string): MedicationStatement {
  return {
    resourceType: 'MedicationStatement',
    id: `stmt-${name}`,
    status: 'completed',
    subject: { reference: 'Patient/p1' },
    effectiveDateTime: when,
    medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: RX[name] }] },
  };
}

export function record(over: Partial<PatientRecord> = {}): PatientRecord {
  return {
    patientId: 'p1',
    coverage: [coverage('PBH-COMM-GOLD-2026')],
    draftOrders: [],
    activeMedications: [],
    dispenses: [],
    conditions: [],
    labs: [],
    pgxObservations: [],
    unavailable: [],
    resourcesUsed: [],
    ...over,
  };
}

const identify: BenefitInput['identify'] = (r) => {
  const code = r.medicationCodeableConcept?.coding?.[0]?.code ?? '';
  const name = BY_RXCUI[code];
  return name ? drugRef(name) : { display: 'unknown', recognised: false };
};

export const NOW = '2026-11-23T10:00:00Z';

/** Assemble a BenefitInput for ordering `name` with the given patient verdicts. */
export function input(
  name: string,
  verdicts: Record<string, { verdict: PgxVerdict; genes?: GeneResult[] }>,
  opts: { plan?: Plan; record?: Partial<PatientRecord> } = {},
): BenefitInput {
  const assessCandidate = patient(verdicts);
  const order = draftOrder(name);
  return {
    order,
    drug: drugRef(name),
    pgx: assessCandidate(RX[name]!)!.pgx,
    plan: opts.plan ?? commercial(),
    record: record({ draftOrders: [order], ...opts.record }),
    now: NOW,
    assessCandidate,
    identify,
  };
}
