/**
 * The FHIR elements the decision reads, by definition path. An element is read when its parent is read
 * and it is listed here (a resource itself is always read): `CodeableConcept.coding` is read under
 * `Observation.code`, not under `Patient.maritalStatus`. Only these elements can make an input
 * unusable; any other element with the wrong datatype is set aside and counted (docs/fhir-input.md).
 *
 * Keep in step with the engines: src/pgx (drug identification, genomics reader), src/benefit (plan
 * resolution, step-therapy history), src/cdshooks (patient check, resources used).
 */
import { buildR4Model, type R4Model } from './r4-model';

/** datatype parts read wherever their parent is read */
const DATATYPES = [
  'CodeableConcept.coding', 'CodeableConcept.text',
  'Coding.system', 'Coding.code', 'Coding.display',
  'Reference.reference', 'Reference.display',
  'Period.start', 'Period.end',
];

const MEDICATION = ['medicationCodeableConcept', 'medicationReference'];

/** prefetched / fetched resources: unusable when one of these is → the resource is left out and named */
export const PREFETCH_READ_PATHS: readonly string[] = [
  ...DATATYPES,
  'Resource.id', 'Resource.meta', 'Meta.versionId',
  // medications: identity, status, subject, dates (step-therapy look-back)
  ...['MedicationRequest', 'MedicationStatement', 'MedicationDispense'].flatMap((t) =>
    [...MEDICATION, 'status', 'subject'].map((e) => `${t}.${e}`),
  ),
  'MedicationRequest.authoredOn',
  'MedicationStatement.effectiveDateTime', 'MedicationStatement.effectivePeriod', 'MedicationStatement.dateAsserted',
  'MedicationDispense.whenHandedOver', 'MedicationDispense.whenPrepared',
  // genomics results
  'Observation.status', 'Observation.subject', 'Observation.code', 'Observation.valueCodeableConcept', 'Observation.valueString',
  'Observation.component', 'Observation.effectiveDateTime', 'Observation.effectivePeriod', 'Observation.issued',
  'Observation.component.code', 'Observation.component.valueCodeableConcept', 'Observation.component.valueString',
  // coverage → plan
  'Coverage.status', 'Coverage.beneficiary', 'Coverage.class', 'Coverage.extension', 'Coverage.payor',
  'Coverage.class.type', 'Coverage.class.value', 'Extension.url', 'Extension.valueReference',
  // attribution to the patient
  'Condition.subject',
];

/** a draft order: its identity and its medication; nothing else of it can refuse the call */
export const DRAFT_ORDER_READ_PATHS: readonly string[] = [
  ...DATATYPES,
  'MedicationRequest.id',
  ...MEDICATION.map((e) => `MedicationRequest.${e}`),
];

let shared: R4Model | undefined;

/**
 * The R4 model with the decision's read paths, built on first use and shared by every app in the process
 * (it is immutable and the same for all; building it takes tens of milliseconds).
 */
export function fhirR4Model(): R4Model {
  return (shared ??= buildR4Model({ prefetch: PREFETCH_READ_PATHS, draftOrder: DRAFT_ORDER_READ_PATHS }));
}
