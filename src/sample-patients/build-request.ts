/**
 * Turns a compact sample-patient spec (examples/patients.json) into realistic FHIR resources and a
 * CDS Hooks request. Used by the playground, `npm run demo`, the benchmark and the scenario tests, so
 * every one of them exercises the same data the same way. Pure: `now` is passed in.
 */
import type {
  Bundle,
  Condition,
  Coverage,
  Goal,
  MedicationDispense,
  MedicationRequest,
  Observation,
  Patient,
  Resource,
} from 'fhir/r4';
import geneIndex from '../../terminology/genes/index.json';
import { COVERAGE_CLASS, LOINC, RXNORM, SNOMED_CT, US_CORE_ETHNICITY, US_CORE_RACE } from '../fhir/systems';

export interface CodedMed {
  rxcui: string;
  display: string;
}

export interface ExampleSpec {
  id: string;
  title: string;
  story: string;
  demographics: { name: [string, string]; gender: Patient['gender']; birthDate: string; race?: string; ethnicity?: string };
  /** plan key: 'commercial' | 'medicare' | 'unknown-plan' | null (no coverage) */
  plan: string | null;
  genotypes: Array<{ gene: string; value: string; daysAgo: number }>;
  conditions: Array<{ system: string; code: string; display: string }>;
  activeMedications: CodedMed[];
  dispenses?: Array<CodedMed & { daysAgo: number }>;
  orders: CodedMed[];
  /** most recent body height (cm) and weight (kg), for the warfarin dose estimates */
  vitals?: { heightCm?: number; weightKg?: number; daysAgo: number };
  /** US Core smoking status (LOINC 72166-2), its SNOMED CT value, for the Gage warfarin dose estimate */
  smokingStatus?: { code: string; display: string; daysAgo: number };
  /** an active Goal with an INR target (LOINC 6301-6): a value, or a range */
  targetInr?: { value?: number; low?: number; high?: number };
  /** tumour variant results (Genomics Reporting IG variant, LOINC 69548-6), sent with the genomics prefetch */
  tumourVariants?: TumourVariantSpec[];
}

export interface TumourVariantSpec {
  gene: string;
  /** p. HGVS, e.g. "p.Leu858Arg" */
  protein?: string;
  /** c. HGVS, e.g. "c.2573T>G" */
  cdna?: string;
  origin: 'somatic' | 'germline';
  alleleFrequency?: number;
  specimen?: string;
  method?: string;
  daysAgo: number;
}

export interface ExampleFile {
  description: string;
  patients: ExampleSpec[];
}

/** Plan keys of the examples → identifiers the Coverage carries (see plans/sample). */
export interface PlanBinding {
  /** Coverage.class[type=plan].value */
  planValue: string;
  planName: string;
  payer: string;
}

export type PlanBindings = Record<string, PlanBinding>;

/** HGNC identifiers of the genes (gene studied component, LOINC 48018-6), from the generated gene index. */
export const HGNC_IDS: Readonly<Record<string, string>> = geneIndex.hgnc;

const daysBefore = (now: string, days: number): string => new Date(Date.parse(now) - days * 86400000).toISOString();

// an empty rxcui: the drug is sent by name only (oncology drugs whose RxCUI the terminology has not verified)
const medConcept = (m: CodedMed) => (m.rxcui ? { coding: [{ system: RXNORM, code: m.rxcui, display: m.display }], text: m.display } : { text: m.display });

/** HGNC ids used in tumour samples, where an HL7 IG source gives them (mCODE EX_GenomeX.fsh: EGFR HGNC:3236). */
const TUMOUR_HGNC: Readonly<Record<string, string>> = { EGFR: 'HGNC:3236' };

