/**
 * Da Vinci CRD `ext-coverage-information` for the draft MedicationRequest (the decision layer returns it
 * as a systemAction `update`). Shape per HL7/davinci-crd CoverageInformation.fsh (IG 2.2.1): coverage 1..1
 * (a Coverage reference — without a known Coverage there is no extension at all), covered 1..1, pa-needed
 * (present unless not-covered, crd-ci-q2), doc-needed, doc-purpose (`withpa` only when PA is needed,
 * crd-ci-q4), info-needed (whenever something is `conditional`, crd-ci-q3), reason, detail (category 1..1,
 * code 1..1, value 1..1, qualification 0..1), date 1..1, coverage-assertion-id 1..1. The conformance test
 * checks the output against the IG's own definitions (test/fixtures/davinci-crd).
 */
import { createHash } from 'node:crypto';
import type { Coverage, Extension } from 'fhir/r4';
import { CRD_COVERAGE_INFORMATION_URL } from '../fhir/systems';
import type { Plan } from './plan-catalogue';
import type { BenefitDecision } from './types';

/** Our own detail codes (CRDCoverageDetailCodes is extensible) */
export const PBH_COVERAGE_DETAIL_SYSTEM = 'https://precision-benefit-hooks.example/CodeSystem/coverage-detail';

export type Covered = 'covered' | 'not-covered' | 'conditional' | 'indeterminate';
export type PaNeeded = 'no-auth' | 'auth-needed' | 'satisfied' | 'conditional' | 'indeterminate';

export type CoverageDetailCode = 'tier' | 'step-therapy' | 'quantity-limit' | 'prior-auth-pathway' | 'precision-cost-share' | 'alternative' | 'plan' | 'specialty-pharmacy';

/**
 * CRD detail categories (CRDCoverageDetailCategories): a limitation qualifies "covered" / "no PA" and must
 * be read with it; a decisional detail helps choose the therapy; other is reference information.
 */
export const COVERAGE_DETAIL_CATEGORY: Readonly<Record<CoverageDetailCode, 'cat-limitation' | 'cat-decisional' | 'cat-other'>> = {
  'step-therapy': 'cat-limitation',
  'quantity-limit': 'cat-limitation',
  'prior-auth-pathway': 'cat-limitation',
  tier: 'cat-decisional',
  'precision-cost-share': 'cat-decisional',
  alternative: 'cat-decisional',
  plan: 'cat-other',
  'specialty-pharmacy': 'cat-other',
};

