/**
 * Alternatives with a better genomic fit: same therapeutic class, on formulary, assessed for THIS patient,
 * ranked genomically appropriate first, then tier, then PA / step-therapy burden.
 * Drugs the genomics rule out (contraindicated / expected to be ineffective) are never suggested.
 */
import type { DrugRef, PgxAssessment, PgxVerdict } from '../pgx/types';
import { findEntry, formularyStatus } from './formulary';
import type { Plan } from './plan-catalogue';
import type { PaPreview, RankedAlternative, StepTherapyResult } from './types';

/** Lower is better; undefined = never suggest. */
const FIT: Partial<Record<PgxVerdict, number>> = {
  appropriate: 0,
  'no-guidance': 1,
  adjust: 2,
  untested: 3,
  indeterminate: 3,
};

export const genomicFit = (verdict: PgxVerdict): number | undefined => FIT[verdict];

export interface Burden {
  stepTherapy?: StepTherapyResult;
  priorAuth?: PaPreview;
}

export function burdenScore(b: Burden): number {
  const pa = !b.priorAuth
    ? 0
    : ({ 'not-required': 0, 'auto-approvable': 1, 'needs-documentation': 2, 'likely-denied': 4 } as const)[b.priorAuth.pathway];
  const st = !b.stepTherapy ? 0 : ({ satisfied: 0, 'not-applicable': 0, exempt: 1, required: 2 } as const)[b.stepTherapy.status];
  return pa + st;
}

/**
 * Policy classes the drug belongs to. The policy is authoritative for the ingredients it lists; the class
 * the PGx engine named (DrugRef.drugClass) is only used for a drug the policy does not list at all.
 */
export function classesOf(plan: Plan, drug: Pick<DrugRef, 'ingredientRxcui' | 'drugClass'>): string[] {
  const out = new Set<string>();
  for (const [name, members] of plan.classes) {
    if (drug.ingredientRxcui && members.includes(drug.ingredientRxcui)) out.add(name);
  }
  if (out.size === 0 && drug.drugClass) {
    const named = plan.classNames.get(drug.drugClass);
    if (named) out.add(named);
  }
  return [...out];
}

export interface AlternativesInput {
  plan: Plan;
  drug: DrugRef;
  pgx: PgxAssessment;
  /** 'clinical': the order is unsuitable or not covered — any suitable covered alternative helps;
   *  'burden': the order is fine genomically but burdened — only alternatives that are no worse
   *  genomically and lighter on PA/step/tier are worth a suggestion */
  mode: 'clinical' | 'burden';
  orderBurden: number;
  orderTierRank?: number;
  assessCandidate: (ingredientRxcui: string) => { drug: DrugRef; pgx: PgxAssessment } | undefined;
  burdenOf: (ingredientRxcui: string, candidate: { drug: DrugRef; pgx: PgxAssessment }) => Burden;
  limit?: number;
}

function why(pgx: PgxAssessment, tier: string | undefined, burden: Burden): string {
  const rec = pgx.recommendation;
  const fit =
    pgx.verdict === 'appropriate'
      ? `genomically appropriate for this patient${rec ? ` (CPIC: ${rec.text})` : ''}`
      : pgx.verdict === 'no-guidance'
        ? 'no CPIC gene–drug guidance affects it'
        : pgx.verdict === 'adjust'
          ? `usable with adjustment${rec?.dosing ? ` (${rec.dosing})` : rec ? ` (CPIC: ${rec.text})` : ''}`
          : `genomic fit not established (${pgx.verdict}${pgx.missingGenes.length ? `; untested: ${pgx.missingGenes.join(', ')}` : ''})`;
  const parts = [fit, `tier ${tier ?? 'unknown'}`];
  if (burden.priorAuth) parts.push(`prior authorization ${burden.priorAuth.pathway}`);
  else parts.push('no prior authorization');
  if (burden.stepTherapy) parts.push(`step therapy ${burden.stepTherapy.status}`);
  return parts.join('; ');
}

export function rankAlternatives(input: AlternativesInput): RankedAlternative[] {
  const { plan, drug, pgx } = input;
  const orderFit = genomicFit(pgx.verdict);
  const classes = classesOf(plan, drug);
  const candidates = new Set<string>();
  for (const c of classes) for (const rx of plan.classes.get(c) ?? []) if (rx !== drug.ingredientRxcui) candidates.add(rx);

  const scored: Array<Omit<RankedAlternative, 'rank'> & { fit: number; burden: number }> = [];
  for (const rx of candidates) {
    const entry = findEntry(plan.entries, rx);
    if (!entry) continue;
    const cand = input.assessCandidate(rx);
    if (!cand) continue;
    const fit = genomicFit(cand.pgx.verdict);
    if (fit === undefined) continue;
    const b = input.burdenOf(rx, cand);
    const burden = burdenScore(b);
    if (b.priorAuth?.pathway === 'likely-denied') continue;
    if (input.mode === 'burden') {
      const noWorse = orderFit !== undefined && fit <= orderFit;
      const lighter = burden < input.orderBurden || (burden === input.orderBurden && entry.tierRank < (input.orderTierRank ?? Infinity));
      if (!noWorse || !lighter) continue;
    }
    scored.push({
      drug: cand.drug,
      pgx: cand.pgx,
      status: formularyStatus(plan.entries, rx),
      why: why(cand.pgx, entry.tier, b),
      ...(b.stepTherapy ? { stepTherapy: b.stepTherapy } : {}),
      ...(b.priorAuth ? { priorAuth: b.priorAuth } : {}),
      fit,
      burden,
    });
  }
  scored.sort(
    (a, b) =>
      a.fit - b.fit ||
      (a.status.tierRank ?? 99) - (b.status.tierRank ?? 99) ||
      a.burden - b.burden ||
      a.drug.display.localeCompare(b.drug.display),
  );
  return scored.slice(0, input.limit ?? 5).map(({ fit: _f, burden: _b, ...alt }, i) => ({ ...alt, rank: i + 1 }));
}