/** A Genomics Reporting IG variant Observation for a tumour result (codes: terminology/oncology.json). */
export function buildTumourVariantObservation(patientId: string, v: TumourVariantSpec, now: string, index: number): Observation {
  const component: NonNullable<Observation['component']> = [
    {
      code: { coding: [{ system: LOINC, code: '48018-6', display: 'Gene studied [ID]' }] },
      valueCodeableConcept: { coding: [{ system: 'http://www.genenames.org/geneId', ...(TUMOUR_HGNC[v.gene] ? { code: TUMOUR_HGNC[v.gene] } : {}), display: v.gene }] },
    },
    {
      code: { coding: [{ system: LOINC, code: '48002-0', display: 'Genomic source class [Type]' }] },
      valueCodeableConcept: { coding: [{ system: LOINC, code: v.origin === 'somatic' ? 'LA6684-0' : 'LA6683-2', display: v.origin === 'somatic' ? 'Somatic' : 'Germline' }] },
    },
  ];
  if (v.cdna) component.push({ code: { coding: [{ system: LOINC, code: '48004-6', display: 'DNA change (c.HGVS)' }] }, valueCodeableConcept: { coding: [{ system: 'http://varnomen.hgvs.org', code: v.cdna, display: v.cdna }] } });
  if (v.protein) component.push({ code: { coding: [{ system: LOINC, code: '48005-3', display: 'Amino acid change (pHGVS)' }] }, valueCodeableConcept: { coding: [{ system: 'http://varnomen.hgvs.org', code: v.protein, display: v.protein }] } });
  if (v.alleleFrequency !== undefined) component.push({ code: { coding: [{ system: LOINC, code: '81258-6', display: 'Sample variant allelic frequency [NFr]' }] }, valueQuantity: { value: v.alleleFrequency, system: 'http://unitsofmeasure.org', code: '1' } });
  return {
    resourceType: 'Observation',
    id: `${patientId}-tv-${index + 1}`,
    meta: { versionId: '1', profile: ['http://hl7.org/fhir/uv/genomics-reporting/StructureDefinition/variant'] },
    status: 'final',
    category: [
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] },
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: 'GE' }] },
    ],
    code: { coding: [{ system: LOINC, code: '69548-6', display: 'Genetic variant assessment' }] },
    subject: { reference: `Patient/${patientId}` },
    effectiveDateTime: daysBefore(now, v.daysAgo).slice(0, 10),
    ...(v.method ? { method: { text: v.method } } : {}),
    ...(v.specimen ? { specimen: { display: v.specimen } } : {}),
    valueCodeableConcept: { coding: [{ system: LOINC, code: 'LA9633-4', display: 'Present' }] },
    component,
  };
}

export function buildPatient(spec: ExampleSpec): Patient {
  const d = spec.demographics;
  const ext = [];
  if (d.race) {
    ext.push({
      url: US_CORE_RACE,
      extension: [{ url: 'ombCategory', valueCoding: { system: 'urn:oid:2.16.840.1.113883.6.238', code: d.race } }],
    });
  }
  if (d.ethnicity) {
    ext.push({
      url: US_CORE_ETHNICITY,
      extension: [{ url: 'ombCategory', valueCoding: { system: 'urn:oid:2.16.840.1.113883.6.238', code: d.ethnicity } }],
    });
  }
  return {
    resourceType: 'Patient',
    id: spec.id,
    meta: { versionId: '1' },
    ...(ext.length ? { extension: ext } : {}),
    name: [{ given: [d.name[0]], family: d.name[1] }],
    gender: d.gender,
    birthDate: d.birthDate,
  };
}

/** A FHIR Genomics Reporting IG genotype Observation (LOINC 84413-4, gene studied 48018-6). */
export function buildGenotypeObservation(patientId: string, g: { gene: string; value: string; daysAgo: number }, now: string, index: number): Observation {
  const hgnc = HGNC_IDS[g.gene];
  return {
    resourceType: 'Observation',
    id: `${patientId}-gt-${index + 1}`,
    meta: { versionId: '1', profile: ['http://hl7.org/fhir/uv/genomics-reporting/StructureDefinition/genotype'] },
    status: 'final',
    category: [
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] },
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: 'GE' }] },
    ],
    code: { coding: [{ system: LOINC, code: '84413-4', display: 'Genotype display name' }] },
    subject: { reference: `Patient/${patientId}` },
    effectiveDateTime: daysBefore(now, g.daysAgo).slice(0, 10),
    valueCodeableConcept: { text: g.value },
    component: [
      {
        code: { coding: [{ system: LOINC, code: '48018-6', display: 'Gene studied [ID]' }] },
        valueCodeableConcept: { coding: [{ system: 'http://www.genenames.org', code: hgnc ?? g.gene, display: g.gene }] },
      },
    ],
  };
}