export interface CoverageDetail {
  code: CoverageDetailCode;
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
  /** what is needed to settle a `conditional` answer (crd-ci-q3); OTH needs a reason and a detail saying what */
  infoNeeded?: 'performer' | 'location' | 'timeframe' | 'contract-window' | 'detail-code' | 'OTH';
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

/**
 * The extension, or undefined when no Coverage is known: CRD's `coverage` is a reference to the client's
 * Coverage, and "if no coverage instance is available, the coverage-information extension cannot be
 * returned" (the card still says coverage was not checked).
 */
export function buildCoverageInformation(input: CoverageInformationInput): Extension | undefined {
  if (!input.coverageRef) return undefined;
  const ext: Extension[] = [];
  ext.push({ url: 'coverage', valueReference: { reference: input.coverageRef, ...(input.coverageDisplay ? { display: input.coverageDisplay } : {}) } });
  ext.push({ url: 'covered', valueCode: input.covered });
  // crd-ci-q2: anything but not-covered carries pa-needed
  const paNeeded = input.covered !== 'not-covered' ? (input.paNeeded ?? 'indeterminate') : undefined;
  if (paNeeded) ext.push({ url: 'pa-needed', valueCode: paNeeded });
  if (input.docNeeded) ext.push({ url: 'doc-needed', valueCode: input.docNeeded });
  // crd-ci-q4: documentation goes with a PA only when a PA is needed
  const docPurpose = input.docPurpose === 'withpa' && paNeeded !== 'auth-needed' ? undefined : input.docPurpose;
  if (input.docNeeded && docPurpose) ext.push({ url: 'doc-purpose', valueCode: docPurpose });
  // crd-ci-q3: a conditional answer says what information would settle it
  const conditional = input.covered === 'conditional' || paNeeded === 'conditional' || input.docNeeded === 'conditional';
  const infoNeeded = input.infoNeeded ?? (conditional ? 'OTH' : undefined);
  if (infoNeeded) ext.push({ url: 'info-needed', valueCode: infoNeeded });
  if (input.reason) ext.push({ url: 'reason', valueCodeableConcept: { text: input.reason } });
  for (const d of input.details) {
    ext.push({
      url: 'detail',
      extension: [
        { url: 'category', valueCode: COVERAGE_DETAIL_CATEGORY[d.code] },
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

/** What the encoding needs besides the decision: the plan, the order, the patient's Coverage, the instant, the reason. */
export interface CoverageEncodingContext {
  plan: Pick<Plan, 'id' | 'version' | 'name'>;
  orderId: string;
  coverage?: Coverage;
  now: string;
  /** the decision in words (explain-benefit.ts) */
  reason: string;
}

/** A benefit decision as the CRD coverage-information extension (undefined without a known Coverage). */
export function encodeCoverageInformation(decision: BenefitDecision, ctx: CoverageEncodingContext): Extension | undefined {
  const { plan, now, reason } = ctx;
  const { drug, status, costShare } = decision;
  const coverageRef = ctx.coverage?.id ? `Coverage/${ctx.coverage.id}` : undefined;
  const coverageDisplay = ctx.coverage?.payor?.[0]?.display;
  if (decision.unmatched) {
    return buildCoverageInformation({
      coverageRef,
      coverageDisplay,
      covered: 'indeterminate',
      paNeeded: 'indeterminate',
      reason,
      details: [],
      now,
      assertionId: coverageAssertionId(plan.id, ctx.orderId, drug.display, now, 'indeterminate'),
    });
  }

  const details: CoverageDetail[] = [];
  const ci: Omit<CoverageInformationInput, 'details' | 'assertionId'> = { coverageRef, coverageDisplay, covered: 'covered', now, reason };
  details.push({ code: 'plan', display: 'Plan rule', value: `${plan.name} — ${status.ruleId}` });
  if (!status.covered) {
    ci.covered = 'not-covered';
    const best = decision.alternatives[0];
    if (best) details.push({ code: 'alternative', display: 'Covered alternative', value: `${best.drug.display} (${best.status.tier})` });
  } else {
    details.push({ code: 'tier', display: 'Drug tier', value: `${status.tier}: ${costShare?.standard}` });
    ci.paNeeded = status.priorAuthorization && decision.priorAuth?.pathway !== 'not-required' ? 'auth-needed' : 'no-auth';
    if (status.quantityLimit) {
      details.push({ code: 'quantity-limit', display: 'Quantity limit', value: status.quantityLimitDetail ?? 'quantity limit applies' });
    }
    const st = decision.stepTherapy;
    if (st && st.status !== 'satisfied' && st.status !== 'not-applicable') {
      ci.covered = 'conditional';
      details.push({
        code: 'step-therapy',
        display: 'Step therapy',
        value: `${st.status}: ${st.steps.map((s) => `${s.drugOrClass} ${s.outcome}`).join(', ')}`,
        qualification: st.basis,
      });
      // crd-ci-q3: what settles "conditional" — the step history, or the exemption's evidence — has no
      // standard code; the step-therapy detail and the reason say what it is (crd-ci-q6)
      ci.infoNeeded = 'OTH';
      if (st.status === 'exempt') {
        // the genomic evidence for skipping the step is kept as proof of medical necessity; it goes with a
        // PA only when the drug needs one (set below) — crd-ci-q4
        ci.docNeeded = 'clinical';
        ci.docPurpose = 'retain-doc';
      }
    } else if (st) {
      details.push({ code: 'step-therapy', display: 'Step therapy', value: 'satisfied', qualification: st.basis });
    }
    const pa = decision.priorAuth;
    if (pa) {
      details.push({ code: 'prior-auth-pathway', display: 'Prior authorization', value: pa.pathway, qualification: pa.reason });
      if (pa.pathway !== 'not-required') {
        ci.docNeeded = 'clinical';
        ci.docPurpose = 'withpa';
      }
    } else if (status.priorAuthorization) {
      ci.paNeeded = 'indeterminate';
    }
  }
  const pharmacy = decision.specialtyPharmacy;
  if (pharmacy) details.push({ code: 'specialty-pharmacy', display: 'Specialty pharmacy', value: pharmacy.name, qualification: pharmacy.source });
  const precision = costShare?.precisionException;
  if (precision) {
    details.push({
      code: 'precision-cost-share',
      display: 'Precision cost-share',
      value: `${precision.drug}: ${precision.costShare}`,
      qualification: 'Genetic information was used only to judge clinical appropriateness for this order, never for eligibility, premiums or tiers',
    });
  }
  return buildCoverageInformation({
    ...ci,
    details,
    assertionId: coverageAssertionId(plan.id, plan.version, ctx.orderId, drug.ingredientRxcui ?? decision.listingCode ?? '', now, ci.covered, ci.paNeeded ?? ''),
  });
}
