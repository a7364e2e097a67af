/**
 * Assess each draft order with both engines. The genomic profile, the active-medication list and the
 * plan are resolved once per request; candidate alternatives are assessed lazily and memoised.
 */
import type { MedicationDispense, MedicationRequest, MedicationStatement } from 'fhir/r4';
import { assessDrug, drugByIngredient, identifyMedication } from '../pgx';
import { interpretGenomics } from '../pgx/genomic-profile';
import { doseAlgorithmFor, estimateDose } from '../pgx/dose-estimate';
import { withOtherGuidance } from '../pgx/other-guidance';
import { readPatientFacts, type PatientFacts } from '../pgx/patient-facts';
import { assessBenefit, resolvePlan, unavailableCoverageInformation } from '../benefit';
import type { BenefitAssessment, BenefitUnavailable } from '../benefit/types';
import type { DrugRef, GenomicProfile, PgxAssessment } from '../pgx/types';
import type { DecisionKnowledge } from './decide';
import type { DataGap, DecisionContext, PatientRecord } from './types';

export interface OrderAssessment {
  order: MedicationRequest;
  /** "MedicationRequest/<id>" */
  orderRef: string;
  drug: DrugRef;
  pgx: PgxAssessment;
  benefit?: BenefitAssessment;
  benefitUnavailable?: BenefitUnavailable;
  /** data gaps that weaken this order's assessment */
  gaps: DataGap[];
  /** set when assessing this order failed unexpectedly: the card then says it could not be checked */
  failure?: string;
}

export interface RequestAssessment {
  profile: GenomicProfile;
  orders: OrderAssessment[];
  /** unexpected failures (error name and first stack frame), for the edge to log and count */
  errors: string[];
}

/**
 * Safety net: an engine bug must cost one order its advice, not the EHR its whole answer. Only the error
 * type and the code location are kept — a message can quote patient data (a property named after an allele).
 */
const describeError = (e: unknown): string => {
  const err = e instanceof Error ? e : new Error('non-Error thrown');
  const frame = (err.stack ?? '').split('\n').find((l) => l.trim().startsWith('at '))?.trim() ?? '';
  return `${err.name} ${frame}`.trim();
};

export const orderRef = (order: MedicationRequest, index: number): string =>
  `MedicationRequest/${order.id ?? `draft-${index}`}`;

/** order-select advises on the selected orders only; order-sign checks every draft order. */
export function ordersInScope(record: PatientRecord, ctx: DecisionContext): MedicationRequest[] {
  if (ctx.hook !== 'order-select' || !ctx.selections || ctx.selections.length === 0) return record.draftOrders;
  const wanted = new Set(ctx.selections);
  return record.draftOrders.filter((o, i) => wanted.has(orderRef(o, i)) || wanted.has(o.id ?? ''));
}

export function assessRequest(record: PatientRecord, ctx: DecisionContext, kb: DecisionKnowledge): RequestAssessment {
  const errors: string[] = [];
  const pgxGaps = record.unavailable.filter((g) => g.key === 'pgx');
  let profile: GenomicProfile = {};
  try {
    profile = interpretGenomics(record.pgxObservations, record.patientId, kb.pgx.genes);
  } catch (e) {
    errors.push(describeError(e));
    pgxGaps.push({ key: 'pgx', reason: 'the genomic results could not be interpreted (internal error)' });
  }
  // identified once per request: the same resources are read again by every order's step-therapy look-back
  const identified = new WeakMap<object, DrugRef>();
  const identify = (resource: MedicationRequest | MedicationStatement | MedicationDispense): DrugRef => {
    let drug = identified.get(resource);
    if (!drug) identified.set(resource, (drug = identifyMedication(resource, kb.pgx.drugs)));
    return drug;
  };
  let activeDrugs: DrugRef[] = [];
  try {
    activeDrugs = record.activeMedications.map(identify);
  } catch (e) {
    errors.push(describeError(e));
    pgxGaps.push({ key: 'medications', reason: 'active medications could not be read, so interactions (phenoconversion) were not checked' });
  }

  const candidateCache = new Map<string, { drug: DrugRef; pgx: PgxAssessment } | undefined>();
  const assessCandidate = (ingredientRxcui: string) => {
    if (!candidateCache.has(ingredientRxcui)) {
      const drug = drugByIngredient(ingredientRxcui, kb.pgx.drugs);
      candidateCache.set(ingredientRxcui, drug && { drug, pgx: assessDrug(drug, profile, activeDrugs, kb.pgx) });
    }
    return candidateCache.get(ingredientRxcui);
  };

  const coverageGap = record.unavailable.find((g) => g.key === 'coverage');
  let planResolution: ReturnType<typeof resolvePlan>;
  try {
    planResolution = coverageGap
      ? ({ unavailable: true, reason: `coverage could not be retrieved (${coverageGap.reason})` } as BenefitUnavailable)
      : resolvePlan(record.coverage, kb.plans);
  } catch (e) {
    errors.push(describeError(e));
    planResolution = { unavailable: true, reason: 'the Coverage could not be read (internal error)' };
  }

  const historyGaps = record.unavailable.filter((g) => g.key === 'medications' || g.key === 'dispenses');

  // read once, and only when an order's drug has a dose algorithm (warfarin)
  let facts: PatientFacts | undefined;
  const medicationsKnown = !record.unavailable.some((g) => g.key === 'medications');

  const all = record.draftOrders;
  const orders = ordersInScope(record, ctx).map((order): OrderAssessment => {
    const ref = orderRef(order, all.indexOf(order));
    try {
      return assessOrder(order, ref);
    } catch (e) {
      errors.push(describeError(e));
      const display = order.medicationCodeableConcept?.text ?? order.medicationCodeableConcept?.coding?.[0]?.display ?? 'this medication';
      const drug: DrugRef = { display: String(display), recognised: false };
      const pgx: PgxAssessment = {
        drug, verdict: 'indeterminate', relevantGenes: [], genes: [], missingGenes: [], effectivePhenotypes: [], rationale: [], knowledgeVersion: kb.pgx.version,
      };
      return { order, orderRef: ref, drug, pgx, gaps: [...pgxGaps], failure: 'an internal error stopped the pharmacogenomic and benefit checks for this order' };
    }
  });
  return { profile, orders, errors };

  function assessOrder(order: MedicationRequest, ref: string): OrderAssessment {
    const drug = identifyMedication(order, kb.pgx.drugs);
    const pgx = withOtherGuidance(assessDrug(drug, profile, activeDrugs, kb.pgx), profile, kb.pgx.guidance);
    const algorithm = doseAlgorithmFor(drug.cpicDrug, kb.pgx.dosing);
    if (algorithm && drug.recognised) {
      facts ??= readPatientFacts(record.patient, record.vitals ?? [], ctx.now, algorithm.raceExtension);
      pgx.doseEstimate = estimateDose(algorithm, { facts, profile, activeDrugs, medicationsKnown });
    }
    const assessment: OrderAssessment = { order, orderRef: ref, drug, pgx, gaps: [...pgxGaps] };
    if ('plan' in planResolution) {
      if (drug.recognised) {
        assessment.benefit = assessBenefit({
          order,
          drug,
          pgx,
          plan: planResolution.plan,
          record,
          now: ctx.now,
          assessCandidate,
          identify,
        });
        assessment.gaps.push(...historyGaps);
      }
    } else {
      assessment.benefitUnavailable = {
        ...planResolution,
        coverageInformation: planResolution.coverageInformation ?? unavailableCoverageInformation(planResolution, ctx.now, record.coverage[0]),
      };
    }
    return assessment;
  }
}