export function buildCoverage(spec: ExampleSpec, bindings: PlanBindings): Coverage | undefined {
  if (spec.plan === null) return undefined;
  const b: PlanBinding = bindings[spec.plan] ?? { planValue: spec.plan, planName: spec.plan, payer: 'Unknown payer' };
  return {
    resourceType: 'Coverage',
    id: `${spec.id}-coverage`,
    meta: { versionId: '1' },
    status: 'active',
    beneficiary: { reference: `Patient/${spec.id}` },
    subscriberId: `${spec.id.toUpperCase()}-01`,
    payor: [{ display: b.payer }],
    class: [
      {
        type: { coding: [{ system: COVERAGE_CLASS, code: 'plan' }] },
        value: b.planValue,
        name: b.planName,
      },
    ],
  };
}

function activeRequest(patientId: string, m: CodedMed, index: number, now: string): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    id: `${patientId}-med-${index + 1}`,
    meta: { versionId: '1' },
    status: 'active',
    intent: 'order',
    medicationCodeableConcept: medConcept(m),
    subject: { reference: `Patient/${patientId}` },
    authoredOn: daysBefore(now, 120 + index * 7),
  };
}

export function buildDraftOrder(patientId: string, m: CodedMed, index: number, now: string): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    id: `${patientId}-draft-${index + 1}`,
    status: 'draft',
    intent: 'order',
    medicationCodeableConcept: medConcept(m),
    subject: { reference: `Patient/${patientId}` },
    authoredOn: now,
    dosageInstruction: [{ text: 'As directed' }],
  };
}

export interface ExampleResources {
  patient: Patient;
  coverage?: Coverage;
  observations: Observation[];
  /** vital signs (body height 8302-2, body weight 29463-7) and smoking status (72166-2) */
  vitals: Observation[];
  /** an INR target Goal */
  goals: Goal[];
  medications: MedicationRequest[];
  dispenses: MedicationDispense[];
  conditions: Condition[];
  draftOrders: MedicationRequest[];
}

/** Vital-sign Observations (US Core body height / body weight) for the spec's recorded height and weight. */
export function buildVitals(spec: ExampleSpec, now: string): Observation[] {
  const v = spec.vitals;
  if (!v) return [];
  const made: Array<[string, string, string, number | undefined, string]> = [
    ['height', '8302-2', 'Body height', v.heightCm, 'cm'],
    ['weight', '29463-7', 'Body weight', v.weightKg, 'kg'],
  ];
  return made
    .filter(([, , , value]) => value !== undefined)
    .map(([key, code, display, value, unit]) => ({
      resourceType: 'Observation' as const,
      id: `${spec.id}-${key}`,
      meta: { versionId: '1' },
      status: 'final' as const,
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
      code: { coding: [{ system: LOINC, code, display }], text: display },
      subject: { reference: `Patient/${spec.id}` },
      effectiveDateTime: daysBefore(now, v.daysAgo),
      valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: unit },
    }));
}

/** The US Core smoking status Observation (LOINC 72166-2) for the spec's recorded status. */
export function buildSmokingStatus(spec: ExampleSpec, now: string): Observation[] {
  const s = spec.smokingStatus;
  if (!s) return [];
  return [
    {
      resourceType: 'Observation',
      id: `${spec.id}-smoking`,
      meta: { versionId: '1' },
      status: 'final',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'social-history' }] }],
      code: { coding: [{ system: LOINC, code: '72166-2', display: 'Tobacco smoking status' }], text: 'Tobacco smoking status' },
      subject: { reference: `Patient/${spec.id}` },
      effectiveDateTime: daysBefore(now, s.daysAgo),
      valueCodeableConcept: { coding: [{ system: SNOMED_CT, code: s.code, display: s.display }], text: s.display },
    },
  ];
}

/** An active Goal whose target is the spec's INR (LOINC 6301-6), as a value or a range. */
export function buildInrGoal(spec: ExampleSpec): Goal[] {
  const t = spec.targetInr;
  if (!t) return [];
  const ratio = (value: number) => ({ value, unit: '{INR}', system: 'http://unitsofmeasure.org', code: '{INR}' });
  return [
    {
      resourceType: 'Goal',
      id: `${spec.id}-inr-goal`,
      meta: { versionId: '1' },
      lifecycleStatus: 'active',
      description: { text: 'Anticoagulation: INR in target range' },
      subject: { reference: `Patient/${spec.id}` },
      target: [
        {
          measure: { coding: [{ system: LOINC, code: '6301-6', display: 'INR in Platelet poor plasma by Coagulation assay' }] },
          ...(t.value !== undefined
            ? { detailQuantity: ratio(t.value) }
            : { detailRange: { ...(t.low !== undefined ? { low: ratio(t.low) } : {}), ...(t.high !== undefined ? { high: ratio(t.high) } : {}) } }),
        },
      ],
    },
  ];
}

