/**
 * The plain-data world the core works on: a PatientRecord in, Cards and systemActions out (their wire
 * shapes are CDS Hooks', in src/cdshooks/types.ts).
 * The HTTP edge (src/cdshooks) builds the PatientRecord from prefetch ∪ FHIR fetches; the core never
 * fetches, reads the clock or the environment (`now` is passed in).
 */
import type {
  Coverage,
  MedicationDispense,
  MedicationRequest,
  MedicationStatement,
  Condition,
  Goal,
  Observation,
  Patient,
} from 'fhir/r4';
import type { HookName, Indicator } from '../cdshooks/types';

/** A piece of data the service could not obtain or trust, and why — rendered into the cards. */
export interface DataGap {
  /** prefetch key or resource kind, e.g. "pgx", "coverage", "medications" */
  key: string;
  /** what the clinician should know, e.g. "FHIR server timed out after 800 ms" */
  reason: string;
}

export interface PatientRecord {
  patientId: string;
  patient?: Patient;
  /** the active Coverage resources (first is the one used) */
  coverage: Coverage[];
  /** the draft orders of the hook (MedicationRequest only; other types are ignored, not errors) */
  draftOrders: MedicationRequest[];
  /** active medications (not the drafts) */
  activeMedications: Array<MedicationRequest | MedicationStatement>;
  /** dispense history, for step therapy look-back */
  dispenses: MedicationDispense[];
  conditions: Condition[];
  /** laboratory observations other than genomics (for PA criteria), may be empty */
  labs: Observation[];
  /** Observations dose algorithms read (body height 8302-2, body weight 29463-7, smoking status 72166-2); may be absent */
  vitals?: Observation[];
  /** active Goals (a target INR, for the Gage warfarin dose algorithm); may be absent */
  goals?: Goal[];
  /** genomics Observations (genotype, haplotype, phenotype...) */
  pgxObservations: Observation[];
  /** what could not be obtained */
  unavailable: DataGap[];
  /** ids and versions of every resource used, for the audit trail */
  resourcesUsed: Array<{ resourceType: string; id?: string; versionId?: string }>;
}

export interface DecisionContext {
  hook: HookName;
  serviceId: string;
  hookInstance: string;
  /** order-select: references ("MedicationRequest/id") of the selected draft orders */
  selections?: string[];
  /** ISO instant; injected so the core stays clock-free */
  now: string;
  /** base URL of this service, for card source/links */
  serviceBaseUrl: string;
}

/** What was decided, per card, for the audit trail and analytics (no PHI, no genotype strings). */
export interface DecisionSummary {
  cardUuid: string;
  /** card kind, e.g. "pgx-recommendation", "pgx-missing-test", "formulary-alternative", "step-exemption", "pa-preview", "data-gap" */
  cardKind: string;
  indicator: Indicator;
  drug?: string;
  gene?: string;
  /** gene–drug pair, e.g. "CYP2C19:clopidogrel" */
  pair?: string;
  planRuleId?: string;
  stepTherapy?: 'exempt' | 'satisfied' | 'required';
  paPathway?: string;
  /** the PGx verdict behind the card ("contraindicated", "expected-ineffective", "adjust", "untested", ...) */
  pgxVerdict?: string;
  suggestionUuids: string[];
}
