/**
 * Da Vinci CRD `ext-coverage-information` for the draft MedicationRequest (the decision layer returns it
 * as a systemAction `update`). Shape per HL7/davinci-crd CoverageInformation.fsh: coverage 1..1,
 * covered 1..1, pa-needed (required unless not-covered, invariant crd-ci-q2), doc-needed, doc-purpose,
 * reason, detail (code/value), date 1..1, coverage-assertion-id 1..1.
 */
import { createHash } from 'node:crypto';
import type { Extension } from 'fhir/r4';

export const CRD_COVERAGE_INFORMATION_URL = 'http://hl7.org/fhir/us/davinci-crd/StructureDefinition/ext-coverage-information';
/** Our own detail codes (CRDCoverageDetailCodes is extensible) */
export const PBH_COVERAGE_DETAIL_SYSTEM = 'https://precision-benefit-hooks.example/CodeSystem/coverage-detail';

export type Covered = 'covered' | 'not-covered' | 'conditional' | 'indeterminate';
export type PaNeeded = 'no-auth' | 'auth-needed' | 'satisfied' | 'conditional' | 'indeterminate';

export interface CoverageDetail {
  code: 'tier' | 'step-therapy' | 'quantity-limit' | 'prior-auth-pathway' | 'precision-cost-share' | 'alternative' | 'plan';
  display: string;
  value: string;
  qualification?: string;
}

export interface CoverageInformationInput {
  /** "Coverage/<id>" of the Coverage the assertion applies to */
  coverageRef?: string;
  coverageDisplay?: string;
  covered: Covered;
  paNeeded?: PaNeeded;
  docNeeded?: 'clinical' | 'admin' | 'patient' | 'conditional' | 'indeterminate';
  docPurpose?: 'withpa' | 'withclaim' | 'withorder' | 'retain-doc';
  reason?: string;
  details: CoverageDetail[];
  /** ISO instant of the assessment (the caller's `now`) */
  now: string;
  assertionId: string;
}

/** A stable trace id for the assertion, derived from what it asserts (pure: no randomness, no clock). */
export function coverageAssertionId(...parts: string[]): string {
  return `pbh-${createHash('sha256').update(parts.join('\u241f')).digest('hex').slice(0, 24)}`;
}

export function buildCoverageInformation(input: CoverageInformationInput): Extension {
  const ext: Extension[] = [];
  ext.push({
    url: 'coverage',
    valueReference: input.coverageRef
      ? { reference: input.coverageRef, ...(input.coverageDisplay ? { display: input.coverageDisplay } : {}) }
      : { display: input.coverageDisplay ?? 'coverage not identified' },
  });
  ext.push({ url: 'covered', valueCode: input.covered });
  // crd-ci-q2: anything but not-covered carries pa-needed
  if (input.covered !== 'not-covered') ext.push({ url: 'pa-needed', valueCode: input.paNeeded ?? 'indeterminate' });
  if (input.docNeeded) ext.push({ url: 'doc-needed', valueCode: input.docNeeded });
  if (input.docNeeded && input.docPurpose) ext.push({ url: 'doc-purpose', valueCode: input.docPurpose });
  if (input.reason) ext.push({ url: 'reason', valueCodeableConcept: { text: input.reason } });
  for (const d of input.details) {
    ext.push({
      url: 'detail',
      extension: [
        { url: 'code', valueCodeableConcept: { coding: [{ system: PBH_COVERAGE_DETAIL_SYSTEM, code: d.code, display: d.display }] } },
        { url: 'value', valueString: d.value },
        ...(d.qualification ? [{ url: 'qualification', valueString: d.qualification }] : []),
      ],
    });
  }
  ext.push({ url: 'date', valueDate: input.now.slice(0, 10) });
  ext.push({ url: 'coverage-assertion-id', valueString: input.assertionId });
  return { url: CRD_COVERAGE_INFORMATION_URL, extension: ext };
}
