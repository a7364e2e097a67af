/**
 * Step therapy with genomic exemption. For each required step: already tried within the look-back
 * window → satisfied; every drug that could satisfy it is contraindicated or expected to be ineffective
 * for this patient (PGx) → exempt, with the evidence; otherwise not met.
 *
 * The exemption mirrors the grounds of state step-therapy exception laws (contraindicated, expected to be
 * ineffective given the patient's known clinical characteristics, already tried) and the Part D
 * exceptions process; it is a reason to request the exception, stated with its evidence, not a grant.
 */
import type { MedicationDispense, MedicationRequest, MedicationStatement } from 'fhir/r4';
import type { PatientRecord } from '../decision/types';
import type { DrugRef, PgxAssessment } from '../pgx/types';
import type { LineOfBusiness, StepProtocol } from './plan-catalogue';
import { UNSUITABLE_VERDICTS, type StepTherapyResult } from './types';

export interface HistoryItem {
  ingredientRxcui?: string;
  display: string;
  /** ISO date the drug was ordered / dispensed / taken */
  date?: string;
  kind: 'MedicationRequest' | 'MedicationStatement' | 'MedicationDispense';
}

type HistoryResource = MedicationRequest | MedicationStatement | MedicationDispense;

function historyDate(r: HistoryResource): string | undefined {
  switch (r.resourceType) {
    case 'MedicationRequest':
      return r.authoredOn;
    case 'MedicationStatement':
      return r.effectivePeriod?.end ?? r.effectiveDateTime ?? r.effectivePeriod?.start ?? r.dateAsserted;
    case 'MedicationDispense':
      return r.whenHandedOver ?? r.whenPrepared;
  }
}

/** Everything the patient has been ordered, dispensed or reported taking (drafts excluded). */
export function medicationHistory(record: PatientRecord, identify: (r: HistoryResource) => DrugRef): HistoryItem[] {
  const resources: HistoryResource[] = [...record.activeMedications, ...record.dispenses];
  return resources
    .filter((r) => !(r.resourceType === 'MedicationRequest' && r.status === 'draft'))
    .filter((r) => r.status !== 'entered-in-error')
    .map((r) => {
      const drug = identify(r);
      return { ingredientRxcui: drug.ingredientRxcui, display: drug.display, date: historyDate(r), kind: r.resourceType };
    });
}

const DAY_MS = 86_400_000;

/** The most recent dated history item for an ingredient within `days` before `now`, if any. */
export function recentUse(history: HistoryItem[], ingredientRxcuis: readonly string[], now: string, days: number): HistoryItem | undefined {
  const end = Date.parse(now);
  const since = end - days * DAY_MS;
  return history
    .filter((h) => h.ingredientRxcui && ingredientRxcuis.includes(h.ingredientRxcui) && h.date)
    .filter((h) => {
      const t = Date.parse(h.date!);
      return Number.isFinite(t) && t >= since && t <= end;
    })
    .sort((a, b) => Date.parse(b.date!) - Date.parse(a.date!))[0];
}

/** Step therapy that applies to new starts only is met by continuing therapy with the ordered drug. */
export function continuingTherapy(protocolId: string, item: HistoryItem, days: number): StepTherapyResult & { basis: string } {
  return {
    status: 'satisfied',
    protocolId,
    steps: [
      {
        drugOrClass: 'continuing therapy',
        outcome: 'satisfied',
        evidence: `${item.display} already on record (${item.kind}, ${item.date!.slice(0, 10)}) within ${days} days`,
      },
    ],
    basis: 'The plan applies this step therapy to new starts only (usdf-StepTherapyLimitNewStartsOnly-extension); the patient is continuing therapy',
  };
}

