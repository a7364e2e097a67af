/**
 * Contracts of the pharmacy-benefit core. Plain data; no HTTP, no clock (the caller passes `now`).
 * GINA guard: nothing here may take genomic input when computing eligibility, premiums or tiers —
 * genomics only enters through `PgxAssessment` for clinical routing (alternatives, exemptions, PA).
 */
import type { Extension } from 'fhir/r4';
import type { DrugRef, PgxAssessment } from '../pgx/types';

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
}

export type PaPathway = 'not-required' | 'auto-approvable' | 'needs-documentation' | 'likely-denied';

export interface PaCriterionResult {
  id: string;
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
}

export interface CostShare {
  /** what the patient would pay for the order as written (plan's tier cost-share) */
  standard: string;
  /** when a VBID precision exception applies: the first-line cost-share for the genomically indicated alternative */
  precisionException?: { drug: string; costShare: string; reason: string };
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
  /** Da Vinci CRD ext-coverage-information, ready to add to the draft MedicationRequest */
  coverageInformation: Extension;
  /** plain-language reasons, in order */
  notes: string[];
}

/** When the benefit cannot be checked at all (no Coverage, unknown plan): PGx advice still shows. */
export interface BenefitUnavailable {
  unavailable: true;
  reason: string;
  coverageInformation?: Extension;
}