export function buildResources(spec: ExampleSpec, now: string, bindings: PlanBindings): ExampleResources {
  const pid = spec.id;
  return {
    patient: buildPatient(spec),
    coverage: buildCoverage(spec, bindings),
    observations: [
      ...spec.genotypes.map((g, i) => buildGenotypeObservation(pid, g, now, i)),
      ...(spec.tumourVariants ?? []).map((v, i) => buildTumourVariantObservation(pid, v, now, i)),
    ],
    vitals: [...buildVitals(spec, now), ...buildSmokingStatus(spec, now)],
    goals: buildInrGoal(spec),
    medications: spec.activeMedications.map((m, i) => activeRequest(pid, m, i, now)),
    dispenses: (spec.dispenses ?? []).map((d, i) => ({
      resourceType: 'MedicationDispense',
      id: `${pid}-disp-${i + 1}`,
      meta: { versionId: '1' },
      status: 'completed',
      medicationCodeableConcept: medConcept(d),
      subject: { reference: `Patient/${pid}` },
      whenHandedOver: daysBefore(now, d.daysAgo),
      daysSupply: { value: 10, unit: 'day', system: 'http://unitsofmeasure.org', code: 'd' },
    })),
    conditions: spec.conditions.map((c, i) => ({
      resourceType: 'Condition',
      id: `${pid}-cond-${i + 1}`,
      meta: { versionId: '1' },
      clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
      code: { coding: [{ system: c.system, code: c.code, display: c.display }], text: c.display },
      subject: { reference: `Patient/${pid}` },
    })),
    draftOrders: spec.orders.map((m, i) => buildDraftOrder(pid, m, i, now)),
  };
}

export const searchset = (resources: Resource[]): Bundle => ({
  resourceType: 'Bundle',
  type: 'searchset',
  total: resources.length,
  entry: resources.map((resource) => ({ fullUrl: `urn:uuid:${resource.resourceType}-${resource.id}`, resource })),
});

export interface BuildRequestOptions {
  hook: 'order-select' | 'order-sign';
  now: string;
  bindings: PlanBindings;
  hookInstance: string;
  /** restrict the draft orders to these indexes of spec.orders (default: all) */
  orderIndexes?: number[];
  /** include prefetch (default true); false → the service must fetch from fhirServer */
  prefetch?: boolean;
  fhirServer?: string;
  accessToken?: string;
  userId?: string;
}

/** A complete CDS Hooks 2.0 request for the spec. */
export function buildHookRequest(spec: ExampleSpec, opts: BuildRequestOptions): Record<string, unknown> {
  const r = buildResources(spec, opts.now, opts.bindings);
  const orders = opts.orderIndexes ? opts.orderIndexes.map((i) => r.draftOrders[i]).filter(Boolean) : r.draftOrders;
  const context: Record<string, unknown> = {
    userId: opts.userId ?? 'Practitioner/example-prescriber',
    patientId: spec.id,
    draftOrders: { resourceType: 'Bundle', type: 'collection', entry: orders.map((resource) => ({ resource })) },
  };
  if (opts.hook === 'order-select') context.selections = orders.map((o) => `MedicationRequest/${o.id}`);
  const request: Record<string, unknown> = { hook: opts.hook, hookInstance: opts.hookInstance, context };
  if (opts.fhirServer) request.fhirServer = opts.fhirServer;
  if (opts.fhirServer && opts.accessToken) {
    request.fhirAuthorization = {
      access_token: opts.accessToken,
      token_type: 'Bearer',
      expires_in: 300,
      scope: 'patient/Patient.read patient/Observation.read patient/MedicationRequest.read patient/MedicationDispense.read patient/Coverage.read patient/Condition.read patient/Goal.read',
      subject: 'precision-benefit-hooks',
    };
  }
  if (opts.prefetch !== false) {
    request.prefetch = {
      patient: r.patient,
      pgx: searchset(r.observations),
      vitals: searchset(r.vitals),
      medications: searchset(r.medications),
      dispenses: searchset(r.dispenses),
      coverage: searchset(r.coverage ? [r.coverage] : []),
      conditions: searchset(r.conditions),
      goals: searchset(r.goals),
    };
  }
  return request;
}
