/**
 * The FHIR code systems, extension and profile URLs this service reads or writes, each written once here and
 * imported wherever it is needed: a URL spelled twice can drift, and a coding with a mistyped system silently
 * matches nothing.
 */

/** RxNorm (medications: orders, formulary items, companion-diagnostic drugs) */
export const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
/** LOINC (genomics and vital-sign Observation codes) */
export const LOINC = 'http://loinc.org';
/** SNOMED CT (conditions, the lab-procedure category of a proposed test) */
export const SNOMED_CT = 'http://snomed.info/sct';
/** ICD-10-CM (conditions) */
export const ICD10_CM = 'http://hl7.org/fhir/sid/icd-10-cm';

/** Coverage.class.type: the class of type `plan` names the payer plan */
export const COVERAGE_CLASS = 'http://terminology.hl7.org/CodeSystem/coverage-class';

/** Da Vinci CRD coverage-information extension, recorded on the draft order at order-sign */
export const CRD_COVERAGE_INFORMATION_URL = 'http://hl7.org/fhir/us/davinci-crd/StructureDefinition/ext-coverage-information';

/** US Core race and ethnicity extensions on Patient */
export const US_CORE_RACE = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race';
export const US_CORE_ETHNICITY = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity';
