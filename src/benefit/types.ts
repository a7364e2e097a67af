/**
 * Contracts of the pharmacy-benefit core. Plain data; no HTTP, no clock (the caller passes `now`).
 * GINA guard: nothing here may take genomic input when computing eligibility, premiums or tiers —
 * genomics only enters through `PgxAssessment` for clinical routing (alternatives, exemptions, PA).
 */
import type { Extension } from 'fhir/r4';
import type { DrugRef, PgxAssessment, PgxVerdict } from '../pgx/types';

/** PGx verdicts that make a drug genomically unsuitable: a reason for alternatives, step exemptions, precision cost-share */
export const UNSUITABLE_VERDICTS: ReadonlySet<PgxVerdict> = new Set<PgxVerdict>(['contraindicated', 'expected-ineffective']);

export interface FormularyStatus {
  covered: boolean;
  /** DrugTierVS code, e.g. "generic", "preferred-brand", "non-preferred-brand", "specialty" */
  tier?: string;
  tierRank?: number;
  priorAuthorization: boolean;
  stepTherapy: boolean;
  quantityLimit: boolean;
  quantityLimitDetail?: string;
  /** id of the FormularyItem / policy rule that decided it */
  ruleId?: string;
}

export interface RankedAlternative {
  drug: DrugRef;
  status: FormularyStatus;
  pgx: PgxAssessment;
  /** 1 = best */
  rank: number;
  why: string;
  /** step therapy the alternative would face for THIS patient (exempt/satisfied/required) */
  stepTherapy?: StepTherapyResult;
  /** PA preview for the alternative, when the plan requires PA for it */
  priorAuth?: PaPreview;
  /** plan cost-share of the alternative; `precisionException` when VBID lowers it for this patient */
  costShare?: CostShare;
}

export type StepOutcome = 'exempt' | 'satisfied' | 'required' | 'not-applicable';

export interface StepTherapyResult {
  status: StepOutcome;
  protocolId: string;
  steps: Array<{
    drugOrClass: string;
    outcome: 'exempt' | 'satisfied' | 'not-met';
    evidence: string;
  }>;
  /** why: the legal/plan ground for the outcome (state step-therapy exception law, Part D exceptions, history) */
  basis?: string;
}

export type PaPathway = 'not-required' | 'auto-approvable' | 'needs-documentation' | 'likely-denied';

export interface PaCriterionResult {
  id: string;
  /** criteria sharing a group are alternatives: one met suffices */
  group?: string;
  description: string;
  result: 'met' | 'not-met' | 'unknown';
  evidence?: string;
}

export interface PaPreview {
  criteriaSetId: string;
  pathway: PaPathway;
  criteria: PaCriterionResult[];
  attachments: string[];
  reason: string;
  /** decision timeframes that apply to the plan's line of business, with their source */
  timeframes: Array<{ label: string; value: string; source: string }>;
  /** the plan's expedited determination, when every criterion is met and its condition holds (first of `timeframes`) */
  determination?: { description: string; timeframe: { label: string; value: string; source: string }; evidence: string };
}

export interface CostShare {
  /** what the patient would pay for the order as written (plan's tier cost-share) */
  standard: string;
  /** numeric copay (USD) behind `standard`; absent when not covered */
  standardCopay?: number;
  /** when a VBID precision exception applies: the first-line cost-share for the genomically indicated alternative */
  precisionException?: {
    drug: string;
    costShare: string;
    reason: string;
    /** numeric copay (USD) under the exception: never above the genotype-blind copay */
    copay?: number;
    /** the exception lowers this order's cost-share, or the suggested alternative's */
    appliesTo?: 'order' | 'alternative';
    /** ingredient RxCUI of the drug the exception is for */
    ingredientRxcui?: string;
  };
}

export interface BenefitAssessment {
  drug: DrugRef;
  planId: string;
  planName: string;
  planVersion: string;
  status: FormularyStatus;
  alternatives: RankedAlternative[];
  stepTherapy?: StepTherapyResult;
  priorAuth?: PaPreview;
  costShare?: CostShare;
  /**
   * Da Vinci CRD ext-coverage-information, ready to add to the draft MedicationRequest; absent when the
   * patient's Coverage is not known (CRD cannot assert coverage without one)
   */
  coverageInformation?: Extension;
  /** the plan's specialty pharmacy, when the order's tier is one it dispenses */
  specialtyPharmacy?: { name: string; phone?: string; url?: string; source: string };
}

/** What the benefit engine decided for one draft order, before it is explained and encoded for CRD. */
export interface BenefitDecision extends Omit<BenefitAssessment, 'coverageInformation'> {
  /** the ordered drug matched neither an RxNorm ingredient nor a formulary listing: nothing could be checked */
  unmatched: boolean;
  /** the RxNorm code of the formulary listing the order matched, if any */
  listingCode?: string;
}

/** When the benefit cannot be checked at all (no Coverage, unknown plan): PGx advice still shows. */
export interface BenefitUnavailable {
  unavailable: true;
  reason: string;
  coverageInformation?: Extension;
}
