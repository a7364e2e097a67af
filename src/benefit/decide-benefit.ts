/**
 * The benefit decision for one draft order: formulary status, step therapy (with genomic exemption), PA
 * preview, genomically better alternatives and cost-share (VBID, GINA-guarded). Words and the CRD wire
 * form are made from it elsewhere (explain-benefit.ts, coverage-information.ts).
 */
import type { MedicationDispense, MedicationRequest, MedicationStatement } from 'fhir/r4';
import { RXNORM } from '../fhir/systems';
import type { PatientRecord } from '../decision/types';
import type { DrugRef, PgxAssessment } from '../pgx/types';
import { rankAlternatives, burdenScore, type Burden } from './alternatives';
import { assessCostShare } from './cost-share';
import { findEntry, matchOrder, ruleApplies, statusOf, type FormularyEntry } from './formulary';
import type { Plan } from './plan-catalogue';
import { pgxVariables, previewPriorAuth, type CriterionEnv } from './prior-auth';
import { continuingTherapy, evaluateStepTherapy, medicationHistory, recentUse, type HistoryItem } from './step-therapy';
import { UNSUITABLE_VERDICTS, type BenefitDecision, type FormularyStatus } from './types';

export interface BenefitInput {
  order: MedicationRequest;
  drug: DrugRef;
  pgx: PgxAssessment;
  plan: Plan;
  record: PatientRecord;
  now: string;
  /** injected by the decision layer: identify + PGx-assess a formulary drug for THIS patient */
  assessCandidate: (ingredientRxcui: string) => { drug: DrugRef; pgx: PgxAssessment } | undefined;
  /** injected: identify a medication resource from the history (step therapy look-back) */
  identify: (resource: MedicationRequest | MedicationStatement | MedicationDispense) => DrugRef;
  /** tumour results for PA criteria (`%biomarker`, `%cdx`), when the order is a targeted oncology drug */
  tumour?: Pick<CriterionEnv, 'biomarker' | 'cdx'>;
}

export function decideBenefit(input: BenefitInput): BenefitDecision {
  const { plan, drug, pgx, record, now, order } = input;
  const base = { drug, planId: plan.id, planName: plan.name, planVersion: plan.version };

  // the order's own product code first, then its ingredients (GINA: codes and the plan's table only)
  const codings = (order.medicationCodeableConcept?.coding ?? []).filter((c) => c.system === RXNORM);
  const match = matchOrder(plan, { codings: drug.rxcui && !codings.some((c) => c.code === drug.rxcui) ? [...codings, { code: drug.rxcui }] : codings, ingredientRxcui: drug.ingredientRxcui });

  if (!drug.ingredientRxcui && !match.entry) {
    return {
      ...base,
      status: { covered: false, priorAuthorization: false, stepTherapy: false, quantityLimit: false },
      alternatives: [],
      unmatched: true,
    };
  }

  let history: HistoryItem[] | undefined;
  const getHistory = () => (history ??= medicationHistory(record, input.identify));

  /** step therapy + PA for a listing (the order's, or a candidate ingredient's), for this patient */
  const burdenOf = (rxcui: string, cand: { drug: DrugRef; pgx: PgxAssessment }, listing?: FormularyEntry): Burden => {
    const entry = listing ?? findEntry(plan.entries, rxcui);
    if (!entry) return {};
    const out: Burden = {};
    const days = plan.continuingTherapyDays;
    const continuing = () => recentUse(getHistory(), rxcui ? [rxcui] : entry.ingredientRxcuis, now, days);
    if (entry.stepTherapy) {
      const protocol = plan.stepTherapy.find((p) => ruleApplies(p.appliesTo, entry));
      const current = entry.stepTherapyNewStartsOnly ? continuing() : undefined;
      if (protocol && current) out.stepTherapy = continuingTherapy(protocol.id, current, days);
      else if (protocol) out.stepTherapy = evaluateStepTherapy(protocol, getHistory(), now, input.assessCandidate, plan.lineOfBusiness);
    }
    if (entry.priorAuthorization) {
      const set = plan.priorAuth.find((s) => ruleApplies(s.appliesTo, entry));
      const current = entry.priorAuthNewStartsOnly ? continuing() : undefined;
      if (set && current) {
        out.priorAuth = {
          criteriaSetId: set.id,
          pathway: 'not-required',
          criteria: [],
          attachments: [],
          reason: `Prior authorization applies to new starts only (usdf-PriorAuthorizationNewStartsOnly-extension); ${current.display} is on record (${current.kind}, ${current.date!.slice(0, 10)})`,
          timeframes: [],
        };
      } else if (set) {
        const extra = set.pgxFrom.map((rx) => input.assessCandidate(rx)?.pgx).filter((p): p is PgxAssessment => !!p);
        const all = [cand.pgx, ...extra];
        const env: CriterionEnv = {
          pgx: pgxVariables(all.flatMap((p) => p.genes), all.flatMap((p) => p.effectivePhenotypes)),
          tried: [...new Set(getHistory().flatMap((h) => (h.ingredientRxcui ? [h.ingredientRxcui] : [])))],
          now,
          order,
          ...input.tumour,
        };
        out.priorAuth = previewPriorAuth(set, record, env, plan);
      }
    }
    return out;
  };

  const listed: FormularyStatus = statusOf(match.entry);
  const status: FormularyStatus = listed.covered ? listed : { ...listed, ruleId: `${plan.formulary.id}#not-listed` };
  const burden = status.covered ? burdenOf(drug.ingredientRxcui ?? '', { drug, pgx }, match.entry) : {};

  // Alternatives only when they help: the order is not covered, genomically unsuitable, or burdened.
  const unsuitable = UNSUITABLE_VERDICTS.has(pgx.verdict);
  const burdened =
    burden.stepTherapy?.status === 'required' ||
    (burden.priorAuth !== undefined && burden.priorAuth.pathway !== 'auto-approvable');
  const mode = !status.covered || unsuitable ? 'clinical' : burdened ? 'burden' : undefined;
  const alternatives = mode
    ? rankAlternatives({
        plan,
        drug,
        pgx,
        mode,
        orderBurden: burdenScore(burden),
        orderTierRank: status.tierRank,
        assessCandidate: input.assessCandidate,
        burdenOf,
      })
    : [];

  const costShare = assessCostShare({ plan, drug, status, pgx, alternatives, assessCandidate: input.assessCandidate });
  if (costShare.precisionException?.appliesTo === 'alternative') {
    const alt = alternatives.find((a) => a.drug.ingredientRxcui === costShare.precisionException!.ingredientRxcui);
    if (alt) alt.costShare = { standard: alt.status.tier ?? '', precisionException: costShare.precisionException };
  }

  // the plan's specialty pharmacy dispenses the order when its tier is one of the pharmacy's
  const pharmacy = plan.specialtyPharmacy && status.tier && plan.specialtyPharmacy.tiers.includes(status.tier) ? plan.specialtyPharmacy : undefined;
  const specialtyPharmacy = pharmacy && {
    name: pharmacy.name,
    ...(pharmacy.phone ? { phone: pharmacy.phone } : {}),
    ...(pharmacy.url ? { url: pharmacy.url } : {}),
    source: pharmacy.source,
  };

  return {
    ...base,
    status,
    alternatives,
    ...(burden.stepTherapy ? { stepTherapy: burden.stepTherapy } : {}),
    ...(burden.priorAuth ? { priorAuth: burden.priorAuth } : {}),
    costShare,
    unmatched: false,
    ...(match.entry ? { listingCode: match.entry.rxnormCode } : {}),
    ...(specialtyPharmacy ? { specialtyPharmacy } : {}),
  };
}
