/** The benefit decision in words: the reason the CRD coverage assertion gives for the order. */
import type { Plan } from './plan-catalogue';
import type { BenefitDecision } from './types';

export function coverageReason(decision: BenefitDecision, plan: Pick<Plan, 'name' | 'formulary'>): string {
  const { drug, status } = decision;
  if (decision.unmatched) return `${drug.display || 'The ordered drug'} could not be matched to an RxNorm ingredient, so the formulary could not be checked`;
  if (!status.covered) return `Not on formulary ${plan.formulary.name}`;
  const flags = [
    status.priorAuthorization && 'prior authorization',
    status.stepTherapy && 'step therapy',
    status.quantityLimit && `quantity limit${status.quantityLimitDetail ? ` (${status.quantityLimitDetail})` : ''}`,
  ].filter(Boolean);
  return `${drug.cpicDrug ?? drug.display} is covered on ${plan.name}, tier ${status.tier}${flags.length ? `, with ${flags.join(', ')}` : ''} (rule ${status.ruleId}).`;
}
