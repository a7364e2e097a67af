/**
 * Assess each draft order with both engines. The genomic profile, the active-medication list and the
 * plan are resolved once per request; candidate alternatives are assessed lazily and memoised.
 */
import type { MedicationDispense, MedicationRequest, MedicationStatement } from 'fhir/r4';
import { referenceTo } from '../fhir/reference';
import { assessDrug, drugByIngredient, identifyMedication } from '../pgx';
import { interpretGenomicsDetailed, type GenomicsNote } from '../pgx/genomic-profile';
import { doseAlgorithmsFor, estimateDoses, factCodesFor } from '../pgx/dose-estimate';
import { withOtherGuidance } from '../pgx/other-guidance';
import { readPatientFacts, type PatientFacts } from '../pgx/patient-facts';
import { assessBenefit, matchOrder, planListsOrder, resolvePlan, unavailableCoverageInformation } from '../benefit';
import type { BenefitAssessment, BenefitUnavailable } from '../benefit/types';
import type { DrugRef, GenomicProfile, PgxAssessment } from '../pgx/types';
import {
  assessOncologyOrder,
  biomarkerVariables,
  companionDiagnosticVariable,
  identifyOncologyDrug,
  isSomaticVariant,
  isTumourBiomarkerCode,
  readTumourProfile,
} from '../biomarker';
import type { OncologyAssessment, TumourProfile } from '../biomarker/types';
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
  /** results of this drug's genes that were not used (entered-in-error, cancelled), named on the card */
  ignoredResults?: DataGap[];
  /** set when assessing this order failed unexpectedly: the card then says it could not be checked */
  failure?: string;
  /** a targeted oncology drug of the companion-diagnostic table: its biomarker judgement */
  oncology?: OncologyAssessment;
}

