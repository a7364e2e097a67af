/**
 * Cost-share, with the GINA guard built into the shape of the code:
 *  - `tierCostShare` / `standardCostShare` (what everyone on the plan pays for a tier) take NO genomic
 *    input — their parameter types cannot carry one (test/benefit/gina.test.ts checks it at type level);
 *  - genotype may only LOWER the cost-share of the order at hand, through `precisionException`
 *    (value-based insurance design: a genomically indicated alternative at first-line cost-share),
 *    and `lowerOnly` clamps whatever it proposes to the genotype-blind amount;
 *  - a per-state switch turns it off (policy `gina.precisionCostShareDisabledStates`, e.g. NV).
 */
import type { PgxAssessment, DrugRef } from '../pgx/types';
import type { Plan, TierCostShare } from './plan-catalogue';
import { UNSUITABLE_VERDICTS, type CostShare, type FormularyStatus, type RankedAlternative } from './types';

/** Plan cost-share tables only: tier → copay / coinsurance. */
export type CostShareTable = Readonly<Record<string, TierCostShare>>;

/** A formulary position without any clinical or genomic data. */
export interface TierPosition {
  covered: boolean;
  tier?: string;
}

/** What everyone on the plan pays for this tier. GINA: no genomic parameter, by construction. */
export function tierCostShare(table: CostShareTable, tier: string): TierCostShare | undefined {
  return table[tier];
}

/** The genotype-blind cost-share of an order. */
export function standardCostShare(table: CostShareTable, position: TierPosition): { display: string; copay?: number } {
  if (!position.covered || !position.tier) return { display: 'not covered: full cash price unless an exception is granted' };
  const c = tierCostShare(table, position.tier);
  if (!c) return { display: `tier ${position.tier} (the plan publishes no cost-share for it)` };
  return c.copay !== undefined ? { display: `${c.display} (${position.tier})`, copay: c.copay } : { display: `${c.display} (${position.tier})` };
}

/** Genotype may lower, never raise: the result is at most the genotype-blind copay. */
export function lowerOnly(blindCopay: number, proposedCopay: number | undefined): number {
  return proposedCopay === undefined ? blindCopay : Math.min(blindCopay, proposedCopay);
}

export function precisionCostShareEnabled(plan: Pick<Plan, 'vbid' | 'state' | 'precisionCostShareDisabledStates'>): boolean {
  return plan.vbid.precisionCostShare && !plan.precisionCostShareDisabledStates.includes(plan.state);
}

const SUITABLE = new Set(['appropriate', 'no-guidance', 'adjust']);

export interface CostShareInput {
  plan: Plan;
  drug: DrugRef;
  status: FormularyStatus;
  pgx: PgxAssessment;
  alternatives: RankedAlternative[];
  assessCandidate: (ingredientRxcui: string) => { drug: DrugRef; pgx: PgxAssessment } | undefined;
}

/**
 * The order's cost-share, and the VBID precision exception when the plan enables it:
 *  (a) the order is a class's first-line drug and is unsuitable for this patient → the best suitable
 *      alternative is shown at the first-line cost-share;
 *  (b) the order is a suitable alternative because the class's first-line drug is unsuitable → this order
 *      gets the first-line cost-share.
 */
export function assessCostShare(input: CostShareInput): CostShare {
  const { plan, drug, status, pgx } = input;
  const blind = standardCostShare(plan.costShare, status);
  const result: CostShare = { standard: blind.display, ...(blind.copay !== undefined ? { standardCopay: blind.copay } : {}) };
  if (!precisionCostShareEnabled(plan) || !drug.ingredientRxcui) return result;

  const firstLineCopay = (ingredient: string) => {
    const entry = plan.entries.get(ingredient);
    return entry && entry.status === 'active' ? tierCostShare(plan.costShare, entry.tier) : undefined;
  };

  for (const fl of plan.vbid.firstLine) {
    const members = plan.classes.get(fl.class) ?? [];
    if (!members.includes(drug.ingredientRxcui)) continue;
    const base = firstLineCopay(fl.ingredient);
    // a coinsurance-only tier has no amount to compare: no exception rather than a guess
    if (!base || base.copay === undefined) continue;
    if (fl.ingredient === drug.ingredientRxcui) {
      if (!UNSUITABLE_VERDICTS.has(pgx.verdict)) continue;
      const alt = input.alternatives.find(
        (a) => SUITABLE.has(a.pgx.verdict) && members.includes(a.drug.ingredientRxcui ?? '') && a.status.covered,
      );
      const altCopay = alt?.status.tier ? tierCostShare(plan.costShare, alt.status.tier)?.copay : undefined;
      if (!alt || altCopay === undefined || altCopay <= base.copay) continue;
      const copay = lowerOnly(altCopay, base.copay);
      result.precisionException = {
        drug: alt.drug.display,
        ingredientRxcui: alt.drug.ingredientRxcui,
        appliesTo: 'alternative',
        copay,
        costShare: `$${copay} copay (first-line cost-share)`,
        reason: `${drug.cpicDrug ?? drug.display} is ${pgx.verdict.replace('-', ' ')} for this patient; the plan's precision cost-share gives the genomically indicated alternative the first-line cost-share`,
      };
      return result;
    }
    if (!status.covered || blind.copay === undefined || !SUITABLE.has(pgx.verdict)) continue;
    const first = input.assessCandidate(fl.ingredient);
    if (!first || !UNSUITABLE_VERDICTS.has(first.pgx.verdict) || base.copay >= blind.copay) continue;
    const copay = lowerOnly(blind.copay, base.copay);
    result.precisionException = {
      drug: drug.display,
      ingredientRxcui: drug.ingredientRxcui,
      appliesTo: 'order',
      copay,
      costShare: `$${copay} copay (first-line cost-share)`,
      reason: `first-line ${first.drug.cpicDrug ?? first.drug.display} is ${first.pgx.verdict.replace('-', ' ')} for this patient; the plan's precision cost-share applies the first-line cost-share to this order`,
    };
    return result;
  }
  return result;
}