/** Plain-words evidence for a PGx verdict: gene, phenotype, CPIC recommendation and its row/version. */
function pgxEvidence(pgx: PgxAssessment): string {
  const genes = pgx.genes
    .filter((g) => g.status === 'determinate')
    .map((g) => {
      const eff = pgx.effectivePhenotypes.find((e) => e.gene === g.gene);
      return eff && eff.effectivePhenotype !== g.phenotype
        ? `${g.gene} ${g.phenotype} (effective ${eff.effectivePhenotype}, ${eff.cause?.drug ?? 'interaction'})`
        : `${g.gene} ${g.phenotype}`;
    })
    .join(', ');
  const rec = pgx.recommendation;
  const cpic = rec
    ? `CPIC: ${rec.text} (${rec.strength}; ${rec.guideline.title}, row ${rec.rowId}, CPIC data ${rec.guideline.version})`
    : 'no CPIC recommendation row';
  return `${pgx.drug.cpicDrug ?? pgx.drug.display} ${pgx.verdict.replace('-', ' ')} — ${genes || 'genomic result'}; ${cpic}`;
}

function exceptionBasis(lineOfBusiness: LineOfBusiness): string {
  return lineOfBusiness === 'medicare-part-d'
    ? 'Part D exceptions process (42 CFR 423.578): the prescriber’s supporting statement that the required drug would not be as effective or would have adverse effects'
    : 'state step-therapy exception laws: the required drug is contraindicated or expected to be ineffective given the patient’s known clinical characteristics (self-funded ERISA plans are not bound by state law; check plan terms)';
}

export function evaluateStepTherapy(
  protocol: StepProtocol,
  history: HistoryItem[],
  now: string,
  assessCandidate: (ingredientRxcui: string) => { drug: DrugRef; pgx: PgxAssessment } | undefined,
  lineOfBusiness: LineOfBusiness,
): StepTherapyResult & { basis: string } {
  const steps = protocol.steps.map((step) => {
    const tried = recentUse(history, step.anyOf, now, protocol.lookbackDays);
    if (tried) {
      return {
        drugOrClass: step.label,
        outcome: 'satisfied' as const,
        evidence: `${tried.display} on record (${tried.kind}, ${tried.date!.slice(0, 10)}) within the ${protocol.lookbackDays}-day look-back`,
      };
    }
    const assessed = step.anyOf.map((rx) => assessCandidate(rx));
    // exempt only when *every* drug that could satisfy the step is unsuitable for this patient, on final results
    const unsuitable = assessed.every((a) => a && UNSUITABLE_VERDICTS.has(a.pgx.verdict));
    const provisional = assessed.flatMap((a) => a?.pgx.provisional ?? []);
    if (unsuitable && provisional.length) {
      return {
        drugOrClass: step.label,
        outcome: 'not-met' as const,
        evidence: `an exemption would rest on a result that is not final (${provisional.map((p) => `${p.gene} ${p.status}`).join(', ')}): confirm it first — ${assessed.map((a) => pgxEvidence(a!.pgx)).join(' | ')}`,
      };
    }
    if (unsuitable) {
      return {
        drugOrClass: step.label,
        outcome: 'exempt' as const,
        evidence: assessed.map((a) => pgxEvidence(a!.pgx)).join(' | '),
      };
    }
    const undated = history.some((h) => h.ingredientRxcui && step.anyOf.includes(h.ingredientRxcui) && !h.date);
    return {
      drugOrClass: step.label,
      outcome: 'not-met' as const,
      evidence: undated
        ? `${step.label} appears in the history without a date, so the ${protocol.lookbackDays}-day look-back cannot be verified`
        : `no ${step.label} in the medication history within ${protocol.lookbackDays} days`,
    };
  });
  const status = steps.some((s) => s.outcome === 'not-met')
    ? 'required'
    : steps.some((s) => s.outcome === 'exempt')
      ? 'exempt'
      : 'satisfied';
  const basis =
    status === 'exempt'
      ? `Exception grounds — ${exceptionBasis(lineOfBusiness)}`
      : status === 'satisfied'
        ? 'Already tried: the required step is on record within the look-back window'
        : `Step required by ${protocol.id}: ${protocol.description}`;
  return { status, protocolId: protocol.id, steps, basis };
}