export interface RequestAssessment {
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
  referenceTo('MedicationRequest', order.id ?? `draft-${index}`);

/**
 * Does the draft name a medication yet? An EHR calls order-select as the order form opens, before a drug
 * is chosen: such a draft has nothing to advise on and gets no card (not an "unknown medication" one).
 */
function namesMedication(order: MedicationRequest): boolean {
  const cc = order.medicationCodeableConcept;
  if (cc && (cc.text || (cc.coding ?? []).some((c) => c.code || c.display))) return true;
  const ref = order.medicationReference;
  return !!ref && !!(ref.reference || ref.display);
}

/** order-select advises on the selected orders only; order-sign checks every draft order that names a medication. */
function ordersInScope(record: PatientRecord, ctx: DecisionContext): MedicationRequest[] {
  const named = record.draftOrders.filter(namesMedication);
  if (ctx.hook !== 'order-select' || !ctx.selections || ctx.selections.length === 0) return named;
  const wanted = new Set(ctx.selections);
  return named.filter((o) => {
    const i = record.draftOrders.indexOf(o);
    return wanted.has(orderRef(o, i)) || wanted.has(o.id ?? '');
  });
}

export function assessRequest(record: PatientRecord, ctx: DecisionContext, kb: DecisionKnowledge): RequestAssessment {
  const errors: string[] = [];
  const pgxGaps = record.unavailable.filter((g) => g.key === 'pgx');
  let profile: GenomicProfile = {};
  // tumour results (somatic variants, HER2/PD-L1/MSI/TMB) travel with the genomics results but are never
  // germline pharmacogenomics: the PGx engine does not see them
  const onc = kb.oncology;
  const germlineObservations = onc
    ? record.pgxObservations.filter((o) => !isSomaticVariant(o, onc.table.codes) && !isTumourBiomarkerCode(o, onc.table.codes))
    : record.pgxObservations;
  let tumour: TumourProfile | undefined;
  let biomarkers: ReturnType<typeof biomarkerVariables> | undefined;
  let notes: GenomicsNote[] = [];
  try {
    ({ profile, notes } = interpretGenomicsDetailed(germlineObservations, record.patientId, kb.pgx.genes));
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
  const conditionsKnown = !record.unavailable.some((g) => g.key === 'conditions');

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
  return { orders, errors };

  function assessOrder(order: MedicationRequest, ref: string): OrderAssessment {
    const drug = identifyMedication(order, kb.pgx.drugs);
    const pgx = withOtherGuidance(assessDrug(drug, profile, activeDrugs, kb.pgx), profile, kb.pgx.guidance);
    const algorithms = doseAlgorithmsFor(drug.cpicDrug, kb.pgx.dosing);
    if (algorithms.length && drug.recognised) {
      facts ??= readPatientFacts(record.patient, record.vitals ?? [], ctx.now, algorithms[0]!.raceExtension, {
        goals: record.goals ?? [],
        conditions: record.conditions,
        codes: factCodesFor(algorithms),
      });
      pgx.doseEstimates = estimateDoses(algorithms, { facts, profile, activeDrugs, medicationsKnown, conditionsKnown });
    }
    const assessment: OrderAssessment = { order, orderRef: ref, drug, pgx, gaps: [...pgxGaps] };
    const ignored = ignoredResultsFor(pgx.relevantGenes, notes);
    if (ignored.length) assessment.ignoredResults = ignored;
    const oncologyDrug = onc && identifyOncologyDrug(order, onc);
    let benefitDrug = drug;
    let tumourVariables: { biomarker: ReturnType<typeof biomarkerVariables>; cdx: ReturnType<typeof companionDiagnosticVariable> } | undefined;
    if (onc && oncologyDrug) {
      // read once per request, and only when an oncology drug is ordered
      tumour ??= readTumourProfile(record.pgxObservations, record.patientId, onc.table.codes);
      assessment.oncology = assessOncologyOrder(oncologyDrug, record.conditions, tumour, onc);
      tumourVariables = { biomarker: (biomarkers ??= biomarkerVariables(tumour)), cdx: companionDiagnosticVariable(assessment.oncology) };
      if (!drug.recognised) {
        assessment.drug = { ...drug, display: drug.display || oncologyDrug.name };
        // an order named in words still reaches the formulary through the table's RxNorm codes for the drug
        const code = oncologyDrug.rxcui ?? oncologyDrug.products[0]?.rxcui;
        benefitDrug = { ...assessment.drug, ...(oncologyDrug.rxcui ? { ingredientRxcui: oncologyDrug.rxcui } : {}), ...(code ? { rxcui: code } : {}) };
      }
    }
    if ('plan' in planResolution) {
      // a drug the PGx table does not know is still checked when the formulary lists the ordered product, or
      // lists the drug the oncology table names for it (by product code or by ingredient)
      const listsDrug = () =>
        !!matchOrder(planResolution.plan, { codings: benefitDrug.rxcui ? [{ code: benefitDrug.rxcui }] : [], ingredientRxcui: benefitDrug.ingredientRxcui }).entry;
      if (drug.recognised || planListsOrder(planResolution.plan, order) || listsDrug()) {
        assessment.benefit = assessBenefit({
          order,
          drug: benefitDrug,
          pgx,
          plan: planResolution.plan,
          record,
          now: ctx.now,
          assessCandidate,
          identify,
          ...(tumourVariables ? { tumour: tumourVariables } : {}),
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

const WITHDRAWN = /^status (entered-in-error|cancelled)$/;

/** Withdrawn results of the drug's genes, one line per gene and status (the result itself is never shown). */
function ignoredResultsFor(genes: string[], notes: GenomicsNote[]): DataGap[] {
  const lines = new Set<string>();
  for (const n of notes) {
    const m = WITHDRAWN.exec(n.reason);
    if (m && n.gene && genes.includes(n.gene)) lines.add(`${n.gene}|${m[1]}`);
  }
  return [...lines].sort().map((l) => {
    const [gene, status] = l.split('|') as [string, string];
    return { key: `${gene} result`, reason: `a ${gene} result marked ${status} was ignored` };
  });
}
