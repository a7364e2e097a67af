/**
 * Assess each draft order with both engines. The genomic profile, the active-medication list and the
 * plan are resolved once per request; candidate alternatives are assessed lazily and memoised.
 */
import type { MedicationDispense, MedicationRequest, MedicationStatement } from 'fhir/r4';
import { assessDrug, drugByIngredient, identifyMedication } from '../pgx';
import { interpretGenomics } from '../pgx/genomic-profile';
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
}

export interface RequestAssessment {
  profile: GenomicProfile;
  orders: OrderAssessment[];
}

export const orderRef = (order: MedicationRequest, index: number): string =>
  `MedicationRequest/${order.id ?? `draft-${index}`}`;

/** order-select advises on the selected orders only; order-sign checks every draft order. */
export function ordersInScope(record: PatientRecord, ctx: DecisionContext): MedicationRequest[] {
  if (ctx.hook !== 'order-select' || !ctx.selections || ctx.selections.length === 0) return record.draftOrders;
  const wanted = new Set(ctx.selections);
  return record.draftOrders.filter((o, i) => wanted.has(orderRef(o, i)) || wanted.has(o.id ?? ''));
}

export function assessRequest(record: PatientRecord, ctx: DecisionContext, kb: DecisionKnowledge): RequestAssessment {
  const profile = interpretGenomics(record.pgxObservations, record.patientId, kb.pgx.genes);
  // identified once per request: the same resources are read again by every order's step-therapy look-back
  const identified = new WeakMap<object, DrugRef>();
  const identify = (resource: MedicationRequest | MedicationStatement | MedicationDispense): DrugRef => {
    let drug = identified.get(resource);
    if (!drug) identified.set(resource, (drug = identifyMedication(resource, kb.pgx.drugs)));
    return drug;
  };
  const activeDrugs = record.activeMedications.map(identify);

  const candidateCache = new Map<string, { drug: DrugRef; pgx: PgxAssessment } | undefined>();
  const assessCandidate = (ingredientRxcui: string) => {
    if (!candidateCache.has(ingredientRxcui)) {
      const drug = drugByIngredient(ingredientRxcui, kb.pgx.drugs);
      candidateCache.set(ingredientRxcui, drug && { drug, pgx: assessDrug(drug, profile, activeDrugs, kb.pgx) });
    }
    return candidateCache.get(ingredientRxcui);
  };

  const coverageGap = record.unavailable.find((g) => g.key === 'coverage');
  const planResolution = coverageGap
    ? ({ unavailable: true, reason: `coverage could not be retrieved (${coverageGap.reason})` } as BenefitUnavailable)
    : resolvePlan(record.coverage, kb.plans);

  const pgxGaps = record.unavailable.filter((g) => g.key === 'pgx');
  const historyGaps = record.unavailable.filter((g) => g.key === 'medications' || g.key === 'dispenses');

  const all = record.draftOrders;
  const orders = ordersInScope(record, ctx).map((order) => {
    const ref = orderRef(order, all.indexOf(order));
    const drug = identifyMedication(order, kb.pgx.drugs);
    const pgx = assessDrug(drug, profile, activeDrugs, kb.pgx);
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
  });
  return { profile, orders };
}
