/**
 * The benefit answer for one draft order: formulary status, step therapy (with genomic exemption),
 * PA preview, genomically better alternatives, cost-share (VBID, GINA-guarded) and the CRD
 * coverage-information extension — with plain-language notes, in order.
 */
import type { MedicationDispense, MedicationRequest, MedicationStatement } from 'fhir/r4';
import { RXNORM } from '../fhir/systems';
import type { PatientRecord } from '../decision/types';
import type { DrugRef, PgxAssessment } from '../pgx/types';
import { rankAlternatives, burdenScore, type Burden } from './alternatives';
import { assessCostShare } from './cost-share';
import { buildCoverageInformation, coverageAssertionId, type CoverageDetail, type CoverageInformationInput } from './coverage-information';
import { findEntry, matchOrder, ruleApplies, statusOf, type FormularyEntry } from './formulary';
import type { Plan } from './plan-catalogue';
import { pgxVariables, previewPriorAuth, type CriterionEnv } from './prior-auth';
import { continuingTherapy, evaluateStepTherapy, medicationHistory, pgxEvidence, recentUse, type HistoryItem } from './step-therapy';
import type { BenefitAssessment, FormularyStatus } from './types';

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
}

const UNSUITABLE = new Set(['contraindicated', 'expected-ineffective']);

function coverageRef(record: PatientRecord): { ref?: string; display?: string } {
  const c = record.coverage[0];
  return { ref: c?.id ? `Coverage/${c.id}` : undefined, display: c?.payor?.[0]?.display };
}

export function assessBenefit(input: BenefitInput): BenefitAssessment {
  const { plan, drug, pgx, record, now, order } = input;
  const notes: string[] = [];
  const cov = coverageRef(record);
  const base = {
    drug,
    planId: plan.id,
    planName: plan.name,
    planVersion: plan.version,
  };

  // the order's own product code first, then its ingredients (GINA: codes and the plan's table only)
  const codings = (order.medicationCodeableConcept?.coding ?? []).filter((c) => c.system === RXNORM);
  const match = matchOrder(plan, { codings: drug.rxcui && !codings.some((c) => c.code === drug.rxcui) ? [...codings, { code: drug.rxcui }] : codings, ingredientRxcui: drug.ingredientRxcui });

  if (!drug.ingredientRxcui && !match.entry) {
    const reason = `${drug.display || 'The ordered drug'} could not be matched to an RxNorm ingredient, so the formulary could not be checked`;
    return {
      ...base,
      status: { covered: false, priorAuthorization: false, stepTherapy: false, quantityLimit: false },
      alternatives: [],
      notes: [reason],
      coverageInformation: buildCoverageInformation({
        coverageRef: cov.ref,
        coverageDisplay: cov.display,
        covered: 'indeterminate',
        paNeeded: 'indeterminate',
        reason,
        details: [],
        now,
        assertionId: coverageAssertionId(plan.id, order.id ?? '', drug.display, now, 'indeterminate'),
      }),
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
  const unsuitable = UNSUITABLE.has(pgx.verdict);
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

  // ---- notes, in the order a prescriber reads them -------------------------------------------
  const drugName = drug.cpicDrug ?? drug.display;
  if (!status.covered) notes.push(`${drugName} is not on the ${plan.formulary.name} formulary (${status.ruleId}).`);
  else {
    const flags = [
      status.priorAuthorization && 'prior authorization',
      status.stepTherapy && 'step therapy',
      status.quantityLimit && `quantity limit${status.quantityLimitDetail ? ` (${status.quantityLimitDetail})` : ''}`,
    ].filter(Boolean);
    notes.push(
      `${drugName} is covered on ${plan.name}, tier ${status.tier}${flags.length ? `, with ${flags.join(', ')}` : ''} (rule ${status.ruleId}).`,
    );
  }
  if (burden.stepTherapy) {
    const st = burden.stepTherapy;
    notes.push(`Step therapy ${st.protocolId}: ${st.status}. ${st.steps.map((s) => `${s.drugOrClass}: ${s.outcome} — ${s.evidence}`).join(' ')}`);
    if (st.basis) notes.push(st.basis);
  }
  if (burden.priorAuth) notes.push(`Prior authorization (${burden.priorAuth.criteriaSetId}): ${burden.priorAuth.pathway}. ${burden.priorAuth.reason}.`);
  if (unsuitable) notes.push(`Genomics: ${pgxEvidence(pgx)}.`);
  if (alternatives.length) notes.push(`Better-fitting covered alternative: ${alternatives[0]!.drug.display} — ${alternatives[0]!.why}.`);
  if (costShare.precisionException) notes.push(`Precision cost-share: ${costShare.precisionException.drug} at ${costShare.precisionException.costShare} — ${costShare.precisionException.reason}.`);
  const historyGap = record.unavailable.find((g) => g.key === 'medications' || g.key === 'dispenses');
  if (historyGap && burden.stepTherapy?.status === 'required') {
    notes.push(`Medication history was incomplete (${historyGap.key}): a step already tried may not be visible.`);
  }

  // ---- CRD coverage-information ---------------------------------------------------------------
  const details: CoverageDetail[] = [];
  const ci: Omit<CoverageInformationInput, 'details' | 'assertionId'> = {
    coverageRef: cov.ref,
    coverageDisplay: cov.display,
    covered: 'covered',
    now,
  };
  details.push({ code: 'plan', display: 'Plan rule', value: `${plan.name} — ${status.ruleId}` });
  if (!status.covered) {
    ci.covered = 'not-covered';
    ci.reason = `Not on formulary ${plan.formulary.name}`;
    if (alternatives[0]) {
      details.push({ code: 'alternative', display: 'Covered alternative', value: `${alternatives[0].drug.display} (${alternatives[0].status.tier})` });
    }
  } else {
    details.push({ code: 'tier', display: 'Drug tier', value: `${status.tier}: ${costShare.standard}` });
    ci.paNeeded = status.priorAuthorization && burden.priorAuth?.pathway !== 'not-required' ? 'auth-needed' : 'no-auth';
    if (status.quantityLimit) {
      details.push({ code: 'quantity-limit', display: 'Quantity limit', value: status.quantityLimitDetail ?? 'quantity limit applies' });
    }
    const st = burden.stepTherapy;
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
    const pa = burden.priorAuth;
    if (pa?.pathway === 'not-required') {
      details.push({ code: 'prior-auth-pathway', display: 'Prior authorization', value: pa.pathway, qualification: pa.reason });
    } else if (pa) {
      details.push({ code: 'prior-auth-pathway', display: 'Prior authorization', value: pa.pathway, qualification: pa.reason });
      ci.docNeeded = 'clinical';
      ci.docPurpose = 'withpa';
    } else if (status.priorAuthorization) {
      ci.paNeeded = 'indeterminate';
    }
    ci.reason = notes[0];
  }
  if (costShare.precisionException) {
    details.push({
      code: 'precision-cost-share',
      display: 'Precision cost-share',
      value: `${costShare.precisionException.drug}: ${costShare.precisionException.costShare}`,
      qualification: 'Genetic information was used only to judge clinical appropriateness for this order, never for eligibility, premiums or tiers',
    });
  }
  const coverageInformation = buildCoverageInformation({
    ...ci,
    details,
    assertionId: coverageAssertionId(plan.id, plan.version, order.id ?? '', drug.ingredientRxcui ?? match.entry?.rxnormCode ?? '', now, ci.covered, ci.paNeeded ?? ''),
  });

  return {
    ...base,
    status,
    alternatives,
    ...(burden.stepTherapy ? { stepTherapy: burden.stepTherapy } : {}),
    ...(burden.priorAuth ? { priorAuth: burden.priorAuth } : {}),
    costShare,
    coverageInformation,
    notes,
  };
}
